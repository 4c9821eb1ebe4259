/**
 * The guide's steps that depend on who scrapes Pushgateway ("Scraped by"): wiring the scraper,
 * checking that it scrapes `up`, and handing its own target list to `diagnose`.
 */
import { ALLOY_SCRAPE_COMPONENT, buildPrometheusMount, prometheusPasswordFile } from "../engine/build-scrapers";
import type { Plan } from "../engine/plan";
import {
  ALLOY_CONFIG_FILE,
  KUBE_PROMETHEUS_STACK_VALUES_FILE,
  PROMETHEUS_JOB_FILE,
  prometheusJobText,
} from "../outputs/scraper-files";
import { VALUES_FILE } from "../outputs/values-file";
import { toYaml } from "../yaml/serialize";
import type { GuideStep } from "./step";

/** The Service the Prometheus Operator creates for every Prometheus it runs. */
const OPERATOR_PROMETHEUS_SERVICE = "prometheus-operated";

/** What values.yaml does with the chart's ServiceMonitor when another scraper scrapes Pushgateway. */
export function scraperInstallNote(plan: Plan): string {
  const by: Record<Plan["scraper"], string> = {
    operator: "",
    scrapeconfig: "the ScrapeConfig scrapes it instead",
    victoriametrics: "the VMServiceScrape scrapes it instead",
    alloy: "Alloy scrapes it instead",
    prometheus: "Prometheus scrapes it with its own job instead",
  };
  return `${VALUES_FILE} turns the chart's ServiceMonitor off: ${by[plan.scraper]}.`;
}

/** The scrape pool Prometheus (or VMAgent) lists Pushgateway's target under. */
export function scrapePoolPrefix(plan: Plan): string {
  const ns = plan.serviceMonitorNamespace;
  const name = plan.names.fullname;
  switch (plan.scraper) {
    case "operator":
      return `serviceMonitor/${ns}/${name}/`;
    case "scrapeconfig":
      return `scrapeConfig/${ns}/${name}`;
    case "victoriametrics":
      return `serviceScrape/${ns}/${name}/`;
    default:
      return "pushgateway";
  }
}

/**
 * Commands that save the scraper's `/api/v1/targets` answer to targets.json: through the API
 * server's service proxy (`kubectl get --raw`), or a port-forward and curl.
 */
export function targetsCommands(plan: Plan): string[] {
  const ns = plan.config.prometheusNamespace;
  if (plan.scraper === "victoriametrics") {
    return [
      `VMAGENT=vmagent-$(kubectl -n ${ns} get vmagent -o jsonpath='{.items[0].metadata.name}')`,
      `kubectl get --raw "/api/v1/namespaces/${ns}/services/$VMAGENT:8429/proxy/api/v1/targets" > targets.json`,
      `# or: kubectl -n ${ns} port-forward svc/$VMAGENT 8429:8429 & curl -s http://127.0.0.1:8429/api/v1/targets > targets.json`,
    ];
  }
  return [
    `kubectl get --raw "/api/v1/namespaces/${ns}/services/${OPERATOR_PROMETHEUS_SERVICE}:9090/proxy/api/v1/targets" > targets.json`,
    `# or: kubectl -n ${ns} port-forward svc/${OPERATOR_PROMETHEUS_SERVICE} 9090:9090 & curl -s http://127.0.0.1:9090/api/v1/targets > targets.json`,
  ];
}

