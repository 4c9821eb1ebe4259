/**
 * The config's fields: labels, CLI flags and defaults. Kept apart from the zod schema so the
 * page can show the form before the validation code loads.
 */
import type { SERVICE_MONITOR_MODES } from "../chart/versions";

/** Label (as shown in the form) and CLI flag of every field. */
export const FIELDS = {
  chartVersion: { label: "Chart version", flag: "--chart-version" },
  releaseName: { label: "Release name", flag: "--release" },
  namespace: { label: "Namespace", flag: "--namespace" },
  nameOverride: { label: "Name override", flag: "--name-override" },
  fullnameOverride: { label: "Fullname override", flag: "--fullname-override" },
  username: { label: "Username", flag: "--username" },
  password: { label: "Password", flag: "--password-file" },
  passwordHash: { label: "Password hash", flag: "--password-hash" },
  serviceMonitorNamespace: { label: "ServiceMonitor namespace", flag: "--servicemonitor-namespace" },
  prometheusSelector: { label: "Prometheus selector label", flag: "--prometheus-selector" },
  serviceMonitorMode: { label: "ServiceMonitor strategy", flag: "--servicemonitor-mode" },
  interval: { label: "Scrape interval", flag: "--interval" },
  scrapeTimeout: { label: "Scrape timeout", flag: "--scrape-timeout" },
  prometheusNamespace: { label: "Prometheus namespace", flag: "--prometheus-namespace" },
  networkPolicyEnabled: { label: "NetworkPolicy", flag: "--network-policy" },
  networkPolicyPrometheusPods: { label: "Prometheus pod labels", flag: "--prometheus-pod-labels" },
  networkPolicyPusherPods: { label: "Pusher pod labels", flag: "--pusher-pod-labels" },
} as const;

export type FieldName = keyof typeof FIELDS;

/** Fields that hold credentials: never in share links, URLs, storage or logs. */
export const SECRET_FIELDS: readonly FieldName[] = ["password", "passwordHash"];

export type ModeChoice = "auto" | (typeof SERVICE_MONITOR_MODES)[number];

/** Defaults for every field. `password` has none: an empty one is reported as missing. */
export const DEFAULTS = {
  chartVersion: "3.8.0",
  releaseName: "pushgateway",
  namespace: "monitoring",
  nameOverride: "",
  fullnameOverride: "",
  username: "prometheus",
  password: "",
  passwordHash: "",
  // Empty means "the release namespace"; the engine always writes it explicitly because the
  // chart's own default is `monitoring`, whatever the release namespace is.
  serviceMonitorNamespace: "",
  prometheusSelector: "release=kube-prometheus-stack",
  serviceMonitorMode: "auto" as ModeChoice,
  interval: "30s",
  scrapeTimeout: "10s",
  prometheusNamespace: "monitoring",
  networkPolicyEnabled: false,
  networkPolicyPrometheusPods: "app.kubernetes.io/name=prometheus",
  networkPolicyPusherPods: "pushgateway-client=true",
} satisfies Record<FieldName, unknown>;
