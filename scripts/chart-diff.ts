/**
 * npm run chart-diff -- path/to/prometheus-pushgateway-<version>.tgz [--against 3.8.0] [--helm 3|4]
 *
 * For a maintainer adding a chart version: renders the new chart package with real Helm next
 * to the newest vendored chart (tests/fixtures/charts), with the chart defaults and with the
 * values the engine generates for each strategy, and reports what differs where it matters to
 * the engine: values paths the engine writes that the new chart no longer reads, values paths
 * the new chart newly reads in the areas the engine touches, changed object kinds and names,
 * the Service, Secrets (names, types, keys, contents), the web config mount, the probes, the
 * ServiceMonitor and the NetworkPolicy; and whether each generated bundle still holds together
 * on the new chart (the static proof of tests/real-helm). Exit status: 0 "no differences that
 * matter", 1 with the list, 2 for bad usage.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { load, YAML11_SCHEMA } from "js-yaml";
import { generate, profileFor } from "../lib/index";
import type { Values } from "../lib/values/values";
import {
  chartPackage,
  chartVersions,
  Helm,
  HelmError,
  installPostRenderer,
  writeBundle,
  type HelmMajor,
} from "../tests/support/helm";
import { helmView, type ChartView } from "../tests/support/chart-view";
import { bundleManifests, proveManifests, renderedManifests } from "../tests/support/helm-proof";
import { allowedModes, cellConfig, expectedOf, INPUTS } from "../tests/support/helm-matrix";

/** Top-level values the engine writes or whose templates decide what it relies on. */
export const RELEVANT_VALUES = [
  "nameOverride",
  "fullnameOverride",
  "namespaceOverride",
  "webConfiguration",
  "serviceMonitor",
  "service",
  "serviceLabels",
  "podLabels",
  "liveness",
  "readiness",
  "networkPolicy",
  "extraArgs",
  "extraVolumes",
  "extraVolumeMounts",
  "runAsStatefulSet",
] as const;

const isRelevant = (path: string) => RELEVANT_VALUES.some((top) => path === top || path.startsWith(`${top}.`));

interface UnpackedChart {
  version: string;
  /** Key paths of values.yaml (maps and leaves). */
  valuesPaths: Set<string>;
  /** `.Values.a.b` paths the templates read. */
  templatePaths: Set<string>;
  /** All template text, for the names that `get`/`index` read below a `.Values` path. */
  templateText: string;
}

function unpack(tgz: string): UnpackedChart {
  const dir = mkdtempSync(join(tmpdir(), "pga-chart-"));
  try {
    const tar = spawnSync("tar", ["-xzf", tgz, "-C", dir], { encoding: "utf8" });
    if (tar.status !== 0) throw new Error(`cannot unpack ${tgz}: ${tar.stderr}`);
    const root = readdirSync(dir)
      .map((d) => join(dir, d))
      .find((d) => existsSync(join(d, "Chart.yaml")));
    if (!root) throw new Error(`${tgz} holds no Chart.yaml`);
    const chart = load(readFileSync(join(root, "Chart.yaml"), "utf8")) as { name?: string; version?: string };
    if (chart.name !== "prometheus-pushgateway")
      throw new Error(`${tgz} is chart ${chart.name}, not prometheus-pushgateway`);
    const values = (load(readFileSync(join(root, "values.yaml"), "utf8"), { schema: YAML11_SCHEMA }) ?? {}) as Values;
    const valuesPaths = new Set<string>();
    const walk = (node: unknown, prefix: string) => {
      if (typeof node !== "object" || node === null || Array.isArray(node)) return;
      for (const [k, v] of Object.entries(node)) {
        const path = prefix ? `${prefix}.${k}` : k;
        valuesPaths.add(path);
        walk(v, path);
      }
    };
    walk(values, "");
    const templateDir = join(root, "templates");
    const texts: string[] = [];
    const read = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) read(p);
        else texts.push(readFileSync(p, "utf8"));
      }
    };
    if (existsSync(templateDir)) read(templateDir);
    const templateText = texts.join("\n");
    const templatePaths = new Set(
      [...templateText.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => (m[1] as string).slice(1)),
    );
    return { version: String(chart.version), valuesPaths, templatePaths, templateText };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether the templates read a values path: exactly, through a child, or through an ancestor
 * whose remaining keys the templates name (`get $webConfiguration "existingSecret"`).
 */
export function reads(chart: UnpackedChart, path: string): boolean {
  const refs = [...chart.templatePaths];
  if (refs.some((r) => r === path || r.startsWith(`${path}.`))) return true;
  const segments = path.split(".");
  for (let i = segments.length - 1; i > 0; i--) {
    const ancestor = segments.slice(0, i).join(".");
    if (!refs.includes(ancestor)) continue;
    // `get $x "seg"`, `index $x "seg"`, `$x.seg` or `.seg` inside a `with`.
    return segments
      .slice(i)
      .every((s) =>
        new RegExp(`(?:\\b(?:get|index)\\s[^"}]*"${s}"|\\$\\w*\\.${s}\\b|[\\s(]\\.${s}\\b)`).test(chart.templateText),
      );
  }
  return false;
}

