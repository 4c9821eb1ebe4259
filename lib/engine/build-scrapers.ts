/**
 * Stage 2c: what each scraper other than the Operator's ServiceMonitor needs to scrape
 * Pushgateway with the credentials of the scrape Secret. Every builder reads the plan only, so
 * names, namespaces and keys agree with the Secret (lib/engine/build-manifests.ts).
 */
import { SERVICE_PORT, TELEMETRY_PATH } from "../chart/names";
import type { BasicAuth, ServiceMonitor } from "../k8s/types";
import {
  BASIC_AUTH_PASSWORD_KEY,
  BASIC_AUTH_USERNAME_KEY,
  scrapeBasicAuth,
  serviceMonitorSpec,
} from "./build-manifests";
import type { Plan } from "./plan";

/** `<service>.<namespace>.svc:9091`: Pushgateway's Service, as any in-cluster scraper reaches it. */
export function serviceAddress(plan: Plan): string {
  return `${plan.names.fullname}.${plan.releaseNamespace}.svc:${SERVICE_PORT}`;
}

/** Labels of the scrape object: the chart's selector labels plus those the scraper selects by. */
function scrapeObjectLabels(plan: Plan): Record<string, string> {
  return { ...plan.names.selectorLabels, ...plan.prometheusSelector };
}

export interface ScrapeConfigObject {
  apiVersion: "monitoring.coreos.com/v1alpha1";
  kind: "ScrapeConfig";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    honorLabels: boolean;
    metricsPath: string;
    scrapeInterval: string;
    scrapeTimeout: string;
    basicAuth: BasicAuth;
    staticConfigs: { targets: string[] }[];
  };
}

/**
 * A Prometheus Operator ScrapeConfig (monitoring.coreos.com/v1alpha1): the Service's address as
 * a static target, basicAuth from the scrape Secret, which the Operator reads from the
 * ScrapeConfig's own namespace.
 */
export function buildScrapeConfig(plan: Plan): ScrapeConfigObject {
  const c = plan.config;
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "ScrapeConfig",
    metadata: { name: plan.names.fullname, namespace: plan.serviceMonitorNamespace, labels: scrapeObjectLabels(plan) },
    spec: {
      // Keep the job and instance labels the pushers set.
      honorLabels: true,
      metricsPath: TELEMETRY_PATH,
      scrapeInterval: c.interval,
      scrapeTimeout: c.scrapeTimeout,
      basicAuth: scrapeBasicAuth(plan),
      staticConfigs: [{ targets: [serviceAddress(plan)] }],
    },
  };
}

export interface VMServiceScrapeObject {
  apiVersion: "operator.victoriametrics.com/v1beta1";
  kind: "VMServiceScrape";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  /** The ServiceMonitor spec: the operator reads the same fields. */
  spec: ServiceMonitor["spec"];
}

/**
 * A VictoriaMetrics operator VMServiceScrape (operator.victoriametrics.com/v1beta1): the chart's
 * Service by its labels and namespace, basicAuth from the scrape Secret in the VMServiceScrape's
 * own namespace (the only one the operator reads it from).
 */
export function buildVMServiceScrape(plan: Plan): VMServiceScrapeObject {
  return {
    apiVersion: "operator.victoriametrics.com/v1beta1",
    kind: "VMServiceScrape",
    metadata: { name: plan.names.fullname, namespace: plan.serviceMonitorNamespace, labels: scrapeObjectLabels(plan) },
    spec: serviceMonitorSpec(plan),
  };
}

/** Alloy's ServiceAccount as the grafana/alloy chart names it for a release called `alloy`. */
export const ALLOY_SERVICE_ACCOUNT = "alloy";
/** The Alloy component label of the secret reader and of the scrape (identifiers: no dashes). */
export const ALLOY_SECRET_COMPONENT = "pushgateway_scrape_auth";
export const ALLOY_SCRAPE_COMPONENT = "pushgateway";

/** Name of the Role and RoleBinding that let Alloy read the scrape Secret. */
export function alloyRbacName(plan: Plan): string {
  return `${plan.scrapeSecretName}-reader`;
}

/**
 * Alloy reads the password with `remote.kubernetes.secret` (a GET of that one Secret) and
 * scrapes with `prometheus.scrape`: this is the Role that allows exactly that GET, bound to
 * Alloy's ServiceAccount in the Prometheus namespace.
 */