/** Checking that the scraper scrapes Pushgateway `up`, for scrapers other than the ServiceMonitor's. */
export function verifyScraperStep(plan: Plan): GuideStep {
  if (plan.scraper === "alloy") {
    return {
      id: "verify-prometheus",
      title: "Check that Alloy scrapes it",
      text: `Alloy's UI lists prometheus.scrape.${ALLOY_SCRAPE_COMPONENT} with its target, health and last error; remote.kubernetes.secret must be healthy (a 403 there means the RBAC does not cover the Secret).`,
      snippet: {
        language: "sh",
        code: `kubectl -n ${plan.config.prometheusNamespace} port-forward svc/alloy 12345:12345 &\n# open http://127.0.0.1:12345/component/prometheus.scrape.${ALLOY_SCRAPE_COMPONENT}`,
      },
    };
  }
  const who = plan.scraper === "victoriametrics" ? "VMAgent" : "Prometheus";
  const port = plan.scraper === "victoriametrics" ? 8429 : 9090;
  const service = plan.scraper === "victoriametrics" ? "$VMAGENT" : OPERATOR_PROMETHEUS_SERVICE;
  const forward =
    plan.scraper === "victoriametrics"
      ? [
          `VMAGENT=vmagent-$(kubectl -n ${plan.config.prometheusNamespace} get vmagent -o jsonpath='{.items[0].metadata.name}')`,
        ]
      : [];
  return {
    id: "verify-prometheus",
    title: `Check that ${who} scrapes it`,
    text: `The target must show health "up" and no lastError. If it is missing, ${who} does not select the ${plan.scraper === "prometheus" ? "job (check that the config was reloaded)" : "scrape object (check its labels and that its Secret exists)"}; a 401 means the credentials disagree.`,
    snippet: {
      language: "sh",
      code: [
        ...forward,
        `kubectl -n ${plan.config.prometheusNamespace} port-forward svc/${service} ${port}:${port} &`,
        `curl -s http://127.0.0.1:${port}/api/v1/targets | jq '.data.activeTargets[] | select(.scrapePool | startswith("${scrapePoolPrefix(plan)}")) | {scrapePool, health, lastError}'`,
      ].join("\n"),
    },
  };
}

/**
 * What to save for `diagnose` besides the values: the Secrets and the scraper's own objects or
 * config, from where they live (a ServiceMonitor alone would leave the ScrapeConfig,
 * VMServiceScrape or Prometheus job out, and read as "no ServiceMonitor").
 */
export function collectCommands(plan: Plan): { commands: string[]; files: string[] } {
  const ns = plan.serviceMonitorNamespace;
  const prom = plan.config.prometheusNamespace;
  // The web config Secret is in the release's namespace.
  const webConfig =
    plan.releaseNamespace === (plan.scraper === "prometheus" ? prom : ns)
      ? []
      : [`kubectl get secret -n ${plan.releaseNamespace} -o yaml > web-config.yaml`];
  const withWeb = (files: string[]) => (webConfig.length ? [...files, "web-config.yaml"] : files);
  switch (plan.scraper) {
    case "scrapeconfig":
      return {
        commands: [`kubectl get secret,scrapeconfig -n ${ns} -o yaml > cluster.yaml`, ...webConfig],
        files: withWeb(["cluster.yaml"]),
      };
    case "victoriametrics":
      return {
        commands: [`kubectl get secret,vmservicescrape -n ${ns} -o yaml > cluster.yaml`, ...webConfig],
        files: withWeb(["cluster.yaml"]),
      };
    case "alloy":
      return {
        commands: [`kubectl get secret,role,rolebinding -n ${ns} -o yaml > cluster.yaml`, ...webConfig],
        files: withWeb(["cluster.yaml", ALLOY_CONFIG_FILE]),
      };
    case "prometheus":
      return {
        commands: [
          `kubectl get secret -n ${prom} -o yaml > cluster.yaml`,
          ...webConfig,
          "# the job: kube-prometheus-stack's values, or your prometheus.yml",
          `helm get values kube-prometheus-stack -n ${prom} > prometheus-values.yaml`,
        ],
        files: withWeb(["cluster.yaml", "prometheus-values.yaml"]),
      };
    default:
      return {
        commands: [`kubectl get secret,servicemonitor -n ${ns} -o yaml > cluster.yaml`, ...webConfig],
        files: withWeb(["cluster.yaml"]),
      };
  }
}

