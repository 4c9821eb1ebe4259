/**
 * The deploy-and-verify guide for exactly one config: each step a sentence and, where there
 * is one, a command or snippet with this config's names, namespaces, chart version and
 * strategy. The page shows the steps with Copy buttons; the bundle carries them as README.md.
 * Credentials never appear in it: commands read them from the generated Secret.
 */
import { SERVICE_PORT, TELEMETRY_PATH } from "../chart/names";
import { BASIC_AUTH_PASSWORD_KEY, BASIC_AUTH_USERNAME_KEY } from "../engine/build-manifests";
import { prometheusPasswordFile } from "../engine/build-scrapers";
import type { Plan } from "../engine/plan";
import type { ServiceMonitorMode } from "../chart/versions";
import { POST_RENDERER_DIR, POST_RENDERER_SCRIPT, postRendererPluginName } from "../outputs/post-renderer-files";
import { FILE_NAMES, outputsFor } from "../outputs/registry";
import type { ApplyStage } from "../outputs/output";
import { toYaml } from "../yaml/serialize";
import { HELM_REPO_ADD, helmInstallCommand } from "./helm-command";
import { scraperInstallNote, scraperWiringSteps, targetsDiagnosisStep, verifyScraperStep } from "./scraper-steps";
import { gitopsChartSteps } from "./gitops-guide";
import type { GuideStep } from "./step";

export type { GuideStep, SnippetLanguage } from "./step";

/** The Service the Prometheus Operator creates for every Prometheus it runs. */
const OPERATOR_PROMETHEUS_SERVICE = "prometheus-operated";

/**
 * The plain-Prometheus scrape config (no Operator): basic_auth with password_file where the
 * scrape Secret's password key is mounted, the same path `--scraper prometheus` uses.
 */
export function plainScrapeConfig(plan: Plan): string {
  const c = plan.config;
  return toYaml({
    scrape_configs: [
      {
        job_name: "pushgateway",
        // Keep the job and instance labels the pushers set.
        honor_labels: true,
        scrape_interval: c.interval,
        scrape_timeout: c.scrapeTimeout,
        metrics_path: TELEMETRY_PATH,
        basic_auth: { username: c.username, password_file: prometheusPasswordFile(plan) },
        static_configs: [{ targets: [`${plan.names.fullname}.${plan.releaseNamespace}.svc:${SERVICE_PORT}`] }],
      },
    ],
  });
}

// What values.yaml does with the chart's ServiceMonitor, by strategy.
const INSTALL_NOTE: Record<ServiceMonitorMode, string> = {
  values: `${FILE_NAMES.values} points the chart's ServiceMonitor at the scrape Secret.`,
  standalone: `${FILE_NAMES.values} turns the chart's ServiceMonitor off; the next step replaces it.`,
  patch: `${POST_RENDERER_SCRIPT} runs \`kubectl kustomize\` (kubectl 1.21 or later) on what Helm renders, adding basicAuth to the chart's ServiceMonitor, and stops the install if that ServiceMonitor is not there. Helm 4 runs post-renderers only as installed plugins: install ${POST_RENDERER_DIR}/ as one once (Helm links the directory, so keep it where it is). Helm 3 takes the script's path. The commands ask \`helm version --short\` which Helm you have and take its branch.`,
};

