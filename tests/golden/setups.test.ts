/**
 * The corpus of existing setups (tests/fixtures/setups): each reports exactly its expected
 * findings with evidence at the right file and path, prefills the form with a source for every
 * field, and merges the fix into the user's own values file, changing only the expected lines,
 * so that the chart then renders what the generated values make it render.
 */
import { compareSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { renderRelease } from "../../lib/chart/render";
import { base64Utf8, type Values } from "../../lib/values/values";
import { readWebConfig, WEB_CONFIG_KEY } from "../../lib/chart/web-config";
import { parseLabelList } from "../../lib/config/field-rules";
import { secretValue } from "../../lib/engine/cluster-view";
import { sourceKey } from "../../lib/rules/evidence";
import { diagnoseSetup, FIELDS, FILE_NAMES, fixSetup, importSetup, type Config, type FieldName } from "../../lib/index";
import { parseYaml, toYamlFile } from "../../lib/yaml/serialize";
import { renderForReal, runPostRenderer } from "../support/deploy";
import { fixedConfig, loadSetups, type Setup } from "../support/setups";

const SETUPS = loadSetups();
// Every password and hash in the corpus: none may show in a report.
const CREDENTIALS = [/Scr4pe-me-pls/, /Old-passw0rd/, /Pushg4teway!2025/, /\$2[aby]\$/];

function diagnosis(setup: Setup) {
  const result = diagnoseSetup(setup.files, { given: setup.expected.given, passwordMatchesHash: compareSync });
  if (!result.ok) throw new Error(`${setup.name}: ${JSON.stringify(result.problems)}`);
  return result.report;
}

function fix(setup: Setup) {
  const config = fixedConfig(setup);
  const imported = importSetup(setup.files, setup.expected.given);
  if (!imported.ok) throw new Error("import failed");
  const result = fixSetup(config, imported.import.valuesFile);
  if (!result.ok) throw new Error(`${setup.name}: ${result.error}`);
  return { config, fix: result.fix, valuesFile: imported.import.valuesFile };
}

/** What decides whether Prometheus can scrape, as the chart renders it from `valuesText`. */
function scrapeRelevant(config: Config, valuesText: string) {
  const values = (parseYaml(valuesText) ?? {}) as Values;
  const chart = renderRelease(config, values, (password) => `hash-of-${base64Utf8(password)}`);
  const pick = (labels: Record<string, string> | undefined, keys: string[]) =>
    Object.fromEntries(keys.map((k) => [k, labels?.[k]]));
  const selectorKeys = Object.keys(chart.service.spec.selector);
  const promKeys = parseLabelList(config.prometheusSelector).pairs.map(([k]) => k);
  const webConfig = chart.secrets.find((s) => s.metadata.name === chart.webConfigSecretName);
  const webConfigText = webConfig ? secretValue(webConfig, WEB_CONFIG_KEY) : undefined;
  const sm = chart.serviceMonitor;
  return {
    errors: chart.errors,
    namespace: chart.namespace,
    service: {
      name: chart.service.metadata.name,
      ports: chart.service.spec.ports,
      labels: pick(chart.service.metadata.labels, selectorKeys),
    },
    serviceMonitor: sm && {
      name: sm.metadata.name,
      namespace: sm.metadata.namespace,
      labels: pick(sm.metadata.labels, promKeys),
      endpoints: sm.spec.endpoints,
      namespaceSelector: sm.spec.namespaceSelector,
      selector: sm.spec.selector,
    },
    secrets: chart.secrets.map((s) => ({
      name: s.metadata.name,
      namespace: s.metadata.namespace,
      keys: Object.keys(s.stringData ?? {}),
    })),
    webConfigSecretName: chart.webConfigSecretName,
    scrapeUser:
      webConfigText === undefined ? null : (readWebConfig(webConfigText).users?.get(config.username) ?? "missing"),
    liveness: chart.liveness,
    readiness: chart.readiness,
    networkPolicy: config.networkPolicyEnabled ? chart.networkPolicy : "not managed",
  };
}

it("has at least twelve broken setups, one per diagnosis, and healthy ones", () => {
  const broken = SETUPS.filter((s) => s.expected.findings.some((f) => f.severity !== "info"));
  const healthy = SETUPS.filter((s) => s.expected.findings.length === 0);
  expect(broken.length).toBeGreaterThanOrEqual(12);
  expect(healthy.length).toBeGreaterThanOrEqual(2);
  expect(new Set(broken.flatMap((s) => s.expected.findings.map((f) => f.id))).size).toBeGreaterThanOrEqual(12);
});

describe.each(SETUPS)("$name", (setup) => {
  it("reports exactly the expected findings, each pointing at its file and path", () => {
    const report = diagnosis(setup);
    const found = report.findings.map((f) => ({ id: f.id, severity: f.severity, evidence: f.evidence.map(sourceKey) }));
    expect(found).toEqual(setup.expected.findings);
    expect(report.healthy).toBe(!setup.expected.findings.some((f) => f.severity === "fail"));
    const names = setup.files.map((f) => f.name);
    for (const finding of report.findings) {
      expect(finding.message.length, finding.id).toBeGreaterThan(20);
      expect(finding.fix.length, finding.id).toBeGreaterThan(10);
      for (const e of finding.evidence) {
        if (e.kind !== "file") continue;
        expect(names).toContain(e.file);
        // The path exists in that file (the line is that of the value itself, not a parent).
        expect(e.line, `${e.file}:${e.path}`).not.toBeNull();
      }
    }
  });

  it("never shows a password or hash in the report", () => {
    const text = JSON.stringify(diagnosis(setup));
    for (const secret of CREDENTIALS) expect(text).not.toMatch(secret);
  });

  it("prefills the form, and says where every prefilled field came from", () => {
    const result = importSetup(setup.files, setup.expected.given, { passwordMatchesHash: compareSync });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { prefill, provenance } = result.import;
    expect(Object.keys(prefill).sort()).toEqual(Object.keys(provenance).sort());
    for (const field of Object.keys(prefill)) expect(Object.keys(FIELDS)).toContain(field);
    const got = Object.fromEntries(
      Object.entries(provenance).map(([field, p]) => [
        field,
        { value: prefill[field as FieldName], from: sourceKey(p!.source) },
      ]),
    );
    expect(got).toEqual(setup.expected.prefill);
  });

  it("merges the fix into the user's own values file, changing only the expected lines", () => {
    const { fix: result, valuesFile } = fix(setup);
    expect(valuesFile?.name ?? null).toBe(setup.expected.merge.file);
    expect(result.formattingPreserved).toBe(true);
    const removed = result.diff.filter((l) => l.kind === "removed").map((l) => l.text);
    const added = result.diff.filter((l) => l.kind === "added").map((l) => l.text);
    expect({ removed, added }).toEqual({ removed: setup.expected.merge.removed, added: setup.expected.merge.added });
    // The diff is faithful to both texts, so every line it does not list is kept byte for byte.
    const lines = (t: string) => (t.endsWith("\n") ? t.slice(0, -1) : t).split("\n");
    const merged = result.bundle.files[FILE_NAMES.values] as string;
    const original = valuesFile?.text ?? "";
    expect(result.diff.filter((l) => l.kind !== "added").map((l) => l.text)).toEqual(original ? lines(original) : []);
    expect(result.diff.filter((l) => l.kind !== "removed").map((l) => l.text)).toEqual(lines(merged));
    // Comment lines all survive (a comment at the end of a removed line goes with it).
    for (const line of lines(original).filter((l) => /^\s*#/.test(l))) expect(lines(merged)).toContain(line);
  });

  it("makes the chart render, from the merged values, what it renders from the generated values", () => {
    const { config, fix: result } = fix(setup);
    const generated = fixSetup(config, null);
    if (!generated.ok) throw new Error(generated.error);
    expect(scrapeRelevant(config, result.bundle.files[FILE_NAMES.values] as string)).toEqual(
      scrapeRelevant(config, generated.fix.bundle.files[FILE_NAMES.values] as string),
    );
  });

  it("diagnoses healthy once the fix is applied", () => {
    const { config, fix: result } = fix(setup);
    const files = Object.entries(result.bundle.files)
      .filter(([name]) => name.endsWith(".yaml"))
      .map(([name, text]) => ({ name, text }));
    // The patch strategy changes the chart's ServiceMonitor in Helm's post-renderer: run the
    // bundle's own (the real kubectl kustomize) on what the chart renders, and paste its output
    // as the objects in the cluster.
    if (result.bundle.mode === "patch") {
      const chart = renderForReal(config, parseYaml(result.bundle.files[FILE_NAMES.values] as string) as Values);
      const rendered = toYamlFile([chart.service, ...chart.secrets, chart.serviceMonitor].filter(Boolean));
      files.push({ name: "helm-template-post-rendered.yaml", text: runPostRenderer(result.bundle.files, rendered) });
    }
    const prometheus = setup.files.filter((f) => f.name.includes("prometheus"));
    const after = diagnoseSetup([...files, ...prometheus], {
      given: {
        chartVersion: config.chartVersion,
        releaseName: config.releaseName,
        namespace: config.namespace,
        ...(prometheus.length ? {} : { prometheusSelector: config.prometheusSelector }),
      },
      passwordMatchesHash: compareSync,
    });
    if (!after.ok) throw new Error(JSON.stringify(after.problems));
    expect(after.report.findings.map((f) => `${f.id}: ${f.message}`)).toEqual([]);
  });
});
