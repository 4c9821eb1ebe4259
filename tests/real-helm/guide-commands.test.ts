/**
 * The patch strategy's install step, run whole as a user would copy it from the page or the
 * bundle's README.md (one block that picks its branch by `helm version --short`), with real
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
import { postRendererPluginName } from "../../lib/outputs/post-renderer-files";
import { CHARTS_DIR, Helm, HELM_MAJORS, writeBundle } from "../support/helm";
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

/** The fenced block under a README.md heading, as a reader copies it. */
function readmeBlock(readme: string, title: string): string {
  const match = new RegExp(`## \\d+\\. ${title}\\n\\n[^\\n]*\\n\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readme);
  if (!match) throw new Error(`no "${title}" block in README.md`);
  return match[1] ?? "";
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
      const step = buildGuide(plan).find((s) => s.id === "chart");
      const snippet = step?.snippet?.code ?? "";
      const files = generate(result.config).files;
      // The page's Copy button and README.md give the same block, and it is run whole, unsplit.
      expect(readmeBlock(files["README.md"] ?? "", step?.title ?? "")).toBe(snippet);
      const helm = new Helm(major);
      const dir = join(work, `${chartVersion}-helm${major}`);
      const bin = helmShim(helm, join(work, `bin-${major}`));
      try {
        writeBundle(files, dir);
        // Run twice: the plugin check must let a second install go through untouched.
        for (let round = 0; round < 2; round++) {
          const run = spawnSync("sh", ["-eu", "-c", snippet], {
            cwd: dir,
            env: { ...helm.env, PATH: `${bin}:${process.env.PATH}` },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          });
          expect(run.status, run.stderr).toBe(0);
          // Helm 3 must not be left with a plugin it cannot load (it would warn on every command).
          expect(run.stderr).not.toMatch(/failed to load plugins|Error/i);
          // `helm plugin install` reports on stdout too; the manifests start at the first document.
          const manifests = run.stdout.slice(run.stdout.search(/^(---|apiVersion:)/m));
          const monitors = parseManifests(manifests).filter((o) => o.kind === "ServiceMonitor");
          expect(monitors).toHaveLength(1);
          expect(JSON.stringify(monitors[0])).toContain(`"name":"${plan.scrapeSecretName}"`);
        }
        const plugins = spawnSync("helm", ["plugin", "list"], {
          env: { ...helm.env, PATH: `${bin}:${process.env.PATH}` },
          encoding: "utf8",
        });
        expect(plugins.stderr).toBe("");
        // Only Helm 4 installs the plugin.
        expect(plugins.stdout.includes(postRendererPluginName(plan))).toBe(major === 4);
      } finally {
        helm.dispose();
      }
    },
    60_000,
  );
});
