/**
 * Plays a cluster for a bundle, or for a user's setup as pasted: renders what the chart adds
 * (with a real bcrypt hash, the way its htpasswd does), runs the bundle's own post-renderer
 * through the real `kubectl kustomize` for the patch strategy, and resolves the
 * ServiceMonitor's credentials like the Operator does.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { hashSync } from "bcryptjs";
import { renderRelease, type Probe, type RenderedChart } from "../../lib/chart/render";
import type { Values } from "../../lib/values/values";
import type { Config } from "../../lib/config/schema";
import { WEB_CONFIG_KEY } from "../../lib/chart/web-config";
import { secretValue } from "../../lib/engine/cluster-view";
import { FILE_NAMES } from "../../lib/engine/generate";
import type { InputFile } from "../../lib/diagnose/read-setup";
import { resolveSetup, type GivenFacts } from "../../lib/diagnose/resolve-setup";
import { parseYamlDocuments, toYaml, toYamlFile } from "../../lib/yaml/serialize";
import type { Secret, Service, ServiceMonitor } from "../../lib/k8s/types";
import { requireBinary } from "./servers";

export interface Deployment {
  /** The web config file Pushgateway is started with. */
  webConfig: string;
  liveness: Probe;
  readiness: Probe;
  service: Service;
  /** Every ServiceMonitor that ends up in the cluster. */
  serviceMonitors: ServiceMonitor[];
  secrets: Secret[];
}

