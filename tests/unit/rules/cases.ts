/**
 * One breaking and one passing input per rule of the rulebook. Most are generated bundles made
 * wrong on purpose (a Secret in another namespace, a key renamed, honorLabels off, ...) and
 * judged by checkBundle; the rules only pasted files can break (facts that disagree, a Secret
 * left out) are judged by diagnoseSetup.
 */
import { compareSync, hashSync } from "bcryptjs";
import {
  FILE_NAMES,
  generate,
  needsPasswordHash,
  validateConfig,
  type CheckOptions,
  type Config,
  type ConfigInput,
  type DiagnoseOptions,
  type InputFile,
} from "../../../lib/index";
import { parseYamlDocuments, toYaml, toYamlFile } from "../../../lib/yaml/serialize";
import { PUSHER_CASES } from "./pusher-cases";
import { SCRAPER_BUNDLE_CASES, scraperSetupCases } from "./scraper-cases";
import { SECRET_SOURCE_CASES } from "./secret-source-cases";

export const PASSWORD = "Scr4pe-me-pls";
const hashes = new Map<string, string>();
/** bcrypt at cost 4: the rules do not care about the cost. */
export const hashOf = (password: string) =>
  hashes.get(password) ?? (hashes.set(password, hashSync(password, 4)), hashes.get(password) as string);
export const COMPARE: CheckOptions = { passwordMatchesHash: compareSync };

export interface Bundle {
  config: Config;
  files: Record<string, string>;
}

