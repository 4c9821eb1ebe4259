/**
 * Turns the pasted files into one picture of the cluster: the facts (chart version, release,
 * namespace) with where each came from, the values Helm would use, what the chart renders
 * from them, and the live objects that stand beside or in place of the rendered ones.
 */
import { CHART_NAME, chartNames } from "../chart/names";
import { CHART_DEFAULTS } from "../chart/render";
import { getPath, isMap, truthy, type Values } from "../values/values";
import {
  compareVersions,
  OLDEST_SUPPORTED_CHART_VERSION,
  parseVersion,
  profileFor,
  type ChartProfile,
} from "../chart/versions";
import { dnsLabelRule } from "../config/field-rules";
import { FIELDS, type ConfigInput, type FieldName } from "../config/schema";
import { WEB_CONFIG_FLAG, WEB_CONFIG_KEY } from "../chart/web-config";
import {
  buildClusterView,
  renderChartShape,
  secretValue,
  webConfigState,
  type ClusterView,
  type Placed,
  type WebConfigState,
} from "../engine/cluster-view";
import type { Secret, Service, ServiceMonitor } from "../k8s/types";
import { chartDefaultSource, fileSource, inputSource, objectSource, showValue, type Source } from "./evidence";
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

export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const NAME_LABEL = "app.kubernetes.io/name";
const CHART_LABEL = "helm.sh/chart";
const RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
const RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
const CHART_LABEL_VALUE = new RegExp(`^${CHART_NAME}-([0-9]+\\.[0-9]+\\.[0-9]+\\S*)$`);
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

/** Rendered by this chart (any version): its `helm.sh/chart` label names the chart. */
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

/** The file `--web.config.file` names, and the Secret mounted there (extraArgs and extraVolumes, or a pod's own). */
interface MountedWebConfig {
  /** Index in the args of the `--web.config.file` flag. */
  argIndex: number;
  filePath: string;
  /** The Secret and key behind the file, when the volumes and volume mounts say. */
  secret: { secretName: string; key: string; volumeIndex: number; mountIndex: number } | null;
}

/**
 * The file `--web.config.file` names in `args`, and the Secret key mounted there: a directory
 * mount holding the file (the key is the file's name, or the `items` entry with that path), or
 * a single-file `subPath` mount at exactly that path (the key is the subPath, or the `items`
 * entry with that path). Indices are into the three lists as given.
 */
function mountedWebConfig(args: unknown, mounts: unknown, volumes: unknown): MountedWebConfig | null {
  if (!Array.isArray(args)) return null;
  let argIndex = -1;
  let filePath = "";
  args.forEach((arg: unknown, i: number) => {
    if (argIndex >= 0 || typeof arg !== "string") return;
    if (arg.startsWith(`${WEB_CONFIG_FLAG}=`)) [argIndex, filePath] = [i, arg.slice(WEB_CONFIG_FLAG.length + 1)];
    else if (arg === WEB_CONFIG_FLAG && typeof args[i + 1] === "string") [argIndex, filePath] = [i, args[i + 1]];
  });
  if (argIndex < 0) return null;
  const mountList: unknown[] = Array.isArray(mounts) ? mounts : [];
  const volumeList: unknown[] = Array.isArray(volumes) ? volumes : [];
  // The path inside the volume that appears as filePath through this mount, if it does.
  const pathInVolume = (m: unknown): string | null => {
    if (!isMap(m) || typeof m.mountPath !== "string") return null;
    const dir = m.mountPath.replace(/\/$/, "");
    const subPath = typeof m.subPath === "string" && m.subPath !== "" ? m.subPath : null;
    if (subPath !== null) return m.mountPath === filePath ? subPath : null;
    return filePath.startsWith(`${dir}/`) ? filePath.slice(dir.length + 1) : null;
  };
  const mountIndex = mountList.findIndex((m) => pathInVolume(m) !== null);
  const mount = mountList[mountIndex] as Values | undefined;
  const volumeIndex = mount ? volumeList.findIndex((v) => isMap(v) && v.name === mount.name) : -1;
  const secretName = getPath(volumeList[volumeIndex], "secret.secretName");
  if (!mount || typeof secretName !== "string") return { argIndex, filePath, secret: null };
  const file = pathInVolume(mount) as string;
  const items = getPath(volumeList[volumeIndex], "secret.items");
  const item = Array.isArray(items) ? items.find((it: unknown) => isMap(it) && it.path === file) : undefined;
  const key = isMap(item) && typeof item.key === "string" ? item.key : file;
  return { argIndex, filePath, secret: { secretName, key, volumeIndex, mountIndex } };
}

