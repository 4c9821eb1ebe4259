/**
 * `npm run chart-diff`: the maintainer's one command for a new chart version reports what
 * changed where it matters, and nothing where nothing did.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chartDiff, deepDiff } from "../../scripts/chart-diff";
import { chartPackage, ROOT } from "../support/helm";

const work = mkdtempSync(join(tmpdir(), "pga-chart-diff-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A made-up 3.9.0: chart 3.8.0 with `edit` applied to its files. */
function fakeChart(name: string, edit: (path: string, text: string) => string): string {
  const dir = join(work, name);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  run("mkdir", ["-p", dir]);
  run("tar", ["-xzf", chartPackage("3.8.0"), "-C", dir]);
  for (const file of run("find", [join(dir, "prometheus-pushgateway"), "-type", "f"])
    .trim()
    .split("\n")) {
    const rel = file.slice(dir.length + 1);
    writeFileSync(file, edit(rel, readFileSync(file, "utf8")));
  }
  const tgz = join(work, `${name}.tgz`);
  run("tar", ["-czf", tgz, "-C", dir, "prometheus-pushgateway"]);
  return tgz;
}

const bump = (path: string, text: string) =>
  path.endsWith("/Chart.yaml") ? text.replace(/^version: .*$/m, "version: 3.9.0") : text;

describe("chart-diff", () => {
  it("finds nothing that matters between 3.7.0 and 3.8.0", async () => {
    const result = await chartDiff(chartPackage("3.7.0"));
    expect(result.baseVersion).toBe("3.8.0");
    expect(result.differences).toEqual([]);
    // 3.8.0 only added persistentVolume.emptyDir, which the engine does not touch.
    expect(result.notes.join("\n")).toContain("persistentVolume.emptyDir");
  }, 120_000);

  it("reports the existingSecret and probe change between 3.6.0 and 3.8.0", async () => {
    const result = await chartDiff(chartPackage("3.6.0"));
    const text = result.differences.join("\n");
    expect(text).toContain(
      "values path webConfiguration.existingSecret.name (written by the engine): read by 3.8.0, not read by 3.6.0",
    );
    expect(text).toContain('[generated values bundle] liveness.kind: "tcp-socket" -> "http"');
    expect(text).toContain('[generated values bundle] webConfigSecretName: "');
    // The 3.8.0 bundle does not hold together on 3.6.0: its web config Secret is not the one mounted.
    expect(text).toMatch(/\[generated values bundle\] bundle on 3\.6\.0: /);
  }, 120_000);

  it("reports a made-up 3.9.0 that renamed serviceMonitor.basicAuth and the probe path", async () => {
    const tgz = fakeChart("renamed", (path, text) =>
      bump(path, text)
        .replaceAll(".Values.serviceMonitor.basicAuth", ".Values.serviceMonitor.auth")
        .replaceAll("/-/ready", "/-/readyz"),
    );
    const result = await chartDiff(tgz);
    expect(result.newVersion).toBe("3.9.0");
    const text = result.differences.join("\n");
    expect(text).toContain(
      "values path serviceMonitor.basicAuth (written by the engine): read by 3.8.0, not read by 3.9.0",
    );
    expect(text).toContain("templates newly read .Values.serviceMonitor.auth");
    expect(text).toMatch(/\[generated values bundle\] serviceMonitor\.spec\.endpoints\[0\]\.basicAuth/);
    expect(text).toMatch(/bundle on 3\.9\.0: ServiceMonitor .* has no basicAuth/);
  }, 120_000);

  it("the command exits 0 with no differences, 1 with the list, 2 on bad usage", () => {
    const run = (...args: string[]) =>
      spawnSync("npx", ["tsx", "scripts/chart-diff.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 110_000 });
    const same = run(chartPackage("3.8.0"));
    expect(same.stdout).toContain("no differences that matter");
    expect(same.status).toBe(0);
    const old = run(chartPackage("3.6.0"), "--helm", "3");
    expect(old.stdout).toMatch(/\d+ differences that matter:/);
    expect(old.stdout).toContain("v3.17.2");
    expect(old.status).toBe(1);
    expect(run("no-such-chart.tgz").status).toBe(2);
  }, 240_000);

  it("lists differences by path", () => {
    expect(deepDiff({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1, 3], d: true } })).toEqual([
      "a.b: 1 -> 2",
      "a.c[1]: 2 -> 3",
      "a.d: (absent) -> true",
    ]);
  });
});