export function buildAlloyRbac(plan: Plan): Record<string, unknown>[] {
  const name = alloyRbacName(plan);
  const metadata = { name, namespace: plan.scrapeSecretNamespace, labels: { ...plan.names.selectorLabels } };
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata,
      rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [plan.scrapeSecretName], verbs: ["get"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name: ALLOY_SERVICE_ACCOUNT, namespace: plan.config.prometheusNamespace }],
    },
  ];
}

const alloyString = (s: string) => JSON.stringify(s);

/** The Alloy configuration block (Alloy syntax) scraping Pushgateway with the Secret's credentials. */
export function buildAlloyConfig(plan: Plan): string {
  const c = plan.config;
  const secret = `remote.kubernetes.secret.${ALLOY_SECRET_COMPONENT}`;
  return `// Pushgateway ${plan.names.fullname} in ${plan.releaseNamespace}, with HTTP basic auth.
// The credentials stay in Secret ${plan.scrapeSecretNamespace}/${plan.scrapeSecretName}: Alloy reads it
// through the Kubernetes API (alloy/rbac.yaml lets it get that one Secret and nothing else).
// Point forward_to at your own receiver.
remote.kubernetes.secret ${alloyString(ALLOY_SECRET_COMPONENT)} {
  namespace = ${alloyString(plan.scrapeSecretNamespace)}
  name      = ${alloyString(plan.scrapeSecretName)}
}

prometheus.scrape ${alloyString(ALLOY_SCRAPE_COMPONENT)} {
  targets         = [{"__address__" = ${alloyString(serviceAddress(plan))}}]
  job_name        = "pushgateway"
  honor_labels    = true
  metrics_path    = ${alloyString(TELEMETRY_PATH)}
  scrape_interval = ${alloyString(c.interval)}
  scrape_timeout  = ${alloyString(c.scrapeTimeout)}

  basic_auth {
    username = convert.nonsensitive(${secret}.data[${alloyString(BASIC_AUTH_USERNAME_KEY)}])
    password = ${secret}.data[${alloyString(BASIC_AUTH_PASSWORD_KEY)}]
  }

  forward_to = [prometheus.remote_write.default.receiver]
}
`;
}

/** Where a Prometheus run by the Operator mounts each Secret of `spec.secrets`; plain Prometheus mounts it there too. */
export function prometheusSecretDir(plan: Plan): string {
  return `/etc/prometheus/secrets/${plan.scrapeSecretName}`;
}

/** The password file Prometheus reads (the Secret's password key, mounted). */
export function prometheusPasswordFile(plan: Plan): string {
  return `${prometheusSecretDir(plan)}/${BASIC_AUTH_PASSWORD_KEY}`;
}

/** The complete scrape_config job for a Prometheus without the Operator's scrape objects. */
export function buildPrometheusJob(plan: Plan): Record<string, unknown> {
  const c = plan.config;
  return {
    job_name: "pushgateway",
    // Keep the job and instance labels the pushers set.
    honor_labels: true,
    scrape_interval: c.interval,
    scrape_timeout: c.scrapeTimeout,
    metrics_path: TELEMETRY_PATH,
    basic_auth: { username: c.username, password_file: prometheusPasswordFile(plan) },
    static_configs: [{ targets: [serviceAddress(plan)] }],
  };
}

/** kube-prometheus-stack values: the job as additionalScrapeConfigs, the Secret mounted by prometheusSpec.secrets. */
export function buildKubePrometheusStackValues(plan: Plan): Record<string, unknown> {
  return {
    prometheus: {
      prometheusSpec: {
        secrets: [plan.scrapeSecretName],
        additionalScrapeConfigs: [buildPrometheusJob(plan)],
      },
    },
  };
}

/** The volume and mount a plain Prometheus pod needs for the password file (merge into its pod spec). */
export function buildPrometheusMount(plan: Plan): Record<string, unknown> {
  const volume = `${plan.scrapeSecretName}`;
  return {
    volumes: [{ name: volume, secret: { secretName: plan.scrapeSecretName } }],
    containers: [
      {
        name: "prometheus",
        volumeMounts: [{ name: volume, mountPath: prometheusSecretDir(plan), readOnly: true }],
      },
    ],
  };
}