/** A valid config's bundle, as generated. */
export function bundleFor(input: Partial<ConfigInput> = {}): Bundle {
  const result = validateConfig({ password: PASSWORD, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const config = needsPasswordHash(result.config)
    ? {
        ...result.config,
        passwordHash: hashOf(result.config.password),
        pushers: result.config.pushers.map((p) => ({ ...p, passwordHash: hashOf(p.password) })),
      }
    : result.config;
  return { config, files: { ...generate(config).files } };
}

// Documents are edited as plain data; `any` keeps the edits short.
type Doc = any;

/** Edits the documents of one bundle file in place. */
function edit(files: Record<string, string>, name: string, change: (docs: Doc[]) => void): void {
  const docs = parseYamlDocuments(files[name] as string) as Doc[];
  change(docs);
  files[name] = toYamlFile(docs);
}

const values = (b: Bundle, change: (v: Doc) => void) => edit(b.files, FILE_NAMES.values, ([v]) => change(v));
const scrapeSecret = (b: Bundle, change: (s: Doc) => void) =>
  edit(b.files, FILE_NAMES.secret, (docs) => change(docs.find((d) => d.type === "kubernetes.io/basic-auth")));
const webConfigSecret = (b: Bundle, change: (s: Doc) => void) =>
  edit(b.files, FILE_NAMES.secret, (docs) => change(docs.find((d) => d.stringData["web-config.yaml"])));
const serviceMonitor = (b: Bundle, change: (sm: Doc) => void) =>
  edit(b.files, FILE_NAMES.serviceMonitor, ([sm]) => change(sm));

export interface BundleCase {
  rule: string;
  /** The config of the bundle that is broken, and of the one that passes unless `passing` says. */
  config?: Partial<ConfigInput>;
  breaks: (b: Bundle) => void;
  status: "warn" | "fail";
  passing?: Partial<ConfigInput>;
  /** Makes the passing bundle what the rule reads (the generated one may not hold it, e.g. SealedSecrets). */
  passes?: (b: Bundle) => void;
  /** Options of the broken run (the passing one compares passwords with bcrypt). */
  options?: CheckOptions;
  /** diagnoseSetup on the same files (no patch strategy) reports it in the same words. */
  diagnosed?: boolean;
}

const STANDALONE = { serviceMonitorMode: "standalone" } as const;
const CHART_HASHES = { chartVersion: "2.14.0" } as const;
const noChange = () => {};

export const BUNDLE_CASES: BundleCase[] = [
  {
    rule: "gitops-release",
    config: { deploy: "flux" },
    breaks: (b) => edit(b.files, FILE_NAMES.helmRelease, ([r]) => (r.spec.releaseName = "other")),
    status: "fail",
  },
  {
    rule: "gitops-release",
    config: { deploy: "argocd" },
    breaks: (b) => edit(b.files, FILE_NAMES.application, ([a]) => (a.spec.source.targetRevision = "3.7.0")),
    status: "fail",
  },
  {
    rule: "argocd-rehashed-secret",
    config: { deploy: "argocd", chartVersion: "3.4.0" },
    breaks: (b) => edit(b.files, FILE_NAMES.application, ([a]) => delete a.spec.ignoreDifferences),
    status: "fail",
    passing: { deploy: "argocd" },
  },
  // Argo CD matches an entry by group and namespace too: one for another of either covers nothing.
  {
    rule: "argocd-rehashed-secret",
    config: { deploy: "argocd", chartVersion: "3.4.0" },
    breaks: (b) => edit(b.files, FILE_NAMES.application, ([a]) => (a.spec.ignoreDifferences[0].namespace = "other")),
    status: "fail",
    passing: { deploy: "argocd" },
  },
  {
    rule: "argocd-rehashed-secret",
    config: { deploy: "argocd", chartVersion: "2.14.0" },
    breaks: (b) => edit(b.files, FILE_NAMES.application, ([a]) => (a.spec.ignoreDifferences[0].group = "apps")),
    status: "fail",
    passing: { deploy: "argocd" },
  },
  // With several users the probes' user changes between renders too.
  {
    rule: "argocd-rehashed-secret",
    config: {
      deploy: "argocd",
      chartVersion: "3.6.1",
      pushers: [{ name: "backup", namespace: "batch", password: "pw-backup" }],
    },
    breaks: (b) =>
      edit(b.files, FILE_NAMES.application, ([a]) => (a.spec.ignoreDifferences = a.spec.ignoreDifferences.slice(0, 1))),
    status: "fail",
    passing: { deploy: "argocd" },
  },
  { rule: "files", breaks: (b) => void (b.files[FILE_NAMES.secret] = "a: [1,\n"), status: "fail" },
  { rule: "chart-version-newer", config: { chartVersion: "3.9.0" }, breaks: noChange, status: "warn", passing: {} },
  {
    rule: "render-error",
    breaks: (b) => values(b, (v) => (v.networkPolicy = { enabled: true })),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "existing-secret-ignored",
    config: CHART_HASHES,
    breaks: (b) => values(b, (v) => (v.webConfiguration.existingSecret = { name: "web-config" })),
    status: "warn",
    diagnosed: true,
  },
  {
    rule: "web-config-flag-repeated",
    breaks: (b) => values(b, (v) => (v.extraArgs = ["--web.config.file=/etc/config/web-config.yaml"])),
    status: "fail",
    diagnosed: true,
  },
  { rule: "auth-off", breaks: (b) => values(b, (v) => delete v.webConfiguration), status: "warn", diagnosed: true },
  {
    rule: "raw-username-breaks",
    config: { chartVersion: "3.1.0" },
    breaks: (b) => values(b, (v) => (v.webConfiguration.basicAuthUsers = { "[prometheus": PASSWORD })),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "web-config-missing",
    breaks: (b) => edit(b.files, FILE_NAMES.secret, (docs) => docs.splice(0, 1)),
    status: "fail",
  },
  {
    rule: "web-config-invalid",
    breaks: (b) => webConfigSecret(b, (s) => (s.stringData["web-config.yaml"] += "tls: {}\n")),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "service-selector-mismatch",
    config: STANDALONE,
    breaks: (b) => serviceMonitor(b, (sm) => (sm.spec.namespaceSelector.matchNames = ["elsewhere"])),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "no-servicemonitor",
    config: STANDALONE,
    breaks: (b) => delete b.files[FILE_NAMES.serviceMonitor],
    status: "fail",
  },
  {
    rule: "duplicate-servicemonitors",
    breaks: (b) => {
      b.files[FILE_NAMES.serviceMonitor] = bundleFor(STANDALONE).files[FILE_NAMES.serviceMonitor] as string;
    },
    status: "fail",
  },
  {
    rule: "port-name-mismatch",
    config: STANDALONE,
    breaks: (b) => serviceMonitor(b, (sm) => (sm.spec.endpoints[0].port = "metrics")),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "chart-servicemonitor-no-basicauth",
    config: { ...CHART_HASHES, serviceMonitorMode: "patch" },
    breaks: (b) => delete b.files[FILE_NAMES.patch],
    status: "fail",
  },
  {
    rule: "servicemonitor-no-basicauth",
    config: STANDALONE,
    breaks: (b) => serviceMonitor(b, (sm) => delete sm.spec.endpoints[0].basicAuth),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "secret-not-in-servicemonitor-namespace",
    config: { namespace: "apps", serviceMonitorNamespace: "monitoring" },
    breaks: (b) => scrapeSecret(b, (s) => (s.metadata.namespace = "apps")),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "secret-not-in-servicemonitor-namespace",
    breaks: (b) => edit(b.files, FILE_NAMES.secret, (docs) => docs.splice(1, 1)),
    status: "fail",
  },
  {
    rule: "secret-key-missing",
    breaks: (b) => scrapeSecret(b, (s) => ((s.stringData.pass = s.stringData.password), delete s.stringData.password)),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "unknown-user",
    breaks: (b) => scrapeSecret(b, (s) => (s.stringData.username = "someone")),
    status: "fail",
    diagnosed: true,
  },
  { rule: "password-mismatch", breaks: noChange, options: { passwordMatchesHash: () => false }, status: "fail" },
  {
    rule: "password-mismatch",
    config: { chartVersion: "3.1.0" },
    breaks: (b) => scrapeSecret(b, (s) => (s.stringData.password = "Old-passw0rd")),
    status: "fail",
    diagnosed: true,
  },
  { rule: "password-not-verified", breaks: noChange, options: {}, status: "warn", diagnosed: true },
  {
    rule: "prometheus-selector-mismatch",
    config: STANDALONE,
    breaks: (b) => serviceMonitor(b, (sm) => delete sm.metadata.labels.release),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "prometheus-selector-unknown",
    config: { prometheusSelector: "" },
    breaks: noChange,
    status: "warn",
    passing: {},
    diagnosed: true,
  },
  {
    rule: "honor-labels",
    config: STANDALONE,
    breaks: (b) => serviceMonitor(b, (sm) => (sm.spec.endpoints[0].honorLabels = false)),
    status: "warn",
    diagnosed: true,
  },
  {
    rule: "probes-without-credentials",
    config: { chartVersion: "3.1.0" },
    breaks: (b) =>
      values(b, (v) => {
        delete v.webConfiguration;
        v.extraArgs = ["--web.config.file=/etc/web/web-config.yaml"];
      }),
    status: "fail",
    diagnosed: true,
  },
  { rule: "plaintext-password-in-values", config: CHART_HASHES, breaks: noChange, status: "warn", passing: {} },
  {
    rule: "plaintext-password-in-values",
    breaks: (b) => values(b, (v) => (v.webConfiguration.basicAuthUsers = { prometheus: PASSWORD })),
    status: "warn",
    diagnosed: true,
  },
  { rule: "stable-output", config: CHART_HASHES, breaks: noChange, status: "warn", passing: {} },
  {
    rule: "scrape-timing",
    breaks: (b) => values(b, (v) => (v.serviceMonitor.scrapeTimeout = "1m")),
    status: "fail",
    diagnosed: true,
  },
  {
    rule: "templates",
    breaks: (b) => values(b, (v) => (v.extraManifests = ["{{ .Release.Name }}"])),
    status: "fail",
  },
  {
    rule: "network-policy",
    config: { networkPolicyEnabled: true },
    breaks: (b) =>
      values(b, (v) => {
        v.networkPolicy.customSelectors[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "elsewhere";
      }),
    status: "fail",
  },
];

// ---- Pasted setups: what only a partial or contradictory paste can show ----

const FACTS = { chartVersion: "3.8.0", releaseName: "pg", namespace: "monitoring", prometheusSelector: "" };
const HASH_VALUES = {
  webConfiguration: { existingSecret: { name: "wc" } },
  serviceMonitor: {
    enabled: true,
    basicAuth: { username: { name: "s", key: "username" }, password: { name: "s", key: "password" } },
  },
};
const secret = (name: string, stringData: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "monitoring" },
  stringData,
});
const WEB_CONFIG = secret("wc", { "web-config.yaml": `basic_auth_users:\n  prometheus: ${hashOf(PASSWORD)}\n` });
const SCRAPE = secret("s", { username: "prometheus", password: PASSWORD });
const file = (name: string, ...docs: unknown[]): InputFile => ({ name, text: toYamlFile(docs) });
const valuesFile = (v: unknown, name = "values.yaml"): InputFile => ({ name, text: toYaml(v) });

export interface SetupCase {
  rule: string;
  breaks: InputFile[];
  options?: DiagnoseOptions;
  status: "warn" | "fail" | "info";
}

/** The pasted setup every rule passes. */
export const HEALTHY_SETUP: InputFile[] = [valuesFile(HASH_VALUES), file("cluster.yaml", WEB_CONFIG, SCRAPE)];

export const SETUP_CASES: SetupCase[] = [
  {
    rule: "conflicting-sources",
    breaks: [
      valuesFile(HASH_VALUES),
      valuesFile({ serviceMonitor: { enabled: false } }, "override.yaml"),
      file("cluster.yaml", WEB_CONFIG, SCRAPE),
    ],
    status: "warn",
  },
  {
    rule: "chart-version-unsupported",
    breaks: HEALTHY_SETUP,
    options: { given: { ...FACTS, chartVersion: "2.4.0" } },
    status: "fail",
  },
  { rule: "web-config-not-verified", breaks: [valuesFile(HASH_VALUES), file("cluster.yaml", SCRAPE)], status: "info" },
  { rule: "secret-not-verified", breaks: [valuesFile(HASH_VALUES), file("cluster.yaml", WEB_CONFIG)], status: "info" },
];

export const SETUP_OPTIONS: DiagnoseOptions = { given: FACTS, passwordMatchesHash: compareSync };

BUNDLE_CASES.push(...PUSHER_CASES);
BUNDLE_CASES.push(...SCRAPER_BUNDLE_CASES);
BUNDLE_CASES.push(...SECRET_SOURCE_CASES);
SETUP_CASES.push(...scraperSetupCases(HEALTHY_SETUP, HASH_VALUES, (...docs) => file("servicemonitor.yaml", ...docs)));
