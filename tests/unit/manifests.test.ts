import { describe, expect, it } from "vitest";
import { renderRelease } from "../../lib/chart/render";
import type { Values } from "../../lib/values/values";
import { applyJsonPatch } from "../../lib/engine/cluster-view";
import { FILE_NAMES, generate, validateConfig } from "../../lib/index";
import type { JsonPatchOperation } from "../../lib/k8s/types";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { CASES } from "../support/cases";
import { validateManifest } from "../support/schemas";

describe.each(CASES)("$name", ({ input }) => {
  const result = validateConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const config = result.config;
  const { files } = generate(config);

  it("ships manifests that validate against their schemas", () => {
    const docs = [FILE_NAMES.secret, FILE_NAMES.serviceMonitor]
      .filter((name) => files[name])
      .flatMap((name) => parseYamlDocuments(files[name] as string));
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) validateManifest(doc);
  });

  it("makes the chart render a valid ServiceMonitor and NetworkPolicy", () => {
    const values = parseYamlDocuments(files[FILE_NAMES.values] as string)[0] as Values;
    const chart = renderRelease(config, values, () => "x");
    let sm = chart.serviceMonitor;
    if (sm && files[FILE_NAMES.patch]) {
      sm = applyJsonPatch(sm, parseYamlDocuments(files[FILE_NAMES.patch] as string)[0] as JsonPatchOperation[]);
    }
    if (sm) validateManifest(sm);
    if (chart.networkPolicy) validateManifest(chart.networkPolicy);
  });
});

describe("validateManifest", () => {
  const sm = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "pg", namespace: "monitoring", labels: { release: "kps" } },
    spec: { endpoints: [{ port: "http", interval: "30s" }], selector: { matchLabels: { a: "b" } } },
  };
  it("accepts a valid ServiceMonitor", () => expect(() => validateManifest(sm)).not.toThrow());
  it.each([
    [
      "a misspelt field the API server would prune",
      { spec: { ...sm.spec, endpoints: [{ port: "http", basicauth: {} }] } },
      /unknown field spec\.endpoints\[0\]\.basicauth/,
    ],
    [
      "a bad duration",
      { spec: { ...sm.spec, endpoints: [{ port: "http", interval: "30 s" }] } },
      /interval must match pattern/,
    ],
    ["a missing selector", { spec: { endpoints: [] } }, /selector/],
    ["a bad name", { metadata: { ...sm.metadata, name: "PG" } }, /DNS-1123 subdomain/],
    ["a bad label value", { metadata: { ...sm.metadata, labels: { release: "a b" } } }, /invalid label value/],
  ])("rejects %s", (_, patch, error) => {
    expect(() => validateManifest({ ...sm, ...patch })).toThrow(error);
  });
  it("rejects a Secret with a non-string value", () => {
    expect(() =>
      validateManifest({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s", namespace: "n" },
        stringData: { a: 1 },
      }),
    ).toThrow(/stringData\/a must be string/);
  });
});
