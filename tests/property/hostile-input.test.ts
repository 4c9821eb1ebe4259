/**
 * Hostile input in every text field, hand-picked and generated: each value either gives a
 * bundle that passes every check and carries the value back exactly, or an error on that field.
 */
import { hashSync } from "bcryptjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap } from "../../lib/values/values";
import { checkBundle, FIELDS, generate, needsPasswordHash, validateConfig, type FieldName } from "../../lib/index";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { anyText } from "../support/arbitraries";

const CORPUS = [
  ": # - [ ] { } & * ! | > ' \" % @ `",
  "key: value",
  "- item",
  "&anchor *alias",
  "!!binary",
  "|",
  "> folded",
  "'single'",
  '"double"',
  "%YAML 1.1",
  "@at",
  "`backtick`",
  " leading",
  "trailing ",
  "line\nbreak",
  "tab\there",
  "nul\u0000byte",
  "bell\u0007",
  "\u007fdel",
  "😀 emoji 👍🏽",
  "مرحبا right-to-left \u202e override",
  "{{ .Release.Name }}",
  '{{- include "x" . -}}',
  "</script><script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "yes",
  "~",
  "null",
  "0x1F",
  "1e3",
  "x".repeat(10_000),
];

const TEXT_FIELDS = (Object.keys(FIELDS) as FieldName[]).filter(
  (f) => f !== "networkPolicyEnabled" && f !== "serviceMonitorMode",
);

const hashes = new Map<string, string>();
const hashOf = (p: string) => hashes.get(p) ?? (hashes.set(p, hashSync(p, 4)), hashes.get(p)!);

/** Every string the bundle's YAML holds, keys included (comments are not data). */
function strings(files: Record<string, string>): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === "string") {
      out.push(node);
      // The web config is YAML inside a Secret value.
      if (node.startsWith("basic_auth_users:")) parseYamlDocuments(node).forEach(walk);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (isMap(node))
      for (const [k, v] of Object.entries(node)) {
        out.push(k);
        walk(v);
      }
  };
  for (const [name, text] of Object.entries(files)) if (name.endsWith(".yaml")) parseYamlDocuments(text).forEach(walk);
  return out;
}

function verdict(field: FieldName, value: string, chartVersion: string) {
  // The NetworkPolicy on, so its fields (and the Prometheus namespace) reach the files.
  const result = validateConfig({
    chartVersion,
    password: "Hostile-test-1",
    networkPolicyEnabled: true,
    [field]: value,
  });
  if (!result.ok) {
    // Refused: on that very field, saying which field.
    expect(result.errors.map((e) => e.field)).toEqual(result.errors.map(() => field));
    for (const e of result.errors) expect(e.message.startsWith(FIELDS[field].label)).toBe(true);
    return "refused";
  }
  const config = needsPasswordHash(result.config)
    ? { ...result.config, passwordHash: result.config.passwordHash || hashOf(result.config.password) }
    : result.config;
  const { files } = generate(config);
  const failed = checkBundle(config, files, { passwordMatchesHash: (p, h) => hashOf(p) === h }).filter(
    (c) => c.status === "fail",
  );
  expect(failed).toEqual([]);
  // Accepted: the value comes back exactly (a label list comes back as its labels).
  expect(result.config[field]).toBe(value);
  const held = strings(files);
  const parts = field.endsWith("Pods") || field === "prometheusSelector" ? value.split(/[=,]/) : [value];
  for (const part of parts.filter(Boolean)) expect(held, `${field} = ${JSON.stringify(value)}`).toContain(part);
  return "accepted";
}

describe.each(["2.14.0", "3.8.0"])("chart %s", (chartVersion) => {
  it.each(TEXT_FIELDS)("%s takes the hand-picked corpus", (field) => {
    const outcomes = CORPUS.map((value) => verdict(field, value, chartVersion));
    expect(outcomes).toHaveLength(CORPUS.length);
  });

  it.each(TEXT_FIELDS)("%s takes any text", (field) => {
    fc.assert(
      fc.property(anyText, (value) => void verdict(field, value, chartVersion)),
      { numRuns: 60 },
    );
  });
});

it("accepts the hostile values a basic-auth user-id or password may hold, on the charts that can carry them", () => {
  expect(verdict("username", '[ops] & {{ x }} "q" #1', "3.8.0")).toBe("accepted");
  expect(verdict("password", ": # - [ ] { } & * ! | > ' \" % @ `", "2.14.0")).toBe("accepted");
  expect(verdict("password", "{{ .Release.Name }}", "2.14.0")).toBe("accepted");
  expect(verdict("username", "[ops]", "2.14.0")).toBe("refused");
});
