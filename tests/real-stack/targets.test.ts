/**
 * Diagnosis from the scraper's own target list, captured from the real thing: Debian's
 * prometheus scraping Debian's prometheus-pushgateway (a) with a wrong password, as the Operator
 * would from a Secret that disagrees with the web config, and (b) not at all (no job for it, as
 * when the ServiceMonitor is not selected). Its `/api/v1/targets` answer goes through `diagnose`
 * with the pasted values and Secrets; the findings must name the cause and cite the target.
 * (c) is (a) for a ScrapeConfig bundle: the job the Operator builds from it, run with the
 * wrong password its Secret holds.
 */
import { compareSync, hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { diagnoseSetup, FILE_NAMES, generate, validateConfig, type InputFile } from "../../lib/index";
import { parseYamlDocuments, toYaml, toYamlFile } from "../../lib/yaml/serialize";
import { prometheusConfig } from "../support/deploy";
import { startPrometheus, startPushgateway, waitFor, type Server } from "../support/servers";

const PASSWORD = "right-Passw0rd";
const HASH = hashSync(PASSWORD, 10);
const FACTS = { chartVersion: "3.8.0", releaseName: "pg", namespace: "monitoring", prometheusSelector: "" };
// The job name the Operator gives the chart's ServiceMonitor monitoring/pg-prometheus-pushgateway.
const POOL = "serviceMonitor/monitoring/pg-prometheus-pushgateway/0";

const secret = (name: string, stringData: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "monitoring" },
  stringData,
});

/** What the user pastes besides the target list: values and the Secrets. */
function pasted(scrapePassword: string): InputFile[] {
  const values = {
    webConfiguration: { existingSecret: { name: "wc" } },
    serviceMonitor: {
      enabled: true,
      basicAuth: { username: { name: "s", key: "username" }, password: { name: "s", key: "password" } },
    },
  };
  return [
    { name: "values.yaml", text: toYaml(values) },
    {
      name: "cluster.yaml",
      text: toYamlFile([
        secret("wc", { "web-config.yaml": `basic_auth_users:\n  prometheus: ${HASH}\n` }),
        secret("s", { username: "prometheus", password: scrapePassword }),
      ]),
    },
  ];
}

/** Runs Pushgateway and Prometheus with `jobs` (given the Pushgateway's address) and returns /api/v1/targets as Prometheus answers it. */
async function captureTargets(jobs: (target: string) => Record<string, unknown>[]): Promise<string> {
  const running: Server[] = [];
  try {
    const pushgateway = await startPushgateway(`basic_auth_users:\n  prometheus: ${HASH}\n`);
    running.push(pushgateway);
    const prometheus = await startPrometheus(prometheusConfig(jobs(`127.0.0.1:${pushgateway.port}`)));
    running.push(prometheus);
    return await waitFor("every target scraped", async () => {
      const text = await (await fetch(`${prometheus.url}/api/v1/targets`)).text();
      const active = (JSON.parse(text) as { data: { activeTargets: { health: string }[] } }).data.activeTargets;
      return active.length > 0 && active.every((t) => t.health !== "unknown") ? text : undefined;
    });
  } finally {
    await Promise.all(running.map((s) => s.stop()));
  }
}

