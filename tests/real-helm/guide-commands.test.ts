/**
 * The patch strategy's install step, run as a user would copy it from the guide, with real
 * Helm 4 and real Helm 3 in the bundle's directory. Only two things are stood in for: `helm repo`
 * (no network here) does nothing, and `helm upgrade --install REL CHART --version V` becomes
 * `helm template REL <the vendored V package>` (no cluster here); every other word of the
 * snippet, plugin install and `--post-renderer` included, reaches the real binary as written.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSync } from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { buildGuide, generate, planBundle, validateConfig } from "../../lib/index";
import { CHARTS_DIR, Helm, HELM_MAJORS, writeBundle, type HelmMajor } from "../support/helm";
import { parseManifests } from "../support/helm-proof";

const work = mkdtempSync(join(tmpdir(), "pga-guide-helm-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A `helm` on PATH that passes everything to the real binary but the two stand-ins above. */
function helmShim(helm: Helm, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const shim = join(dir, "helm");
  writeFileSync(
    shim,
    `#!/bin/sh
real=${JSON.stringify(helm.binary)}
case "$1" in
  repo) exit 0 ;;
  upgrade)
    [ "$2" = --install ] || exit 64
    release=$3; version=$6; shift 6
    exec "$real" template "$release" "${CHARTS_DIR}/prometheus-pushgateway-$version.tgz" "$@" ;;
esac
exec "$real" "$@"
`,
  );
  chmodSync(shim, 0o755);
  return dir;
}

/** The install snippet's lines for one Helm major: the shared lines, then that major's block. */
function commandsFor(snippet: string, major: HelmMajor): string {
  const lines = snippet.split("\n");
  const start4 = lines.findIndex((l) => l.startsWith("# Helm 4"));
  const start3 = lines.findIndex((l) => l.startsWith("# Helm 3"));
  expect(start4, snippet).toBeGreaterThan(0);
  expect(start3, snippet).toBeGreaterThan(start4);
  const block = major === 4 ? lines.slice(start4, start3) : lines.slice(start3);
  return [...lines.slice(0, start4), ...block].join("\n");
}

describe.each(HELM_MAJORS)("Helm %i", (major) => {
  it.each(["2.14.0", "3.8.0"])(
    "installs chart %s with the patch strategy by the guide's own commands",
    (chartVersion) => {
      const result = validateConfig({
        chartVersion,
        serviceMonitorMode: "patch",
        releaseName: "metrics",
        namespace: "batch",
        serviceMonitorNamespace: "observability",
        password: "s3cret pass",
        passwordHash: hashSync("s3cret pass", 4),
      });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const plan = planBundle(result.config);
      const snippet = buildGuide(plan).find((s) => s.id === "chart")?.snippet?.code ?? "";
      const helm = new Helm(major);
      const dir = join(work, `${chartVersion}-helm${major}`);
      try {
        writeBundle(generate(result.config).files, dir);
        const bin = helmShim(helm, join(work, `bin-${major}`));
        // Run twice: the plugin check must let a second install go through untouched.
        for (let round = 0; round < 2; round++) {
          const run = spawnSync("sh", ["-eu", "-c", commandsFor(snippet, major)], {
            cwd: dir,
            env: { ...helm.env, PATH: `${bin}:${process.env.PATH}` },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          });
          expect(run.status, run.stderr).toBe(0);
          // `helm plugin install` reports on stdout too; the manifests start at the first document.
          const manifests = run.stdout.slice(run.stdout.search(/^(---|apiVersion:)/m));
          const monitors = parseManifests(manifests).filter((o) => o.kind === "ServiceMonitor");
          expect(monitors).toHaveLength(1);
          expect(JSON.stringify(monitors[0])).toContain(`"name":"${plan.scrapeSecretName}"`);
        }
      } finally {
        helm.dispose();
      }
    },
    60_000,
  );
});
