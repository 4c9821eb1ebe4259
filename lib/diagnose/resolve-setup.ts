/**
 * Turns the pasted files into one picture of the cluster: the facts (chart version, release,
 * namespace) with where each came from, the values Helm would use, what the chart renders
 * from them, and the live objects that stand beside or in place of the rendered ones.
 */
import { CHART_DEFAULTS, getPath, isMap, truthy, type Values } from "../chart/render";
import {
  compareVersions,
  OLDEST_SUPPORTED_CHART_VERSION,
  parseVersion,
  profileFor,
  type ChartProfile,
} from "../chart/versions";
import { dnsLabelRule } from "../config/field-rules";
import { FIELDS, type ConfigInput, type FieldName } from "../config/schema";
import {
  buildClusterView,
  renderChartShape,
  webConfigState,
  type ClusterView,
  type Placed,
  type WebConfigState,
} from "../engine/cluster-view";
import type { Secret, Service, ServiceMonitor } from "../k8s/types";
import { chartDefaultSource, fileSource, inputSource, showValue, type Source } from "./evidence";
import {
  readSetupFiles,
  type FileOrigin,
  type IgnoredDocument,
  type InputFile,
  type InputProblem,
  type KubeObject,
  type SetupFiles,
} from "./read-setup";

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

export const CHART_LABEL = "helm.sh/chart";
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const NAME_LABEL = "app.kubernetes.io/name";
export const RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
export const RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
const CHART_LABEL_VALUE = /^prometheus-pushgateway-([0-9]+\.[0-9]+\.[0-9]+\S*)$/;
const WEB_CONFIG_FLAG = "--web.config.file";
const MONITORING_GROUP = /^monitoring\.coreos\.com\//;

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

/** Rendered by this chart (any version): its `helm.sh/chart` label names prometheus-pushgateway. */
export function isChartObject(o: KubeObject): boolean {
  return CHART_LABEL_VALUE.test(metadataOf(o).labels[CHART_LABEL] ?? "");
}

type ValuesPath = string | readonly (string | number)[];

function keysOf(path: ValuesPath): readonly (string | number)[] {
  return typeof path === "string" ? path.split(".") : path;
}

/** The value at `path` and whether the path exists (a null value counts as set). */
function lookup(values: unknown, path: ValuesPath): { found: boolean; value: unknown } {
  let node = values;
  for (const key of keysOf(path)) {
    if (Array.isArray(node) && typeof key === "number" && key < node.length) node = node[key];
    else if (isMap(node) && Object.hasOwn(node, String(key))) node = node[String(key)];
    else return { found: false, value: undefined };
  }
  return { found: true, value: node };
}

/** Helm's merge of several `-f` files: maps merge, anything else (null included) replaces. */
function mergeUserValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeUserValues(out[key] as Values, value) : value;
  }
  return out;
}

/** Where Pushgateway's web config comes from when the user mounts it through extraArgs. */
export interface ExtraArgsWebConfig {
  /** Index in extraArgs of the `--web.config.file` flag. */
  argIndex: number;
  filePath: string;
  /** The Secret and key behind the file, when extraVolumes and extraVolumeMounts say. */
  secret: { secretName: string; key: string; volumeIndex: number; mountIndex: number } | null;
}

function extraArgsWebConfig(values: Values): ExtraArgsWebConfig | null {
  const args = values.extraArgs;
  if (!Array.isArray(args)) return null;
  let argIndex = -1;
  let filePath = "";
  args.forEach((arg: unknown, i: number) => {
    if (argIndex >= 0 || typeof arg !== "string") return;
    if (arg.startsWith(`${WEB_CONFIG_FLAG}=`)) [argIndex, filePath] = [i, arg.slice(WEB_CONFIG_FLAG.length + 1)];
    else if (arg === WEB_CONFIG_FLAG && typeof args[i + 1] === "string") [argIndex, filePath] = [i, args[i + 1]];
  });
  if (argIndex < 0) return null;
  const mounts = Array.isArray(values.extraVolumeMounts) ? values.extraVolumeMounts : [];
  const volumes = Array.isArray(values.extraVolumes) ? values.extraVolumes : [];
  const mountIndex = mounts.findIndex(
    (m: unknown) =>
      isMap(m) && typeof m.mountPath === "string" && filePath.startsWith(`${m.mountPath.replace(/\/$/, "")}/`),
  );
  const mount = mounts[mountIndex] as Values | undefined;
  const volumeIndex = mount ? volumes.findIndex((v: unknown) => isMap(v) && v.name === mount.name) : -1;
  const secretName = getPath(volumes[volumeIndex], "secret.secretName");
  if (!mount || typeof secretName !== "string") return { argIndex, filePath, secret: null };
  const file = filePath.slice(String(mount.mountPath).replace(/\/$/, "").length + 1);
  const items = getPath(volumes[volumeIndex], "secret.items");
  const item = Array.isArray(items) ? items.find((it: unknown) => isMap(it) && it.path === file) : undefined;
  const key = isMap(item) && typeof item.key === "string" ? item.key : file;
  return { argIndex, filePath, secret: { secretName, key, volumeIndex, mountIndex } };
}

