/**
 * Push users and rotation on the real stack: Debian's prometheus-pushgateway with the bundle's
 * web config, Debian's prometheus with the job the Operator derives from the bundle.
 * - each pusher pushes with its own credentials and Prometheus scrapes the result `up`; a
 *   pusher's password does not work as another user;
 * - the scrape password is rotated phase by phase while Prometheus scrapes every second, the web
 *   config file swapped in place between phases (as the kubelet does) and Prometheus reloaded
 *   with the new Secret (as the Operator does): not one failed scrape, the old password 401 at the end;
 * - a pusher's password is rotated the same way while its job pushes every second with whatever
 *   its phase's Secret holds (both, around the switch): not one failed push, the old one 401 at the end.
 */
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareSync, hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { checkBundle, FILE_NAMES, generate, validateConfig, type Config } from "../../lib/index";
import { planPusherRotation, planRotation, pusherRotationProblems, rotationProblems } from "../../lib/engine/rotation";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import type { Secret } from "../../lib/k8s/types";
import { deployBundle, operatorScrapeJob, prometheusConfig } from "../support/deploy";
import { basicAuth, startPrometheus, startPushgateway, waitFor, type Server } from "../support/servers";

const PUSHERS = [
  { name: "backup", namespace: "batch", password: `b@ckup "pw" #1` },
  { name: "etl", namespace: "data", password: "etl: pässwörd" },
];