/** Runs the bundle's post-renderer.sh on `chartOutput`, as `helm --post-renderer` would. */
export function runPostRenderer(files: Record<string, string>, chartOutput: string): string {
  requireBinary("kubectl", "kubectl");
  const dir = mkdtempSync(join(tmpdir(), "pga-bundle-"));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    chmodSync(join(dir, FILE_NAMES.postRenderer), 0o755);
    const run = spawnSync(join(dir, FILE_NAMES.postRenderer), { input: chartOutput, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`post-renderer failed (${run.status}): ${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the chart renders for a release from `values`, with real bcrypt hashes where its htpasswd makes them. */
export function renderForReal(
  release: Pick<Config, "chartVersion" | "releaseName" | "namespace">,
  values: Values,
): RenderedChart {
  const chart = renderRelease(release, values, (password) => hashSync(password, 10));
  if (chart.errors.length) throw new Error(`helm would fail: ${chart.errors.join("; ")}`);
  return chart;
}

/** The cluster holding `objects`, with the Pushgateway the chart's values make. */
function deployed(chart: RenderedChart, objects: unknown[]): Deployment {
  const all = objects as { kind?: string }[];
  const secrets = all.filter((d) => d.kind === "Secret") as Secret[];
  const webConfigSecret = secrets.find(
    (s) => s.metadata.name === chart.webConfigSecretName && s.metadata.namespace === chart.namespace,
  );
  const webConfig = webConfigSecret ? secretValue(webConfigSecret, WEB_CONFIG_KEY) : undefined;
  if (webConfig === undefined)
    throw new Error(`the pod would not start: web-config Secret ${chart.webConfigSecretName} missing`);
  return {
    webConfig,
    liveness: chart.liveness,
    readiness: chart.readiness,
    service: chart.service,
    serviceMonitors: all.filter((d) => d.kind === "ServiceMonitor") as ServiceMonitor[],
    secrets,
  };
}

/** Deploys a generated bundle on paper; throws where the cluster would reject it. */
export function deployBundle(config: Config, files: Record<string, string>): Deployment {
  const values = (parseYamlDocuments(files[FILE_NAMES.values] ?? "")[0] ?? {}) as Values;
  const chart = renderForReal(config, values);
  const bundleDocs = [FILE_NAMES.secret, FILE_NAMES.serviceMonitor]
    .filter((name) => files[name] !== undefined)
    .flatMap((name) => parseYamlDocuments(files[name] as string)) as (Secret | ServiceMonitor)[];

  let chartObjects: unknown[] = [
    chart.service,
    ...chart.secrets,
    ...(chart.serviceMonitor ? [chart.serviceMonitor] : []),
  ];
  if (files[FILE_NAMES.postRenderer]) {
    chartObjects = parseYamlDocuments(runPostRenderer(files, toYamlFile(chartObjects)));
  }
  return deployed(chart, [...chartObjects, ...bundleDocs]);
}

/**
 * Deploys what a user pasted, as it is (no fix): the chart installed from their values, and
 * their Secrets and ServiceMonitors, each in place of the chart's object of the same kind,
 * namespace and name (it is that object as it is now) or beside the chart's.
 */
export function deploySetup(files: readonly InputFile[], given: GivenFacts): Deployment {
  const resolved = resolveSetup(files, given);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const r = resolved.resolved;
  const release = {
    chartVersion: r.chartVersion.value,
    releaseName: r.releaseName.value,
    namespace: r.namespace.value,
  };
  const chart = renderForReal(release, r.values);
  const key = (o: unknown) => {
    const m = o as { kind?: string; metadata?: { name?: string; namespace?: string } };
    return `${m.kind}/${m.metadata?.namespace}/${m.metadata?.name}`;
  };
  const pasted = r.setup.objects.map((p) => p.object).filter((o) => o.kind === "Secret" || o.kind === "ServiceMonitor");
  const rendered = [chart.service, ...chart.secrets, ...(chart.serviceMonitor ? [chart.serviceMonitor] : [])];
  const pastedKeys = new Set(pasted.map(key));
  return deployed(chart, [...rendered.filter((o) => !pastedKeys.has(key(o))), ...pasted]);
}

export interface ScrapeJob {
  jobName: string;
  config: Record<string, unknown>;
  username: string;
  password: string;
}

/**
 * The scrape job the Prometheus Operator derives from a ServiceMonitor endpoint: credentials
 * from Secrets in the ServiceMonitor's own namespace, honor_labels, path and timing; the
 * Service is found by label selector and namespace, the endpoint by port name.
 */
export function operatorScrapeJob(deployment: Deployment, target: string): ScrapeJob {
  const { service } = deployment;
  const selecting = deployment.serviceMonitors.filter((sm) => {
    const names = sm.spec.namespaceSelector?.matchNames ?? [sm.metadata.namespace];
    const labels = service.metadata.labels ?? {};
    return (
      names.includes(service.metadata.namespace) &&
      Object.entries(sm.spec.selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
    );
  });
  if (selecting.length !== 1) throw new Error(`${selecting.length} ServiceMonitors select the Service`);
  const sm = selecting[0] as ServiceMonitor;
  const endpoint = sm.spec.endpoints[0]!;
  if (!service.spec.ports.some((p) => p.name === endpoint.port))
    throw new Error(`no Service port named ${endpoint.port}`);
  const auth = endpoint.basicAuth;
  if (!auth) throw new Error("the ServiceMonitor has no basicAuth");
  const read = (selector: { name: string; key: string }) => {
    const secret = deployment.secrets.find(
      (s) => s.metadata.name === selector.name && s.metadata.namespace === sm.metadata.namespace,
    );
    const value = secret && secretValue(secret, selector.key);
    // The Operator skips the whole ServiceMonitor in this case.
    if (value === undefined)
      throw new Error(`Secret ${sm.metadata.namespace}/${selector.name} key ${selector.key} missing`);
    return value;
  };
  const username = read(auth.username);
  const password = read(auth.password);
  const jobName = `serviceMonitor/${sm.metadata.namespace}/${sm.metadata.name}/0`;
  return {
    jobName,
    username,
    password,
    config: {
      job_name: jobName,
      honor_labels: endpoint.honorLabels === true,
      metrics_path: endpoint.path ?? "/metrics",
      ...(endpoint.interval ? { scrape_interval: endpoint.interval } : {}),
      ...(endpoint.scrapeTimeout ? { scrape_timeout: endpoint.scrapeTimeout } : {}),
      basic_auth: { username, password },
      static_configs: [{ targets: [target] }],
    },
  };
}

/** A Prometheus config with the given jobs. */
export function prometheusConfig(jobs: Record<string, unknown>[]): string {
  return toYaml({ global: { scrape_interval: "1s", scrape_timeout: "1s" }, scrape_configs: jobs });
}