/** Handing the scraper's own target list (Alloy has none) and its objects to `diagnose`. */
export function targetsDiagnosisStep(plan: Plan): GuideStep {
  const collect = collectCommands(plan);
  const values = `helm get values ${plan.config.releaseName} -n ${plan.releaseNamespace} > helm-values.yaml`;
  if (plan.scraper === "alloy") {
    return {
      id: "diagnose-targets",
      title: "Still 401? Diagnose the setup",
      text: `Give pushgateway-auth diagnose (or the page's import) the values, the Secrets, the RBAC and ${ALLOY_CONFIG_FILE}: it checks that the Secret Alloy reads exists with the keys it reads, that the Role lets Alloy get it, and that the password matches the web config. Alloy's own target health is in its UI (previous step).`,
      snippet: {
        language: "sh",
        code: [
          values,
          ...collect.commands,
          `npm run --silent diagnose -- helm-values.yaml ${collect.files.join(" ")}`,
        ].join("\n"),
      },
    };
  }
  return {
    id: "diagnose-targets",
    title: "Still 401 or no target? Diagnose from the scraper's own target list",
    text: `Save ${plan.scraper === "victoriametrics" ? "VMAgent" : "Prometheus"}'s /api/v1/targets answer and give it to pushgateway-auth diagnose (or paste it into the page's import) with the values and objects: a target with lastError 401, a missing target, or one down for another reason each get their finding.`,
    snippet: {
      language: "sh",
      code: [
        ...targetsCommands(plan),
        values,
        ...collect.commands,
        `npm run --silent diagnose -- helm-values.yaml ${collect.files.join(" ")} targets.json`,
      ].join("\n"),
    },
  };
}

/** Steps wiring a scraper that is not configured by applying a manifest. */
export function scraperWiringSteps(plan: Plan): GuideStep[] {
  if (plan.scraper === "alloy") {
    return [
      {
        id: "alloy-config",
        title: "Add the block to Alloy's configuration",
        text: `Why remote.kubernetes.secret: Alloy then reads the password from the scrape Secret through the API with a Role limited to that one Secret, needs no volume mounted into its pod (no restart), and no ServiceMonitor CRD or cluster-wide Secret access as prometheus.operator.servicemonitors would. Append ${ALLOY_CONFIG_FILE} to your Alloy configuration (the grafana/alloy chart's alloy.configMap.content), point forward_to at your receiver, and let Alloy reload.`,
        snippet: {
          language: "sh",
          code: `kubectl -n ${plan.config.prometheusNamespace} get configmap alloy -o jsonpath='{.data.config\\.alloy}' > config.alloy\ncat ${ALLOY_CONFIG_FILE} >> config.alloy\n# then set alloy.configMap.content to config.alloy in your grafana/alloy values and upgrade`,
        },
      },
    ];
  }
  if (plan.scraper === "prometheus") {
    return [
      {
        id: "prometheus-kps",
        title: "kube-prometheus-stack: add the job and mount the Secret",
        text: `${KUBE_PROMETHEUS_STACK_VALUES_FILE} sets prometheus.prometheusSpec.secrets, which mounts the Secret at ${prometheusPasswordFile(plan).replace(/\/[^/]+$/, "/")}, and adds the job to additionalScrapeConfigs. Merge it into your kube-prometheus-stack values (both are lists: keep your own entries) and upgrade that release.`,
        snippet: {
          language: "sh",
          code: `helm upgrade kube-prometheus-stack oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack -n ${plan.config.prometheusNamespace} --reuse-values -f ${KUBE_PROMETHEUS_STACK_VALUES_FILE}`,
        },
      },
      {
        id: "prometheus-plain",
        title: "Plain Prometheus: mount the Secret and add the job",
        text: `Mount Secret ${plan.scrapeSecretName} (namespace ${plan.config.prometheusNamespace}) into the Prometheus pod with this volume and mount (merge into its pod spec), add ${PROMETHEUS_JOB_FILE}'s job to prometheus.yml, and reload Prometheus. It reads ${prometheusPasswordFile(plan)} at every scrape, so a rotated password needs no restart.`,
        snippet: { language: "yaml", code: `${toYaml(buildPrometheusMount(plan))}---\n${prometheusJobText(plan)}` },
      },
    ];
  }
  return [];
}
