/**
 * The config's fields, each declared once: label, hint, group, form control, share-link
 * membership and default (their CLI flags and help are in ./field-cli). The form, `--help`, the share links and the zod
 * schema's messages are all built from this list. Kept apart from the schema so the page can
 * show the form before the validation code loads.
 */
import { OLDEST_SUPPORTED_CHART_VERSION, type SERVICE_MONITOR_MODES } from "../chart/versions";
import type { Pusher } from "./pushers";
import { SCRAPERS, type Scraper } from "../scrapers/scrapers";
import { DEPLOY_LABELS, DEPLOY_TARGETS, type DeployTarget } from "../gitops/deploy";
import type { SealingScope } from "../secrets/seal";

/** How the bundle ships its Secrets (issue 15). */
export const SECRETS_AS = ["plain", "sealed", "external"] as const;
export const SECRET_STORE_KINDS = ["SecretStore", "ClusterSecretStore"] as const;
export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];
export type SecretsAs = (typeof SECRETS_AS)[number];

/** Sections of the form and of `--help`, in order. */
export const FIELD_GROUPS = {
  release: { legend: "Pushgateway release", cliHeading: "Release" },
  credentials: { legend: "Credentials", cliHeading: "Credentials" },
  prometheus: { legend: "Prometheus", cliHeading: "Prometheus" },
  strategy: { legend: "ServiceMonitor strategy", cliHeading: "ServiceMonitor strategy" },
  networkPolicy: { legend: "NetworkPolicy", cliHeading: "NetworkPolicy" },
} as const;

export type FieldGroup = keyof typeof FIELD_GROUPS;

/**
 * How the form shows a field: a text box, the password with its buttons, a chart version with
 * suggestions, the strategy as radio buttons (only those the chart version allows), a checkbox.
 */
export type FieldControl = "text" | "password" | "chart-version" | "strategy" | "checkbox" | "choice" | "pushers";

/** A boolean field's name, or a choice field and the value it must have. */
export type ShownWhen = string | { readonly field: string; readonly is: string };

export interface FieldSpec {
  label: string;
  group: FieldGroup;
  control: FieldControl;
  /** Shown under the field in the form. */
  hint?: string;
  /** The values a `choice` field offers, in order, each with its label. */
  options?: readonly { value: string; label: string }[];
  /** Folded under this disclosure in the form: settings most users leave alone. */
  folded?: string;
  /** Shown side by side with the next field in the form. */
  pairedWithNext?: boolean;
  // Field names as plain strings (the names derive from this list); a test checks they exist.
  /** Shown only while this boolean field is on, or this choice has this value. */
  shownWhen?: ShownWhen;
  /** Fields whose rules read this one, re-validated when it changes. */
  revalidates?: readonly string[];
  /** Holds credentials: never in share links, URLs, storage or logs. */
  secret?: boolean;
}

