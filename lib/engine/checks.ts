/**
 * Stage 4: consistency checks. They read the bundle back from its text, render what the chart
 * will add (Service, its ServiceMonitor, its Secrets, probes), apply the patch, and check that
 * Prometheus can scrape Pushgateway: every reference resolves, every label matches.
 */
import { base64Utf8, getPath, isMap, type Values } from "../values/values";
import { isNewerThanKnown, NEWEST_KNOWN_CHART_VERSION } from "../chart/versions";
import { durationMs, durationRule } from "../config/field-rules";
import type { Config } from "../config/schema";
import type { JsonPatchOperation, Secret, ServiceMonitor } from "../k8s/types";
import { WEB_CONFIG_KEY } from "../chart/web-config";
import {
  applyJsonPatch,
  basicAuthState,
  buildClusterView,
  compareCredentials,
  renderChartShape,
  selects,
  targetingMonitors,
  webConfigState,
  type ClusterView,
  type Placed,
} from "./cluster-view";
import { FILE_NAMES } from "./generate";
import { planBundle, type Plan } from "./plan";
import { parseYamlDocuments } from "../yaml/serialize";

export type CheckStatus = "pass" | "warn" | "fail";

export interface Check {
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was found and, for warn or fail, why it matters. */
  message: string;
}

export interface CheckOptions {
  /**
   * bcrypt comparison, when the caller can afford it (about 60 ms). Without it, a bundle
   * whose web config carries a hash reports the password-hash match as not verified.
   */
  passwordMatchesHash?: (password: string, hash: string) => boolean;
}

// Values the chart passes through `tpl`: `{{ }}` in them would be executed by Helm.
const TPL_VALUES_PATHS = ["extraManifests", "serviceMonitor.metricRelabelings"];

interface BundleView {
  plan: Plan;
  view: ClusterView;
  /** Files that do not parse, unexpected documents, render errors, a patch that misses. */
  problems: string[];
}

function kindOf(doc: unknown): string | undefined {
  return isMap(doc) && typeof doc.kind === "string" ? doc.kind : undefined;
}

