/**
 * What the cluster holds once the chart is installed from a values file next to other objects
 * (a generated bundle, or what a user copied out of their cluster), and the questions both the
 * bundle checks and the diagnosis ask of it: which Secret is the web config, which
 * ServiceMonitors select the Service, what their basicAuth resolves to, whether the
 * credentials agree. Answers are data; callers word them.
 */
import { renderChart, type ChartRenderInput, type RenderedChart } from "../chart/render";
import { isMap, type Values } from "../values/values";
import { CHART_HASH_PLACEHOLDER, readWebConfig, WEB_CONFIG_KEY } from "../chart/web-config";
import { goTrimSpace } from "../config/field-rules";
import type { BasicAuth, JsonPatchOperation, Secret, SecretKeySelector, Service, ServiceMonitor } from "../k8s/types";
import type { YamlPath } from "../yaml/path";

/** Where an object of the view comes from: rendered by the chart, or read from a file. */
export type Origin =
  | { kind: "chart" }
  | {
      kind: "file";
      file: string;
      /** Index of the YAML document in the file. */
      document: number;
      /** Path of the object inside that document (`[]`, or `["items", 2]` in a List). */
      path: YamlPath;
    };

export interface Placed<T> {
  object: T;
  origin: Origin;
}

export interface ClusterView {
  /** The values file as written (not coalesced with the chart's defaults). */
  values: Values;
  /** What the chart renders; `chart.namespace` is where it installs (namespaceOverride or the release's). */
  chart: RenderedChart;
  /** The Service Prometheus scrapes: the chart's, or the live one with its name. */
  service: Placed<Service>;
  secrets: Placed<Secret>[];
  serviceMonitors: Placed<ServiceMonitor>[];
}

/** Renders the chart's structure; the web config's hash is a placeholder (the chart's is random). */
export function renderChartShape(input: Omit<ChartRenderInput, "hashPassword">): RenderedChart {
  return renderChart({ ...input, hashPassword: () => CHART_HASH_PLACEHOLDER });
}

interface ClusterViewInput {
  values: Values;
  /** The chart as rendered from `values` (its ServiceMonitor already patched, if a patch applies). */
  chart: RenderedChart;
  /** Objects next to the chart's. */
  objects: Placed<Secret | ServiceMonitor | Service>[];
  /**
   * True when `objects` were read from the cluster: one with the kind, namespace and name of an
   * object the chart renders is that object as it is now (patched by a post-renderer, say) and
   * replaces the rendered one. A bundle's objects are applied beside the chart's instead.
   */
  live?: boolean;
}

function sameObject(a: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }, b: typeof a): boolean {
  return (
    a.kind === b.kind &&
    a.metadata?.name === b.metadata?.name &&
    (a.metadata?.namespace ?? "") === (b.metadata?.namespace ?? "")
  );
}

/** Puts the chart's objects and the others together. */
export function buildClusterView(input: ClusterViewInput): ClusterView {
  const { chart } = input;
  const others = [...input.objects];
  const take = <T extends Secret | ServiceMonitor | Service>(rendered: T): Placed<T> => {
    const index = input.live ? others.findIndex((o) => sameObject(o.object, rendered)) : -1;
    if (index < 0) return { object: rendered, origin: { kind: "chart" } };
    const [live] = others.splice(index, 1);
    return live as Placed<T>;
  };
  const service = take(chart.service);
  const chartSecrets = chart.secrets.map(take);
  const chartMonitor = chart.serviceMonitor ? take(chart.serviceMonitor) : null;
  const secrets = others.filter((o): o is Placed<Secret> => o.object.kind === "Secret");
  const monitors = others.filter((o): o is Placed<ServiceMonitor> => o.object.kind === "ServiceMonitor");
  return {
    values: input.values,
    chart,
    service,
    secrets: [...secrets, ...chartSecrets],
    serviceMonitors: chartMonitor ? [chartMonitor, ...monitors] : monitors,
  };
}

/**
 * Keys of Secrets produced by a SealedSecret or an ExternalSecret (lib/rules/secret-source-rules.ts):
 * the key is there, its value is not known until the controller makes the Secret.
 */
const unknownValues = new WeakMap<object, ReadonlySet<string>>();