/** How Pushgateway is told to require basic auth. */
type AuthSource =
  /** webConfiguration.basicAuthUsers: the chart renders the web config. */
  | { kind: "chart" }
  /** webConfiguration.existingSecret (charts that read it). */
  | { kind: "existing-secret" }
  /** `--web.config.file` in extraArgs; {@link ResolvedSetup.extraArgs} says where. */
  | { kind: "extra-args" }
  /** No values pasted: the web config Secret the pasted objects show; `evidence` is where its name shows. */
  | { kind: "pasted"; evidence: Source }
  /** No values pasted, and nothing pasted shows which Secret Pushgateway mounts. */
  | { kind: "unknown" }
  /** Basic auth is off: from the values (`evidence` null), or from a pasted Deployment's args. */
  | { kind: "none"; evidence: Source | null };

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
  /** False when no values document is pasted: the chart's defaults are then not known to apply. */
  valuesKnown: boolean;
  /** The view of the cluster; null when the profile is. */
  view: ClusterView | null;
  auth: AuthSource;
  /** A `--web.config.file` in extraArgs, whether or not webConfiguration is set too. */
  extraArgs: MountedWebConfig | null;
  webConfig: WebConfigState | null;
  prometheuses: Placed<KubeObject>[];
  /** Objects of kinds the diagnosis does not read, and documents that are neither values nor objects. */
  ignored: IgnoredDocument[];
}

type ResolveResult =
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
const WORKLOAD_GROUP = /^apps\//;
const isWorkload = (p: Placed<KubeObject>) =>
  (p.object.kind === "Deployment" || p.object.kind === "StatefulSet") && WORKLOAD_GROUP.test(p.object.apiVersion);

/**
 * Without values, only pasted objects tell how Pushgateway requires a password: the chart's
 * Deployment (its container's `--web.config.file` and the Secret mounted there, such as the
 * existingSecret), else the chart's own web config Secret (named fullname, key web-config.yaml).
 */
function pastedAuth(setup: SetupFiles, view: ClusterView): { auth: AuthSource; webConfig: WebConfigState | null } {
  const workload = setup.objects.find((p) => isWorkload(p) && isChartObject(p.object));
  if (workload) {
    const pod = getPath(workload.object, "spec.template.spec");
    const containers = getPath(pod, "containers");
    const list: unknown[] = Array.isArray(containers) ? containers : [];
    // The chart's container is named pushgateway; extraContainers may come first.
    const index = Math.max(
      0,
      list.findIndex((c) => isMap(c) && c.name === "pushgateway"),
    );
    const container = list[index];
    const containerPath = ["spec", "template", "spec", "containers", index];
    const args = getPath(container, "args");
    const mounted = mountedWebConfig(args, getPath(container, "volumeMounts"), getPath(pod, "volumes"));
    if (!mounted) {
      return {
        auth: { kind: "none", evidence: objectSource(setup, workload, [...containerPath, "args"], args) },
        webConfig: null,
      };
    }
    if (mounted.secret) {
      const { secretName, key, volumeIndex } = mounted.secret;
      const evidence = objectSource(
        setup,
        workload,
        ["spec", "template", "spec", "volumes", volumeIndex, "secret", "secretName"],
        secretName,
      );
      return { auth: { kind: "pasted", evidence }, webConfig: webConfigState(view, { secretName, key }) };
    }
  }
  const own = view.secrets.find(
    (s) =>
      s.origin.kind === "file" &&
      s.object.metadata?.name === view.chart.fullname &&
      s.object.metadata?.namespace === view.chart.namespace &&
      secretValue(s.object, WEB_CONFIG_KEY) !== undefined,
  );
  if (own) {
    const evidence = objectSource(setup, own, ["metadata", "name"], view.chart.fullname);
    return {
      auth: { kind: "pasted", evidence },
      webConfig: webConfigState(view, { secretName: view.chart.fullname, key: WEB_CONFIG_KEY }),
    };
  }
  return { auth: { kind: "unknown" }, webConfig: null };
}

/** Resolves the facts, the values and the cluster view; never throws. */
export function resolveSetup(files: readonly InputFile[], given: GivenFacts = {}): ResolveResult {
  const read = readSetupFiles(files);
  if (!read.ok) return { ok: false, problems: read.problems, setup: null };
  const setup = read.setup;
  const values = setup.values.reduce<Values>((acc, doc) => mergeUserValues(acc, doc.values), {});
  const found = factCandidates(setup, values);
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

  const valuesKnown = setup.values.length > 0;
  let view: ClusterView | null = null;
  let auth: AuthSource = { kind: "none", evidence: null };
  let webConfig: WebConfigState | null = null;
  const extraArgs = mountedWebConfig(values.extraArgs, values.extraVolumeMounts, values.extraVolumes);
  if (profile) {
    const chart = renderChartShape({
      profile,
      chartVersion: chartVersion.value,
      releaseName: releaseName.value,
      releaseNamespace: namespace.value,
      values,
    });
    view = buildClusterView({ values, chart, objects: viewObjects, live: true });
    if (!valuesKnown) {
      ({ auth, webConfig } = pastedAuth(setup, view));
    } else if (truthy(values.webConfiguration)) {
      const existing =
        profile.webConfig === "existing-secret" && truthy(getPath(values, "webConfiguration.existingSecret.name"));
      auth = { kind: existing ? "existing-secret" : "chart" };
      webConfig = webConfigState(view);
    } else if (extraArgs) {
      auth = { kind: "extra-args" };
      webConfig = extraArgs.secret ? webConfigState(view, extraArgs.secret) : null;
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
      valuesKnown,
      view,
      auth,
      extraArgs,
      webConfig,
      prometheuses,
      ignored,
    },
  };
}
