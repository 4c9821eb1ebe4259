/**
 * The rulebook, rule by rule: each has an input that breaks it and one that passes. Broken
 * bundles go through checkBundle, and, where the strategy needs no post-renderer, through
 * diagnoseSetup too, which must say the same thing in the same words.
 */
import { describe, expect, it } from "vitest";
import { resolveSetup } from "../../../lib/diagnose/resolve-setup";
import { checkBundle, diagnoseSetup, FILE_NAMES, RULES, type Check } from "../../../lib/index";
import { judgeSetup } from "../../../lib/rules/rule";
import { loadSetups } from "../../support/setups";
import {
  BUNDLE_CASES,
  bundleFor,
  COMPARE,
  HEALTHY_SETUP,
  hashOf,
  PASSWORD,
  SETUP_CASES,
  SETUP_OPTIONS,
  type BundleCase,
} from "./cases";

const checksOf = (c: BundleCase, broken: boolean) => {
  const bundle = bundleFor(broken ? c.config : (c.passing ?? c.config));
  if (broken) c.breaks(bundle);
  else c.passes?.(bundle);
  return { bundle, checks: checkBundle(bundle.config, bundle.files, (broken && c.options) || COMPARE) };
};
const find = (checks: Check[], id: string) => checks.find((c) => c.id === id);

it("has a breaking and a passing case for every rule, and unique ids", () => {
  const ids = RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  const covered = new Set([...BUNDLE_CASES.map((c) => c.rule), ...SETUP_CASES.map((c) => c.rule)]);
  expect([...covered].sort()).toEqual([...ids].sort());
});

describe.each(BUNDLE_CASES.map((c, i) => [`${c.rule} (${i})`, c] as const))("bundle: %s", (_, c) => {
  it(`reports ${c.status} for a bundle that breaks it, with the rule's words`, () => {
    const { checks } = checksOf(c, true);
    const check = find(checks, c.rule);
    const rule = RULES.find((r) => r.id === c.rule);
    expect(check, JSON.stringify(checks.filter((x) => x.status !== "pass"))).toMatchObject({
      status: c.status,
      title: rule?.title,
    });
    expect(check?.message.length).toBeGreaterThan(20);
    expect(check?.fix.length).toBeGreaterThan(10);
    // Evidence and messages never carry a password or hash.
    const text = JSON.stringify(checks);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(hashOf(PASSWORD));
  });

  it("passes the bundle as generated", () => {
    const { checks } = checksOf(c, false);
    const check = find(checks, c.rule);
    // A case that makes its passing bundle is judged on it: the rule must run, and pass.
    if (c.passes) expect(check, c.rule).toBeDefined();
    if (check) expect(check.status, check.message).toBe("pass");
    for (const other of checks) expect(["pass", "warn"], `${other.id}: ${other.message}`).toContain(other.status);
  });
});

// Strategies that need no post-renderer: diagnoseSetup reads the same files as they are.
describe.each(BUNDLE_CASES.map((c, i) => [`${c.rule} (${i})`, c] as const).filter(([, c]) => c.diagnosed))(
  "bundle and diagnosis: %s",
  (_, c) => {
    it("is diagnosed in the same words from the same files", () => {
      const { bundle, checks } = checksOf(c, true);
      expect(bundle.files[FILE_NAMES.patch]).toBeUndefined();
      const files = Object.entries(bundle.files)
        .filter(([name]) => name.endsWith(".yaml"))
        .map(([name, text]) => ({ name, text }));
      const { config } = bundle;
      const result = diagnoseSetup(files, {
        given: {
          chartVersion: config.chartVersion,
          releaseName: config.releaseName,
          namespace: config.namespace,
          ...(config.prometheusSelector ? { prometheusSelector: config.prometheusSelector } : {}),
        },
        ...(c.options ?? COMPARE),
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const finding = result.report.findings.find((f) => f.id === c.rule);
      const check = find(checks, c.rule);
      expect(finding, JSON.stringify(result.report.findings)).toBeDefined();
      expect({ title: finding?.title, message: finding?.message, fix: finding?.fix }).toEqual({
        title: check?.title,
        message: check?.message,
        fix: check?.fix,
      });
    });
  },
);

describe.each(SETUP_CASES.map((c) => [c.rule, c] as const))("pasted setup: %s", (_, c) => {
  it(`reports ${c.status} for a setup that breaks it`, () => {
    const result = diagnoseSetup(c.breaks, { ...SETUP_OPTIONS, ...c.options });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.report.findings.find((f) => f.id === c.rule)?.severity).toBe(c.status);
  });

  it("reports nothing for a consistent setup", () => {
    const result = diagnoseSetup(HEALTHY_SETUP, SETUP_OPTIONS);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.report.findings).toEqual([]);
  });
});

it("lists a passing check only under a pass title, and a failing one under the rule's title", () => {
  for (const c of BUNDLE_CASES) {
    for (const check of checksOf(c, false).checks) {
      const rule = RULES.find((r) => r.id === check.id);
      expect(check.title).toBe(check.status === "pass" ? rule?.passTitle : rule?.title);
    }
  }
});

it("passes only rules that have a pass title, on every pasted setup of the corpus", () => {
  for (const setup of loadSetups()) {
    const resolved = resolveSetup(setup.files, setup.expected.given);
    if (!resolved.ok) throw new Error(setup.name);
    for (const { rule, outcome } of judgeSetup(RULES, resolved.resolved, COMPARE)) {
      if (outcome.status === "pass") expect(rule.passTitle, `${setup.name}: ${rule.id}`).toBeDefined();
    }
  }
});

/**
 * Problems whose evidence is empty on purpose: what they report is that nothing pasted shows the
 * fact, so there is no line to point at (the fix says what to paste).
 */
const NOTHING_TO_CITE: Record<string, string> = {
  "web-config-not-verified": "no pasted file says which Secret holds the web config",
  // The reading problems name their file in the message; a file that does not read has no path.
  files: "a bundle file that cannot be read",
};

it("cites evidence for every problem a breaking case reports, but where nothing can be cited", () => {
  const empty = new Set<string>();
  for (const c of BUNDLE_CASES) {
    for (const check of checksOf(c, true).checks)
      if (check.status !== "pass" && check.evidence.length === 0) empty.add(check.id);
  }
  for (const c of SETUP_CASES) {
    const result = diagnoseSetup(c.breaks, { ...SETUP_OPTIONS, ...c.options });
    if (!result.ok) continue;
    for (const f of result.report.findings) if (f.evidence.length === 0) empty.add(f.id);
  }
  // Only rules: "files" and the like report input problems, not findings of the rulebook.
  const rules = new Set(RULES.map((r) => r.id));
  expect([...empty].filter((id) => rules.has(id) && !(id in NOTHING_TO_CITE)).sort()).toEqual([]);
});