function configFor(chartVersion: string): Config {
  const result = validateConfig({
    chartVersion,
    password: "scr@pe-old",
    interval: "1s",
    scrapeTimeout: "1s",
    networkPolicyEnabled: true,
    pushers: PUSHERS,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const c = result.config;
  return {
    ...c,
    passwordHash: hashSync(c.password, 4),
    pushers: c.pushers.map((p) => ({ ...p, passwordHash: hashSync(p.password, 4) })),
  };
}

async function query(
  prometheus: Server,
  q: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(q)}`);
  return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } })
    .data.result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(["2.14.0", "3.8.0"])("chart %s", (chartVersion) => {
  it("lets each pusher push as itself, and Prometheus scrapes it up", async () => {
    const config = configFor(chartVersion);
    const { files } = generate(config);
    expect(checkBundle(config, files, { passwordMatchesHash: compareSync }).filter((c) => c.status === "fail")).toEqual(
      [],
    );
    const secrets = parseYamlDocuments(files[FILE_NAMES.pusherSecrets] as string) as Secret[];
    const deployment = deployBundle(config, files);
    const running: Server[] = [];
    try {
      const pushgateway = await startPushgateway(deployment.webConfig);
      running.push(pushgateway);
      for (const p of PUSHERS) {
        const secret = secrets.find((s) => s.metadata.namespace === p.namespace) as Secret;
        const { username, password } = secret.stringData as { username: string; password: string };
        expect(username).toBe(p.name);
        const push = await fetch(`${pushgateway.url}/metrics/job/${p.name}`, {
          method: "PUT",
          headers: { Authorization: basicAuth(username, password) },
          body: `pushed_by_${p.name} 1\n`,
        });
        expect(push.status, p.name).toBe(200);
      }
      // A pusher's password is its own: not another pusher's, not the scrape user's.
      const [a, b] = PUSHERS as [(typeof PUSHERS)[0], (typeof PUSHERS)[0]];
      for (const [user, password] of [
        [b.name, a.password],
        [a.name, b.password],
        [config.username, a.password],
      ] as const) {
        const res = await fetch(`${pushgateway.url}/metrics/job/x`, {
          method: "PUT",
          headers: { Authorization: basicAuth(user, password) },
          body: "x 1\n",
        });
        expect(res.status, `${user} with another's password`).toBe(401);
      }
      const job = operatorScrapeJob(deployment, `127.0.0.1:${pushgateway.port}`);
      const prometheus = await startPrometheus(prometheusConfig([job.config]));
      running.push(prometheus);
      const up = await waitFor("the target scraped", async () => {
        const r = await query(prometheus, `up{job="${job.jobName}"}`);
        return r.length ? r[0]?.value[1] : undefined;
      });
      expect(up).toBe("1");
      for (const p of PUSHERS) {
        const series = await waitFor(`pushed_by_${p.name}`, async () => {
          const r = await query(prometheus, `pushed_by_${p.name}`);
          return r.length ? r : undefined;
        });
        expect(series[0]?.metric.job).toBe(p.name);
      }
    } finally {
      await Promise.all(running.map((s) => s.stop()));
    }
  }, 90_000);

  it("rotates the scrape password without a single failed scrape", async () => {
    const config = configFor(chartVersion);
    const request = {
      newUsername: "prometheus-2",
      newPassword: "scr@pe-new",
      newPasswordHash: hashSync("scr@pe-new", 4),
    };
    expect(rotationProblems(config, request)).toEqual([]);
    const rotation = planRotation(config, request);
    expect(rotation.phases.map((p) => p.id)).toEqual(["add-user", "switch-secret", "remove-old-user"]);
    const configs = [config, config, rotation.finalConfig, rotation.finalConfig];
    const bundles = [generate(config).files, ...rotation.phases.map((p) => p.files)];
    // Every phase passes the rulebook, with what Prometheus may still send from the one before.
    rotation.phases.forEach((phase, i) => {
      const failed = checkBundle(configs[i + 1] as Config, phase.files, {
        passwordMatchesHash: compareSync,
        stillSending: phase.stillSending,
      }).filter((c) => c.status === "fail");
      expect(failed, phase.id).toEqual([]);
    });
    const deployments = bundles.map((files, i) => deployBundle(configs[i] as Config, files));

    const running: Server[] = [];
    try {
      const pushgateway = await startPushgateway(deployments[0]!.webConfig);
      running.push(pushgateway);
      const target = `127.0.0.1:${pushgateway.port}`;
      const jobs = deployments.map((d) => operatorScrapeJob(d, target));
      const jobName = jobs[0]!.jobName;
      const promConfig = (i: number) =>
        prometheusConfig([{ ...jobs[i]!.config, scrape_interval: "1s", scrape_timeout: "1s" }]);
      const prometheus = await startPrometheus(promConfig(0), ["--web.enable-lifecycle"]);
      running.push(prometheus);
      const webConfigPath = join(pushgateway.dir, "web-config.yaml");
      // The kubelet swaps the mounted file atomically (a symlink flip); a rename does the same.
      const swapWebConfig = (text: string) => {
        writeFileSync(`${webConfigPath}.new`, text);
        renameSync(`${webConfigPath}.new`, webConfigPath);
      };
      const reloadPrometheus = async (i: number) => {
        writeFileSync(join(prometheus.dir, "prometheus.yml"), promConfig(i));
        expect((await fetch(`${prometheus.url}/-/reload`, { method: "POST" })).status).toBe(200);
      };
      await waitFor("first scrape", async () =>
        (await query(prometheus, `up{job="${jobName}"}`)).length ? true : undefined,
      );
      await sleep(3000);

      // Phase 1: the web config gains the new user (kubelet); Prometheus still sends the old one.
      swapWebConfig(deployments[1]!.webConfig);
      await sleep(3000);
      // Phase 2: the scrape Secret switches; the Operator reloads Prometheus with it.
      expect(jobs[2]!.username).toBe("prometheus-2");
      await reloadPrometheus(2);
      await sleep(3000);
      // Phase 3: the old user leaves the web config.
      swapWebConfig(deployments[3]!.webConfig);
      await sleep(4000);

      const count = Number((await query(prometheus, `count_over_time(up{job="${jobName}"}[10m])`))[0]?.value[1]);
      const ok = Number((await query(prometheus, `sum_over_time(up{job="${jobName}"}[10m])`))[0]?.value[1]);
      // The figures the issue asks for.
      console.log(`rotation on chart ${chartVersion}: ${count} scrapes, ${count - ok} failed`);
      expect(count).toBeGreaterThanOrEqual(10);
      expect(count - ok).toBe(0);

      const status = async (user: string, password: string) =>
        (await fetch(`${pushgateway.url}/metrics`, { headers: { Authorization: basicAuth(user, password) } })).status;
      expect(await status(config.username, config.password)).toBe(401);
      expect(await status("prometheus-2", "scr@pe-new")).toBe(200);
      // Pushers were untouched.
      expect(await status("backup", PUSHERS[0]!.password)).toBe(200);
    } finally {
      await Promise.all(running.map((s) => s.stop()));
    }
  }, 120_000);

  it("rotates a pusher's password without a single failed push or scrape", async () => {
    const config = configFor(chartVersion);
    const request = { newUsername: "backup-2", newPassword: "b@ckup-new", newPasswordHash: hashSync("b@ckup-new", 4) };
    expect(pusherRotationProblems(config, "backup", request)).toEqual([]);
    const rotation = planPusherRotation(config, "backup", request);
    const phases = [{ config, files: generate(config).files }, ...rotation.phases];
    rotation.phases.forEach((phase) => {
      const failed = checkBundle(phase.config, phase.files, {
        passwordMatchesHash: compareSync,
        stillSending: phase.stillSending,
      }).filter((c) => c.status === "fail");
      expect(failed, phase.id).toEqual([]);
    });
    const deployments = phases.map((p) => deployBundle(p.config, p.files));
    // What the job reads from its Secret in each phase.
    const credentials = phases.map((p) => {
      const secret = (parseYamlDocuments(p.files[FILE_NAMES.pusherSecrets] as string) as Secret[]).find((s) =>
        s.metadata.name.endsWith("-push-backup"),
      ) as Secret;
      return secret.stringData as { username: string; password: string };
    });
    expect(credentials.map((c) => c.username)).toEqual(["backup", "backup", "backup-2", "backup-2"]);

    const running: Server[] = [];
    try {
      const pushgateway = await startPushgateway(deployments[0]!.webConfig);
      running.push(pushgateway);
      const job = operatorScrapeJob(deployments[0]!, `127.0.0.1:${pushgateway.port}`);
      const prometheus = await startPrometheus(
        prometheusConfig([{ ...job.config, scrape_interval: "1s", scrape_timeout: "1s" }]),
      );
      running.push(prometheus);
      const webConfigPath = join(pushgateway.dir, "web-config.yaml");
      const swapWebConfig = (text: string) => {
        writeFileSync(`${webConfigPath}.new`, text);
        renameSync(`${webConfigPath}.new`, webConfigPath);
      };
      await waitFor("first scrape", async () =>
        (await query(prometheus, `up{job="${job.jobName}"}`)).length ? true : undefined,
      );

      // The job: one push a second with its phase's Secret. Right after the switch, runs that
      // started before it still hold the old Secret: they alternate with runs that read the new one.
      let phase = 0;
      let stop = false;
      const pushes: { phase: number; username: string; status: number }[] = [];
      const pusher = (async () => {
        for (let n = 0; !stop; n++) {
          const c = phase === 2 && n % 2 === 0 ? credentials[1]! : credentials[phase]!;
          const res = await fetch(`${pushgateway.url}/metrics/job/backup`, {
            method: "PUT",
            headers: { Authorization: basicAuth(c.username, c.password) },
            body: `backup_last_success ${n}\n`,
          });
          pushes.push({ phase, username: c.username, status: res.status });
          await sleep(1000);
        }
      })();
      await sleep(3000);
      phase = 1; // 1. the web config gains backup-2 (the kubelet swaps the file)
      swapWebConfig(deployments[1]!.webConfig);
      await sleep(3000);
      phase = 2; // 2. the pusher's Secret switches: new runs push as backup-2
      await sleep(4000);
      phase = 3; // 3. the old user leaves the web config; every run now has the new Secret
      swapWebConfig(deployments[3]!.webConfig);
      await sleep(4000);
      stop = true;
      await pusher;

      const failed = pushes.filter((p) => p.status !== 200);
      const count = Number((await query(prometheus, `count_over_time(up{job="${job.jobName}"}[10m])`))[0]?.value[1]);
      const ok = Number((await query(prometheus, `sum_over_time(up{job="${job.jobName}"}[10m])`))[0]?.value[1]);
      // The figures the issue asks for.
      console.log(
        `pusher rotation on chart ${chartVersion}: ${pushes.length} pushes (${pushes.filter((p) => p.username === "backup").length} as backup, ${pushes.filter((p) => p.username === "backup-2").length} as backup-2), ${failed.length} failed; ${count} scrapes, ${count - ok} failed`,
      );
      expect(failed).toEqual([]);
      expect(pushes.length).toBeGreaterThanOrEqual(10);
      expect(new Set(pushes.filter((p) => p.phase === 2).map((p) => p.username))).toEqual(
        new Set(["backup", "backup-2"]),
      );
      expect(count).toBeGreaterThanOrEqual(10);
      expect(count - ok).toBe(0);

      const push = async (c: { username: string; password: string }) =>
        (
          await fetch(`${pushgateway.url}/metrics/job/backup`, {
            method: "PUT",
            headers: { Authorization: basicAuth(c.username, c.password) },
            body: "backup_last_success 1\n",
          })
        ).status;
      expect(await push(credentials[0]!)).toBe(401);
      expect(await push(credentials[3]!)).toBe(200);
      // The other pusher and the scrape user were untouched.
      expect(await push({ username: "etl", password: PUSHERS[1]!.password })).toBe(200);
      const series = await waitFor("the last push scraped", async () => {
        const r = await query(prometheus, "backup_last_success");
        return r.length ? r : undefined;
      });
      expect(series[0]?.metric.job).toBe("backup");
    } finally {
      await Promise.all(running.map((s) => s.stop()));
    }
  }, 120_000);
});

it("refuses a rotation phase order that would leave Prometheus at 401", () => {
  const config = configFor("3.8.0");
  const request = {
    newUsername: "prometheus-2",
    newPassword: "scr@pe-new",
    newPasswordHash: hashSync("scr@pe-new", 4),
  };
  const [, , remove] = planRotation(config, request).phases;
  // Removing the old user while Prometheus may still send it (before the switch) fails the rule.
  const checks = checkBundle(config, remove!.files, {
    passwordMatchesHash: compareSync,
    stillSending: [{ username: config.username, password: config.password }],
  });
  expect(checks.find((c) => c.id === "rotation-continuity")?.status).toBe("fail");
});
