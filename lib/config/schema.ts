/**
 * The one config model. Its defaults, field labels and rules drive the form, the engine,
 * share links and the CLI; nothing else defines a default or a validation rule.
 */
import { z } from "./zod";
import { EXISTING_SECRET_SINCE, profileFor, SERVICE_MONITOR_MODES } from "../chart/versions";
import {
  bcryptHashRule,
  dnsLabelRule,
  durationMs,
  durationRule,
  parseLabelList,
  passwordRule,
  rawUsernameRule,
  serviceNameRule,
  usernameRule,
} from "./field-rules";
import { CHART_DEFAULT_LABEL_KEYS, chartNames } from "../chart/names";
import {
  DEFAULTS,
  FIELD_NAMES,
  fieldShown,
  FIELDS,
  SECRET_STORE_KINDS,
  SECRETS_AS,
  type FieldName,
  type FieldSpec,
} from "./fields";
import { SEALING_SCOPES } from "../secrets/seal";
import { duplicateUsernames, pushersSchema } from "./pushers";
import { SCRAPER_IDS, type Scraper } from "../scrapers/scrapers";
import { DEPLOY_LABELS, DEPLOY_TARGETS, modeSupport } from "../gitops/deploy";

export { DEFAULTS, FIELD_NAMES, FIELDS, SECRET_FIELDS } from "./fields";
export type { FieldName, ModeChoice } from "./fields";

/** A store's name: a Kubernetes object name (DNS-1123 subdomain). */
export function secretStoreRule(value: string): string | null {
  return /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value)
    ? null
    : "must be a Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253)";
}

/** A key in the store: a Vault path or a cloud secret's name; no spaces, no template braces. */
export function remoteKeyRule(value: string): string | null {
  if (value === "") return "must not be empty";
  if (value.length > 512) return "must be at most 512 characters";
  return /^[A-Za-z0-9/_+=.@:-]+$/.test(value)
    ? null
    : "must be a store key of letters, digits and / _ + = . @ : - (no spaces)";
}

/** An age X25519 recipient: bech32 `age1` + 58 characters of its alphabet. */
export function ageRecipientRule(value: string): string | null {
  return /^age1[02-9ac-hj-np-z]{58}$/.test(value)
    ? null
    : "must be an age recipient: age1 followed by 58 lowercase bech32 characters (age-keygen -y key.txt prints it)";
}

function text(field: FieldName, rule: (value: string) => string | null, optional = false) {
  const { label } = FIELDS[field];
  return z.string({ error: `${label} must be text` }).superRefine((value, ctx) => {
    if (optional && value === "") return;
    const broken = rule(value);
    if (broken) ctx.addIssue({ code: "custom", message: `${label} ${broken}` });
  });
}

const labelList = (value: string) => parseLabelList(value).error;
const nonEmptyLabelList = (value: string) => (value === "" ? "is required" : labelList(value));