export function markValuesUnknown(secret: Secret, keys: Iterable<string>): Secret {
  unknownValues.set(secret, new Set(keys));
  return secret;
}

/** Whether `key` of `secret` is there with a value only its controller knows. */
export function valueUnknown(secret: Secret, key: string): boolean {
  return unknownValues.get(secret)?.has(key) ?? false;
}

/** Reads one key of a Secret from stringData or base64 data. */
export function secretValue(secret: Secret, key: string): string | undefined {
  if (valueUnknown(secret, key)) return undefined;
  const plain = secret.stringData?.[key];
  if (typeof plain === "string") return plain;
  const encoded = secret.data?.[key];
  if (typeof encoded !== "string") return undefined;
  try {
    const binary = atob(encoded);
    return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The path of `key` in a Secret as {@link secretValue} reads it: stringData first, else data. */
export function secretKeyPath(secret: Secret, key: string): string[] {
  return [isMap(secret.stringData) && typeof secret.stringData[key] === "string" ? "stringData" : "data", key];
}

/** The Secret named `name` in `namespace`, where the kubelet and the Operator look for it. */
function findSecret(secrets: readonly Placed<Secret>[], name: string, namespace: string): Placed<Secret> | undefined {
  return secrets.find((s) => s.object.metadata?.name === name && (s.object.metadata?.namespace ?? "") === namespace);
}

/** Applies RFC 6902 `add` operations (all the engine emits) to a copy of `doc`. */
export function applyJsonPatch<T>(doc: T, ops: JsonPatchOperation[]): T {
  const copy = structuredClone(doc) as unknown;
  for (const op of ops) {
    if (op.op !== "add") throw new Error(`unsupported patch operation "${String(op.op)}"`);
    const keys = op.path
      .split("/")
      .slice(1)
      .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = keys.pop();
    let node: unknown = copy;
    for (const key of keys) {
      node = Array.isArray(node) ? node[Number(key)] : isMap(node) ? node[key] : undefined;
      if (node === undefined) throw new Error(`patch path ${op.path} does not exist`);
    }
    if (last === undefined || typeof node !== "object" || node === null) throw new Error(`bad patch path ${op.path}`);
    if (Array.isArray(node)) node.splice(last === "-" ? node.length : Number(last), 0, op.value);
    else (node as Record<string, unknown>)[last] = op.value;
  }
  return copy as T;
}

/** Whether the namespace part of a ServiceMonitor's selection admits `namespace`. */
export function namespaceSelected(sm: ServiceMonitor, namespace: string): boolean {
  const ns = sm.spec?.namespaceSelector;
  // No namespaceSelector (or an empty one) means the ServiceMonitor's own namespace only.
  if (ns?.any === true) return true;
  if (Array.isArray(ns?.matchNames) && ns.matchNames.length > 0) return ns.matchNames.includes(namespace);
  return (sm.metadata?.namespace ?? "") === namespace;
}

/** The labels of `selector.matchLabels` that `labels` lacks or holds with another value. */
export function unmatchedLabels(
  wanted: Record<string, unknown> | undefined,
  labels: Record<string, unknown> | undefined,
): [string, string][] {
  return Object.entries(isMap(wanted) ? wanted : {})
    .filter(([k, v]) => (isMap(labels) ? labels[k] : undefined) !== v)
    .map(([k, v]) => [k, String(v)]);
}

/** Whether the Prometheus Operator would take `service` (in `namespace`) as a target of `sm`. */
export function selects(sm: ServiceMonitor, service: Service, namespace: string): boolean {
  return (
    namespaceSelected(sm, namespace) &&
    unmatchedLabels(sm.spec?.selector?.matchLabels, service.metadata.labels).length === 0
  );
}

/** The ServiceMonitors that select the view's Service, in view order. */
export function targetingMonitors(view: ClusterView): Placed<ServiceMonitor>[] {
  return view.serviceMonitors.filter((sm) => selects(sm.object, view.service.object, view.chart.namespace));
}

export interface WebConfigState {
  /** Secret mounted as the web config, or null when basic auth is off. */
  secretName: string | null;
  /** Key of that Secret Pushgateway reads. */
  key: string;
  namespace: string;
  secret: Placed<Secret> | undefined;
  text: string | undefined;
  /** Users and hashes Pushgateway loads; null when the file is missing or unreadable. */
  users: Map<string, string> | null;
  /** Why Pushgateway would refuse the file. */
  error: string | null;
}

/**
 * The web config Pushgateway loads: from the chart (webConfiguration), or from `source` when
 * the caller found it mounted some other way.
 */
export function webConfigState(view: ClusterView, source?: { secretName: string; key: string }): WebConfigState {
  const secretName = source?.secretName ?? view.chart.webConfigSecretName;
  const key = source?.key ?? WEB_CONFIG_KEY;
  const secret = secretName ? findSecret(view.secrets, secretName, view.chart.namespace) : undefined;
  const text = secret ? secretValue(secret.object, key) : undefined;
  const read = text === undefined ? null : readWebConfig(text);
  return {
    secretName,
    key,
    namespace: view.chart.namespace,
    secret,
    text,
    users: read?.users ?? null,
    error: read?.error ?? null,
  };
}

export interface SelectorState {
  field: "username" | "password";
  selector: SecretKeySelector | undefined;
  /** The Secret in the ServiceMonitor's namespace, the only one the Operator reads. */
  secret: Placed<Secret> | undefined;
  value: string | undefined;
}

export interface BasicAuthState {
  auth: BasicAuth | undefined;
  /** The ServiceMonitor's namespace. */
  namespace: string;
  fields: SelectorState[];
  username: string | undefined;
  password: string | undefined;
}

/** Resolves a ServiceMonitor endpoint's basicAuth the way the Operator does. */
export function basicAuthState(view: ClusterView, sm: ServiceMonitor | undefined, endpointIndex = 0): BasicAuthState {
  const auth = sm?.spec?.endpoints?.[endpointIndex]?.basicAuth;
  const namespace = sm?.metadata?.namespace ?? "";
  const fields: SelectorState[] = [];
  if (auth) {
    for (const field of ["username", "password"] as const) {
      const selector = isMap(auth[field]) ? auth[field] : undefined;
      const secret =
        selector && typeof selector.name === "string" ? findSecret(view.secrets, selector.name, namespace) : undefined;
      const value = secret && typeof selector?.key === "string" ? secretValue(secret.object, selector.key) : undefined;
      fields.push({ field, selector, secret, value });
    }
  }
  return {
    auth,
    namespace,
    fields,
    username: fields.find((f) => f.field === "username")?.value,
    password: fields.find((f) => f.field === "password")?.value,
  };
}

type CredentialsVerdict =
  | { status: "incomplete" }
  | { status: "unknown-user" }
  | { status: "match" | "mismatch"; by: "plaintext" | "bcrypt" }
  | { status: "unverified"; hash: string };

/** Text of a values scalar as the chart's templates print it. */
function scalarText(v: unknown): string | undefined {
  return v === undefined || v === null || typeof v === "object" ? undefined : String(v);
}

/**
 * Whether Pushgateway accepts `user` and `password` from a scrape Secret. Prometheus sends the
 * password through Go's strings.TrimSpace (prometheus/common's basic auth), the username as is;
 * Pushgateway checks what it gets against its web config as written. A chart-rendered web
 * config is compared with webConfiguration.basicAuthUsers (its hash is random); a real hash
 * goes to `passwordMatchesHash`, which may answer undefined when it cannot tell yet.
 */
export function compareCredentials(
  view: ClusterView,
  users: Map<string, string> | null,
  user: string | undefined,
  password: string | undefined,
  passwordMatchesHash?: (password: string, hash: string) => boolean | undefined,
): CredentialsVerdict {
  if (user === undefined || password === undefined || !users) return { status: "incomplete" };
  const stored = users.get(user);
  if (stored === undefined) return { status: "unknown-user" };
  const sent = goTrimSpace(password);
  if (stored === CHART_HASH_PLACEHOLDER) {
    const plaintext = view.values.webConfiguration;
    const users = isMap(plaintext) ? plaintext.basicAuthUsers : undefined;
    const ok = isMap(users) && scalarText(users[user]) === sent;
    return { status: ok ? "match" : "mismatch", by: "plaintext" };
  }
  const answer = passwordMatchesHash?.(sent, stored);
  if (answer === undefined) return { status: "unverified", hash: stored };
  return { status: answer ? "match" : "mismatch", by: "bcrypt" };
}
