/**
 * Every scraper, proven for real. The chart is rendered by real Helm 4 from the bundle's
 * values.yaml (the chart's ServiceMonitor must be gone); the Pushgateway pod's mounted web
 * config is read from that render and run by Debian's prometheus-pushgateway; then Debian's
 * prometheus runs the scrape config the scraper would build from the bundle:
 *
 * - scrapeconfig: the job the Prometheus Operator builds from the ScrapeConfig (its static
 *   target, honor_labels, path, basic_auth from the Secret in the ScrapeConfig's namespace);
 * - prometheus: the bundle's own scrape_config, unchanged but for the target address and the
 *   password_file directory, where the Secret's key is written as the kubelet mounts it;
 * - victoriametrics and alloy: VMAgent and Alloy cannot run here. Their objects are checked
 *   against their schemas (tests/unit/scrapers.test.ts); here the credentials they resolve to
 *   (the Secret in the VMServiceScrape's namespace; the Secret Alloy's remote.kubernetes.secret
 *   names, which its RBAC covers, at the keys its .data["KEY"] references read) are what the
 *   real Prometheus scrapes with.
 *
 * Each must be `up`, and a job without credentials must get 401.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { checkBundle, FILE_NAMES, generate, type Config } from "../../lib/index";
import { alloyBasicAuth } from "../../lib/rules/scraper-input";
import { alloySecretRef } from "../../lib/rules/scraper-rules";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { cellConfig, renderWithHelm } from "../support/helm-matrix";
import { INPUTS } from "../support/helm-matrix";
import { proveManifests, secretValue, type K8sObject } from "../support/helm-proof";
import { prometheusConfig } from "../support/deploy";
import { startPrometheus, startPushgateway, waitFor, type Server } from "../support/servers";

type Doc = any;
const SCRAPERS = ["scrapeconfig", "prometheus", "victoriametrics", "alloy"] as const;
const CHARTS = ["2.14.0", "3.8.0"];

function configFor(scraper: (typeof SCRAPERS)[number], chartVersion: string): Config {
  const config = cellConfig({ chartVersion, mode: "standalone", inputs: INPUTS[0]! });
  return { ...config, scraper, serviceMonitorMode: "auto", interval: "2s", scrapeTimeout: "1s" };
}

/** The Secret `namespace/name` among the bundle's objects, as the scraper would read it. */
function bundleSecret(files: Record<string, string>, namespace: string, name: string): K8sObject {
  const secret = (parseYamlDocuments(files[FILE_NAMES.secret] as string) as K8sObject[]).find(
    (s) => s.metadata.name === name && s.metadata.namespace === namespace,
  );
  if (!secret) throw new Error(`no Secret ${namespace}/${name} in the bundle: the scraper has no credentials`);
  return secret;
}

function credentials(secret: K8sObject, userKey: string, passwordKey: string) {
  const username = secretValue(secret, userKey);
  const password = secretValue(secret, passwordKey);
  if (username === undefined || password === undefined) throw new Error("the Secret lacks a key the scraper reads");
  return { username, password };
}

