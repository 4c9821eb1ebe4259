/**
 * Runs a bundle (or a user's setup as it is) on the real stack: Debian's prometheus-pushgateway
 * with the web config it leads to, Debian's prometheus with the job the Operator would derive
 * from its ServiceMonitor and Secret. For a bundle, returns every way it fell short, so any
 * test runner can assert that the list is empty.
 */
import { connect } from "node:net";
import type { Config } from "../../lib/config/schema";
import { deployBundle, operatorScrapeJob, prometheusConfig, type Deployment, type ScrapeJob } from "./deploy";
import { basicAuth, startPrometheus, startPushgateway, waitFor, type Server } from "./servers";

interface Target {
  scrapePool: string;
  health: string;
  lastError: string;
}

function tcpConnects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** The target of `job` and the one without credentials, once Prometheus has scraped both. */
async function scrapedTargets(
  prometheus: Server,
  job: ScrapeJob,
): Promise<{ withAuth?: Target; withoutAuth?: Target }> {
  // Prometheus scrapes every 2 s, but a machine busy with the rest of the suite delays its start.
  const targets = await waitFor(
    "both targets scraped",
    async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
        data: { activeTargets: Target[] };
      };
      const active = body.data.activeTargets;
      return active.length === 2 && active.every((t) => t.health !== "unknown") ? active : undefined;
    },
    75_000,
  );
  return {
    withAuth: targets.find((t) => t.scrapePool === job.jobName),
    withoutAuth: targets.find((t) => t.scrapePool === "without-credentials"),
  };
}

/** Prometheus with the Operator's job for Pushgateway, and a job without credentials next to it. */
function startScraping(pushgateway: Server, job: ScrapeJob): Promise<Server> {
  return startPrometheus(
    prometheusConfig([
      job.config,
      { job_name: "without-credentials", static_configs: [{ targets: [`127.0.0.1:${pushgateway.port}`] }] },
    ]),
  );
}

/**
 * How Prometheus fares with a deployment as it is: Pushgateway started with its web config,
 * Prometheus scraping it with the job the Operator derives from its ServiceMonitor and Secret.
 * For setups that are not fixed: the target is `up`, or `down` with the scrape's error.
 */
export async function scrapeOnRealStack(deployment: Deployment): Promise<{ health: string; lastError: string }> {
  const running: Server[] = [];
  try {
    const pushgateway = await startPushgateway(deployment.webConfig);
    running.push(pushgateway);
    const operatorJob = operatorScrapeJob(deployment, `127.0.0.1:${pushgateway.port}`);
    // Only the timing is shortened, so that Prometheus scrapes within seconds.
    const job = { ...operatorJob, config: { ...operatorJob.config, scrape_interval: "2s", scrape_timeout: "1s" } };
    const prometheus = await startScraping(pushgateway, job);
    running.push(prometheus);
    const { withAuth } = await scrapedTargets(prometheus, job);
    return { health: withAuth?.health ?? "missing", lastError: withAuth?.lastError ?? "" };
  } finally {
    await Promise.all(running.map((s) => s.stop()));
  }
}

/** The problems found; an empty list means Prometheus scrapes Pushgateway `up` and nothing else broke. */
export async function problemsOnRealStack(config: Config, files: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const expectEqual = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) problems.push(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
  };
  const running: Server[] = [];
  try {
    const deployment = deployBundle(config, files);
    const pushgateway = await startPushgateway(deployment.webConfig);
    running.push(pushgateway);
    const job = operatorScrapeJob(deployment, `127.0.0.1:${pushgateway.port}`);
    expectEqual("scrape username", job.username, config.username);
    expectEqual("scrape password", job.password, config.password);

    // Every endpoint needs credentials once basic auth is on.
    expectEqual("/metrics without credentials", (await fetch(`${pushgateway.url}/metrics`)).status, 401);
    expectEqual("/-/healthy without credentials", (await fetch(`${pushgateway.url}/-/healthy`)).status, 401);
    const wrong = await fetch(`${pushgateway.url}/metrics`, {
      headers: { Authorization: basicAuth(job.username, `${job.password}x`) },
    });
    expectEqual("/metrics with a wrong password", wrong.status, 401);

    // The probes the chart renders must not get 401.
    for (const probe of [deployment.liveness, deployment.readiness]) {
      if (probe.kind === "tcp-socket")
        expectEqual("tcpSocket probe connects", await tcpConnects(pushgateway.port), true);
      else if (probe.kind === "disabled") problems.push("a probe is disabled");
      else if (!probe.authorization) problems.push(`the ${probe.path} probe carries no credentials`);
      else {
        const res = await fetch(`${pushgateway.url}${probe.path}`, { headers: { Authorization: probe.authorization } });
        expectEqual(`${probe.path} probe`, res.status, 200);
      }
    }

    // A job pushes with the same credentials.
    const push = await fetch(`${pushgateway.url}/metrics/job/backup/instance/db1`, {
      method: "PUT",
      headers: { Authorization: basicAuth(job.username, job.password) },
      body: "backup_last_success_timestamp_seconds 1700000000\n",
    });
    expectEqual("push with credentials", push.status, 200);

    const prometheus = await startScraping(pushgateway, job);
    running.push(prometheus);
    const { withAuth, withoutAuth } = await scrapedTargets(prometheus, job);
    expectEqual(`target ${job.jobName} health (${withAuth?.lastError})`, withAuth?.health, "up");
    expectEqual("target without credentials health", withoutAuth?.health, "down");
    if (!withoutAuth?.lastError.includes("401"))
      problems.push(`without credentials: ${withoutAuth?.lastError}, want 401`);

    // honor_labels keeps the pusher's job label instead of the scrape job's.
    const query = await fetch(`${prometheus.url}/api/v1/query?query=backup_last_success_timestamp_seconds`);
    const result = (
      (await query.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
    ).data.result;
    expectEqual("pushed series", result.length, 1);
    expectEqual("pushed job label kept", result[0]?.metric.job, "backup");
    expectEqual("pushed instance label kept", result[0]?.metric.instance, "db1");
    expectEqual("pushed value", result[0]?.value[1], "1700000000");
  } catch (error) {
    problems.push(String(error));
  } finally {
    await Promise.all(running.map((s) => s.stop()));
  }
  return problems;
}