function chartStep(plan: Plan): GuideStep {
  // The chart installs from its OCI location; the Helm repository stays an alternative.
  const repo = (major: 3 | 4) =>
    ["# Or from the Helm repository:", ...HELM_REPO_ADD.split("\n"), helmInstallCommand(plan, major, "repo")]
      .map((line) => (line.startsWith("#") ? line : `# ${line}`))
      .join("\n");
  if (plan.mode !== "patch") {
    return {
      id: "chart",
      title: "Install the chart",
      text: plan.scraper === "operator" ? INSTALL_NOTE[plan.mode] : scraperInstallNote(plan),
      snippet: { language: "sh", code: `${helmInstallCommand(plan)}\n${repo(4)}` },
    };
  }
  // One block that works pasted whole: it asks Helm its major and takes that branch only
  // (Helm 4 needs the installed plugin's name; Helm 3 takes the script's path and cannot load
  // a postrenderer/v1 plugin, so it must not install one).
  const plugin = postRendererPluginName(plan);
  const repoAlternative = [
    "# Or from the Helm repository:",
    ...HELM_REPO_ADD.split("\n").map((line) => `# ${line}`),
    `# Helm 4: ${helmInstallCommand(plan, 4, "repo")}`,
    `# Helm 3: ${helmInstallCommand(plan, 3, "repo")}`,
  ];
  return {
    id: "chart",
    title: "Install the chart through the post-renderer",
    text: INSTALL_NOTE.patch,
    snippet: {
      language: "sh",
      code: [
        `chmod +x ${POST_RENDERER_SCRIPT}`,
        'case "$(helm version --short)" in',
        "  v4*)",
        `    helm plugin list | grep -q '^${plugin}\\s' || helm plugin install ./${POST_RENDERER_DIR}`,
        `    ${helmInstallCommand(plan, 4)} ;;`,
        "  *)",
        `    ${helmInstallCommand(plan, 3)} ;;`,
        "esac",
        ...repoAlternative,
      ].join("\n"),
    },
  };
}