function buildView(config: Config, files: Record<string, string>): BundleView {
  const plan = planBundle(config);
  const problems: string[] = [];
  let values: Values = {};
  let patch: JsonPatchOperation[] | null = null;
  let kustomization: unknown = null;
  const objects: Placed<Secret | ServiceMonitor>[] = [];
  for (const [name, text] of Object.entries(files)) {
    if (!name.endsWith(".yaml")) continue;
    let docs: unknown[];
    try {
      docs = parseYamlDocuments(text);
    } catch (error) {
      problems.push(`${name} does not parse: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    if (name === FILE_NAMES.values) values = isMap(docs[0]) ? docs[0] : {};
    else if (name === FILE_NAMES.patch) patch = Array.isArray(docs[0]) ? (docs[0] as JsonPatchOperation[]) : null;
    else if (name === FILE_NAMES.kustomization) kustomization = docs[0];
    else {
      docs.forEach((doc, document) => {
        const kind = kindOf(doc);
        if (kind === "Secret" || kind === "ServiceMonitor") {
          objects.push({
            object: doc as Secret | ServiceMonitor,
            origin: { kind: "file", file: name, document, path: [] },
          });
        } else problems.push(`${name} holds an unexpected ${kind ?? "document"}`);
      });
    }
  }
  const chart = renderChartShape({
    profile: plan.profile,
    chartVersion: config.chartVersion,
    releaseName: config.releaseName,
    releaseNamespace: config.namespace,
    values,
  });
  problems.push(...chart.errors);
  let chartMonitor = chart.serviceMonitor;
  if (chartMonitor && patch) {
    const target = getPath(kustomization, "patches");
    const matches =
      Array.isArray(target) &&
      target.some(
        (p) =>
          getPath(p, "path") === FILE_NAMES.patch &&
          getPath(p, "target.kind") === "ServiceMonitor" &&
          getPath(p, "target.name") === chartMonitor?.metadata.name &&
          getPath(p, "target.namespace") === chartMonitor?.metadata.namespace,
      );
    if (!matches) problems.push(`${FILE_NAMES.kustomization} does not target the chart's ServiceMonitor`);
    else {
      try {
        chartMonitor = applyJsonPatch(chartMonitor, patch);
      } catch (error) {
        problems.push(`${FILE_NAMES.patch} does not apply: ${(error as Error).message}`);
      }
    }
  }
  const view = buildClusterView({
    values,
    chart: { ...chart, serviceMonitor: chartMonitor },
    objects,
  });
  return { plan, view, problems };
}

function deepStrings(node: unknown, out: string[] = []): string[] {
  if (typeof node === "string") out.push(node);
  else if (Array.isArray(node)) for (const item of node) deepStrings(item, out);
  else if (isMap(node)) for (const [k, v] of Object.entries(node)) (out.push(k), deepStrings(v, out));
  return out;
}

/** Runs every consistency check on a generated bundle; see {@link Check}. */
export function checkBundle(config: Config, files: Record<string, string>, options: CheckOptions = {}): Check[] {
  const { plan, view, problems: fileProblems } = buildView(config, files);
  const { chart } = view;
  const checks: Check[] = [];
  const add = (id: string, title: string, status: CheckStatus, message: string) =>
    checks.push({ id, title, status, message });

  add(
    "files",
    "Files are well-formed",
    fileProblems.length ? "fail" : "pass",
    fileProblems.length ? fileProblems.join("; ") : "Every file parses and the chart renders from values.yaml.",
  );

  add(
    "chart-version",
    "Chart version",
    isNewerThanKnown(config.chartVersion) ? "warn" : "pass",
    isNewerThanKnown(config.chartVersion)
      ? `Chart ${config.chartVersion} is newer than ${NEWEST_KNOWN_CHART_VERSION}, the newest whose templates were read; it is treated like ${NEWEST_KNOWN_CHART_VERSION}.`
      : `Chart ${config.chartVersion} (Pushgateway ${plan.profile.appVersions}) with the ${plan.mode} strategy.`,
  );

  // The web config Pushgateway will load.
  let users: Map<string, string> | null = null;
  {
    const state = webConfigState(view);
    const name = state.secretName;
    let problem: string | null = null;
    if (!name) problem = "values.yaml does not turn on basic auth (webConfiguration is empty)";
    else if (state.text === undefined)
      problem = `Secret ${chart.namespace}/${name} with key ${WEB_CONFIG_KEY} is not in the bundle or the chart`;
    else {
      problem = state.error;
      users = state.users;
    }
    if (users && !users.has(config.username)) {
      problem = `the web config's users are ${JSON.stringify([...users.keys()])}, not ${JSON.stringify(config.username)}`;
    }
    add(
      "web-config",
      "Pushgateway's web config",
      problem ? "fail" : "pass",
      problem ??
        `Pushgateway loads ${WEB_CONFIG_KEY} from Secret ${chart.namespace}/${name} with user ${JSON.stringify(config.username)}.`,
    );
  }

  const targeting = targetingMonitors(view).map((p) => p.object);
  add(
    "single-servicemonitor",
    "Exactly one ServiceMonitor",
    targeting.length === 1 ? "pass" : "fail",
    targeting.length === 1
      ? `Only ${targeting[0]?.metadata.namespace}/${targeting[0]?.metadata.name} targets Pushgateway.`
      : targeting.length === 0
        ? "No ServiceMonitor selects the chart's Service: Prometheus will not scrape Pushgateway."
        : `${targeting.length} ServiceMonitors select the chart's Service: Pushgateway would be scraped more than once.`,
  );

  const sm = targeting[0] ?? view.serviceMonitors[0]?.object;
  const endpoint = sm?.spec?.endpoints?.[0];
  const servicePort = chart.service.spec.ports[0]?.name;
  {
    let problem: string | null = null;
    if (!sm) problem = "there is no ServiceMonitor";
    else if (!selects(sm, view.service.object, view.chart.namespace)) {
      problem = `${sm.metadata.name} selects ${JSON.stringify(sm.spec.selector?.matchLabels)} in ${JSON.stringify(sm.spec.namespaceSelector?.matchNames)}, but the Service ${chart.service.metadata.name} in ${chart.namespace} does not match`;
    } else if (endpoint?.port !== servicePort) {
      problem = `the endpoint scrapes port "${endpoint?.port}", but the Service's port is named "${servicePort}"`;
    }
    add(
      "service-selection",
      "ServiceMonitor selects the Service",
      problem ? "fail" : "pass",
      problem ??
        `Selects Service ${chart.namespace}/${chart.service.metadata.name} by its labels, port "${servicePort}".`,
    );
  }

  {
    const labels = sm?.metadata.labels ?? {};
    const wanted = Object.entries(plan.prometheusSelector);
    const missing = wanted.filter(([k, v]) => labels[k] !== v);
    add(
      "prometheus-selector",
      "Prometheus selects the ServiceMonitor",
      wanted.length === 0 ? "warn" : missing.length ? "fail" : "pass",
      wanted.length === 0
        ? "No selector label is set: this works only if your Prometheus selects every ServiceMonitor (kube-prometheus-stack does not by default)."
        : missing.length
          ? `The ServiceMonitor lacks ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}: Prometheus will ignore it.`
          : `Labelled ${wanted.map(([k, v]) => `${k}=${v}`).join(", ")}, the label your Prometheus selects by.`,
    );
  }

  add(
    "honor-labels",
    "honorLabels",
    endpoint?.honorLabels === true ? "pass" : "fail",
    endpoint?.honorLabels === true
      ? "honorLabels is true: pushed job and instance labels are kept."
      : "honorLabels is not true: Prometheus would overwrite the job and instance labels of pushed metrics.",
  );

  // Scrape credentials as the Operator resolves them: from Secrets in the ServiceMonitor's namespace.
  let scrapeUser: string | undefined;
  let scrapePassword: string | undefined;
  {
    const state = basicAuthState(view, sm);
    const auth = state.auth;
    const smNamespace = state.namespace;
    const problems: string[] = [];
    if (!auth) problems.push("the ServiceMonitor has no basicAuth, so Prometheus gets 401");
    for (const { field, selector, secret, value } of state.fields) {
      if (!selector) problems.push(`basicAuth.${field} is missing`);
      else if (!secret)
        problems.push(`basicAuth.${field} names Secret ${selector.name}, which is not in namespace ${smNamespace}`);
      else if (value === undefined) problems.push(`Secret ${smNamespace}/${selector.name} has no key ${selector.key}`);
    }
    scrapeUser = state.username;
    scrapePassword = state.password;
    add(
      "secret-references",
      "Secret references resolve",
      problems.length ? "fail" : "pass",
      problems.length
        ? `${problems.join("; ")} (the Operator skips a ServiceMonitor whose Secret or key is missing).`
        : `basicAuth reads ${auth?.username.name} in ${smNamespace}, the ServiceMonitor's own namespace.`,
    );
  }

  {
    const verdict = compareCredentials(view, users, scrapeUser, scrapePassword, options.passwordMatchesHash);
    let status: CheckStatus = "pass";
    let message: string;
    if (verdict.status === "incomplete") {
      status = "fail";
      message = "The scrape credentials or the web config are missing (see above).";
    } else if (verdict.status === "unknown-user") {
      status = "fail";
      message = `Prometheus sends user ${JSON.stringify(scrapeUser)}, which the web config does not know.`;
    } else if (verdict.status === "unverified") {
      status = "warn";
      message = "The user matches; the password was not compared with the bcrypt hash here.";
    } else if (verdict.by === "plaintext") {
      status = verdict.status === "match" ? "pass" : "fail";
      message =
        verdict.status === "match"
          ? "The scrape Secret holds the same user and password the chart hashes into its web config."
          : "The scrape Secret's password differs from the one in webConfiguration.basicAuthUsers.";
    } else if (verdict.status === "match") {
      message = "The scrape Secret's password matches the bcrypt hash in the web config.";
    } else {
      status = "fail";
      message = "The scrape Secret's password does not match the bcrypt hash in the web config: Prometheus gets 401.";
    }
    add("credentials", "Credentials agree", status, message);
  }

  {
    const probes = [chart.liveness, chart.readiness];
    const expected =
      scrapeUser !== undefined && scrapePassword !== undefined
        ? `Basic ${base64Utf8(`${scrapeUser}:${scrapePassword}`)}`
        : null;
    const bad = probes.filter((p) => p.kind === "http" && (!p.authorization || p.authorization !== expected));
    const disabled = probes.some((p) => p.kind === "disabled");
    add(
      "probes",
      "Probes pass basic auth",
      bad.length ? "fail" : disabled ? "warn" : "pass",
      bad.length
        ? "The liveness or readiness probe calls Pushgateway without valid credentials: it gets 401 and the pod restarts."
        : disabled
          ? "A probe is disabled in values.yaml."
          : chart.liveness.kind === "tcp-socket"
            ? "Probes use tcpSocket (the chart cannot read the credentials from the existing Secret)."
            : "Probes send an Authorization header built by the chart from the same user and password.",
    );
  }

  {
    const offending = TPL_VALUES_PATHS.filter((path) =>
      deepStrings(getPath(view.values, path)).some((s) => s.includes("{{")),
    );
    add(
      "templates",
      "No template syntax reaches tpl",
      offending.length ? "fail" : "pass",
      offending.length
        ? `${offending.join(", ")} contain "{{", which Helm would execute (the chart renders them through tpl).`
        : "No value the chart renders through tpl holds user text.",
    );
  }

  {
    const plaintext = getPath(view.values, "webConfiguration.basicAuthUsers");
    const inValues = isMap(plaintext) && Object.values(plaintext).includes(config.password);
    const chartHashes = plan.profile.webConfig === "chart";
    add(
      "plaintext",
      "Password out of values.yaml",
      inValues ? (chartHashes ? "warn" : "fail") : "pass",
      inValues
        ? chartHashes
          ? `Chart ${config.chartVersion} needs the plaintext password in values.yaml and writes it, base64-encoded, into the probes; chart 3.7.0 and later can keep it out.`
          : "values.yaml holds the password although this chart version can keep it out."
        : "values.yaml holds no password: the web config carries only a bcrypt hash.",
    );
    add(
      "stable-output",
      "No drift on re-render",
      chartHashes ? "warn" : "pass",
      chartHashes
        ? "The chart hashes the password with a random salt at every render, so its web-config Secret changes on every helm upgrade (GitOps tools report drift)."
        : "The hash is computed once and kept: re-rendering gives the same bytes.",
    );
  }

  {
    const interval = endpoint?.interval;
    const timeout = endpoint?.scrapeTimeout;
    const valid = (d: unknown): d is string => typeof d === "string" && durationRule(d) === null;
    const ok = valid(interval) && valid(timeout) && durationMs(timeout) <= durationMs(interval);
    add(
      "scrape-timing",
      "Scrape timeout within interval",
      ok ? "pass" : "fail",
      ok
        ? `Scrapes every ${interval} with a ${timeout} timeout.`
        : `interval ${String(interval)} and scrapeTimeout ${String(timeout)} must be durations with the timeout no longer than the interval.`,
    );
  }

  {
    const np = chart.networkPolicy;
    const peers = np?.spec.ingress[0]?.from ?? [];
    const promNs = config.prometheusNamespace;
    const admitsPrometheus = peers.some(
      (p) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === promNs,
    );
    const admitsPushers = peers.some(
      (p) => p.namespaceSelector !== undefined && Object.keys(p.namespaceSelector).length === 0,
    );
    add(
      "network-policy",
      "NetworkPolicy admits Prometheus and pushers",
      !np ? "pass" : admitsPrometheus && admitsPushers ? "pass" : "fail",
      !np
        ? "No NetworkPolicy: any pod may connect, and still needs the password."
        : admitsPrometheus && admitsPushers
          ? `Admits Prometheus pods in ${promNs} and pushers in any namespace on port ${chart.service.spec.ports[0]?.targetPort}.`
          : "The NetworkPolicy does not admit both Prometheus and the pushing jobs.",
    );
  }
  return checks;
}
