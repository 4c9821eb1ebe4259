/**
 * The facts every judgement starts from (chart version, release name, namespace), each with
 * where it came from: given (a CLI flag, a form field, the config a bundle is generated from),
 * or read from the chart's labels and Helm's annotations on the objects in the files.
 */
import { CHART_NAME, chartNames } from "../chart/names";
import { profileFor } from "../chart/versions";
import { dnsLabelRule } from "../config/field-rules";
import { FIELDS, type ConfigInput, type FieldName } from "../config/schema";
import { getPath, isMap, truthy, type Values } from "../values/values";
import { inputSource, objectSource, showValue, type Source } from "./evidence";
import type { InputProblem, KubeObject, SetupFiles } from "./input";

/** A fact with the source it was taken from and any other sources that say otherwise. */
export interface Fact<T> {
  value: T;
  source: Source;
  /** One source per other value found, so conflicts are never hidden. */
  alternatives: Source[];
}

export interface Candidate<T> {
  value: T;
  source: Source;
}

/** Facts the user gives besides the files (CLI flags, form fields); they win over the files. */
export type GivenFacts = Partial<ConfigInput>;

export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const NAME_LABEL = "app.kubernetes.io/name";
const CHART_LABEL = "helm.sh/chart";
const RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
const RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
const CHART_LABEL_VALUE = new RegExp(`^${CHART_NAME}-([0-9]+\\.[0-9]+\\.[0-9]+\\S*)$`);
export const MONITORING_GROUP = /^monitoring\.coreos\.com\//;

/** Picks the given value, else the first candidate; the other values become alternatives. */
export function pickFact<T>(
  field: FieldName,
  given: T | undefined,
  candidates: readonly Candidate<T>[],
  secret = false,
): Fact<T> | null {
  const all =
    given !== undefined ? [{ value: given, source: inputSource(field, given, secret) }, ...candidates] : candidates;
  const [first, ...rest] = all;
  if (!first) return null;
  const seen = new Set<string>([JSON.stringify(first.value)]);
  const alternatives: Source[] = [];
  for (const c of rest) {
    const key = JSON.stringify(c.value);
    if (seen.has(key)) continue;
    seen.add(key);
    alternatives.push(c.source);
  }
  return { value: first.value, source: first.source, alternatives };
}

