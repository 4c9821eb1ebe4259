/** Stage 2a: the chart's values.yaml as an object, holding only keys the chosen version reads. */
import { parseLabelList } from "../config/field-rules";
import type { Values } from "../values/values";
import type { NetworkPolicyPeer } from "../k8s/types";
import { scrapeBasicAuth } from "./build-manifests";
import type { Plan } from "./plan";
import { basicAuthUsersValue, pusherPeers } from "./pushers";

function labels(text: string): Record<string, string> {
  return Object.fromEntries(parseLabelList(text).pairs);
}

/** Who may reach Pushgateway: Prometheus (its namespace and pods) and the pushing jobs (any namespace). */
export function networkPolicyPeers(plan: Plan): NetworkPolicyPeer[] {
  const c = plan.config;
  return [
    {
      // Set by Kubernetes on every namespace since 1.21.
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": c.prometheusNamespace } },
      podSelector: { matchLabels: labels(c.networkPolicyPrometheusPods) },
    },
    // With pushers, only their namespaces; without, pusher pods from any namespace.
    ...(plan.pushers.length
      ? pusherPeers(plan.pushers, c.networkPolicyPusherPods)
      : [{ namespaceSelector: {}, podSelector: { matchLabels: labels(c.networkPolicyPusherPods) } }]),
  ];
}

/** Builds values.yaml for the plan's chart profile and strategy. */
export function buildValues(plan: Plan): Values {
  const { config: c, profile, mode } = plan;
  const values: Values = {};
  if (c.nameOverride) values.nameOverride = c.nameOverride;
  if (c.fullnameOverride) values.fullnameOverride = c.fullnameOverride;

  if (profile.webConfig === "existing-secret") {
    values.webConfiguration = { existingSecret: { name: plan.webConfigSecretName } };
  } else {
    // The chart hashes this itself (random salt at every render) and needs the plaintext.
    values.webConfiguration = { basicAuthUsers: basicAuthUsersValue(plan.webUsers) };
  }

  // Every scraper but the Operator's ServiceMonitor comes with its own scrape object (plan.mode).
  if (mode === "standalone") {
    values.serviceMonitor = { enabled: false };
  } else {
    const serviceMonitor: Values = {
      enabled: true,
      // Always explicit: the chart's default is `monitoring`, not the release namespace.
      namespace: plan.serviceMonitorNamespace,
    };
    if (Object.keys(plan.prometheusSelector).length > 0) serviceMonitor.additionalLabels = plan.prometheusSelector;
    serviceMonitor.interval = c.interval;
    serviceMonitor.scrapeTimeout = c.scrapeTimeout;
    // Pushgateway's metrics carry the pushers' job and instance labels.
    serviceMonitor.honorLabels = true;
    if (mode === "values") serviceMonitor.basicAuth = scrapeBasicAuth(plan);
    values.serviceMonitor = serviceMonitor;
  }

  if (c.networkPolicyEnabled) values.networkPolicy = { customSelectors: networkPolicyPeers(plan) };
  return values;
}
