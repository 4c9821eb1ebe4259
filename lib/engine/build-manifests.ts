/** Stage 2b: the Kubernetes objects that ship beside values.yaml. */
import { SERVICE_PORT_NAME, TELEMETRY_PATH } from "../chart/names";
import { WEB_CONFIG_KEY } from "../chart/web-config";
import type { BasicAuth, JsonPatchOperation, Secret, ServiceMonitor } from "../k8s/types";
import type { Plan } from "./plan";
import { webConfigForUsers } from "./pushers";

/** Keys of a `kubernetes.io/basic-auth` Secret (Kubernetes API, core/v1 SecretTypeBasicAuth). */
export const BASIC_AUTH_USERNAME_KEY = "username";
export const BASIC_AUTH_PASSWORD_KEY = "password";

/** The selectors a ServiceMonitor endpoint uses to read the scrape credentials. */
export function scrapeBasicAuth(plan: Plan): BasicAuth {
  return {
    username: { name: plan.scrapeSecretName, key: BASIC_AUTH_USERNAME_KEY },
    password: { name: plan.scrapeSecretName, key: BASIC_AUTH_PASSWORD_KEY },
  };
}

/**
 * Every Secret the bundle needs: the web config (release namespace) where the chart reads an
 * existing Secret, and the scrape credentials in the ServiceMonitor's namespace, the only
 * namespace the Operator reads basicAuth Secrets from.
 */
export function buildSecrets(plan: Plan, passwordHash: string | null): Secret[] {
  const labels = { ...plan.names.selectorLabels };
  const secrets: Secret[] = [];
  if (plan.webConfigSecretName) {
    if (!passwordHash) throw new Error("buildSecrets: this chart version needs the password's bcrypt hash");
    const users = plan.webUsers.map((u) => (u.role === "scrape" && !u.hash ? { ...u, hash: passwordHash } : u));
    secrets.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: plan.webConfigSecretName, namespace: plan.releaseNamespace, labels },
      type: "Opaque",
      stringData: { [WEB_CONFIG_KEY]: webConfigForUsers(users) },
    });
  }
  secrets.push({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: plan.scrapeSecretName, namespace: plan.scrapeSecretNamespace, labels },
    type: "kubernetes.io/basic-auth",
    stringData: {
      [BASIC_AUTH_USERNAME_KEY]: plan.config.username,
      [BASIC_AUTH_PASSWORD_KEY]: plan.config.password,
    },
  });
  return secrets;
}

/**
 * The spec of a ServiceMonitor equivalent to the chart's, plus basicAuth; the VictoriaMetrics
 * operator's VMServiceScrape takes the same shape.
 */
export function serviceMonitorSpec(plan: Plan): ServiceMonitor["spec"] {
  const c = plan.config;
  return {
    endpoints: [
      {
        port: SERVICE_PORT_NAME,
        path: TELEMETRY_PATH,
        interval: c.interval,
        scrapeTimeout: c.scrapeTimeout,
        honorLabels: true,
        basicAuth: scrapeBasicAuth(plan),
      },
    ],
    namespaceSelector: { matchNames: [plan.releaseNamespace] },
    selector: { matchLabels: { ...plan.names.selectorLabels } },
  };
}

/** A ServiceMonitor equivalent to the chart's, plus basicAuth (standalone strategy). */
export function buildServiceMonitor(plan: Plan): ServiceMonitor {
  const { names } = plan;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: {
      name: names.fullname,
      namespace: plan.serviceMonitorNamespace,
      labels: { ...names.selectorLabels, ...plan.prometheusSelector },
    },
    spec: serviceMonitorSpec(plan),
  };
}

/**
 * The kustomize patch target that selects the chart's ServiceMonitor alone, for the Helm
 * post-renderer's kustomization and Flux's postRenderers alike.
 */
export function serviceMonitorPatchTarget(plan: Plan) {
  return {
    group: "monitoring.coreos.com",
    version: "v1",
    kind: "ServiceMonitor",
    name: plan.names.fullname,
    namespace: plan.serviceMonitorNamespace,
  };
}

/**
 * RFC 6902 operations adding basicAuth to the chart's ServiceMonitor. A JSON patch, not a
 * strategic merge: kustomize does not know the CRD's list keys and would replace `endpoints`.
 */
export function buildServiceMonitorPatch(plan: Plan): JsonPatchOperation[] {
  return [{ op: "add", path: "/spec/endpoints/0/basicAuth", value: scrapeBasicAuth(plan) }];
}
