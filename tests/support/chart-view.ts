/**
 * The parts of a chart render that decide whether Prometheus can scrape Pushgateway, in one
 * shape for both sides: what real `helm template` printed and what lib/chart/render.ts says the
 * chart renders. Used by the restatement test and by scripts/chart-diff.ts.
 */
import type { Probe, RenderedChart } from "../../lib/chart/render";
import { renderedManifests, secretValue, type K8sObject } from "./helm-proof";

type Labels = Record<string, string>;

export interface ObjectView {
  name: string;
  namespace: string;
  labels: Labels;
}

export interface SecretView extends ObjectView {
  type: string | null;
  /** Key to value; bcrypt hashes in a web config are replaced by HASH (the chart salts randomly). */
  data: Record<string, string>;
}

export interface ChartView {
  fullname: string;
  namespace: string;
  service: ObjectView & { ports: { name: string; port: number; targetPort: number | string }[]; selector: Labels };
  /** Whether the container gets `--web.config.file=/etc/config/web-config.yaml`. */
  webConfigFlag: boolean;
  /** The Secret mounted as the web config, or null. */
  webConfigSecretName: string | null;
  /** Secrets the chart itself renders. */
  secrets: SecretView[];
  liveness: Probe;
  readiness: Probe;
  serviceMonitor: (ObjectView & { spec: unknown }) | null;
  networkPolicy: (ObjectView & { spec: unknown }) | null;
}

export const HASH = "HASH";
const BCRYPT = /\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/g;
export const WEB_CONFIG_FLAG = "--web.config.file=/etc/config/web-config.yaml";

function meta(o: { metadata: { name: string; namespace?: string; labels?: Labels } }): ObjectView {
  return { name: o.metadata.name, namespace: o.metadata.namespace ?? "", labels: { ...(o.metadata.labels ?? {}) } };
}

function sortSecrets(secrets: SecretView[]): SecretView[] {
  // By name first, so that a Secret in an unexpected namespace shows as just that.
  return secrets.sort((a, b) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace));
}

interface HelmProbe {
  httpGet?: { path: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: unknown;
}

function helmProbe(probe: HelmProbe | undefined): Probe {
  if (!probe) return { kind: "disabled" };
  if (probe.tcpSocket) return { kind: "tcp-socket" };
  const header = probe.httpGet?.httpHeaders?.find((h) => h.name === "Authorization");
  return { kind: "http", path: probe.httpGet?.path ?? "", authorization: header ? header.value : null };
}

/** What real Helm rendered; objects without a namespace get the release's, as `helm install -n` does. */
export function helmView(rendered: string, releaseNamespace: string): ChartView {
  const objects = renderedManifests(rendered, releaseNamespace).map((m) => m.object);
  const one = (kind: string | string[]): K8sObject | undefined => {
    const kinds = Array.isArray(kind) ? kind : [kind];
    const found = objects.filter((o) => kinds.includes(o.kind));
    if (found.length > 1) throw new Error(`helm rendered ${found.length} ${kinds.join("/")} objects`);
    return found[0];
  };
  const service = one("Service");
  const workload = one(["Deployment", "StatefulSet"]);
  if (!service || !workload) throw new Error("helm rendered no Service or no Deployment/StatefulSet");
  const pod = (workload.spec as { template: { spec: PodSpec } }).template.spec;
  const container = pod.containers.find((c) => c.name === "pushgateway");
  if (!container) throw new Error("no pushgateway container");
  const webConfigVolume = pod.volumes?.find((v) => v.name === "web-config");
  const sm = one("ServiceMonitor");
  const np = one("NetworkPolicy");
  const serviceSpec = service.spec as {
    ports: { name: string; port: number; targetPort: number | string }[];
    selector: Labels;
  };
  return {
    fullname: service.metadata.name,
    namespace: service.metadata.namespace as string,
    service: {
      ...meta(service),
      ports: serviceSpec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
      selector: { ...serviceSpec.selector },
    },
    webConfigFlag: (container.args ?? []).includes(WEB_CONFIG_FLAG),
    webConfigSecretName: webConfigVolume?.secret?.secretName ?? null,
    secrets: sortSecrets(
      objects
        .filter((o) => o.kind === "Secret")
        .map((s) => ({
          ...meta(s),
          type: (s.type as string | undefined) ?? null,
          data: Object.fromEntries(
            Object.keys({ ...((s.data as object) ?? {}), ...((s.stringData as object) ?? {}) })
              .sort()
              .map((key) => [key, (secretValue(s, key) ?? "").replace(BCRYPT, HASH)]),
          ),
        })),
    ),
    liveness: helmProbe(container.livenessProbe),
    readiness: helmProbe(container.readinessProbe),
    serviceMonitor: sm ? { ...meta(sm), spec: sm.spec } : null,
    networkPolicy: np ? { ...meta(np), spec: np.spec } : null,
  };
}

/** What lib/chart/render.ts says; render it with `hashPassword: () => HASH`. */
export function engineView(chart: RenderedChart): ChartView {
  const secretData = (s: RenderedChart["secrets"][number]): Record<string, string> => {
    const keys = Object.keys({ ...(s.data ?? {}), ...(s.stringData ?? {}) }).sort();
    return Object.fromEntries(keys.map((key) => [key, secretValue(s as unknown as K8sObject, key) ?? ""]));
  };
  return {
    fullname: chart.fullname,
    namespace: chart.namespace,
    service: {
      ...meta(chart.service),
      ports: chart.service.spec.ports.map((p) => ({
        name: p.name as string,
        port: p.port,
        targetPort: p.targetPort as number,
      })),
      selector: { ...chart.service.spec.selector },
    },
    webConfigFlag: chart.webConfigSecretName !== null,
    webConfigSecretName: chart.webConfigSecretName,
    secrets: sortSecrets(chart.secrets.map((s) => ({ ...meta(s), type: s.type ?? null, data: secretData(s) }))),
    liveness: chart.liveness,
    readiness: chart.readiness,
    serviceMonitor: chart.serviceMonitor ? { ...meta(chart.serviceMonitor), spec: chart.serviceMonitor.spec } : null,
    networkPolicy: chart.networkPolicy ? { ...meta(chart.networkPolicy), spec: chart.networkPolicy.spec } : null,
  };
}

/**
 * Labels lib/chart/render.ts leaves out on purpose: the chart's appVersion is not in the version
 * table, and no selector or rule reads it. Every other label is compared in full.
 */
export const UNMODELLED_LABELS: readonly string[] = ["app.kubernetes.io/version"];

/** `view` without the {@link UNMODELLED_LABELS}, on every object. */
export function withoutUnmodelledLabels(view: ChartView): ChartView {
  const strip = <T extends ObjectView | null>(o: T): T =>
    o && {
      ...o,
      labels: Object.fromEntries(Object.entries(o.labels).filter(([k]) => !UNMODELLED_LABELS.includes(k))),
    };
  return {
    ...view,
    service: strip(view.service),
    secrets: view.secrets.map(strip),
    serviceMonitor: strip(view.serviceMonitor),
    networkPolicy: strip(view.networkPolicy),
  };
}

interface PodSpec {
  containers: { name: string; args?: string[]; livenessProbe?: HelmProbe; readinessProbe?: HelmProbe }[];
  volumes?: { name: string; secret?: { secretName?: string } }[];
}
