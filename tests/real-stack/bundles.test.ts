/**
 * Every chart profile and strategy against the real thing: Debian's prometheus-pushgateway
 * started with the web config the bundle produces, Debian's prometheus scraping it with the
 * job the Operator would derive from the bundle's ServiceMonitor and Secret.
 */
import { connect } from "node:net";
import { compareSync, hashSync } from "bcryptjs";
import { describe, it, type ExpectStatic } from "vitest";
import { checkBundle, generate, validateConfig, type Config } from "../../lib/index";
import { CASES } from "../support/cases";
import { deployBundle, operatorScrapeJob, prometheusConfig } from "../support/deploy";
import { basicAuth, startPrometheus, startPushgateway, waitFor, type Server } from "../support/servers";

// Quotes, a colon, a hash, backslash, template braces and non-ASCII: all must survive YAML,
// Kubernetes Secrets, the chart's htpasswd and HTTP basic auth.
const PASSWORD = `p@ss: "w0rd" #1 'ü' \\ {{ x }}`;

const EXTRA = [
  { name: "3.1.0-values-yaml11-username", input: { chartVersion: "3.1.0", username: "yes" } },
  { name: "2.14.0-standalone-numeric-username", input: { chartVersion: "2.14.0", username: "12345" } },
  { name: "3.6.0-values-unicode-username", input: { chartVersion: "3.6.0", username: "prométhée" } },
];

function configFor(input: Record<string, unknown>): Config {
  const result = validateConfig({
    ...input,
    password: PASSWORD,
    passwordHash: "",
    interval: "2s",
    scrapeTimeout: "1s",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.config, passwordHash: hashSync(PASSWORD, 10) };
}

function tcpConnects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

interface Target {
  scrapePool: string;
  health: string;
  lastError: string;
}

// The servers mostly wait; a few cases at a time keep two cores busy without starving them.
describe.concurrent.each([...CASES, ...EXTRA])("$name", ({ input }) => {
  it("is scraped `up` by Prometheus with the generated credentials, and 401 without", async ({ expect }) => {
    const running: Server[] = [];
    try {
      await proveBundle(input, running, expect);
    } finally {
      await Promise.all(running.map((s) => s.stop()));
    }
  }, 60_000);
});

async function proveBundle(input: Record<string, unknown>, running: Server[], expect: ExpectStatic): Promise<void> {
  const config = configFor(input);
  const { files } = generate(config);
  const failed = checkBundle(config, files, { passwordMatchesHash: compareSync }).filter((c) => c.status === "fail");
  expect(failed).toEqual([]);

  const deployment = deployBundle(config, files);
  const pushgateway = await startPushgateway(deployment.webConfig);
  running.push(pushgateway);
  const job = operatorScrapeJob(deployment, `127.0.0.1:${pushgateway.port}`);
  expect(job.username).toBe(config.username);

  // Every endpoint needs credentials once basic auth is on.
  expect((await fetch(`${pushgateway.url}/metrics`)).status).toBe(401);
  expect((await fetch(`${pushgateway.url}/-/healthy`)).status).toBe(401);
  const wrong = await fetch(`${pushgateway.url}/metrics`, {
    headers: { Authorization: basicAuth(job.username, `${job.password}x`) },
  });
  expect(wrong.status).toBe(401);

  // The probes the chart renders must not get 401.
  for (const probe of [deployment.liveness, deployment.readiness]) {
    if (probe.kind === "tcp-socket") expect(await tcpConnects(pushgateway.port)).toBe(true);
    else if (probe.kind === "http") {
      expect(probe.authorization, `${probe.path} probe carries no credentials`).not.toBeNull();
      const res = await fetch(`${pushgateway.url}${probe.path}`, {
        headers: { Authorization: probe.authorization as string },
      });
      expect(res.status, `${probe.path} probe`).toBe(200);
    } else throw new Error("a probe is disabled");
  }

  // A job pushes with the same credentials.
  const push = await fetch(`${pushgateway.url}/metrics/job/backup/instance/db1`, {
    method: "PUT",
    headers: { Authorization: basicAuth(job.username, job.password) },
    body: "backup_last_success_timestamp_seconds 1700000000\n",
  });
  expect(push.status).toBe(200);

  const prometheus = await startPrometheus(
    prometheusConfig([
      job.config,
      { job_name: "without-credentials", static_configs: [{ targets: [`127.0.0.1:${pushgateway.port}`] }] },
    ]),
  );
  running.push(prometheus);

  const targets = await waitFor("both targets scraped", async () => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: Target[] };
    };
    const active = body.data.activeTargets;
    return active.length === 2 && active.every((t) => t.health !== "unknown") ? active : undefined;
  });
  const withAuth = targets.find((t) => t.scrapePool === job.jobName);
  const withoutAuth = targets.find((t) => t.scrapePool === "without-credentials");
  expect(withAuth, prometheus.output()).toMatchObject({ health: "up", lastError: "" });
  expect(withoutAuth?.health).toBe("down");
  expect(withoutAuth?.lastError).toMatch(/401/);

  // honor_labels keeps the pusher's job label instead of the scrape job's.
  const query = await fetch(`${prometheus.url}/api/v1/query?query=backup_last_success_timestamp_seconds`);
  const result = (
    (await query.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
  ).data.result;
  expect(result).toHaveLength(1);
  expect(result[0]?.metric).toMatchObject({ job: "backup", instance: "db1" });
  expect(result[0]?.value[1]).toBe("1700000000");
}
