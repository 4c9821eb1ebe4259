/**
 * Named configs covering every chart profile and strategy, shared by the golden, schema,
 * kustomize and real-stack tests.
 */
import type { ConfigInput } from "../../lib/index";

export const PASSWORD = "golden-Passw0rd!";
/** bcryptjs hash of PASSWORD (cost 10), fixed so golden files are stable. */
export const PASSWORD_HASH = "$2b$10$TNmsJXJUBD/fjj5fo6h2aebPx7LxTovo4.E9ynv.Zajpf.UhL0oqu";

export interface Case {
  name: string;
  input: ConfigInput;
}

const base = { password: PASSWORD, passwordHash: PASSWORD_HASH };

export const CASES: Case[] = [
  { name: "2.12.0-standalone", input: { ...base, chartVersion: "2.12.0" } },
  { name: "2.14.0-standalone", input: { ...base, chartVersion: "2.14.0" } },
  { name: "2.14.0-patch", input: { ...base, chartVersion: "2.14.0", serviceMonitorMode: "patch" } },
  {
    name: "3.0.0-patch",
    input: { ...base, chartVersion: "3.0.0", serviceMonitorMode: "patch", releaseName: "prometheus-pushgateway" },
  },
  { name: "3.1.0-values", input: { ...base, chartVersion: "3.1.0" } },
  { name: "3.6.0-standalone", input: { ...base, chartVersion: "3.6.0", serviceMonitorMode: "standalone" } },
  { name: "3.7.0-values", input: { ...base, chartVersion: "3.7.0" } },
  {
    name: "3.8.0-values-custom",
    input: {
      ...base,
      chartVersion: "3.8.0",
      releaseName: "metrics-gw",
      namespace: "batch-jobs",
      nameOverride: "pushgw",
      username: "scraper@example.org",
      serviceMonitorNamespace: "observability",
      prometheusSelector: "release=prom,team=platform",
      interval: "1m",
      scrapeTimeout: "45s",
      networkPolicyEnabled: true,
      prometheusNamespace: "observability",
    },
  },
  { name: "3.8.0-values", input: { ...base, chartVersion: "3.8.0" } },
  { name: "3.8.0-patch", input: { ...base, chartVersion: "3.8.0", serviceMonitorMode: "patch" } },
  {
    name: "3.8.0-standalone",
    input: { ...base, chartVersion: "3.8.0", serviceMonitorMode: "standalone", fullnameOverride: "pushgateway" },
  },
  {
    name: "3.9.0-values-quoted-username",
    input: { ...base, chartVersion: "3.9.0", username: "[ops] #yes &no", prometheusSelector: "" },
  },
];

/**
 * Argo CD and Flux bundles: golden files here; they have no values.yaml or post-renderer, and are
 * proven by tests/real-helm/gitops.test.ts the way their controllers render them.
 */
export const GITOPS_CASES: Case[] = [
  {
    name: "flux-2.14.0-patch",
    input: { ...base, chartVersion: "2.14.0", serviceMonitorMode: "patch", deploy: "flux" },
  },
  { name: "flux-3.4.0-values", input: { ...base, chartVersion: "3.4.0", deploy: "flux", username: "ops.scraper" } },
  { name: "flux-3.8.0-values", input: { ...base, chartVersion: "3.8.0", deploy: "flux" } },
  {
    name: "flux-3.1.0-values-pushers",
    input: {
      ...base,
      chartVersion: "3.1.0",
      deploy: "flux",
      pushers: [
        { name: "backup", namespace: "batch", password: "backup-Passw0rd!" },
        { name: "etl", namespace: "data", password: "etl-Passw0rd!" },
      ],
    },
  },
  { name: "argocd-3.1.0-values", input: { ...base, chartVersion: "3.1.0", deploy: "argocd" } },
  {
    name: "argocd-3.6.1-values-pushers",
    input: {
      ...base,
      chartVersion: "3.6.1",
      deploy: "argocd",
      pushers: [{ name: "backup", namespace: "batch", password: "backup-Passw0rd!" }],
    },
  },
  {
    name: "argocd-3.8.0-standalone",
    input: { ...base, chartVersion: "3.8.0", serviceMonitorMode: "standalone", deploy: "argocd" },
  },
];

/** One golden case per scraper other than the Operator's ServiceMonitor (the operator cases are above). */
export const SCRAPER_CASES: Case[] = [
  { name: "3.8.0-scrapeconfig", input: { ...base, chartVersion: "3.8.0", scraper: "scrapeconfig" } },
  {
    name: "2.14.0-victoriametrics",
    input: { ...base, chartVersion: "2.14.0", scraper: "victoriametrics", prometheusSelector: "vm=main" },
  },
  {
    name: "3.8.0-alloy",
    input: { ...base, chartVersion: "3.8.0", scraper: "alloy", serviceMonitorNamespace: "observability" },
  },
  {
    name: "3.1.0-prometheus",
    input: { ...base, chartVersion: "3.1.0", scraper: "prometheus", prometheusNamespace: "prom" },
  },
];

/** A link made by the first format, before "Deploy with" existed. */
export const FORMAT_1_LINK =
  "http://127.0.0.1:3000/#s1.N4IgxgFghgTgLgNQKYwM4EsD2A7EAuEAJgDoBGAFmIAYQAaEGJAGySlSQDkoBbJfEXnBjowqALQBzAO50Q2HklQAHKGD4EARlDiQxAK0wbUs+bwDyANxTCAJupBKArqgjTZzlKfuowMKEpQAASQADx4lFmJMGAlZdhgLESQAWRx0OGiuXmVVe0N4iygNdCZ0gE9ZJRhMQQgkZwBlZiQwDJh+RhY2JABeKpraOFZuPqZtADNo7jiURLVU7HTo1Lt+FR0IWXRsIYSoJn5SafofPwCAFXReTEc4fnIAVmN6ftr61CzFFTV+fNmikrlExIOBSaIAawACphSmAygBReQaFg2fBCRxIejYEFgmBQmEiMqQ5x1GDQmzGAjVFg9LQbEAAXyAA";

/**
 * The outputs the cases above do not produce: pushers' Secrets and CronJob, SOPS, External
 * Secrets, and sealing's .gitignore (the engine's bundle before the CLI or the page seals it).
 */
const pusher = { name: "nightly-report", namespace: "batch", password: PASSWORD, passwordHash: PASSWORD_HASH };
export const SECRET_SOURCE_CASES: Case[] = [
  {
    name: "3.8.0-pushers-sops",
    input: {
      ...base,
      chartVersion: "3.8.0",
      pushers: [pusher],
      sopsAge: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
    },
  },
  {
    name: "3.8.0-external-pushers",
    input: { ...base, chartVersion: "3.8.0", pushers: [pusher], secretsAs: "external", secretStore: "vault" },
  },
  { name: "3.8.0-sealed", input: { ...base, chartVersion: "3.8.0", secretsAs: "sealed" } },
];
