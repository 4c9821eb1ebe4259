/**
 * The files of each scraper other than the Operator's ServiceMonitor ("Scraped by"): a
 * ScrapeConfig, a VMServiceScrape, Alloy's configuration block and RBAC, or plain Prometheus's
 * scrape_config and its kube-prometheus-stack wiring.
 */
import {
  buildAlloyConfig,
  buildAlloyRbac,
  buildKubePrometheusStackValues,
  buildPrometheusJob,
  buildScrapeConfig,
  buildVMServiceScrape,
  prometheusPasswordFile,
} from "../engine/build-scrapers";
import type { Plan } from "../engine/plan";
import { toYaml, toYamlFile } from "../yaml/serialize";
import type { Output } from "./output";

export const SCRAPE_CONFIG_FILE = "scrapeconfig.yaml";
export const VM_SERVICE_SCRAPE_FILE = "vmservicescrape.yaml";
export const ALLOY_DIR = "alloy";
export const ALLOY_CONFIG_FILE = `${ALLOY_DIR}/pushgateway.alloy`;
export const ALLOY_RBAC_FILE = `${ALLOY_DIR}/rbac.yaml`;
export const PROMETHEUS_DIR = "prometheus";
export const PROMETHEUS_JOB_FILE = `${PROMETHEUS_DIR}/scrape-config.yaml`;
export const KUBE_PROMETHEUS_STACK_VALUES_FILE = `${PROMETHEUS_DIR}/kube-prometheus-stack-values.yaml`;

const labelNote = (plan: Plan, selects: string) =>
  Object.keys(plan.prometheusSelector).length
    ? `It carries ${Object.entries(plan.prometheusSelector)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}, the label${Object.keys(plan.prometheusSelector).length === 1 ? "" : "s"} your ${selects}.`
    : `It carries no selector label: your ${selects.replace(/ by$/, "")} must select it by other means.`;