/** Every difference between two JSON-like values, as `path: old -> new` lines. */
export function deepDiff(a: unknown, b: unknown, path = ""): string[] {
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothMaps = [a, b].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
  const bothLists = Array.isArray(a) && Array.isArray(b) && a.length === b.length;
  if (bothMaps) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) =>
      deepDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  if (bothLists) return (a as unknown[]).flatMap((x, i) => deepDiff(x, (b as unknown[])[i], `${path}[${i}]`));
  return [`${path || "(root)"}: ${show(a)} -> ${show(b)}`];
}

/** The chart's own version labels differ in every release; they are not a difference. */
function withoutVersionLabels(view: ChartView): ChartView {
  const strip = <T extends { labels: Record<string, string> } | null>(o: T): T =>
    o
      ? {
          ...o,
          labels: Object.fromEntries(
            Object.entries(o.labels).filter(([k]) => k !== "helm.sh/chart" && k !== "app.kubernetes.io/version"),
          ),
        }
      : o;
  return {
    ...view,
    service: strip(view.service),
    secrets: view.secrets.map(strip),
    serviceMonitor: strip(view.serviceMonitor),
    networkPolicy: strip(view.networkPolicy),
  };
}

export interface ChartDiffResult {
  newVersion: string;
  baseVersion: string;
  helmVersion: string;
  /** Differences that matter to the engine. */
  differences: string[];
  /** Everything else worth a glance. */
  notes: string[];
}

interface Scenario {
  name: string;
  release: string;
  namespace: string;
  values: Values;
  files?: Record<string, string>;
  expected?: ReturnType<typeof expectedOf>;
}

function scenarios(baseVersion: string): Scenario[] {
  const list: Scenario[] = [{ name: "chart defaults", release: "pushgateway", namespace: "monitoring", values: {} }];
  for (const mode of allowedModes(baseVersion)) {
    const config = cellConfig({ chartVersion: baseVersion, mode, inputs: INPUTS[1]! });
    const files = generate(config).files;
    list.push({
      name: `generated ${mode} bundle`,
      release: config.releaseName,
      namespace: config.namespace,
      values: (load(files["values.yaml"] as string, { schema: YAML11_SCHEMA }) ?? {}) as Values,
      files,
      expected: expectedOf(config),
    });
  }
  return list;
}