const fieldsSchema = z.object({
  chartVersion: text("chartVersion", (v) => profileFor(v).error).default(DEFAULTS.chartVersion),
  // Helm refuses release names over 53 characters.
  releaseName: text("releaseName", (v) => dnsLabelRule(v, 53)).default(DEFAULTS.releaseName),
  namespace: text("namespace", (v) => dnsLabelRule(v)).default(DEFAULTS.namespace),
  nameOverride: text("nameOverride", (v) => dnsLabelRule(v), true).default(DEFAULTS.nameOverride),
  fullnameOverride: text("fullnameOverride", (v) => dnsLabelRule(v), true).default(DEFAULTS.fullnameOverride),
  username: text("username", usernameRule).default(DEFAULTS.username),
  password: text("password", passwordRule),
  passwordHash: text("passwordHash", bcryptHashRule, true).default(DEFAULTS.passwordHash),
  pushers: pushersSchema.default([]),
  serviceMonitorNamespace: text("serviceMonitorNamespace", (v) => dnsLabelRule(v), true).default(
    DEFAULTS.serviceMonitorNamespace,
  ),
  prometheusSelector: text("prometheusSelector", labelList).default(DEFAULTS.prometheusSelector),
  serviceMonitorMode: z
    .enum(["auto", ...SERVICE_MONITOR_MODES], {
      error: `${FIELDS.serviceMonitorMode.label} must be one of auto, ${SERVICE_MONITOR_MODES.join(", ")}`,
    })
    .default(DEFAULTS.serviceMonitorMode),
  deploy: z
    .enum(DEPLOY_TARGETS, { error: `${FIELDS.deploy.label} must be one of ${DEPLOY_TARGETS.join(", ")}` })
    .default(DEFAULTS.deploy),
  scraper: z
    .enum(SCRAPER_IDS as [Scraper, ...Scraper[]], {
      error: `${FIELDS.scraper.label} must be one of ${SCRAPER_IDS.join(", ")}`,
    })
    .default(DEFAULTS.scraper),
  secretsAs: z
    .enum(SECRETS_AS, { error: `${FIELDS.secretsAs.label} must be one of ${SECRETS_AS.join(", ")}` })
    .default(DEFAULTS.secretsAs),
  sealingScope: z
    .enum(SEALING_SCOPES, { error: `${FIELDS.sealingScope.label} must be one of ${SEALING_SCOPES.join(", ")}` })
    .default(DEFAULTS.sealingScope),
  secretStore: text("secretStore", secretStoreRule, true).default(DEFAULTS.secretStore),
  secretStoreKind: z
    .enum(SECRET_STORE_KINDS, {
      error: `${FIELDS.secretStoreKind.label} must be one of ${SECRET_STORE_KINDS.join(", ")}`,
    })
    .default(DEFAULTS.secretStoreKind),
  remoteKey: text("remoteKey", remoteKeyRule).default(DEFAULTS.remoteKey),
  sopsAge: text("sopsAge", ageRecipientRule, true).default(DEFAULTS.sopsAge),
  interval: text("interval", durationRule).default(DEFAULTS.interval),
  scrapeTimeout: text("scrapeTimeout", durationRule).default(DEFAULTS.scrapeTimeout),
  networkPolicyEnabled: z
    .boolean({ error: `${FIELDS.networkPolicyEnabled.label} must be true or false` })
    .default(DEFAULTS.networkPolicyEnabled),
  prometheusNamespace: text("prometheusNamespace", (v) => dnsLabelRule(v)).default(DEFAULTS.prometheusNamespace),
  networkPolicyPrometheusPods: text("networkPolicyPrometheusPods", nonEmptyLabelList).default(
    DEFAULTS.networkPolicyPrometheusPods,
  ),
  networkPolicyPusherPods: text("networkPolicyPusherPods", nonEmptyLabelList).default(DEFAULTS.networkPolicyPusherPods),
});

type Fields = z.output<typeof fieldsSchema>;
/** `at`: where inside the field (a list's row and key), for the form to show it there. */
type Issue = { path: FieldName; message: string; at?: (string | number)[] };

