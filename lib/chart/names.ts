/**
 * Names and labels exactly as the chart's `_helpers.tpl` computes them, so every reference
 * the bundle makes (Service, ServiceMonitor, Secrets) matches what Helm will render.
 */
/** `.Chart.Name` of prometheus-community/prometheus-pushgateway. */
export const CHART_NAME = "prometheus-pushgateway";
/** Name of the Service port the chart's ServiceMonitor scrapes (service.portName default). */
export const SERVICE_PORT_NAME = "http";
/** Port the chart's Service exposes and its container listens on. */
export const SERVICE_PORT = 9091;
/** `serviceMonitor.telemetryPath` default. */
export const TELEMETRY_PATH = "/metrics";

/** Labels the chart puts on every resource; a user label with one of these keys would be a duplicate key. */
export const CHART_DEFAULT_LABEL_KEYS: readonly string[] = [
  "helm.sh/chart",
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/managed-by",
];

// Sprig: `trunc 63 | trimSuffix "-"` cuts bytes and removes at most one trailing dash.
function truncTrim(s: string): string {
  const cut = s.length > 63 ? s.slice(0, 63) : s;
  return cut.endsWith("-") ? cut.slice(0, -1) : cut;
}

export interface ChartNameInput {
  releaseName: string;
  nameOverride: string;
  fullnameOverride: string;
}

export interface ChartNames {
  /** `prometheus-pushgateway.name`: the `app.kubernetes.io/name` label. */
  name: string;
  /** `prometheus-pushgateway.fullname`: Service, chart ServiceMonitor and web-config Secret name. */
  fullname: string;
  /** `prometheus-pushgateway.selectorLabels`, in the chart's order. */
  selectorLabels: Record<string, string>;
}

/** Computes the chart's name, fullname and selector labels for a release. */
export function chartNames(input: ChartNameInput): ChartNames {
  const name = truncTrim(input.nameOverride || CHART_NAME);
  let fullname: string;
  if (input.fullnameOverride) fullname = truncTrim(input.fullnameOverride);
  else if (input.releaseName.includes(input.nameOverride || CHART_NAME)) fullname = truncTrim(input.releaseName);
  else fullname = truncTrim(`${input.releaseName}-${input.nameOverride || CHART_NAME}`);
  return {
    name,
    fullname,
    selectorLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": input.releaseName },
  };
}