async function render(
  helm: Helm,
  chart: string,
  scenario: Scenario,
  withPostRenderer: boolean,
): Promise<{ output?: string; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), "pga-chart-diff-"));
  // A fresh Helm home for every render: the post-renderer plugin is installed per bundle.
  const own = new Helm(helm.major);
  try {
    const files = scenario.files ?? { "values.yaml": JSON.stringify(scenario.values) };
    if (withPostRenderer) writeBundle(files, dir);
    else writeFileSync(join(dir, "values.yaml"), files["values.yaml"] as string);
    const postRenderer = withPostRenderer ? await installPostRenderer(own, dir, files) : undefined;
    const output = await own.template({
      chart,
      release: scenario.release,
      namespace: scenario.namespace,
      valuesFiles: [join(dir, "values.yaml")],
      postRenderer,
    });
    return { output };
  } catch (error) {
    return { error: (error instanceof HelmError ? error.stderr : String(error)).trim().replace(/\s+/g, " ") };
  } finally {
    own.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const objectKeys = (rendered: string, namespace: string) =>
  renderedManifests(rendered, namespace)
    .map((m) => `${m.object.kind} ${m.object.metadata.namespace}/${m.object.metadata.name}`)
    .sort();

/** Compares a chart package with a vendored chart version. */
export async function chartDiff(
  newPackage: string,
  options: { against?: string; helm?: HelmMajor } = {},
): Promise<ChartDiffResult> {
  const versions = chartVersions();
  const baseVersion = options.against ?? (versions[versions.length - 1] as string);
  const basePackage = chartPackage(baseVersion);
  const base = unpack(basePackage);
  const next = unpack(newPackage);
  const helm = new Helm(options.helm ?? 4);
  const differences: string[] = [];
  const notes: string[] = [];
  try {
    const helmVersion = (await helm.run(["version", "--short"])).trim();

    // Values paths.
    const { profile: baseProfile } = profileFor(baseVersion);
    const { profile: nextProfile, error } = profileFor(next.version);
    if (!nextProfile) notes.push(`the engine does not accept chart ${next.version} yet: chart version ${error}`);
    else if (nextProfile.id !== baseProfile?.id)
      notes.push(
        `the engine treats ${next.version} with profile ${nextProfile.id}, ${baseVersion} with profile ${baseProfile?.id}`,
      );
    const written = new Set([...(baseProfile?.valuesPaths ?? []), ...(nextProfile?.valuesPaths ?? [])]);
    for (const path of [...written].sort()) {
      // Only what the templates read counts: values.yaml may keep a key no template uses.
      const before = reads(base, path);
      const after = reads(next, path);
      if (before && !after)
        differences.push(
          `values path ${path} (written by the engine): read by ${baseVersion}, not read by ${next.version}`,
        );
      if (!before && after)
        notes.push(`values path ${path} (written by the engine): not read by ${baseVersion}, read by ${next.version}`);
      if (!before && !after)
        differences.push(
          `values path ${path} (written by the engine): read by neither ${baseVersion} nor ${next.version}`,
        );
    }
    const added = [...next.templatePaths].filter((p) => !base.templatePaths.has(p)).sort();
    const removed = [...base.templatePaths].filter((p) => !next.templatePaths.has(p)).sort();
    for (const p of added) (isRelevant(p) ? differences : notes).push(`templates newly read .Values.${p}`);
    for (const p of removed) (isRelevant(p) ? differences : notes).push(`templates no longer read .Values.${p}`);
    const declaredAdded = [...next.valuesPaths].filter((p) => !base.valuesPaths.has(p)).sort();
    const declaredRemoved = [...base.valuesPaths].filter((p) => !next.valuesPaths.has(p)).sort();
    for (const p of declaredAdded) (isRelevant(p) ? differences : notes).push(`values.yaml newly declares ${p}`);
    for (const p of declaredRemoved) (isRelevant(p) ? differences : notes).push(`values.yaml no longer declares ${p}`);

    // Renders.
    for (const scenario of scenarios(baseVersion)) {
      const tag = `[${scenario.name}]`;
      const [before, after] = [
        await render(helm, basePackage, scenario, false),
        await render(helm, newPackage, scenario, false),
      ];
      if (before.error !== undefined || after.error !== undefined) {
        if ((before.error === undefined) !== (after.error === undefined))
          differences.push(`${tag} helm template: ${before.error ?? "renders"} -> ${after.error ?? "renders"}`);
        continue;
      }
      const [a, b] = [before.output as string, after.output as string];
      const [keysA, keysB] = [objectKeys(a, scenario.namespace), objectKeys(b, scenario.namespace)];
      for (const k of keysA.filter((k) => !keysB.includes(k)))
        differences.push(`${tag} object no longer rendered: ${k}`);
      for (const k of keysB.filter((k) => !keysA.includes(k))) differences.push(`${tag} object newly rendered: ${k}`);
      const viewDiff = deepDiff(
        withoutVersionLabels(helmView(a, scenario.namespace)),
        withoutVersionLabels(helmView(b, scenario.namespace)),
      );
      differences.push(...viewDiff.map((d) => `${tag} ${d}`));

      if (scenario.files && scenario.expected) {
        // The whole bundle (post-renderer included) on the new chart, proven like tests/real-helm does.
        const full = await render(helm, newPackage, scenario, true);
        if (full.error !== undefined)
          differences.push(`${tag} the bundle does not render on ${next.version}: ${full.error}`);
        else {
          const manifests = [
            ...renderedManifests(full.output as string, scenario.namespace),
            ...bundleManifests(scenario.files),
          ];
          const proof = proveManifests(manifests, scenario.expected);
          differences.push(...proof.problems.map((p) => `${tag} bundle on ${next.version}: ${p}`));
        }
      }
    }
    return { newVersion: next.version, baseVersion, helmVersion, differences: [...new Set(differences)], notes };
  } finally {
    helm.dispose();
  }
}

export function report(result: ChartDiffResult): string {
  const lines = [
    `chart-diff: prometheus-pushgateway ${result.newVersion} against ${result.baseVersion} (vendored), ${result.helmVersion}`,
  ];
  if (result.notes.length) lines.push("", "For information:", ...result.notes.map((n) => `  - ${n}`));
  if (result.differences.length)
    lines.push(
      "",
      `${result.differences.length} differences that matter:`,
      ...result.differences.map((d) => `  - ${d}`),
    );
  else lines.push("", "no differences that matter");
  return lines.join("\n");
}

const USAGE =
  "usage: npm run chart-diff -- path/to/prometheus-pushgateway-<version>.tgz [--against <vendored version>] [--helm 3|4]";

async function main(argv: string[]): Promise<number> {
  let file: string | undefined;
  let against: string | undefined;
  let helm: HelmMajor = 4;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--against") against = argv[++i];
    else if (arg === "--helm") {
      const major = Number(argv[++i]);
      if (major !== 3 && major !== 4) return (console.error(USAGE), 2);
      helm = major;
    } else if (arg === "--help" || arg === "-h") return (console.log(USAGE), 0);
    else if (!file && !arg.startsWith("-")) file = arg;
    else return (console.error(`unknown argument ${arg}\n${USAGE}`), 2);
  }
  if (!file || !existsSync(file)) return (console.error(file ? `no such file: ${file}\n${USAGE}` : USAGE), 2);
  if (against && !chartVersions().includes(against))
    return (console.error(`--against must be a vendored version: ${chartVersions().join(", ")}`), 2);
  const result = await chartDiff(resolve(file), { against, helm });
  console.log(report(result));
  return result.differences.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