/** Rules that span fields; each names the field the user has to change. */
function crossFieldIssues(c: Fields): Issue[] {
  const issues: Issue[] = [];
  const { profile } = profileFor(c.chartVersion);
  if (profile && c.serviceMonitorMode !== "auto" && !profile.modes[c.serviceMonitorMode].allowed) {
    issues.push({
      path: "serviceMonitorMode",
      message: `${FIELDS.serviceMonitorMode.label} "${c.serviceMonitorMode}" is not available for chart ${c.chartVersion}: ${profile.modes[c.serviceMonitorMode].reason}`,
    });
  } else if (profile && c.serviceMonitorMode !== "auto") {
    const support = modeSupport(profile, c.deploy, c.serviceMonitorMode);
    if (!support.allowed)
      issues.push({
        path: "serviceMonitorMode",
        message: `${FIELDS.serviceMonitorMode.label} "${c.serviceMonitorMode}" is not available when deploying with ${DEPLOY_LABELS[c.deploy]}: ${support.reason}`,
      });
  }
  if (profile?.webConfig === "chart" && usernameRule(c.username) === null) {
    const raw = rawUsernameRule(c.username);
    if (raw) issues.push({ path: "username", message: `${FIELDS.username.label} ${raw} (chart ${c.chartVersion})` });
  }
  for (const { index, message } of duplicateUsernames(c.username, c.pushers))
    issues.push({ path: "pushers", message, at: [index, "name"] });
  if (profile?.webConfig === "chart" && c.secretsAs !== "plain") {
    issues.push({
      path: "secretsAs",
      message: `${FIELDS.secretsAs.label} "${c.secretsAs}" needs chart ${EXISTING_SECRET_SINCE} or later: chart ${c.chartVersion} takes the password in values.yaml, which sealing the Secrets cannot protect`,
    });
  }
  if (c.secretsAs === "external" && c.secretStore === "")
    issues.push({
      path: "secretStore",
      message: `${FIELDS.secretStore.label} is needed with External Secrets: name the SecretStore or ClusterSecretStore`,
    });
  // A store setting given without External Secrets would be silently ignored: say so instead.
  for (const field of ["secretStore", "secretStoreKind", "remoteKey"] as const) {
    if (c.secretsAs !== "external" && c[field] !== DEFAULTS[field])
      issues.push({
        path: field,
        message: `${FIELDS[field].label} is only used with ${FIELDS.secretsAs.label} "external"`,
      });
  }
  if (c.secretsAs !== "plain" && c.sopsAge !== "")
    issues.push({
      path: "sopsAge",
      message: `${FIELDS.sopsAge.label} is SOPS guidance for plain Secrets: ${FIELDS.secretsAs.label} "${c.secretsAs}" already keeps them out of git`,
    });
  if (durationRule(c.interval) === null && durationRule(c.scrapeTimeout) === null) {
    if (durationMs(c.scrapeTimeout) > durationMs(c.interval)) {
      issues.push({
        path: "scrapeTimeout",
        message: `${FIELDS.scrapeTimeout.label} (${c.scrapeTimeout}) must not be longer than the scrape interval (${c.interval})`,
      });
    }
  }
  const namesValid =
    dnsLabelRule(c.releaseName, 53) === null &&
    (c.nameOverride === "" || dnsLabelRule(c.nameOverride) === null) &&
    (c.fullnameOverride === "" || dnsLabelRule(c.fullnameOverride) === null);
  const names = chartNames(c);
  const fullnameProblem = namesValid ? serviceNameRule(names.fullname) : null;
  if (fullnameProblem) {
    const path: FieldName = c.fullnameOverride ? "fullnameOverride" : "releaseName";
    issues.push({
      path,
      message: `${FIELDS[path].label} makes the chart name its Service "${names.fullname}", which ${fullnameProblem}`,
    });
  }
  for (const [key] of parseLabelList(c.prometheusSelector).pairs) {
    if (CHART_DEFAULT_LABEL_KEYS.includes(key)) {
      issues.push({
        path: "prometheusSelector",
        message: `${FIELDS.prometheusSelector.label} must not use "${key}": the chart sets that label itself`,
      });
    }
  }
  return issues;
}

/**
 * The config schema: field rules, defaults and cross-field rules. Use it with zodResolver
 * in the form and through {@link validateConfig} everywhere else.
 */
export const configSchema = fieldsSchema.superRefine((config, ctx) => {
  for (const issue of crossFieldIssues(config)) {
    ctx.addIssue({ code: "custom", path: [issue.path, ...(issue.at ?? [])], message: issue.message });
  }
});

/** A validated config with every default applied. */
export type Config = z.output<typeof configSchema>;
/** What a user may supply: every field but `password` is optional. */
export type ConfigInput = z.input<typeof configSchema>;

export interface FieldError {
  /** The field to fix, or `null` for input that is not an object at all. */
  field: FieldName | null;
  message: string;
}

export type ValidationResult = { ok: true; config: Config } | { ok: false; errors: FieldError[] };

/** Validates anything (never throws); errors name the field and the rule it breaks. */
export function validateConfig(input: unknown): ValidationResult {
  const result = configSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  const errors = result.error.issues.map((issue): FieldError => {
    const head = issue.path[0];
    const field = typeof head === "string" && head in FIELDS ? (head as FieldName) : null;
    return { field, message: field || issue.code === "custom" ? issue.message : "The config must be an object" };
  });
  return { ok: false, errors };
}

/** The ServiceMonitor namespace after applying its default (the release namespace). */
export function serviceMonitorNamespaceOf(config: Pick<Config, "serviceMonitorNamespace" | "namespace">): string {
  return config.serviceMonitorNamespace || config.namespace;
}

/**
 * The form's values with every field that does not apply back at its default: what is typed
 * into a hidden field (a secret store, then Plain Secrets chosen) is kept in the form, but
 * neither judged nor used nor shared.
 */
export function applicableValues<T extends Partial<Record<FieldName, unknown>>>(values: T): T {
  const hidden = FIELD_NAMES.filter(
    (f) => f in values && values[f] !== DEFAULTS[f] && !fieldShown(FIELDS[f] as FieldSpec, values),
  );
  return hidden.length ? { ...values, ...Object.fromEntries(hidden.map((f) => [f, DEFAULTS[f]])) } : values;
}