/** Builds the guide's steps for a plan. */
export function buildGuide(plan: Plan): GuideStep[] {
  const c = plan.config;
  const ns = plan.releaseNamespace;
  const smNs = plan.serviceMonitorNamespace;
  const service = plan.names.fullname;
  const secret = plan.scrapeSecretName;
  const url = `http://${service}.${ns}.svc:${SERVICE_PORT}`;
  const secretNs = plan.scrapeSecretNamespace;
  const credentials = [
    `PGW_USER=$(kubectl -n ${secretNs} get secret ${secret} -o jsonpath='{.data.${BASIC_AUTH_USERNAME_KEY}}' | base64 -d)`,
    `PGW_PASSWORD=$(kubectl -n ${secretNs} get secret ${secret} -o jsonpath='{.data.${BASIC_AUTH_PASSWORD_KEY}}' | base64 -d)`,
  ].join("\n");
  const steps: GuideStep[] = [];

  const namespaces = [...new Set([ns, smNs, secretNs, ...plan.pushers.map((p) => p.namespace)])];
  steps.push({
    id: "namespaces",
    title: "Create the namespaces",
    text: "The Secrets are applied before the chart, so their namespaces must exist. Existing namespaces are left alone.",
    snippet: {
      language: "sh",
      code: namespaces
        .map((n) => `kubectl create namespace ${n} --dry-run=client -o yaml | kubectl apply -f -`)
        .join("\n"),
    },
  });
  const outputs = outputsFor(plan);
  const applySteps = (stage: ApplyStage) =>
    outputs.flatMap((o) => (o.apply?.stage === stage ? [o.apply.step(plan)] : []));
  steps.push(...applySteps("before-chart"));
  // Argo CD and Flux install the chart themselves, in their own words.
  const gitops = gitopsChartSteps(plan);
  steps.push(...(gitops.length ? gitops : [chartStep(plan)]));
  steps.push(...applySteps("after-chart"));
  steps.push(...scraperWiringSteps(plan));

  steps.push({
    id: "verify-auth",
    title: "Check that Pushgateway asks for the password",
    text: "Without credentials every endpoint answers 401; with the Secret's credentials, 200.",
    snippet: {
      language: "sh",
      code: [
        `kubectl -n ${ns} port-forward svc/${service} ${SERVICE_PORT}:${SERVICE_PORT} &`,
        credentials,
        `curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:${SERVICE_PORT}${TELEMETRY_PATH}  # 401`,
        `curl -s -o /dev/null -w '%{http_code}\\n' -u "$PGW_USER:$PGW_PASSWORD" http://127.0.0.1:${SERVICE_PORT}${TELEMETRY_PATH}  # 200`,
      ].join("\n"),
    },
  });
  steps.push({
    id: "verify-prometheus",
    title: "Check that Prometheus scrapes it",
    text: `The target must show health "up" and no lastError. If it is missing, Prometheus does not select the ServiceMonitor (check its labels); a 401 means the credentials disagree.`,
    snippet: {
      language: "sh",
      code: [
        `kubectl -n ${c.prometheusNamespace} port-forward svc/${OPERATOR_PROMETHEUS_SERVICE} 9090:9090 &`,
        `curl -s http://127.0.0.1:9090/api/v1/targets | jq '.data.activeTargets[] | select(.scrapePool | startswith("serviceMonitor/${smNs}/${plan.names.fullname}/")) | {scrapePool, health, lastError}'`,
      ].join("\n"),
    },
  });

  const pusherNote = c.networkPolicyEnabled
    ? ` The NetworkPolicy only admits pods labelled ${c.networkPolicyPusherPods}.`
    : "";
  steps.push({
    id: "push-curl",
    title: "Push from a job with curl",
    text: plan.pushers.length
      ? `Each job pushes as its own user: give it PGW_USER and PGW_PASSWORD from its Secret in its namespace with env valueFrom secretKeyRef, as ${FILE_NAMES.pusherCronJob} does (${plan.pushers.map((p) => `${p.name}: Secret ${p.namespace}/${p.secretName}`).join(", ")}).${pusherNote}`
      : `Jobs push with the same credentials; give them PGW_USER and PGW_PASSWORD from the Secret (for example with env valueFrom secretKeyRef).${pusherNote}`,
    snippet: {
      language: "sh",
      code: `echo "job_last_success_unixtime $(date +%s)" | curl -sf -u "$PGW_USER:$PGW_PASSWORD" --data-binary @- ${url}/metrics/job/my_batch_job`,
    },
  });
  steps.push({
    id: "push-python",
    title: "Push from Python (prometheus_client)",
    text: "basic_auth_handler adds the credentials to the push request.",
    snippet: {
      language: "python",
      code: `import os

from prometheus_client import CollectorRegistry, Gauge, push_to_gateway
from prometheus_client.exposition import basic_auth_handler


def auth_handler(url, method, timeout, headers, data):
    return basic_auth_handler(url, method, timeout, headers, data, os.environ["PGW_USER"], os.environ["PGW_PASSWORD"])


registry = CollectorRegistry()
Gauge("job_last_success_unixtime", "Last time the batch job succeeded", registry=registry).set_to_current_time()
push_to_gateway("${url}", job="my_batch_job", registry=registry, handler=auth_handler)
`,
    },
  });
  steps.push({
    id: "push-go",
    title: "Push from Go (client_golang)",
    text: "The push package's BasicAuth sets the credentials.",
    snippet: {
      language: "go",
      code: `completion := prometheus.NewGauge(prometheus.GaugeOpts{
	Name: "job_last_success_unixtime",
	Help: "Last time the batch job succeeded",
})
completion.SetToCurrentTime()
err := push.New("${url}", "my_batch_job").
	Collector(completion).
	BasicAuth(os.Getenv("PGW_USER"), os.Getenv("PGW_PASSWORD")).
	Push()
`,
    },
  });
  steps.push(targetsDiagnosisStep(plan));
  steps.push({
    id: "plain-prometheus",
    title: "Without the Prometheus Operator",
    text: `A plain Prometheus scrapes with this job; mount Secret ${plan.scrapeSecretName} at ${prometheusPasswordFile(plan).replace(/[^/]+$/, "")} (or put the password, no trailing newline, in ${prometheusPasswordFile(plan)}).`,
    snippet: { language: "yaml", code: plainScrapeConfig(plan) },
  });
  if (plan.scraper === "operator") return steps;
  // Other scrapers: their own check, and their own wiring steps instead of the plain-Prometheus job.
  return steps.flatMap((step) =>
    step.id === "verify-prometheus" ? [verifyScraperStep(plan)] : step.id === "plain-prometheus" ? [] : [step],
  );
}