describe("diagnosis from a real Prometheus's /api/v1/targets", () => {
  it("a wrong password: the target's 401 and the password that does not match", { timeout: 90_000 }, async () => {
    const wrong = "wrong-Passw0rd";
    const targets = await captureTargets((target) => [
      {
        job_name: POOL,
        honor_labels: true,
        basic_auth: { username: "prometheus", password: wrong },
        static_configs: [{ targets: [target] }],
      },
    ]);
    expect(targets).toContain("401");
    const result = diagnoseSetup([...pasted(wrong), { name: "targets.json", text: targets }], {
      given: FACTS,
      passwordMatchesHash: compareSync,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const byId = new Map(result.report.findings.map((f) => [f.id, f]));
    const target = byId.get("target-unauthorized");
    expect(target?.severity).toBe("fail");
    expect(target?.message).toContain("401");
    expect(target?.evidence[0]).toMatchObject({
      kind: "file",
      file: "targets.json",
      path: "data.activeTargets[0].lastError",
    });
    expect((target?.evidence[0] as { line: number | null }).line).toBeGreaterThan(0);
    // The cause: the Secret's password does not match the web config's hash.
    expect(byId.get("password-mismatch")?.severity).toBe("fail");
    expect(result.report.healthy).toBe(false);
  });

  it("no target for Pushgateway: the target is missing", { timeout: 90_000 }, async () => {
    // Prometheus has no job for Pushgateway (its scrape object is not selected): only another target.
    const targets = await captureTargets(() => [
      { job_name: "prometheus", static_configs: [{ targets: ["127.0.0.1:1"] }] },
    ]);
    const result = diagnoseSetup([...pasted(PASSWORD), { name: "targets.json", text: targets }], {
      given: FACTS,
      passwordMatchesHash: compareSync,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const missing = result.report.findings.find((f) => f.id === "target-missing");
    expect(missing?.severity).toBe("fail");
    expect(missing?.message).toContain("none is Pushgateway's Service monitoring/pg-prometheus-pushgateway");
    expect(missing?.evidence[0]).toMatchObject({ file: "targets.json", path: "data.activeTargets" });
    // The rest of the setup is consistent: the target list is the only evidence of trouble.
    expect(result.report.findings.filter((f) => f.severity === "fail").map((f) => f.id)).toEqual(["target-missing"]);
  });

  it(
    "a target that is up passes, and one down for another reason is reported as such",
    { timeout: 90_000 },
    async () => {
      const targets = await captureTargets((target) => [
        {
          job_name: POOL,
          honor_labels: true,
          basic_auth: { username: "prometheus", password: PASSWORD },
          static_configs: [{ targets: [target] }],
        },
        {
          job_name: "serviceMonitor/monitoring/pg-prometheus-pushgateway/1",
          static_configs: [{ targets: ["127.0.0.1:1"] }],
        },
      ]);
      const result = diagnoseSetup([...pasted(PASSWORD), { name: "targets.json", text: targets }], {
        given: FACTS,
        passwordMatchesHash: compareSync,
      });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const ids = result.report.findings.map((f) => f.id);
      expect(ids).not.toContain("target-unauthorized");
      const down = result.report.findings.find((f) => f.id === "target-down");
      expect(down?.message).toContain("cannot be reached");
    },
  );

  it(
    "a ScrapeConfig whose Secret holds a wrong password: the 401 and the password the ScrapeConfig reads",
    { timeout: 90_000 },
    async () => {
      const valid = validateConfig({
        chartVersion: "3.8.0",
        releaseName: "pg",
        namespace: "monitoring",
        serviceMonitorNamespace: "monitoring",
        scraper: "scrapeconfig",
        password: PASSWORD,
      });
      if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
      const { files } = generate({ ...valid.config, passwordHash: HASH });
      // The scrape Secret drifts from the web config: its password is not the hashed one.
      const wrong = "wrong-Passw0rd";
      const secrets = parseYamlDocuments(files[FILE_NAMES.secret] as string) as any[];
      secrets.find((x) => x.type === "kubernetes.io/basic-auth").stringData.password = wrong;
      const [sc] = parseYamlDocuments(files[FILE_NAMES.scrapeConfig] as string) as any[];
      // The job the Operator builds from the ScrapeConfig, with what its Secret holds.
      const targets = await captureTargets((target) => [
        {
          job_name: `scrapeConfig/${sc.metadata.namespace}/${sc.metadata.name}`,
          honor_labels: true,
          metrics_path: sc.spec.metricsPath,
          basic_auth: { username: "prometheus", password: wrong },
          static_configs: [{ targets: [target] }],
        },
      ]);
      expect(targets).toContain("401");
      const result = diagnoseSetup(
        [
          { name: "values.yaml", text: files[FILE_NAMES.values] as string },
          { name: "cluster.yaml", text: toYamlFile([...secrets, sc]) },
          { name: "targets.json", text: targets },
        ],
        { given: FACTS, passwordMatchesHash: compareSync },
      );
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const byId = new Map(result.report.findings.map((f) => [f.id, f]));
      expect(byId.get("target-unauthorized")?.evidence[0]).toMatchObject({ file: "targets.json" });
      const mismatch = byId.get("password-mismatch");
      expect(mismatch?.severity).toBe("fail");
      expect(mismatch?.message).toContain("which ScrapeConfig monitoring/pg-prometheus-pushgateway reads");
      expect(mismatch?.evidence[0]).toMatchObject({ file: "cluster.yaml", value: "(hidden)" });
      // The ScrapeConfig scrapes instead of a ServiceMonitor: no false "no ServiceMonitor".
      expect(byId.has("no-servicemonitor")).toBe(false);
      expect(JSON.stringify(result.report)).not.toContain(wrong);
    },
  );
});
