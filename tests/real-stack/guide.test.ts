/**
 * The guide's snippets run for real: the plain-Prometheus scrape config passes promtool and
 * scrapes the real Pushgateway `up`; the install command's post-renderer is the bundle's own,
 * which kubectl kustomize runs in tests/real-stack/kustomize.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { prometheusPasswordFile } from "../../lib/engine/build-scrapers";
import { buildGuide, FILE_NAMES, generate, planBundle, validateConfig } from "../../lib/index";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { deployBundle } from "../support/deploy";
import { requireBinary, startPrometheus, startPushgateway, waitFor } from "../support/servers";

const PASSWORD = `pl@in "prom" #2`;

describe.each(["2.14.0", "3.8.0"])("chart %s", (chartVersion) => {
  it("gives a plain-Prometheus scrape config that promtool accepts and that scrapes Pushgateway up", async () => {
    const result = validateConfig({
      chartVersion,
      password: PASSWORD,
      username: "scraper",
      interval: "2s",
      scrapeTimeout: "1s",
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const config = { ...result.config, passwordHash: hashSync(PASSWORD, 4) };
    const snippet = buildGuide(planBundle(config)).find((s) => s.id === "plain-prometheus")?.snippet?.code as string;
    const pushgateway = await startPushgateway(deployBundle(config, generate(config).files).webConfig);
    try {
      const dir = mkdtempSync(join(tmpdir(), "pga-plain-"));
      writeFileSync(join(dir, "password"), `${PASSWORD}\n`);
      // Only the cluster address and the file path change when run outside a cluster.
      const local = snippet
        .replace(`${planBundle(config).names.fullname}.${config.namespace}.svc:9091`, `127.0.0.1:${pushgateway.port}`)
        .replace(prometheusPasswordFile(planBundle(config)), join(dir, "password"));
      expect(local).not.toBe(snippet);
      writeFileSync(join(dir, "prometheus.yml"), local);
      const check = spawnSync(
        requireBinary("promtool", "prometheus"),
        ["check", "config", join(dir, "prometheus.yml")],
        {
          encoding: "utf8",
        },
      );
      expect(check.status, check.stdout + check.stderr).toBe(0);

      const prometheus = await startPrometheus(local);
      try {
        const target = await waitFor("the pushgateway target", async () => {
          const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
            data: { activeTargets: { scrapePool: string; health: string; lastError: string }[] };
          };
          const t = body.data.activeTargets.find((x) => x.scrapePool === "pushgateway");
          return t && t.health !== "unknown" ? t : undefined;
        });
        expect(target).toMatchObject({ health: "up", lastError: "" });
      } finally {
        await prometheus.stop();
      }
    } finally {
      await pushgateway.stop();
    }
  }, 120_000);
});

it("installs the patch strategy through the bundle's own post-renderer, on Helm 3 and Helm 4", () => {
  const result = validateConfig({ chartVersion: "2.14.0", serviceMonitorMode: "patch", password: PASSWORD });
  if (!result.ok) throw new Error("invalid");
  const { files } = generate(result.config);
  const install = buildGuide(planBundle(result.config)).find((s) => s.id === "chart")?.snippet?.code ?? "";
  // Helm 3: the script's path.
  const script = /--post-renderer \.\/(\S+)/.exec(install)?.[1];
  expect(script).toBe(FILE_NAMES.postRenderer);
  expect(files[script as string]).toMatch(/^#!\/bin\/sh\n/);
  expect(install).toContain(`chmod +x ${script}`);
  // Helm 4: the name of the plugin the bundle's plugin.yaml declares, installed from its directory.
  const plugin = parseYamlDocuments(files[FILE_NAMES.plugin] as string)[0] as { name: string };
  expect(install).toContain(`--post-renderer ${plugin.name}\n`);
  expect(install).toContain(`helm plugin install ./${FILE_NAMES.plugin.split("/")[0]}`);
});
