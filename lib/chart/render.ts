/**
 * What the chart renders from a values file, for the parts that decide whether Prometheus can
 * scrape: Service, ServiceMonitor, chart-made Secrets, NetworkPolicy and the probes. Helm is not
 * available where this runs, so the templates' logic is restated here (see the chart's
 * templates/_helpers.tpl, servicemonitor.yaml, secret.yaml, service.yaml, networkpolicy.yaml).
 */
import type { BasicAuth, NetworkPolicy, NetworkPolicyPeer, Secret, Service, ServiceMonitor } from "../k8s/types";
import { CHART_NAME, SERVICE_PORT, SERVICE_PORT_NAME, TELEMETRY_PATH, chartNames } from "./names";
import { base64Utf8, coalesceValues, getPath, isMap, truthy, type Values } from "../values/values";
import { profileFor, templateFacts, type ChartProfile } from "./versions";
import { chartWebConfigText, WEB_CONFIG_KEY } from "./web-config";

/** The chart's own defaults for the keys this module reads (values.yaml of 2.14.0 to 3.8.0). */
export const CHART_DEFAULTS: Values = {
  nameOverride: "",
  fullnameOverride: "",
  namespaceOverride: "",
  service: { portName: SERVICE_PORT_NAME, port: SERVICE_PORT, targetPort: SERVICE_PORT },
  webConfiguration: {},
  liveness: { enabled: true },
  readiness: { enabled: true },
  serviceMonitor: {
    enabled: false,
    namespace: "monitoring",
    telemetryPath: TELEMETRY_PATH,
    honorLabels: true,
    additionalLabels: {},
    basicAuth: {},
  },
  networkPolicy: {},
  podLabels: {},
};

