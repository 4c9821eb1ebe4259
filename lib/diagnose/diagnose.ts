/**
 * Diagnosis of an existing setup: every reason Prometheus would get 401 from Pushgateway, or
 * would not scrape it at all, each with the evidence (file, path, value) and the fix. It asks
 * the same questions of the cluster view as the bundle checks (lib/engine/cluster-view.ts).
 */
import { getPath, isMap, truthy } from "../values/values";
import { readRawUsername, WEB_CONFIG_FLAG } from "../chart/web-config";
import { firstVersionWith, OLDEST_SUPPORTED_CHART_VERSION, type ChartProfile } from "../chart/versions";
import { parseLabelList, rawUsernameRule } from "../config/field-rules";
import { FIELDS } from "../config/schema";
import {
  basicAuthState,
  compareCredentials,
  namespaceSelected,
  secretKeyPath,
  targetingMonitors,
  unmatchedLabels,
  type ClusterView,
  type Placed,
  type SelectorState,
} from "../engine/cluster-view";
import type { Secret, ServiceMonitor } from "../k8s/types";
import { fileSource, inputSource, objectSource, showValue, type Source } from "./evidence";
import type { FileOrigin, IgnoredDocument, InputFile, InputProblem, KubeObject } from "./read-setup";
import {
  INSTANCE_LABEL,
  isChartObject,
  metadataOf,
  NAME_LABEL,
  resolveSetup,
  valueSource,
  type Fact,
  type GivenFacts,
  type ResolvedSetup,
} from "./resolve-setup";

export type Severity = "fail" | "warn" | "info";

/**
 * Every finding the diagnosis can report, with its severity and a short title. A finding may
 * be reported milder than listed where the setup still works (existing-secret-ignored is a
 * warning when basicAuthUsers keeps basic auth on).
 */
export const FINDINGS = {
  "chart-version-unsupported": { severity: "fail", title: "Chart version cannot do basic auth" },
  "conflicting-sources": { severity: "warn", title: "The files disagree" },
  "render-error": { severity: "fail", title: "The chart does not render" },
  "auth-off": { severity: "warn", title: "Basic auth is off" },
  "existing-secret-ignored": { severity: "fail", title: "webConfiguration.existingSecret is ignored" },
  "web-config-flag-repeated": { severity: "fail", title: "--web.config.file is given twice" },
  "web-config-missing": { severity: "fail", title: "The web config Secret is missing" },
  "web-config-invalid": { severity: "fail", title: "Pushgateway refuses the web config" },
  "web-config-not-verified": { severity: "info", title: "Web config not checked" },
  "raw-username-breaks": { severity: "fail", title: "The chart breaks the username" },
  "no-servicemonitor": { severity: "fail", title: "No ServiceMonitor for Pushgateway" },
  "service-selector-mismatch": { severity: "fail", title: "ServiceMonitor does not select the Service" },
  "port-name-mismatch": { severity: "fail", title: "ServiceMonitor scrapes a port the Service does not have" },
  "duplicate-servicemonitors": { severity: "fail", title: "Several ServiceMonitors scrape Pushgateway" },
  "chart-servicemonitor-no-basicauth": {
    severity: "fail",
    title: "This chart's ServiceMonitor cannot carry credentials",
  },
  "servicemonitor-no-basicauth": { severity: "fail", title: "ServiceMonitor has no basicAuth" },
  "secret-not-in-servicemonitor-namespace": {
    severity: "fail",
    title: "Scrape Secret is not in the ServiceMonitor's namespace",
  },
  "secret-key-missing": { severity: "fail", title: "Scrape Secret lacks the key" },
  "secret-not-verified": { severity: "info", title: "Scrape Secret not checked" },
  "unknown-user": { severity: "fail", title: "Pushgateway does not know the scrape user" },
  "password-mismatch": { severity: "fail", title: "Scrape password does not match" },
  "password-not-verified": { severity: "info", title: "Password not compared with the hash" },
  "prometheus-selector-mismatch": { severity: "fail", title: "Prometheus does not select the ServiceMonitor" },
  "prometheus-selector-unknown": { severity: "info", title: "Prometheus's selector not known" },
  "honor-labels": { severity: "warn", title: "honorLabels is not true" },
  "probes-without-credentials": { severity: "fail", title: "Probes get 401" },
  "plaintext-password-in-values": { severity: "warn", title: "Plaintext password in values.yaml" },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type FindingId = keyof typeof FINDINGS;

export interface Finding {
  id: FindingId;
  severity: Severity;
  title: string;
  /** What is wrong, naming the objects and values, and why Prometheus gets 401 or no scrape. */
  message: string;
  /** Where it shows: file, YAML path and value (or the chart default, or a fact the user gave). */
  evidence: Source[];
  /** What to change. */
  fix: string;
}

export interface DiagnosisReport {
  chartVersion: Fact<string>;
  releaseName: Fact<string>;
  namespace: Fact<string>;
  /** Failures first, then warnings, then what could not be checked. */
  findings: Finding[];
  /** No finding fails. */
  healthy: boolean;
  /** Documents the diagnosis did not use, and why. */
  ignored: { origin: FileOrigin; reason: string }[];
}

export interface DiagnoseOptions {
  /** Facts the files may not hold (CLI flags, form fields); given ones win over the files. */
  given?: GivenFacts;
  /**
   * bcrypt comparison of the password Prometheus sends (already trimmed as it trims it) with a
   * hash from the web config. Without it, or when it answers undefined, the password is
   * reported as not compared. A caller that runs bcrypt elsewhere (in a worker, say) can make
   * a first run whose callback records the (password, hash) pairs and answers undefined, then
   * a second run that answers.
   */
  passwordMatchesHash?: (password: string, hash: string) => boolean | undefined;
}

export type DiagnoseResult = { ok: true; report: DiagnosisReport } | { ok: false; problems: InputProblem[] };

const SEVERITY_ORDER: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };
// Chart versions that brought what the messages point to, from the version table.
const SM_BASIC_AUTH_SINCE = firstVersionWith((p) => p.serviceMonitorBasicAuth);
const EXISTING_SECRET_SINCE = firstVersionWith((p) => p.webConfig === "existing-secret");