/** How Pushgateway is told to require basic auth. */
export type AuthSource =
  | { kind: "chart" }
  | { kind: "existing-secret" }
  | { kind: "extra-args"; config: ExtraArgsWebConfig }
  | { kind: "none" };

export interface ResolvedSetup {
  setup: SetupFiles;
  given: GivenFacts;
  chartVersion: Fact<string>;
  releaseName: Fact<string>;
  namespace: Fact<string>;
  /** Null for a chart older than the first with webConfiguration. */
  profile: ChartProfile | null;
  /** The user's values, all values documents merged in the order given. */
  values: Values;
  /** The view of the cluster; null when the profile is. */
  view: ClusterView | null;
  auth: AuthSource;
  /** A `--web.config.file` in extraArgs, whether or not webConfiguration is set too. */
  extraArgs: ExtraArgsWebConfig | null;
  webConfig: WebConfigState | null;
  prometheuses: Placed<KubeObject>[];
  /** Objects of kinds the diagnosis does not read, and documents that are neither values nor objects. */
  ignored: IgnoredDocument[];
}

export type ResolveResult =
  { ok: true; resolved: ResolvedSetup } | { ok: false; problems: InputProblem[]; setup: SetupFiles | null };

/** Evidence for a values path: the last values document that sets it, else the chart's default. */
export function valueSource(
  resolved: Pick<ResolvedSetup, "setup" | "chartVersion">,
  path: ValuesPath,
  secret = false,
): Source {
  const keys = keysOf(path);
  const docs = resolved.setup.values;
  for (let i = docs.length - 1; i >= 0; i--) {
    const doc = docs[i] as (typeof docs)[number];
    const hit = lookup(doc.values, keys);
    if (hit.found) {
      const origin: FileOrigin = { kind: "file", file: doc.file, document: doc.document, path: [] };
      return fileSource(resolved.setup, origin, keys, hit.value, secret);
    }
  }
  const fallback = secret ? undefined : lookup(CHART_DEFAULTS, keys).value;
  return chartDefaultSource(keys.join("."), resolved.chartVersion.value, fallback);
}

function objectSource(
  setup: SetupFiles,
  placed: Placed<KubeObject>,
  path: (string | number)[],
  value: unknown,
): Source {
  return fileSource(setup, placed.origin as FileOrigin, path, value);
}

/** Facts every object rendered by this chart carries: its version, release and namespace. */
export function factCandidates(setup: SetupFiles): {
  chartVersion: Candidate<string>[];
  releaseName: Candidate<string>[];
  namespace: Candidate<string>[];
} {
  const chartVersion: Candidate<string>[] = [];
  const releaseName: Candidate<string>[] = [];
  const namespace: Candidate<string>[] = [];
  const late: Candidate<string>[][] = [[], []];
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
      if (instance) late[0]?.push({ value: instance, source: src(["metadata", "labels", INSTANCE_LABEL], instance) });
      const ns = meta.annotations[RELEASE_NAMESPACE_ANNOTATION];
      if (ns) namespace.push({ value: ns, source: src(["metadata", "annotations", RELEASE_NAMESPACE_ANNOTATION], ns) });
      // The ServiceMonitor and its Secret live in serviceMonitor.namespace, not the release's.
      if (meta.namespace && o.kind !== "ServiceMonitor" && !(meta.name ?? "").endsWith("-basic-auth")) {
        late[1]?.push({ value: meta.namespace, source: src(["metadata", "namespace"], meta.namespace) });
      }
    } else if (o.kind === "ServiceMonitor" && MONITORING_GROUP.test(o.apiVersion)) {
      // A hand-written ServiceMonitor for Pushgateway names the release in its selector.
      const labels = getPath(o, "spec.selector.matchLabels");
      const instance = isMap(labels) ? labels[INSTANCE_LABEL] : undefined;
      if (isMap(labels) && typeof labels[NAME_LABEL] === "string" && typeof instance === "string") {
        late[0]?.push({ value: instance, source: src(["spec", "selector", "matchLabels", INSTANCE_LABEL], instance) });
      }
      const names = getPath(o, "spec.namespaceSelector.matchNames");
      if (
        Array.isArray(names) &&
        names.length === 1 &&
        typeof names[0] === "string" &&
        isMap(labels) &&
        labels[NAME_LABEL]
      ) {
        late[1]?.push({ value: names[0], source: src(["spec", "namespaceSelector", "matchNames", 0], names[0]) });
      }
    }
  }
  return {
    chartVersion,
    releaseName: [...releaseName, ...(late[0] ?? [])],
    namespace: [...namespace, ...(late[1] ?? [])],
  };
}