/** Go's `fmt` rendering of a scalar as templates print it. */
function str(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

/**
 * Where the `authorization-header` probes carry their header in the rendered Deployment. The
 * header is for `keys basicAuthUsers | first`, and Go's map order is random: with several users
 * each render may pick another. The pushgateway container is the first when extraContainers
 * is empty (which the engine never sets).
 */
export const PROBE_HEADER_POINTERS: readonly string[] = [
  "/spec/template/spec/containers/0/livenessProbe/httpGet/httpHeaders",
  "/spec/template/spec/containers/0/readinessProbe/httpGet/httpHeaders",
];

export type Probe =
  { kind: "tcp-socket" } | { kind: "http"; path: string; authorization: string | null } | { kind: "disabled" };

export interface ChartRenderInput {
  profile: ChartProfile;
  chartVersion: string;
  releaseName: string;
  releaseNamespace: string;
  values: Values;
  /**
   * Hashes a plaintext password the way the chart's `htpasswd` does. The chart uses a random
   * salt, so callers that only inspect the structure may pass a constant.
   */
  hashPassword: (password: string) => string;
}

export interface RenderedChart {
  fullname: string;
  namespace: string;
  service: Service;
  serviceMonitor: ServiceMonitor | null;
  /** Secrets the chart itself renders (web config, auto-created scrape credentials). */
  secrets: Secret[];
  /** Name of the Secret mounted as the web config, or null when auth is off. */
  webConfigSecretName: string | null;
  networkPolicy: NetworkPolicy | null;
  liveness: Probe;
  readiness: Probe;
  /** Reasons `helm template` would fail (the chart's `fail` calls). */
  errors: string[];
}

function basicAuthUsers(values: Values): [string, string][] {
  const users = getPath(values, "webConfiguration.basicAuthUsers");
  if (!isMap(users)) return [];
  // Go templates range over maps in sorted key order. The probes' `keys | first` is Go map
  // order, random per render with several users (pushers on a chart that hashes at render):
  // any of them authenticates, and the stable-output rule warns of the churn.
  return Object.keys(users)
    .sort()
    .map((user) => [user, str(users[user])]);
}

/** Renders the chart's scrape-relevant objects from user values for one chart profile. */
export function renderChart(input: ChartRenderInput): RenderedChart {
  const { profile } = input;
  const v = coalesceValues(CHART_DEFAULTS, input.values);
  const names = chartNames({
    releaseName: input.releaseName,
    nameOverride: str(v.nameOverride),
    fullnameOverride: str(v.fullnameOverride),
  });
  const namespace = str(v.namespaceOverride) || input.releaseNamespace;
  const labels: Record<string, string> = {
    "helm.sh/chart": `${CHART_NAME}-${input.chartVersion}`.replace(/\+/g, "_"),
    ...names.selectorLabels,
    "app.kubernetes.io/managed-by": "Helm",
    ...stringMap(v.podLabels),
  };
  const errors: string[] = [];
  const facts = templateFacts(input.chartVersion);
  const portName = (facts.servicePortNameValue && str(getPath(v, "service.portName"))) || SERVICE_PORT_NAME;
  const targetPort = Number(getPath(v, "service.targetPort") ?? SERVICE_PORT);

  const service: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: names.fullname, namespace, labels: { ...labels, ...stringMap(v.serviceLabels) } },
    spec: {
      ports: [{ name: portName, port: Number(getPath(v, "service.port") ?? SERVICE_PORT), targetPort }],
      selector: { ...names.selectorLabels },
    },
  };

  const webConfiguration = v.webConfiguration;
  const existingSecret =
    profile.webConfig === "existing-secret" ? str(getPath(webConfiguration, "existingSecret.name")) : "";
  const users = basicAuthUsers(v);
  const secrets: Secret[] = [];
  let webConfigSecretName: string | null = null;
  if (truthy(webConfiguration)) {
    webConfigSecretName = existingSecret || names.fullname;
    if (!existingSecret) {
      const hashed = users.map(([user, password]) => [user, input.hashPassword(password)] as const);
      secrets.push({
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: names.fullname,
          namespace: facts.webConfigSecretNamespaced ? namespace : input.releaseNamespace,
          labels,
        },
        stringData: { [WEB_CONFIG_KEY]: chartWebConfigText(hashed) },
      });
    }
  }

  const sm = v.serviceMonitor;
  let serviceMonitor: ServiceMonitor | null = null;
  if (truthy(getPath(sm, "enabled"))) {
    const smNamespace = str(getPath(sm, "namespace")) || namespace;
    const endpoint: ServiceMonitor["spec"]["endpoints"][number] = { port: portName };
    for (const key of ["interval", "scheme"] as const) {
      if (truthy(getPath(sm, key))) endpoint[key] = str(getPath(sm, key));
    }
    const explicitAuth = getPath(sm, "basicAuth");
    if (profile.serviceMonitorBasicAuth) {
      if (truthy(explicitAuth)) {
        endpoint.basicAuth = explicitAuth as BasicAuth;
      } else if (profile.chartCreatesScrapeSecret && users.length > 0) {
        const name = `${names.fullname}-basic-auth`;
        const [user, password] = users[0] as [string, string];
        endpoint.basicAuth = { username: { name, key: "user" }, password: { name, key: "password" } };
        secrets.push({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name, namespace: smNamespace, labels },
          type: "Opaque",
          stringData: { user, password },
        });
      }
    }
    if (truthy(getPath(sm, "scrapeTimeout"))) endpoint.scrapeTimeout = str(getPath(sm, "scrapeTimeout"));
    endpoint.path = str(getPath(sm, "telemetryPath"));
    endpoint.honorLabels = getPath(sm, "honorLabels") === true;
    serviceMonitor = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: {
        name: names.fullname,
        namespace: smNamespace,
        labels: { ...labels, ...stringMap(getPath(sm, "additionalLabels")) },
      },
      spec: {
        endpoints: [endpoint],
        namespaceSelector: { matchNames: [namespace] },
        selector: { matchLabels: { ...names.selectorLabels } },
      },
    };
  }

  let networkPolicy: NetworkPolicy | null = null;
  const np = v.networkPolicy;
  if (truthy(np)) {
    const custom = getPath(np, "customSelectors");
    if (!truthy(custom) && !truthy(getPath(np, "allowAll"))) {
      errors.push("networkPolicy needs allowAll or customSelectors (the chart fails otherwise)");
    }
    networkPolicy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: `ingress-allow-${truthy(custom) ? "customselector" : "all"}-${names.name}`,
        namespace,
        labels,
      },
      spec: {
        podSelector: { matchLabels: { ...names.selectorLabels } },
        ingress: [
          truthy(custom)
            ? { ports: [{ port: targetPort }], from: custom as NetworkPolicyPeer[] }
            : { ports: [{ port: targetPort }] },
        ],
      },
    };
  }

  const probe = (kind: "liveness" | "readiness", path: string): Probe => {
    if (getPath(v, `${kind}.enabled`) === false) return { kind: "disabled" };
    // The chart cannot read a password out of an existing Secret, so its probes stop sending one.
    if (existingSecret && profile.probes === "tcp-socket") return { kind: "tcp-socket" };
    const first = users[0];
    return {
      kind: "http",
      path,
      authorization: first ? `Basic ${base64Utf8(`${first[0]}:${first[1]}`)}` : null,
    };
  };

  return {
    fullname: names.fullname,
    namespace,
    service,
    serviceMonitor,
    secrets,
    webConfigSecretName,
    networkPolicy,
    liveness: probe("liveness", "/-/healthy"),
    readiness: probe("readiness", "/-/ready"),
    errors,
  };
}

function stringMap(v: unknown): Record<string, string> {
  if (!isMap(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)]));
}

/** A Helm release of the chart: its version, name and namespace. */
export interface Release {
  chartVersion: string;
  releaseName: string;
  namespace: string;
}

/** {@link renderChart} for a release whose chart version is supported (validated configs are). */
export function renderRelease(
  release: Release,
  values: Values,
  hashPassword: (password: string) => string,
): RenderedChart {
  const { profile, error } = profileFor(release.chartVersion);
  if (!profile) throw new Error(`chart version ${error}`);
  return renderChart({
    profile,
    chartVersion: release.chartVersion,
    releaseName: release.releaseName,
    releaseNamespace: release.namespace,
    values,
    hashPassword,
  });
}