/** The scrape job this scraper would run, aimed at `target`; `dir` holds files it reads. */
function scraperJob(
  config: Config,
  files: Record<string, string>,
  target: string,
  dir: string,
): Record<string, unknown> {
  const timing = { scrape_interval: "1s", scrape_timeout: "1s" };
  switch (config.scraper) {
    case "scrapeconfig": {
      const [sc] = parseYamlDocuments(files[FILE_NAMES.scrapeConfig] as string) as Doc[];
      const auth = sc.spec.basicAuth;
      const secret = bundleSecret(files, sc.metadata.namespace, auth.password.name);
      return {
        job_name: `scrapeConfig/${sc.metadata.namespace}/${sc.metadata.name}`,
        honor_labels: sc.spec.honorLabels,
        metrics_path: sc.spec.metricsPath,
        ...timing,
        basic_auth: credentials(secret, auth.username.key, auth.password.key),
        static_configs: [{ targets: [target] }],
      };
    }
    case "victoriametrics": {
      const [vm] = parseYamlDocuments(files[FILE_NAMES.vmServiceScrape] as string) as Doc[];
      const endpoint = vm.spec.endpoints[0];
      const secret = bundleSecret(files, vm.metadata.namespace, endpoint.basicAuth.password.name);
      return {
        job_name: `serviceScrape/${vm.metadata.namespace}/${vm.metadata.name}/0`,
        honor_labels: endpoint.honorLabels,
        metrics_path: endpoint.path,
        ...timing,
        basic_auth: credentials(secret, endpoint.basicAuth.username.key, endpoint.basicAuth.password.key),
        static_configs: [{ targets: [target] }],
      };
    }
    case "alloy": {
      const text = files[FILE_NAMES.alloyConfig] as string;
      const ref = alloySecretRef(text);
      if (!ref) throw new Error("the Alloy block reads no Secret");
      const [role] = parseYamlDocuments(files[FILE_NAMES.alloyRbac] as string) as Doc[];
      expect(role.metadata.namespace).toBe(ref.namespace);
      expect(role.rules[0].resourceNames).toEqual([ref.name]);
      const secret = bundleSecret(files, ref.namespace, ref.name);
      // The keys its basic_auth reads, as its .data["KEY"] references name them.
      const keys = alloyBasicAuth(text);
      if (!keys.username.key || !keys.password.key)
        throw new Error("the Alloy block reads no username or password key");
      return {
        job_name: "pushgateway",
        honor_labels: /honor_labels\s*=\s*true/.test(text),
        metrics_path: /metrics_path\s*=\s*"([^"]+)"/.exec(text)?.[1],
        ...timing,
        basic_auth: credentials(secret, keys.username.key, keys.password.key),
        static_configs: [{ targets: [target] }],
      };
    }
    case "prometheus": {
      const [doc] = parseYamlDocuments(files[FILE_NAMES.prometheusJob] as string) as Doc[];
      const job = doc.scrape_configs[0];
      // The kubelet mounts the Secret's keys as files in the directory password_file names.
      const file: string = job.basic_auth.password_file;
      const [, secretName, key] = /^\/etc\/prometheus\/secrets\/([^/]+)\/([^/]+)$/.exec(file) ?? [];
      const secret = bundleSecret(files, config.prometheusNamespace, secretName as string);
      mkdirSync(join(dir, secretName as string), { recursive: true });
      writeFileSync(join(dir, secretName as string, key as string), secretValue(secret, key as string) as string);
      return {
        ...job,
        ...timing,
        basic_auth: { ...job.basic_auth, password_file: join(dir, secretName as string, key as string) },
        static_configs: [{ targets: [target] }],
      };
    }
    default:
      throw new Error(`no proof for ${config.scraper}`);
  }
}

describe.concurrent.each(SCRAPERS.flatMap((scraper) => CHARTS.map((chart) => [scraper, chart] as const)))(
  "scraped by %s, chart %s",
  (scraper, chartVersion) => {
    it(
      "renders without the chart's ServiceMonitor and is scraped up with the bundle's credentials, 401 without",
      { timeout: 120_000 },
      async ({ expect }) => {
        const config = configFor(scraper, chartVersion);
        const { files } = generate(config);
        expect(
          checkBundle(config, files, { passwordMatchesHash: compareSync }).filter((c) => c.status === "fail"),
        ).toEqual([]);

        const rendered = await renderWithHelm(4, config, files);
        const fromHelm = rendered.manifests.filter((m) => m.source === "helm template").map((m) => m.object.kind);
        expect(fromHelm).not.toContain("ServiceMonitor");
        const proof = proveManifests(rendered.manifests, {
          username: config.username,
          password: config.password,
          prometheusSelector: {},
        });
        // No ServiceMonitor selects the Service, by design: the scraper's own object does.
        expect(proof.problems.filter((p) => !p.startsWith("0 ServiceMonitors select"))).toEqual([]);
        expect(proof.webConfig).toBeDefined();

        const running: Server[] = [];
        const dir = mkdtempSync(join(tmpdir(), "pga-scraper-"));
        try {
          const pushgateway = await startPushgateway(proof.webConfig as string);
          running.push(pushgateway);
          expect((await fetch(`${pushgateway.url}/metrics`)).status).toBe(401);
          const job = scraperJob(config, files, `127.0.0.1:${pushgateway.port}`, dir);
          const prometheus = await startPrometheus(
            prometheusConfig([
              job,
              { job_name: "without-credentials", static_configs: [{ targets: [`127.0.0.1:${pushgateway.port}`] }] },
            ]),
          );
          running.push(prometheus);
          const targets = await waitFor("both targets scraped", async () => {
            const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
              data: { activeTargets: { scrapePool: string; health: string; lastError: string }[] };
            };
            const active = body.data.activeTargets;
            return active.length === 2 && active.every((t) => t.health !== "unknown") ? active : undefined;
          });
          const withAuth = targets.find((t) => t.scrapePool === job.job_name);
          const without = targets.find((t) => t.scrapePool === "without-credentials");
          expect(withAuth?.health, withAuth?.lastError).toBe("up");
          expect(without?.health).toBe("down");
          expect(without?.lastError).toContain("401");
        } finally {
          await Promise.all(running.map((s) => s.stop()));
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  },
);