/** The metadata map of an object, as far as it is well-formed. */
export function metadataOf(o: KubeObject): {
  name?: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const m = isMap(o.metadata) ? o.metadata : {};
  const strings = (v: unknown) =>
    Object.fromEntries(
      Object.entries(isMap(v) ? v : {}).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
  return {
    name: typeof m.name === "string" ? m.name : undefined,
    namespace: typeof m.namespace === "string" ? m.namespace : undefined,
    labels: strings(m.labels),
    annotations: strings(m.annotations),
  };
}

/** Rendered by this chart (any version): its `helm.sh/chart` label names the chart. */
export function isChartObject(o: KubeObject): boolean {
  return CHART_LABEL_VALUE.test(metadataOf(o).labels[CHART_LABEL] ?? "");
}

/**
 * Facts every object rendered by this chart carries: its version, release and namespace; a
 * hand-written ServiceMonitor that selects the chart's name label gives the release and
 * namespace too. `values` are the user's (nameOverride names the chart; with namespaceOverride
 * the objects' namespace is not the release's).
 */
function factCandidates(
  setup: SetupFiles,
  values: Values,
): {
  chartVersion: Candidate<string>[];
  releaseName: Candidate<string>[];
  namespace: Candidate<string>[];
} {
  const chartVersion: Candidate<string>[] = [];
  const releaseName: Candidate<string>[] = [];
  const namespace: Candidate<string>[] = [];
  // Weaker evidence, used after the annotations.
  const instances: Candidate<string>[] = [];
  const objectNamespaces: Candidate<string>[] = [];
  const nameOverride = typeof values.nameOverride === "string" ? values.nameOverride : "";
  const chartName = chartNames({ releaseName: "", nameOverride, fullnameOverride: "" }).name;
  const namespaceOverridden = truthy(values.namespaceOverride);
  for (const placed of setup.objects) {
    const o = placed.object;
    const meta = metadataOf(o);
    const label = meta.labels[CHART_LABEL];
    const version = label ? CHART_LABEL_VALUE.exec(label)?.[1] : undefined;
    const src = (path: (string | number)[], value: unknown) => objectSource(setup, placed, path, value);
    if (version) {
      chartVersion.push({ value: version, source: src(["metadata", "labels", CHART_LABEL], label) });
      const release = meta.annotations[RELEASE_NAME_ANNOTATION];
      if (release)
        releaseName.push({
          value: release,
          source: src(["metadata", "annotations", RELEASE_NAME_ANNOTATION], release),
        });
      const instance = meta.labels[INSTANCE_LABEL];
      if (instance) instances.push({ value: instance, source: src(["metadata", "labels", INSTANCE_LABEL], instance) });
      const ns = meta.annotations[RELEASE_NAMESPACE_ANNOTATION];
      if (ns) namespace.push({ value: ns, source: src(["metadata", "annotations", RELEASE_NAMESPACE_ANNOTATION], ns) });
      // The ServiceMonitor and its Secret live in serviceMonitor.namespace, not the release's.
      if (
        meta.namespace &&
        !namespaceOverridden &&
        o.kind !== "ServiceMonitor" &&
        !(meta.name ?? "").endsWith("-basic-auth")
      ) {
        objectNamespaces.push({ value: meta.namespace, source: src(["metadata", "namespace"], meta.namespace) });
      }
    } else if (o.kind === "ServiceMonitor" && MONITORING_GROUP.test(o.apiVersion)) {
      // A hand-written ServiceMonitor for Pushgateway selects the chart's name and the release;
      // one for another app (`kubectl get servicemonitor -A`) selects another name.
      const labels = getPath(o, "spec.selector.matchLabels");
      if (!isMap(labels) || labels[NAME_LABEL] !== chartName) continue;
      const instance = labels[INSTANCE_LABEL];
      if (typeof instance === "string") {
        instances.push({ value: instance, source: src(["spec", "selector", "matchLabels", INSTANCE_LABEL], instance) });
      }
      const names = getPath(o, "spec.namespaceSelector.matchNames");
      if (Array.isArray(names) && names.length === 1 && typeof names[0] === "string" && !namespaceOverridden) {
        objectNamespaces.push({
          value: names[0],
          source: src(["spec", "namespaceSelector", "matchNames", 0], names[0]),
        });
      }
    }
  }
  return {
    chartVersion,
    releaseName: [...releaseName, ...instances],
    namespace: [...namespace, ...objectNamespaces],
  };
}

/** The three facts every judgement needs. */
export interface ReleaseFacts {
  chartVersion: Fact<string>;
  releaseName: Fact<string>;
  namespace: Fact<string>;
}

/**
 * Picks the chart version, release name and namespace: given ones win, else the files' (unless
 * `readFiles` is false: a generated bundle's files are made from the given facts). The
 * problems name each fact that is missing or invalid, and where its value came from.
 */
export function resolveFacts(
  setup: SetupFiles,
  values: Values,
  given: GivenFacts,
  readFiles = true,
): { ok: true; facts: ReleaseFacts } | { ok: false; problems: InputProblem[] } {
  const found = readFiles ? factCandidates(setup, values) : { chartVersion: [], releaseName: [], namespace: [] };
  const problems: InputProblem[] = [];
  const fact = (field: "chartVersion" | "releaseName" | "namespace", what: string): Fact<string> | null => {
    const value = given[field];
    const picked = pickFact(field, typeof value === "string" ? value : undefined, found[field]);
    if (!picked) problems.push({ file: null, field, message: `${FIELDS[field].label} is not in the files (${what})` });
    return picked;
  };
  const chartVersion = fact("chartVersion", `no ${CHART_LABEL} label of ${CHART_NAME}`);
  const releaseName = fact("releaseName", `no ${RELEASE_NAME_ANNOTATION} annotation or ${INSTANCE_LABEL} label`);
  const namespace = fact("namespace", `no ${RELEASE_NAMESPACE_ANNOTATION} annotation or namespace of a chart object`);
  const where = (f: Fact<string>) =>
    f.source.kind === "input"
      ? ""
      : ` (from ${f.source.kind === "file" ? `${f.source.file} ${f.source.path}` : "the chart"})`;
  // A version older than webConfiguration is a finding (chart-version-unsupported), not bad input.
  const lookup = chartVersion ? profileFor(chartVersion.value) : null;
  if (chartVersion && lookup?.error && lookup.reason !== "too-old") {
    problems.push({
      file: null,
      field: "chartVersion",
      message: `${FIELDS.chartVersion.label} ${lookup.error}${where(chartVersion)}`,
    });
  }
  for (const [f, max] of [
    [releaseName, 53],
    [namespace, 63],
  ] as const) {
    const rule = f ? dnsLabelRule(f.value, max) : null;
    if (f && rule) {
      const field: FieldName = f === releaseName ? "releaseName" : "namespace";
      problems.push({ file: null, field, message: `${FIELDS[field].label} ${rule}${where(f)}: ${showValue(f.value)}` });
    }
  }
  if (problems.length || !chartVersion || !releaseName || !namespace) {
    return { ok: false, problems };
  }
  return { ok: true, facts: { chartVersion, releaseName, namespace } };
}