interface Context {
  r: ResolvedSetup;
  view: ClusterView;
  profile: ChartProfile;
  version: string;
  /** Reports a finding, with the catalogue's severity unless `severity` says otherwise. */
  add: (id: FindingId, message: string, evidence: Source[], fix: string, severity?: Severity) => void;
  /** Evidence for a values path. */
  vs: (path: string | (string | number)[], secret?: boolean) => Source;
  /** Evidence inside a pasted object. */
  os: (placed: Placed<unknown>, path: (string | number)[], value: unknown, secret?: boolean) => Source;
}

function q(s: unknown): string {
  return JSON.stringify(s);
}

function nameOf(o: { metadata?: { name?: unknown; namespace?: unknown } }): string {
  return `${String(o.metadata?.namespace ?? "")}/${String(o.metadata?.name ?? "")}`;
}

function isFile(placed: Placed<unknown>): boolean {
  return placed.origin.kind === "file";
}

/** Rendered by the chart: from values, or pasted from the cluster with the chart's label. */
function chartMade(placed: Placed<unknown>): boolean {
  return !isFile(placed) || isChartObject(placed.object as KubeObject);
}

/** Diagnoses pasted files; never throws. See {@link FINDINGS} for what it reports. */
export function diagnoseSetup(files: readonly InputFile[], options: DiagnoseOptions = {}): DiagnoseResult {
  const resolved = resolveSetup(files, options.given ?? {});
  if (!resolved.ok) return { ok: false, problems: resolved.problems };
  const r = resolved.resolved;
  const findings: Finding[] = [];
  const add: Context["add"] = (id, message, evidence, fix, severity = FINDINGS[id].severity) =>
    findings.push({ id, severity, title: FINDINGS[id].title, message, evidence, fix });
  const ignored: IgnoredDocument[] = [...r.ignored];

  conflicts(r, add);
  if (!r.profile || !r.view) {
    add(
      "chart-version-unsupported",
      `Chart ${r.chartVersion.value} has no webConfiguration (it arrived in chart ${OLDEST_SUPPORTED_CHART_VERSION}), so basic auth cannot be set through its values.`,
      [r.chartVersion.source],
      `Upgrade the chart to ${OLDEST_SUPPORTED_CHART_VERSION} or later; ${EXISTING_SECRET_SINCE} and later keep the password out of values.yaml.`,
    );
  } else {
    const ctx: Context = {
      r,
      view: r.view,
      profile: r.profile,
      version: r.chartVersion.value,
      add,
      vs: (path, secret) => valueSource(r, path, secret),
      os: objectSource.bind(null, r.setup),
    };
    renderErrors(ctx);
    const authOn = authChecks(ctx);
    monitorChecks(ctx, authOn, options, ignored);
    probeChecks(ctx, authOn);
    plaintextCheck(ctx);
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return {
    ok: true,
    report: {
      chartVersion: r.chartVersion,
      releaseName: r.releaseName,
      namespace: r.namespace,
      findings,
      healthy: findings.every((f) => f.severity !== "fail"),
      ignored,
    },
  };
}

function conflicts(r: ResolvedSetup, add: Context["add"]): void {
  for (const field of ["chartVersion", "releaseName", "namespace"] as const) {
    const fact = r[field];
    if (!fact.alternatives.length) continue;
    add(
      "conflicting-sources",
      `${FIELDS[field].label} is ${q(fact.value)} here, but other places say ${fact.alternatives.map((s) => q(s.value)).join(", ")}; the diagnosis uses ${q(fact.value)}.`,
      [fact.source, ...fact.alternatives],
      `Paste files from one release only, or give the ${FIELDS[field].label.toLowerCase()} explicitly (${FIELDS[field].flag}).`,
    );
  }
  // Later values documents win, as with `helm -f a -f b`; say so when they disagree.
  const docs = r.setup.values;
  for (let i = 1; i < docs.length; i++) {
    const later = docs[i] as (typeof docs)[number];
    for (let j = 0; j < i; j++) {
      const earlier = docs[j] as (typeof docs)[number];
      for (const path of differingLeaves(earlier.values, later.values).slice(0, 5)) {
        const at = (d: typeof later) =>
          fileSource(
            r.setup,
            { kind: "file", file: d.file, document: d.document, path: [] },
            path,
            leaf(d.values, path),
            path[0] === "webConfiguration",
          );
        add(
          "conflicting-sources",
          `${later.file} and ${earlier.file} set ${path.join(".")} differently; ${later.file} wins because it comes later (as with helm -f ${earlier.file} -f ${later.file}).`,
          [at(later), at(earlier)],
          `Make sure the values file you edit is the one installed (compare with helm get values ${r.releaseName.value} -n ${r.namespace.value}).`,
        );
      }
    }
  }
}

// Keys that decide whether Prometheus can scrape; disagreements elsewhere are not our business.
const SCRAPE_ROOTS = new Set([
  "nameOverride",
  "fullnameOverride",
  "namespaceOverride",
  "webConfiguration",
  "serviceMonitor",
  "service",
  "extraArgs",
  "liveness",
  "readiness",
  "networkPolicy",
]);

function leaf(values: unknown, path: string[]): unknown {
  let node = values;
  for (const k of path) node = isMap(node) ? node[k] : undefined;
  return node;
}

function differingLeaves(a: unknown, b: unknown, prefix: string[] = []): string[][] {
  if (isMap(a) && isMap(b)) {
    return Object.keys(b)
      .filter((k) => prefix.length > 0 || SCRAPE_ROOTS.has(k))
      .filter((k) => Object.hasOwn(a, k))
      .flatMap((k) => differingLeaves(a[k], b[k], [...prefix, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function renderErrors(ctx: Context): void {
  for (const error of ctx.view.chart.errors) {
    ctx.add(
      "render-error",
      `helm would fail: ${error}.`,
      [ctx.vs("networkPolicy")],
      "Set networkPolicy.allowAll: true or networkPolicy.customSelectors, or remove networkPolicy.",
    );
  }
}

function basicAuthUsersOf(values: unknown): Record<string, unknown> {
  const users = getPath(values, "webConfiguration.basicAuthUsers");
  return isMap(users) ? users : {};
}

/** Checks how Pushgateway is told to require a password; returns whether it does. */
function authChecks(ctx: Context): boolean {
  const { r, profile, version } = ctx;
  const users = basicAuthUsersOf(r.values);
  const userNames = Object.keys(users);
  const existing = getPath(r.values, "webConfiguration.existingSecret");

  if (profile.webConfig === "chart" && truthy(existing)) {
    // With users listed, the chart's own web config still requires them: a surprise, not a 401.
    ctx.add(
      "existing-secret-ignored",
      `Chart ${version} does not read webConfiguration.existingSecret (chart ${EXISTING_SECRET_SINCE} added it): it renders its own web config from webConfiguration.basicAuthUsers${userNames.length ? ", so the Secret named there is not what Pushgateway checks" : ", which is empty, so Pushgateway asks for no password at all"}.`,
      [ctx.vs("webConfiguration.existingSecret"), r.chartVersion.source],
      `Upgrade to chart ${EXISTING_SECRET_SINCE} or later to use existingSecret, or remove it and list the user in webConfiguration.basicAuthUsers.`,
      userNames.length ? "warn" : "fail",
    );
  }
  if (r.extraArgs && (r.auth.kind === "chart" || r.auth.kind === "existing-secret")) {
    ctx.add(
      "web-config-flag-repeated",
      `extraArgs passes ${WEB_CONFIG_FLAG} and so does the chart, because webConfiguration is set: Pushgateway exits with "flag 'web.config.file' cannot be repeated" and nothing can be scraped.`,
      [ctx.vs(["extraArgs", r.extraArgs.argIndex]), ctx.vs("webConfiguration")],
      `Remove the ${WEB_CONFIG_FLAG} entry from extraArgs; the chart mounts its own web config.`,
    );
  }
  switch (r.auth.kind) {
    case "none":
      ctx.add(
        "auth-off",
        r.auth.evidence
          ? `Pushgateway runs without basic auth: its Deployment passes no ${WEB_CONFIG_FLAG}. Prometheus gets no 401, but anyone who can reach Pushgateway can push or delete metrics.`
          : `Pushgateway runs without basic auth: webConfiguration is empty and extraArgs has no ${WEB_CONFIG_FLAG}. Prometheus gets no 401, but anyone who can reach Pushgateway can push or delete metrics.`,
        [r.auth.evidence ?? ctx.vs("webConfiguration")],
        `Turn basic auth on: pushgateway-auth generates the values and Secrets for chart ${version}.`,
      );
      return false;
    case "unknown":
      ctx.add(
        "web-config-not-verified",
        "No values file is pasted, and no pasted object shows which Secret Pushgateway reads its web config from (the chart's defaults are not assumed to apply): the users and the password could not be checked.",
        [],
        `Paste the values too (helm get values ${r.releaseName.value} -n ${r.namespace.value}), or the Deployment (kubectl get deployment ${ctx.view.chart.fullname} -n ${ctx.view.chart.namespace} -o yaml).`,
      );
      return true;
    case "chart":
      return chartWebConfigChecks(ctx, users);
    default:
      return secretWebConfigChecks(ctx);
  }
}

function chartWebConfigChecks(ctx: Context, users: Record<string, unknown>): boolean {
  const { r } = ctx;
  const names = Object.keys(users);
  if (names.length === 0) {
    if (!truthy(getPath(r.values, "webConfiguration.existingSecret"))) {
      ctx.add(
        "auth-off",
        "webConfiguration is set but webConfiguration.basicAuthUsers is empty: the chart renders a web config without users and Pushgateway asks for no password.",
        [ctx.vs("webConfiguration")],
        "List the scrape user in webConfiguration.basicAuthUsers (pushgateway-auth writes it for you).",
      );
    }
    return false;
  }
  for (const user of names) {
    const read = readRawUsername(user);
    if (read.survives) continue;
    const rule = rawUsernameRule(user);
    ctx.add(
      "raw-username-breaks",
      read.error
        ? `The chart writes username ${q(user)} unquoted into its web config, where it does not parse (${read.error}): Pushgateway does not start.`
        : `The chart writes username ${q(user)} unquoted into its web config, where it reads back as ${q(read.readsAs ?? "")}: Prometheus, sending ${q(user)}, gets 401.`,
      [ctx.vs(["webConfiguration", "basicAuthUsers", user], true)],
      `Pick a username that ${rule ? rule.replace(/^must be /, "is ") : "is a plain YAML word"}, or use chart ${EXISTING_SECRET_SINCE} or later, where pushgateway-auth writes the web config itself and quotes the name.`,
    );
  }
  return true;
}

/** The web config in a Secret the user provides (existingSecret, extraArgs and extraVolumes, or pasted objects). */
function secretWebConfigChecks(ctx: Context): boolean {
  const { r, view } = ctx;
  const state = r.webConfig;
  const mount = r.extraArgs;
  const nameSource =
    r.auth.kind === "existing-secret"
      ? ctx.vs("webConfiguration.existingSecret.name")
      : r.auth.kind === "pasted"
        ? r.auth.evidence
        : mount?.secret
          ? ctx.vs(["extraVolumes", mount.secret.volumeIndex, "secret", "secretName"])
          : ctx.vs(["extraArgs", mount?.argIndex ?? 0]);
  if (!state?.secretName) {
    ctx.add(
      "web-config-not-verified",
      `extraArgs passes ${WEB_CONFIG_FLAG}, but no extraVolumes and extraVolumeMounts entry says which Secret holds that file, so the users and the password could not be checked.`,
      [nameSource],
      "Mount the web config from a Secret through extraVolumes and extraVolumeMounts, or better, use webConfiguration.",
    );
    return true;
  }
  const where = `${state.namespace}/${state.secretName}`;
  if (!state.secret) {
    const elsewhere = view.secrets.filter((s) => s.object.metadata?.name === state.secretName);
    if (elsewhere.length) {
      ctx.add(
        "web-config-missing",
        `The pod mounts Secret ${state.secretName} as its web config from its own namespace ${state.namespace}, but that Secret is in ${elsewhere.map((s) => s.object.metadata?.namespace).join(", ")}: the pod does not start.`,
        [
          nameSource,
          ...elsewhere.filter(isFile).map((s) => ctx.os(s, ["metadata", "namespace"], s.object.metadata?.namespace)),
        ],
        `Create the web config Secret in namespace ${state.namespace}.`,
      );
    } else {
      ctx.add(
        "web-config-not-verified",
        `Secret ${where}, which holds Pushgateway's web config, is not among the pasted files, so the users and the password hash could not be checked.`,
        [nameSource],
        `Paste it too: kubectl get secret ${state.secretName} -n ${state.namespace} -o yaml`,
      );
    }
    return true;
  }
  const secret = state.secret;
  const keyPath = secretKeyPath(secret.object, state.key);
  if (state.text === undefined) {
    ctx.add(
      "web-config-missing",
      `Secret ${where} has no key ${q(state.key)} (it has ${q(secretKeys(secret.object))}): Pushgateway finds no web config file and does not start.`,
      [
        nameSource,
        isFile(secret) ? ctx.os(secret, secretDataRoot(secret.object), secretKeys(secret.object)) : nameSource,
      ],
      `Store the web config under the key ${state.key}.`,
    );
  } else if (state.error) {
    ctx.add(
      "web-config-invalid",
      `Pushgateway refuses the web config in Secret ${where}: ${state.error}; it does not start.`,
      [isFile(secret) ? ctx.os(secret, keyPath, undefined, true) : nameSource],
      "Write a web config with only basic_auth_users (and tls_server_config, http_server_config, rate_limit) and bcrypt hashes.",
    );
  }
  return true;
}

function secretKeys(secret: Secret): string[] {
  return [
    ...Object.keys(isMap(secret.data) ? secret.data : {}),
    ...Object.keys(isMap(secret.stringData) ? secret.stringData : {}),
  ];
}

function secretDataRoot(secret: Secret): string[] {
  return isMap(secret.stringData) && !isMap(secret.data) ? ["stringData"] : ["data"];
}

/** ServiceMonitors that look meant for Pushgateway, though they may not select it. */
function meantForPushgateway(ctx: Context, sm: Placed<ServiceMonitor>): boolean {
  if (!isFile(sm)) return true;
  const o = sm.object as unknown as KubeObject;
  if (isChartObject(o)) return true;
  const wanted = getPath(o, "spec.selector.matchLabels");
  const labels = ctx.view.service.object.metadata?.labels ?? {};
  const shares =
    isMap(wanted) &&
    [NAME_LABEL, INSTANCE_LABEL, "app"].some((k) => wanted[k] !== undefined && wanted[k] === labels[k]);
  return shares || /pushgateway/.test(String(metadataOf(o).name)) || /pushgateway/.test(JSON.stringify(wanted ?? ""));
}

/**
 * Evidence for a field of a ServiceMonitor: in the pasted object, or the values the chart built
 * it from; for a pasted object the chart made, both (the values are what the user edits).
 */
function smSources(
  ctx: Context,
  sm: Placed<ServiceMonitor>,
  path: (string | number)[],
  value: unknown,
  valuesPath: string | (string | number)[],
): Source[] {
  if (!isFile(sm)) return [ctx.vs(valuesPath)];
  const own = ctx.os(sm, path, value);
  return isChartObject(sm.object as unknown as KubeObject) ? [own, ctx.vs(valuesPath)] : [own];
}

function monitorChecks(ctx: Context, authOn: boolean, options: DiagnoseOptions, ignored: IgnoredDocument[]): void {
  const { view, r } = ctx;
  const service = view.service.object;
  const serviceName = `${view.chart.namespace}/${service.metadata?.name}`;
  const targeting = targetingMonitors(view);
  const candidates = view.serviceMonitors.filter((sm) => targeting.includes(sm) || meantForPushgateway(ctx, sm));
  for (const sm of view.serviceMonitors) {
    if (!candidates.includes(sm) && sm.origin.kind === "file") {
      ignored.push({ origin: sm.origin, reason: "the ServiceMonitor does not look meant for Pushgateway" });
    }
  }

  if (targeting.length === 0) {
    for (const sm of candidates) selectorMismatch(ctx, sm);
    if (candidates.length === 0) {
      const enabled = truthy(getPath(r.values, "serviceMonitor.enabled"));
      ctx.add(
        "no-servicemonitor",
        `No ServiceMonitor selects Service ${serviceName}: ${enabled ? "" : r.valuesKnown ? "the chart's own is disabled (serviceMonitor.enabled is not true) and " : "no values are pasted to say whether the chart makes one, and "}none of the pasted files holds one for it. The Prometheus Operator will not scrape Pushgateway.`,
        [ctx.vs("serviceMonitor.enabled")],
        ctx.profile.serviceMonitorBasicAuth
          ? "Set serviceMonitor.enabled: true with serviceMonitor.basicAuth; if you already have a ServiceMonitor, paste it too (kubectl get servicemonitor -A -o yaml)."
          : "Apply a ServiceMonitor with basicAuth (pushgateway-auth generates one); if you already have one, paste it too (kubectl get servicemonitor -A -o yaml).",
      );
    }
    return;
  }
  if (targeting.length > 1) {
    ctx.add(
      "duplicate-servicemonitors",
      `${targeting.length} ServiceMonitors select Service ${serviceName}: ${targeting.map((sm) => `${nameOf(sm.object)}${isFile(sm) ? "" : " (rendered by the chart)"}`).join(", ")}. Prometheus scrapes Pushgateway once for each, so every series is duplicated, and one without working credentials is a target that is down with 401.`,
      targeting.flatMap((sm) =>
        smSources(ctx, sm, ["metadata", "name"], sm.object.metadata?.name, "serviceMonitor.enabled"),
      ),
      "Keep one: set serviceMonitor.enabled: false, or delete the other (kubectl delete servicemonitor -n NAMESPACE NAME).",
    );
  }
  let selectorUnknown = false;
  for (const sm of targeting) {
    portCheck(ctx, sm);
    if (authOn) credentialChecks(ctx, sm, options);
    selectorUnknown = prometheusCheck(ctx, sm) || selectorUnknown;
    const endpoint = sm.object.spec?.endpoints?.[0];
    if (isMap(endpoint) && endpoint.honorLabels !== true) {
      ctx.add(
        "honor-labels",
        `ServiceMonitor ${nameOf(sm.object)} does not set honorLabels: true, so Prometheus replaces the job and instance labels of pushed metrics with its own.`,
        smSources(ctx, sm, ["spec", "endpoints", 0, "honorLabels"], endpoint.honorLabels, "serviceMonitor.honorLabels"),
        chartMade(sm) ? "Set serviceMonitor.honorLabels: true." : "Set spec.endpoints[0].honorLabels: true.",
      );
    }
  }
  if (selectorUnknown) {
    ctx.add(
      "prometheus-selector-unknown",
      "Which ServiceMonitors your Prometheus selects is not known: kube-prometheus-stack, for one, ignores those without its release label.",
      [],
      `Paste your Prometheus object (kubectl get prometheus -A -o yaml) or give the label (${FIELDS.prometheusSelector.flag} release=kube-prometheus-stack).`,
    );
  }
}

function selectorMismatch(ctx: Context, sm: Placed<ServiceMonitor>): void {
  const { view, r } = ctx;
  const o = sm.object;
  const service = view.service.object;
  const evidence: Source[] = [];
  const reasons: string[] = [];
  if (!namespaceSelected(o, view.chart.namespace)) {
    const names = o.spec?.namespaceSelector?.matchNames;
    reasons.push(
      Array.isArray(names) && names.length
        ? `it looks in namespaces ${q(names)}, but the Service is in ${view.chart.namespace}`
        : `without a namespaceSelector it looks only in its own namespace ${o.metadata?.namespace}, but the Service is in ${view.chart.namespace}`,
    );
    evidence.push(
      isFile(sm)
        ? ctx.os(sm, ["spec", "namespaceSelector"], o.spec?.namespaceSelector)
        : ctx.vs("serviceMonitor.namespace"),
      r.namespace.source,
    );
  }
  const missing = unmatchedLabels(o.spec?.selector?.matchLabels, service.metadata?.labels);
  if (missing.length) {
    const has = (k: string) => service.metadata?.labels?.[k];
    reasons.push(
      `it selects ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}, but the Service is labelled ${missing.map(([k]) => (has(k) === undefined ? `without ${k}` : `${k}=${has(k)}`)).join(", ")}`,
    );
    for (const [k, v] of missing) {
      evidence.push(
        isFile(sm) ? ctx.os(sm, ["spec", "selector", "matchLabels", k], v) : ctx.vs("serviceMonitor.enabled"),
      );
      if (isFile(view.service)) evidence.push(ctx.os(view.service, ["metadata", "labels", k], has(k)));
      else if (k === INSTANCE_LABEL) evidence.push(r.releaseName.source);
      else if (k === NAME_LABEL) evidence.push(ctx.vs("nameOverride"));
    }
  }
  const chartLabels = `${NAME_LABEL}=${service.metadata?.labels?.[NAME_LABEL]}, ${INSTANCE_LABEL}=${service.metadata?.labels?.[INSTANCE_LABEL]}`;
  ctx.add(
    "service-selector-mismatch",
    `ServiceMonitor ${nameOf(o)} does not select Service ${view.chart.namespace}/${service.metadata?.name}: ${reasons.join("; ")}. Prometheus does not scrape Pushgateway.`,
    evidence,
    `Select the chart's labels (${chartLabels}) and set namespaceSelector.matchNames: [${view.chart.namespace}].`,
  );
}

function portCheck(ctx: Context, sm: Placed<ServiceMonitor>): void {
  const { view } = ctx;
  const endpoint = sm.object.spec?.endpoints?.[0];
  if (!isMap(endpoint)) return;
  const ports = Array.isArray(view.service.object.spec?.ports) ? view.service.object.spec.ports : [];
  const names = ports.map((p) => (isMap(p) ? p.name : undefined));
  const port = endpoint.port;
  const targetPort = endpoint.targetPort;
  // targetPort names the container's port, which the chart calls `metrics` (9091).
  if (port === undefined && (targetPort === 9091 || targetPort === "metrics")) return;
  if (typeof port === "string" && names.includes(port)) return;
  const servicePort = isFile(view.service)
    ? ctx.os(view.service, ["spec", "ports"], names)
    : ctx.vs("service.portName");
  ctx.add(
    "port-name-mismatch",
    `ServiceMonitor ${nameOf(sm.object)} scrapes port ${q(port)}, but Service ${view.chart.namespace}/${view.service.object.metadata?.name} names its port ${names.map((n) => q(n)).join(", ")}${port === "metrics" ? " (\"metrics\" is the container's port; a ServiceMonitor's port names a Service port)" : ""}. The Operator finds no endpoint to scrape.`,
    [...smSources(ctx, sm, ["spec", "endpoints", 0, "port"], port, "service.portName"), servicePort],
    `Set spec.endpoints[0].port to ${q(names[0] ?? "http")}.`,
  );
}

function selectorSources(ctx: Context, sm: Placed<ServiceMonitor>, f: SelectorState, part: "name" | "key"): Source[] {
  return smSources(
    ctx,
    sm,
    ["spec", "endpoints", 0, "basicAuth", f.field, part],
    f.selector?.[part],
    `serviceMonitor.basicAuth.${f.field}.${part}`,
  );
}

function credentialChecks(ctx: Context, sm: Placed<ServiceMonitor>, options: DiagnoseOptions): void {
  const { view, r, profile, version } = ctx;
  const state = basicAuthState(view, sm.object);
  const smName = nameOf(sm.object);
  const smNamespaceSources = smSources(ctx, sm, ["metadata", "namespace"], state.namespace, "serviceMonitor.namespace");
  if (!state.auth) {
    if (!profile.serviceMonitorBasicAuth && chartMade(sm)) {
      ctx.add(
        "chart-servicemonitor-no-basicauth",
        `Chart ${version}'s ServiceMonitor cannot carry basicAuth (serviceMonitor.basicAuth arrived in chart ${SM_BASIC_AUTH_SINCE}), so Prometheus scrapes ${smName} without credentials and gets 401.`,
        [
          r.chartVersion.source,
          ...smSources(ctx, sm, ["spec", "endpoints", 0], sm.object.spec?.endpoints?.[0], "serviceMonitor.enabled"),
        ],
        `Set serviceMonitor.enabled: false and apply a standalone ServiceMonitor with basicAuth, or add basicAuth with a Helm post-renderer patch (pushgateway-auth generates either), or upgrade to chart ${SM_BASIC_AUTH_SINCE} or later.`,
      );
    } else {
      ctx.add(
        "servicemonitor-no-basicauth",
        !chartMade(sm)
          ? `ServiceMonitor ${smName} has no basicAuth on its endpoint, so Prometheus scrapes without credentials and gets 401.`
          : `The chart's ServiceMonitor ${smName} has no basicAuth: serviceMonitor.basicAuth is empty${profile.chartCreatesScrapeSecret ? " and the chart fills it in by itself only from webConfiguration.basicAuthUsers, which is empty" : ""}. Prometheus gets 401.`,
        smSources(ctx, sm, ["spec", "endpoints", 0], sm.object.spec?.endpoints?.[0], "serviceMonitor.basicAuth"),
        !chartMade(sm)
          ? `Add spec.endpoints[0].basicAuth naming a kubernetes.io/basic-auth Secret in namespace ${state.namespace}.`
          : `Set serviceMonitor.basicAuth.username and .password to a Secret in namespace ${state.namespace}, the ServiceMonitor's.`,
      );
    }
    return;
  }

  // Group the username and password selectors by Secret, so one missing Secret is one finding.
  const byProblem = new Map<string, SelectorState[]>();
  for (const f of state.fields) {
    const problem = !f.selector
      ? "no-selector"
      : !f.secret
        ? `no-secret:${f.selector.name}`
        : f.value === undefined
          ? `no-key:${f.field}`
          : null;
    if (problem) byProblem.set(problem, [...(byProblem.get(problem) ?? []), f]);
  }
  for (const [problem, fields] of byProblem) {
    const first = fields[0] as SelectorState;
    const which = fields.map((f) => `basicAuth.${f.field}`).join(" and ");
    if (problem === "no-selector") {
      ctx.add(
        "servicemonitor-no-basicauth",
        `ServiceMonitor ${smName} has basicAuth without ${which}: the Operator cannot build credentials and Prometheus gets 401.`,
        smSources(ctx, sm, ["spec", "endpoints", 0, "basicAuth"], state.auth, "serviceMonitor.basicAuth"),
        "Give both basicAuth.username and basicAuth.password as {name, key} of a Secret.",
      );
    } else if (problem.startsWith("no-secret:")) {
      const name = String(first.selector?.name);
      const elsewhere = view.secrets.filter((s) => s.object.metadata?.name === name);
      if (elsewhere.length) {
        const namespaces = elsewhere.map((s) => s.object.metadata?.namespace);
        ctx.add(
          "secret-not-in-servicemonitor-namespace",
          `ServiceMonitor ${smName} reads ${which} from Secret ${name} in its own namespace ${state.namespace}, the only one the Operator looks in, but that Secret is in ${namespaces.join(", ")}. The Operator skips the ServiceMonitor and Prometheus does not scrape Pushgateway.`,
          [
            ...fields.flatMap((f) => selectorSources(ctx, sm, f, "name")),
            ...smNamespaceSources,
            ...elsewhere.map((s) =>
              isFile(s)
                ? ctx.os(s, ["metadata", "namespace"], s.object.metadata?.namespace)
                : ctx.vs("serviceMonitor.namespace"),
            ),
          ],
          `Create Secret ${name} in namespace ${state.namespace}, where the ServiceMonitor is${!chartMade(sm) ? "" : `, or set serviceMonitor.namespace to ${namespaces[0]}`}.`,
        );
      } else {
        ctx.add(
          "secret-not-verified",
          `Secret ${state.namespace}/${name}, which ServiceMonitor ${smName} reads ${which} from, is not among the pasted files, so its keys and the password could not be checked.`,
          fields.flatMap((f) => selectorSources(ctx, sm, f, "name")),
          `Paste it too: kubectl get secret ${name} -n ${state.namespace} -o yaml`,
        );
      }
    } else {
      const secret = first.secret as Placed<Secret>;
      const keys = secretKeys(secret.object);
      ctx.add(
        "secret-key-missing",
        `Secret ${nameOf(secret.object)} has no key ${q(first.selector?.key)} for ${which} (its keys: ${q(keys)}). The Operator skips ServiceMonitor ${smName} and Prometheus does not scrape Pushgateway.`,
        [
          ...selectorSources(ctx, sm, first, "key"),
          isFile(secret) ? ctx.os(secret, secretDataRoot(secret.object), keys) : ctx.vs("serviceMonitor.basicAuth"),
        ],
        `Point basicAuth.${first.field}.key at one of ${q(keys)}, or add the key ${q(first.selector?.key)} to the Secret.`,
      );
    }
  }

  const web = r.webConfig;
  if (!web?.users || state.username === undefined || state.password === undefined) return;
  const verdict = compareCredentials(view, web.users, state.username, state.password, options.passwordMatchesHash);
  const userField = state.fields.find((f) => f.field === "username") as SelectorState;
  const passwordField = state.fields.find((f) => f.field === "password") as SelectorState;
  const secretSource = (f: SelectorState, secret: boolean) =>
    f.secret && isFile(f.secret)
      ? ctx.os(f.secret, secretKeyPath(f.secret.object, String(f.selector?.key)), f.value, secret)
      : (selectorSources(ctx, sm, f, "key")[0] as Source);
  const chartUsers = r.auth.kind === "chart" && web.secret?.origin.kind === "chart";
  const webUsersSource = (user: string | null): Source => {
    if (chartUsers) {
      return user === null
        ? { ...ctx.vs("webConfiguration.basicAuthUsers", true), value: showValue([...web.users!.keys()]) }
        : ctx.vs(["webConfiguration", "basicAuthUsers", user], true);
    }
    if (web.secret && isFile(web.secret)) {
      const source = ctx.os(web.secret, secretKeyPath(web.secret.object, web.key), undefined, true);
      return user === null ? { ...source, value: showValue([...web.users!.keys()]) } : source;
    }
    return ctx.vs("webConfiguration");
  };
  if (verdict.status === "unknown-user") {
    ctx.add(
      "unknown-user",
      `Prometheus sends user ${q(state.username)} (Secret ${nameOf(userField.secret!.object)}), but the web config only knows ${q([...web.users.keys()])}: Pushgateway answers 401.`,
      [secretSource(userField, false), webUsersSource(null)],
      "Use the same username in the scrape Secret and in the web config.",
    );
  } else if (verdict.status === "mismatch") {
    ctx.add(
      "password-mismatch",
      verdict.by === "plaintext"
        ? `The password in Secret ${nameOf(passwordField.secret!.object)} (key ${passwordField.selector?.key}) is not the one in webConfiguration.basicAuthUsers.${state.username}, which the chart hashes into the web config: Pushgateway answers 401.`
        : `The password in Secret ${nameOf(passwordField.secret!.object)} (key ${passwordField.selector?.key}) does not match the bcrypt hash for user ${q(state.username)} in the web config Secret ${web.namespace}/${web.secretName}: Pushgateway answers 401.`,
      [secretSource(passwordField, true), webUsersSource(state.username)],
      verdict.by === "plaintext"
        ? "Put the same password in both places (pushgateway-auth generates both from one)."
        : "Put the password behind the hash into the scrape Secret, or hash the scrape password into the web config (pushgateway-auth generates both from one).",
    );
  } else if (verdict.status === "unverified") {
    ctx.add(
      "password-not-verified",
      `The scrape password was not compared with the bcrypt hash of user ${q(state.username)} in Secret ${web.namespace}/${web.secretName}.`,
      [secretSource(passwordField, true), webUsersSource(state.username)],
      "Compare them where bcrypt can run: the CLI (npm run diagnose) compares hashes of cost 16 or less.",
    );
  }
}

/** Checks that Prometheus selects the ServiceMonitor; true when it cannot tell. */
function prometheusCheck(ctx: Context, sm: Placed<ServiceMonitor>): boolean {
  const { r } = ctx;
  const labels = isMap(sm.object.metadata?.labels) ? sm.object.metadata.labels : {};
  // The label in question when the ServiceMonitor has it (with another value), else all of them.
  const labelsSources = (keys: string[]) => {
    const one = keys.length === 1 && Object.hasOwn(labels, keys[0] as string) ? (keys[0] as string) : null;
    return smSources(
      ctx,
      sm,
      one ? ["metadata", "labels", one] : ["metadata", "labels"],
      one ? labels[one] : labels,
      one ? ["serviceMonitor", "additionalLabels", one] : "serviceMonitor.additionalLabels",
    );
  };
  if (r.prometheuses.length) {
    const verdicts = r.prometheuses.map((p) => prometheusSelects(p.object, sm.object));
    if (verdicts.some((v) => v.labels.length === 0 && v.namespace === true && !v.selectsNothing)) return false;
    if (verdicts.some((v) => v.labels.length === 0 && v.namespace === null && !v.selectsNothing)) return true;
    const p = r.prometheuses[0] as Placed<KubeObject>;
    const v = verdicts[0] as PrometheusVerdict;
    const reasons: string[] = [];
    const evidence: Source[] = [];
    if (v.selectsNothing) {
      reasons.push("its serviceMonitorSelector is not set, which selects no ServiceMonitor at all");
      evidence.push(ctx.os(p, ["spec"], "serviceMonitorSelector not set"));
    } else if (v.labels.length) {
      reasons.push(`it selects ServiceMonitors with ${v.labels.join(", ")}, which ${nameOf(sm.object)} lacks`);
      evidence.push(ctx.os(p, ["spec", "serviceMonitorSelector"], getPath(p.object, "spec.serviceMonitorSelector")));
      evidence.push(...labelsSources(v.labelKeys));
    }
    if (v.namespace === false) {
      reasons.push(`it only looks for ServiceMonitors in ${v.namespaceNote}, not in ${sm.object.metadata?.namespace}`);
      evidence.push(
        ctx.os(
          p,
          ["spec", "serviceMonitorNamespaceSelector"],
          getPath(p.object, "spec.serviceMonitorNamespaceSelector") ?? null,
        ),
      );
    }
    ctx.add(
      "prometheus-selector-mismatch",
      `Prometheus ${nameOf(p.object as { metadata?: { name?: unknown; namespace?: unknown } })} ignores ServiceMonitor ${nameOf(sm.object)}: ${reasons.join("; ")}. Pushgateway is never scraped.`,
      evidence,
      v.labels.length
        ? `Label the ServiceMonitor ${v.labels.join(", ")}${chartMade(sm) ? " (serviceMonitor.additionalLabels in values.yaml)" : ""}.`
        : "Widen the Prometheus's serviceMonitorSelector or serviceMonitorNamespaceSelector, or move the ServiceMonitor.",
    );
    return false;
  }
  const given = r.given.prometheusSelector;
  if (typeof given === "string") {
    const { pairs, error } = parseLabelList(given);
    if (error) return true;
    const missing = pairs.filter(([k, v]) => labels[k] !== v);
    if (missing.length) {
      ctx.add(
        "prometheus-selector-mismatch",
        `Prometheus selects ServiceMonitors labelled ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}, which ${nameOf(sm.object)} lacks: Pushgateway is never scraped.`,
        [inputSource("prometheusSelector", given), ...labelsSources(missing.map(([k]) => k))],
        `Label the ServiceMonitor ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}${chartMade(sm) ? " (serviceMonitor.additionalLabels in values.yaml)" : ""}.`,
      );
    }
    return false;
  }
  return true;
}

interface PrometheusVerdict {
  selectsNothing: boolean;
  /** `k=v` requirements the ServiceMonitor's labels fail. */
  labels: string[];
  labelKeys: string[];
  /** Whether the namespace selector admits the ServiceMonitor's namespace; null when unknown. */
  namespace: boolean | null;
  namespaceNote: string;
}

/** How a Prometheus object's serviceMonitorSelector and serviceMonitorNamespaceSelector treat `sm`. */
function prometheusSelects(prometheus: KubeObject, sm: ServiceMonitor): PrometheusVerdict {
  const selector = getPath(prometheus, "spec.serviceMonitorSelector");
  const labels: Record<string, unknown> = isMap(sm.metadata?.labels) ? sm.metadata.labels : {};
  const failed: [string, string][] = [];
  // A null selector selects nothing; an empty one selects everything (Prometheus Operator API).
  const selectsNothing = !isMap(selector);
  if (isMap(selector)) {
    failed.push(...unmatchedLabels(isMap(selector.matchLabels) ? selector.matchLabels : {}, labels));
    for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
      if (!isMap(e) || typeof e.key !== "string") continue;
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = Object.hasOwn(labels, e.key);
      const value = String(labels[e.key]);
      const ok =
        e.operator === "In"
          ? has && values.includes(value)
          : e.operator === "NotIn"
            ? !has || !values.includes(value)
            : e.operator === "Exists"
              ? has
              : e.operator === "DoesNotExist"
                ? !has
                : true;
      if (!ok) failed.push([e.key, `${String(e.operator)} ${q(values)}`]);
    }
  }
  const nsSelector = getPath(prometheus, "spec.serviceMonitorNamespaceSelector");
  const own = metadataOf(prometheus).namespace;
  const smNamespace = sm.metadata?.namespace;
  let namespace: boolean | null;
  let namespaceNote = "";
  if (!isMap(nsSelector)) {
    // A null namespace selector means the Prometheus object's own namespace only.
    namespace = smNamespace === own;
    namespaceNote = `its own namespace ${own}`;
  } else if (Object.keys(nsSelector).length === 0) namespace = true;
  else {
    const match = isMap(nsSelector.matchLabels) ? nsSelector.matchLabels : {};
    const onlyName =
      Object.keys(nsSelector).every((k) => k === "matchLabels") &&
      Object.keys(match).every((k) => k === "kubernetes.io/metadata.name");
    namespace = onlyName ? match["kubernetes.io/metadata.name"] === smNamespace : null;
    namespaceNote = `namespace ${String(match["kubernetes.io/metadata.name"])}`;
  }
  return {
    selectsNothing,
    labels: failed.map(([k, v]) => (v.includes(" ") ? `${k} ${v}` : `${k}=${v}`)),
    labelKeys: failed.map(([k]) => k),
    namespace,
    namespaceNote,
  };
}

function probeChecks(ctx: Context, authOn: boolean): void {
  const { view, r, version, profile } = ctx;
  if (!authOn || r.auth.kind !== "extra-args" || !r.extraArgs) return;
  const bare = [view.chart.liveness, view.chart.readiness].filter((p) => p.kind === "http" && !p.authorization);
  if (!bare.length) return;
  ctx.add(
    "probes-without-credentials",
    `Pushgateway requires basic auth through extraArgs (${WEB_CONFIG_FLAG}), but the chart adds an Authorization header to its liveness and readiness probes only for webConfiguration.basicAuthUsers: the probes get 401 and Kubernetes restarts the pod again and again.`,
    [ctx.vs(["extraArgs", r.extraArgs.argIndex]), ctx.vs("liveness.enabled"), ctx.vs("readiness.enabled")],
    `Configure basic auth with webConfiguration instead (chart ${version} then ${profile.probes === "tcp-socket" ? "switches the probes to tcpSocket with existingSecret" : "gives the probes the Authorization header"}) and remove ${WEB_CONFIG_FLAG} from extraArgs.`,
  );
}

function plaintextCheck(ctx: Context): void {
  const { r, profile, version } = ctx;
  const users = Object.keys(basicAuthUsersOf(r.values));
  if (profile.webConfig !== "existing-secret" || users.length === 0) return;
  const ignoredHere = r.auth.kind === "existing-secret";
  ctx.add(
    "plaintext-password-in-values",
    `webConfiguration.basicAuthUsers holds ${users.length === 1 ? "a plaintext password" : "plaintext passwords"}${ignoredHere ? " the chart does not even use (existingSecret is set)" : ", which the chart re-hashes with a new salt at every render (drift in GitOps tools)"}; chart ${version} can keep them out of values.yaml with webConfiguration.existingSecret.`,
    users.map((u) => ctx.vs(["webConfiguration", "basicAuthUsers", u], true)),
    "Keep a bcrypt-hashed web config in a Secret, set webConfiguration.existingSecret.name to it and remove basicAuthUsers (pushgateway-auth generates both).",
  );
}