export const scrapeConfigOutput: Output = {
  name: SCRAPE_CONFIG_FILE,
  role: "manifests",
  applies: (plan) => plan.scraper === "scrapeconfig",
  build: ({ plan }) =>
    toYamlFile(
      [buildScrapeConfig(plan)],
      [
        `Prometheus Operator ScrapeConfig for Pushgateway (the chart's ServiceMonitor is disabled in values.yaml).`,
        `Apply after the chart: kubectl apply -f ${SCRAPE_CONFIG_FILE}`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${SCRAPE_CONFIG_FILE}\`: the ScrapeConfig that scrapes Pushgateway with basicAuth`,
  apply: {
    stage: "after-chart",
    step: (plan) => ({
      id: "scrapeconfig",
      title: "Apply the ScrapeConfig",
      text: `It reads the credentials from ${plan.scrapeSecretName} in ${plan.scrapeSecretNamespace}, its own namespace, the only one the Operator looks in. ${labelNote(plan, "Prometheus's scrapeConfigSelector selects by")} Prometheus needs scrapeConfigSelector set (kube-prometheus-stack sets it from prometheus.prometheusSpec.scrapeConfigSelector).`,
      snippet: { language: "sh", code: `kubectl apply -f ${SCRAPE_CONFIG_FILE}` },
    }),
  },
};

export const vmServiceScrapeOutput: Output = {
  name: VM_SERVICE_SCRAPE_FILE,
  role: "manifests",
  applies: (plan) => plan.scraper === "victoriametrics",
  build: ({ plan }) =>
    toYamlFile(
      [buildVMServiceScrape(plan)],
      [
        `VictoriaMetrics operator VMServiceScrape for Pushgateway (the chart's ServiceMonitor is disabled in values.yaml).`,
        `Apply after the chart: kubectl apply -f ${VM_SERVICE_SCRAPE_FILE}`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${VM_SERVICE_SCRAPE_FILE}\`: the VMServiceScrape that scrapes Pushgateway with basicAuth`,
  apply: {
    stage: "after-chart",
    step: (plan) => ({
      id: "vmservicescrape",
      title: "Apply the VMServiceScrape",
      text: `It reads the credentials from ${plan.scrapeSecretName} in ${plan.scrapeSecretNamespace}, its own namespace, the only one the VictoriaMetrics operator looks in. ${labelNote(plan, "VMAgent's serviceScrapeSelector selects by")} A VMAgent with selectAllByDefault selects it whatever its labels.`,
      snippet: { language: "sh", code: `kubectl apply -f ${VM_SERVICE_SCRAPE_FILE}` },
    }),
  },
};

export const alloyRbacOutput: Output = {
  name: ALLOY_RBAC_FILE,
  role: "manifests",
  applies: (plan) => plan.scraper === "alloy",
  build: ({ plan }) =>
    toYamlFile(buildAlloyRbac(plan), [
      `Lets Alloy's ServiceAccount get Secret ${plan.scrapeSecretNamespace}/${plan.scrapeSecretName}, and nothing else.`,
      `If your Alloy runs under another ServiceAccount than alloy in ${plan.config.prometheusNamespace}, change the subject.`,
      `kubectl apply -f ${ALLOY_RBAC_FILE}`,
    ]),
  secret: false,
  executable: false,
  describe: () => `\`${ALLOY_RBAC_FILE}\`: the Role and RoleBinding that let Alloy read the scrape Secret, and only it`,
  apply: {
    stage: "after-chart",
    step: (plan) => ({
      id: "alloy-rbac",
      title: "Let Alloy read the scrape Secret",
      text: `The Role allows one thing: get Secret ${plan.scrapeSecretName} in ${plan.scrapeSecretNamespace}. The RoleBinding gives it to ServiceAccount alloy in ${plan.config.prometheusNamespace} (the grafana/alloy chart's, for a release named alloy): change the subject if yours differs.`,
      snippet: { language: "sh", code: `kubectl apply -f ${ALLOY_RBAC_FILE}` },
    }),
  },
};

export const alloyConfigOutput: Output = {
  name: ALLOY_CONFIG_FILE,
  role: "scraper-config",
  applies: (plan) => plan.scraper === "alloy",
  build: ({ plan }) => buildAlloyConfig(plan),
  secret: false,
  executable: false,
  describe: () =>
    `\`${ALLOY_CONFIG_FILE}\`: the Alloy configuration block (remote.kubernetes.secret and prometheus.scrape)`,
};

export const prometheusJobOutput: Output = {
  name: PROMETHEUS_JOB_FILE,
  role: "scraper-config",
  applies: (plan) => plan.scraper === "prometheus",
  build: ({ plan }) =>
    toYamlFile(
      [{ scrape_configs: [buildPrometheusJob(plan)] }],
      [
        `A plain Prometheus scrape job for Pushgateway: merge it into prometheus.yml's scrape_configs.`,
        `The password is read from ${prometheusPasswordFile(plan)}: mount Secret ${plan.scrapeSecretName} there (see README.md).`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${PROMETHEUS_JOB_FILE}\`: the scrape_config job with basic_auth.password_file`,
};

export const kubePrometheusStackValuesOutput: Output = {
  name: KUBE_PROMETHEUS_STACK_VALUES_FILE,
  role: "scraper-config",
  applies: (plan) => plan.scraper === "prometheus",
  build: ({ plan }) =>
    toYamlFile(
      [buildKubePrometheusStackValues(plan)],
      [
        `kube-prometheus-stack values: the same job as additionalScrapeConfigs, and the Secret mounted by`,
        `prometheusSpec.secrets at ${prometheusPasswordFile(plan).replace(/\/[^/]+$/, "/")}. Pass it with -f to your kube-prometheus-stack upgrade.`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () =>
    `\`${KUBE_PROMETHEUS_STACK_VALUES_FILE}\`: the job as kube-prometheus-stack additionalScrapeConfigs, with the Secret mounted`,
};

/** The plain-Prometheus job as YAML text, for the guide. */
export function prometheusJobText(plan: Plan): string {
  return toYaml({ scrape_configs: [buildPrometheusJob(plan)] });
}
