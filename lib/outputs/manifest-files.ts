/** secret.yaml and, for the standalone strategy, servicemonitor.yaml. */
import { buildSecrets, buildServiceMonitor } from "../engine/build-manifests";
import { toYamlFile } from "../yaml/serialize";
import type { Plan } from "../engine/plan";
import type { Output } from "./output";

export const SECRET_FILE = "secret.yaml";

// Who reads the scrape Secret, by scraper.
const SECRET_READER: Record<Plan["scraper"], string> = {
  operator: "the ServiceMonitor",
  scrapeconfig: "the ScrapeConfig",
  victoriametrics: "the VMServiceScrape",
  alloy: "Alloy",
  prometheus: "Prometheus (mounted as a file)",
};
export const SERVICE_MONITOR_FILE = "servicemonitor.yaml";

export const secretOutput: Output = {
  name: SECRET_FILE,
  role: "manifests",
  // With External Secrets, externalsecrets.yaml makes these Secrets (lib/outputs/external-secret-files.ts).
  applies: (plan) => plan.config.secretsAs !== "external",
  build: ({ plan, passwordHash }) =>
    toYamlFile(buildSecrets(plan, passwordHash), [
      `Credentials for Pushgateway's basic auth: keep this file out of git or encrypt it (SOPS, Sealed Secrets).`,
      `Apply before the chart: kubectl apply -f ${SECRET_FILE}`,
    ]),
  secret: true,
  executable: false,
  describe: (plan) =>
    plan.config.secretsAs === "sealed"
      ? `\`${SECRET_FILE}\`: the SealedSecrets (safe to commit)`
      : `\`${SECRET_FILE}\`: the Secrets (credentials: keep private)`,
  apply: {
    stage: "before-chart",
    step: (plan) => ({
      id: "secrets",
      title: "Apply the Secrets",
      text: `${SECRET_FILE} holds the scrape credentials in ${plan.scrapeSecretNamespace}, where ${SECRET_READER[plan.scraper]} reads them${plan.webConfigSecretName ? `, and the web config with the bcrypt hash in ${plan.releaseNamespace}` : ""}. ${plan.config.secretsAs === "sealed" ? `They are SealedSecrets (${plan.config.sealingScope}): safe to commit; the sealed-secrets controller unseals them into these Secrets (check: kubectl get sealedsecret -A, then the Secrets exist).` : "Keep the file out of git, or encrypt it."}`,
      snippet: { language: "sh", code: `kubectl apply -f ${SECRET_FILE}` },
    }),
  },
};

export const serviceMonitorOutput: Output = {
  name: SERVICE_MONITOR_FILE,
  role: "manifests",
  applies: (plan) => plan.mode === "standalone" && plan.scraper === "operator",
  build: ({ plan }) =>
    toYamlFile(
      [buildServiceMonitor(plan)],
      [`Replaces the chart's ServiceMonitor (disabled in values.yaml): kubectl apply -f ${SERVICE_MONITOR_FILE}`],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${SERVICE_MONITOR_FILE}\`: the ServiceMonitor that replaces the chart's`,
  apply: {
    stage: "after-chart",
    step: (plan) => ({
      id: "servicemonitor",
      title: "Apply the ServiceMonitor",
      text: `It carries basicAuth and the label${Object.keys(plan.prometheusSelector).length === 1 ? "" : "s"} your Prometheus selects by.`,
      snippet: { language: "sh", code: `kubectl apply -f ${SERVICE_MONITOR_FILE}` },
    }),
  },
};