function isPlacedKind(kind: string, group: RegExp | null) {
  return (p: Placed<KubeObject>) =>
    p.object.kind === kind && (group ? group.test(p.object.apiVersion) : p.object.apiVersion === "v1");
}

const VIEW_KINDS = [
  isPlacedKind("Secret", null),
  isPlacedKind("Service", null),
  isPlacedKind("ServiceMonitor", MONITORING_GROUP),
];
const isPrometheus = isPlacedKind("Prometheus", MONITORING_GROUP);

/** Resolves the facts, the values and the cluster view; never throws. */
export function resolveSetup(files: readonly InputFile[], given: GivenFacts = {}): ResolveResult {
  const read = readSetupFiles(files);
  if (!read.ok) return { ok: false, problems: read.problems, setup: null };
  const setup = read.setup;
  const found = factCandidates(setup);
  const problems: InputProblem[] = [];
  const fact = (field: "chartVersion" | "releaseName" | "namespace", what: string): Fact<string> | null => {
    const value = given[field];
    const picked = pickFact(field, typeof value === "string" ? value : undefined, found[field]);
    if (!picked) problems.push({ file: null, field, message: `${FIELDS[field].label} is not in the files (${what})` });
    return picked;
  };
  const chartVersion = fact("chartVersion", `no ${CHART_LABEL} label of prometheus-pushgateway`);
  const releaseName = fact("releaseName", `no ${RELEASE_NAME_ANNOTATION} annotation or ${INSTANCE_LABEL} label`);
  const namespace = fact("namespace", `no ${RELEASE_NAMESPACE_ANNOTATION} annotation or namespace of a chart object`);
  const where = (f: Fact<string>) =>
    f.source.kind === "input"
      ? ""
      : ` (from ${f.source.kind === "file" ? `${f.source.file} ${f.source.path}` : "the chart"})`;
  if (chartVersion && !parseVersion(chartVersion.value)) {
    problems.push({
      file: null,
      field: "chartVersion",
      message: `${FIELDS.chartVersion.label} ${profileFor(chartVersion.value).error}${where(chartVersion)}`,
    });
  } else if (
    chartVersion &&
    compareVersions(chartVersion.value, OLDEST_SUPPORTED_CHART_VERSION) >= 0 &&
    profileFor(chartVersion.value).error
  ) {
    problems.push({
      file: null,
      field: "chartVersion",
      message: `${FIELDS.chartVersion.label} ${profileFor(chartVersion.value).error}${where(chartVersion)}`,
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
    return { ok: false, problems, setup };
  }

  const values = setup.values.reduce<Values>((acc, doc) => mergeUserValues(acc, doc.values), {});
  const profile = profileFor(chartVersion.value).profile;
  const prometheuses = setup.objects.filter(isPrometheus);
  const usable = (p: Placed<KubeObject>) => {
    const meta = metadataOf(p.object);
    return meta.name !== undefined && meta.namespace !== undefined;
  };
  const ignored: IgnoredDocument[] = [...setup.ignored];
  const viewObjects: Placed<Secret | ServiceMonitor | Service>[] = [];
  for (const p of setup.objects) {
    const known = VIEW_KINDS.some((is) => is(p)) || isPrometheus(p);
    if (!known) {
      if (!isChartObject(p.object))
        ignored.push({ origin: p.origin as FileOrigin, reason: `a ${p.object.kind} is not read by the diagnosis` });
      continue;
    }
    if (!usable(p)) {
      ignored.push({
        origin: p.origin as FileOrigin,
        reason: `the ${p.object.kind} has no metadata.name or metadata.namespace`,
      });
      continue;
    }
    if (!isPrometheus(p)) viewObjects.push(p as unknown as Placed<Secret | ServiceMonitor | Service>);
  }

  let view: ClusterView | null = null;
  let auth: AuthSource = { kind: "none" };
  let webConfig: WebConfigState | null = null;
  const extra = extraArgsWebConfig(values);
  if (profile) {
    const chart = renderChartShape({
      profile,
      chartVersion: chartVersion.value,
      releaseName: releaseName.value,
      releaseNamespace: namespace.value,
      values,
    });
    view = buildClusterView({ profile, values, chart, objects: viewObjects, live: true });
    if (truthy(values.webConfiguration)) {
      const existing =
        profile.webConfig === "existing-secret" && truthy(getPath(values, "webConfiguration.existingSecret.name"));
      auth = { kind: existing ? "existing-secret" : "chart" };
      webConfig = webConfigState(view);
    } else if (extra) {
      auth = { kind: "extra-args", config: extra };
      webConfig = extra.secret ? webConfigState(view, extra.secret) : null;
    }
  }
  return {
    ok: true,
    resolved: {
      setup,
      given,
      chartVersion,
      releaseName,
      namespace,
      profile,
      values,
      view,
      auth,
      extraArgs: extra,
      webConfig,
      prometheuses,
      ignored,
    },
  };
}