/** Every field, in the order of the form and of `--help`. */
export const FIELDS = {
  chartVersion: {
    label: "Chart version",
    group: "release",
    control: "chart-version",
    hint: `prometheus-pushgateway chart, ${OLDEST_SUPPORTED_CHART_VERSION} or later`,
    revalidates: ["username", "serviceMonitorMode", "secretsAs"],
  },
  releaseName: {
    label: "Release name",
    group: "release",
    control: "text",
    revalidates: ["fullnameOverride"],
  },
  namespace: {
    label: "Namespace",
    group: "release",
    control: "text",
  },
  deploy: {
    label: "Deploy with",
    group: "release",
    control: "choice",
    hint: "Argo CD and Flux get their own objects to commit (Application, or OCIRepository and HelmRelease) instead of values.yaml and a helm command.",
    options: DEPLOY_TARGETS.map((d) => ({ value: d, label: DEPLOY_LABELS[d] })),
    revalidates: ["serviceMonitorMode"],
  },
  nameOverride: {
    label: "Name override",
    group: "release",
    control: "text",
    hint: "Only if your values.yaml sets nameOverride",
    folded: "Name overrides",
    revalidates: ["releaseName"],
  },
  fullnameOverride: {
    label: "Fullname override",
    group: "release",
    control: "text",
    hint: "Only if your values.yaml sets fullnameOverride",
    folded: "Name overrides",
    revalidates: ["releaseName"],
  },
  username: {
    label: "Username",
    group: "credentials",
    control: "text",
    // A pusher may not share the scrape user's name.
    revalidates: ["pushers"],
  },
  password: {
    label: "Password",
    group: "credentials",
    control: "password",
    hint: "At most 72 bytes: bcrypt ignores the rest. It stays in this page.",
    secret: true,
  },
  passwordHash: {
    label: "Password hash",
    group: "credentials",
    control: "text",
    hint: "Paste the hash from a bundle you already deployed to keep its files byte-identical; it is checked against the password.",
    folded: "Reuse an existing bcrypt hash",
    secret: true,
  },
  pushers: {
    label: "Pushers",
    group: "credentials",
    control: "pushers",
    hint: "One user per job that pushes, each with its own password and a Secret in the job's namespace.",
  },
  scraper: {
    label: "Scraped by",
    group: "prometheus",
    control: "choice",
    hint: "What scrapes Pushgateway: the bundle ships that scraper's own objects with the credentials.",
    options: SCRAPERS.map((s) => ({ value: s.id, label: s.label })),
  },
  serviceMonitorNamespace: {
    label: "ServiceMonitor namespace",
    group: "prometheus",
    control: "text",
    hint: "Empty: the release namespace. Its scrape Secret goes there too.",
  },
  prometheusSelector: {
    label: "Prometheus selector label",
    group: "prometheus",
    control: "text",
    hint: "The label your Prometheus selects ServiceMonitors by, as key=value (comma-separated for several)",
  },
  prometheusNamespace: {
    label: "Prometheus namespace",
    group: "prometheus",
    control: "text",
    hint: "Where Prometheus runs: for the NetworkPolicy and the checks in the guide",
  },
  interval: {
    label: "Scrape interval",
    group: "prometheus",
    control: "text",
    pairedWithNext: true,
    revalidates: ["scrapeTimeout"],
  },
  scrapeTimeout: {
    label: "Scrape timeout",
    group: "prometheus",
    control: "text",
    revalidates: ["interval"],
  },
  serviceMonitorMode: {
    label: "ServiceMonitor strategy",
    group: "strategy",
    control: "strategy",
  },
  secretsAs: {
    label: "Secrets as",
    group: "credentials",
    control: "choice",
    hint: "Sealed and External Secrets can go in git; plain ones cannot.",
    options: [
      { value: "plain", label: "Plain Secrets" },
      { value: "sealed", label: "Sealed Secrets" },
      { value: "external", label: "External Secrets" },
    ],
    revalidates: ["secretStore", "secretStoreKind", "remoteKey", "sopsAge"],
  },
  sealingScope: {
    label: "Sealing scope",
    group: "credentials",
    control: "choice",
    hint: "strict: only under its own name and namespace; namespace-wide: any name in its namespace; cluster-wide: anywhere.",
    options: [
      { value: "strict", label: "strict" },
      { value: "namespace-wide", label: "namespace-wide" },
      { value: "cluster-wide", label: "cluster-wide" },
    ],
    shownWhen: { field: "secretsAs", is: "sealed" },
  },
  secretStore: {
    label: "Secret store",
    group: "credentials",
    control: "text",
    hint: "The External Secrets store (SecretStore or ClusterSecretStore) holding the password and its bcrypt hash.",
    shownWhen: { field: "secretsAs", is: "external" },
  },
  secretStoreKind: {
    label: "Secret store kind",
    group: "credentials",
    control: "choice",
    options: [
      { value: "SecretStore", label: "SecretStore" },
      { value: "ClusterSecretStore", label: "ClusterSecretStore" },
    ],
    shownWhen: { field: "secretsAs", is: "external" },
  },
  remoteKey: {
    label: "Remote key",
    group: "credentials",
    control: "text",
    hint: "The key in the store (a Vault KV v2 path, an AWS Secrets Manager secret name) whose properties hold the credentials.",
    shownWhen: { field: "secretsAs", is: "external" },
  },
  sopsAge: {
    label: "SOPS age recipient",
    group: "credentials",
    control: "text",
    hint: "An age public key (age1...): the bundle gets a .sops.yaml encrypting its Secret files' data and stringData for it.",
    shownWhen: { field: "secretsAs", is: "plain" },
  },
  networkPolicyEnabled: {
    label: "NetworkPolicy",
    group: "networkPolicy",
    control: "checkbox",
    hint: "Only let Prometheus and the pushing jobs reach Pushgateway",
  },
  networkPolicyPrometheusPods: {
    label: "Prometheus pod labels",
    group: "networkPolicy",
    control: "text",
    shownWhen: "networkPolicyEnabled",
  },
  networkPolicyPusherPods: {
    label: "Pusher pod labels",
    group: "networkPolicy",
    control: "text",
    hint: "Pods with these labels, in any namespace, may push",
    shownWhen: "networkPolicyEnabled",
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** Every field name, in declaration order. */
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

/** Fields that hold credentials: never in share links, URLs, storage or logs. */
export const SECRET_FIELDS: readonly FieldName[] = FIELD_NAMES.filter((f) => (FIELDS[f] as FieldSpec).secret === true);

export type ModeChoice = "auto" | (typeof SERVICE_MONITOR_MODES)[number];

/** Defaults for every field. `password` has none: an empty one is reported as missing. */
export const DEFAULTS = {
  chartVersion: "3.8.0",
  releaseName: "pushgateway",
  namespace: "monitoring",
  deploy: "helm" as DeployTarget,
  nameOverride: "",
  fullnameOverride: "",
  username: "prometheus",
  password: "",
  passwordHash: "",
  pushers: [] as Pusher[],
  scraper: "operator" as Scraper,
  // Empty means "the release namespace"; the engine always writes it explicitly because the
  // chart's own default is `monitoring`, whatever the release namespace is.
  serviceMonitorNamespace: "",
  prometheusSelector: "release=kube-prometheus-stack",
  prometheusNamespace: "monitoring",
  interval: "30s",
  scrapeTimeout: "10s",
  serviceMonitorMode: "auto" as ModeChoice,
  secretsAs: "plain" as SecretsAs,
  sealingScope: "strict" as SealingScope,
  secretStore: "",
  secretStoreKind: "ClusterSecretStore" as SecretStoreKind,
  remoteKey: "pushgateway/auth",
  sopsAge: "",
  networkPolicyEnabled: false,
  networkPolicyPrometheusPods: "app.kubernetes.io/name=prometheus",
  networkPolicyPusherPods: "pushgateway-client=true",
} satisfies Record<FieldName, unknown>;

/** Whether a field applies to the form's values: its `shownWhen` holds. */
export function fieldShown(spec: Pick<FieldSpec, "shownWhen">, values: Partial<Record<FieldName, unknown>>): boolean {
  const when = spec.shownWhen;
  if (when === undefined) return true;
  if (typeof when === "string") return Boolean(values[when as FieldName]);
  return values[when.field as FieldName] === when.is;
}
