/**
 * Issue 14, proven for real: for one chart version per profile (and the last of the 3.1 range)
 * x every strategy Flux and Argo CD allow for it, the bundle's GitOps objects are turned into
 * what the controller installs (tests/support/gitops-controller.ts: real Helm, real kubectl
 * kustomize for Flux's post-renderer) and proven like the Helm CLI bundles: the mounted web
 * config starts the real Pushgateway (401 without credentials), the probes pass, one
 * ServiceMonitor selects the Service with credentials from its own namespace, and the real
 * Prometheus scrapes it `up`. The password never sits in a HelmRelease.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, profileFor, SERVICE_MONITOR_MODES, validateConfig, type Config } from "../../lib/index";
import { modeSupport, type DeployTarget } from "../../lib/gitops/deploy";
import { helmBinary, type HelmMajor } from "../support/helm";
import { parseManifests, proveLive, proveManifests, secretValue, SharedPrometheus } from "../support/helm-proof";
import { renderArgo, renderFlux } from "../support/gitops-controller";
import { expectedOf, INPUTS } from "../support/helm-matrix";
import { compareSync, hashSync } from "bcryptjs";
import { dump, load } from "js-yaml";

const VERSIONS = ["2.14.0", "3.1.0", "3.6.1", "3.8.0"];
const DEPLOYS: DeployTarget[] = ["flux", "argocd"];
// Passwords Flux's targetPath would mangle unescaped: commas, braces, backslashes, quotes at the ends.
const HARD_PASSWORDS = [`"quoted, {braces} \\ end'`, `123456`, `a,b=c\\`];

const cells = VERSIONS.flatMap((chartVersion) =>
  DEPLOYS.flatMap((deploy) =>
    SERVICE_MONITOR_MODES.filter((mode) => modeSupport(profileFor(chartVersion).profile!, deploy, mode).allowed).map(
      (mode) => ({ chartVersion, deploy, mode }),
    ),
  ),
)
  .map((cell, i) => ({
    ...cell,
    inputs: INPUTS[i % INPUTS.length]!,
    password: i % 2 ? HARD_PASSWORDS[(i >> 1) % HARD_PASSWORDS.length] : undefined,
    pushers: false,
  }))
  // Pushers: every one of them must stay in the web config the controller renders (one
  // valuesFrom entry each with Flux, where the chart hashes the passwords itself).
  .concat(
    (
      [
        ["flux", "2.14.0", "patch"],
        ["flux", "3.6.1", "values"],
        ["flux", "3.8.0", "values"],
        ["argocd", "3.1.0", "values"],
      ] as const
    ).map(([deploy, chartVersion, mode], i) => ({
      chartVersion,
      deploy,
      mode,
      inputs: INPUTS[i % INPUTS.length]!,
      password: HARD_PASSWORDS[i % HARD_PASSWORDS.length],
      pushers: true,
    })),
  )
  .map((cell) => ({ ...cell, major: 3 as HelmMajor }))
  // Helm 4 (what Flux's helm-controller and Argo CD move to): the same proof, a cell per tool.
  .concat([
    {
      chartVersion: "2.14.0",
      deploy: "flux",
      mode: "patch",
      inputs: INPUTS[1]!,
      password: HARD_PASSWORDS[0],
      pushers: true,
      major: 4,
    },
    {
      chartVersion: "3.6.1",
      deploy: "argocd",
      mode: "values",
      inputs: INPUTS[2]!,
      password: undefined,
      pushers: false,
      major: 4,
    },
  ]);

// A pusher's name is a DNS label; its password is as hard for Flux's targetPath as the scrape one.
const PUSHERS = [
  { name: "backup", namespace: "batch", password: `b@ck,up {pw} \\ "x"` },
  { name: "etl", namespace: "data", password: "'etl-pass'" },
];

function configOf(cell: Omit<(typeof cells)[number], "major">): Config {
  const password = cell.password ?? (cell.inputs.input.password as string);
  const result = validateConfig({
    ...cell.inputs.input,
    password,
    chartVersion: cell.chartVersion,
    serviceMonitorMode: cell.mode,
    deploy: cell.deploy,
    passwordHash: hashSync(password, 4),
    ...(cell.pushers ? { pushers: PUSHERS } : {}),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const c = result.config;
  return { ...c, pushers: c.pushers.map((p) => ({ ...p, passwordHash: hashSync(p.password, 4) })) };
}

let prometheus: SharedPrometheus;
beforeAll(async () => {
  helmBinary(3);
  helmBinary(4);
  prometheus = await SharedPrometheus.start();
}, 120_000);
afterAll(async () => prometheus?.stop());

describe("GitOps bundles rendered as the controller renders them", () => {
  it.concurrent.each(
    cells.map(
      (c) =>
        [
          `${c.deploy} chart ${c.chartVersion} ${c.mode} (${c.inputs.label}${c.password ? ", hard password" : ""}${c.pushers ? ", two pushers" : ""}${c.major === 4 ? ", Helm 4" : ""})`,
          c,
        ] as const,
    ),
  )(
    "%s",
    async (_, cell) => {
      const config = configOf(cell);
      const files = generate(config).files;
      const render = cell.deploy === "flux" ? renderFlux : renderArgo;
      const rendered = await render(files, cell.major);
      expect([rendered.chartVersion, rendered.release, rendered.namespace]).toEqual([
        config.chartVersion,
        config.releaseName,
        config.namespace,
      ]);
      if (cell.deploy === "flux") {
        for (const password of [config.password, ...config.pushers.map((p) => p.password)]) {
          expect(files["helmrelease.yaml"]).not.toContain(password);
          expect(files["ocirepository.yaml"]).not.toContain(password);
        }
        expect(Object.keys(files).some((f) => f.startsWith("post-renderer/") || f === "values.yaml")).toBe(false);
      }
      if (profileFor(config.chartVersion).profile!.webConfig === "existing-secret") {
        expect((await render(files, cell.major)).output, "a second render is byte-identical").toBe(rendered.output);
        expect(rendered.output).not.toContain(config.password);
      }
      const expected = {
        ...expectedOf(config),
        pushers: config.pushers.map((p) => ({ username: p.name, password: p.password })),
      };
      const proof = proveManifests(rendered.manifests, expected);
      expect(proof.problems).toEqual([]);
      expect(proof.httpProbes.length + proof.tcpProbes.length).toBe(2);
      expect(await proveLive(proof, expected, prometheus)).toEqual([]);
    },
    90_000,
  );

  it("a Flux patch bundle without its post-renderer leaves the chart's ServiceMonitor without basicAuth", async () => {
    const config = configOf({
      chartVersion: "2.14.0",
      deploy: "flux",
      mode: "patch",
      inputs: INPUTS[0]!,
      password: undefined,
      pushers: false,
    });
    const files = generate(config).files;
    const release = files["helmrelease.yaml"]!.replace(/\n  postRenderers:[\s\S]*$/, "\n");
    const proof = proveManifests(
      (await renderFlux({ ...files, "helmrelease.yaml": release })).manifests,
      expectedOf(config),
    );
    expect(proof.problems.join("\n")).toMatch(/has no basicAuth/);
  }, 90_000);

  it("merges valuesFrom in Flux's order: entries in order, spec.values over them, targetPath over all", async () => {
    const config = configOf({
      chartVersion: "3.1.0",
      deploy: "flux",
      mode: "values",
      inputs: INPUTS[0]!,
      password: undefined,
      pushers: false,
    });
    const files = generate(config).files;
    const release = load(files["helmrelease.yaml"]!) as any;
    release.spec.valuesFrom.unshift({ kind: "Secret", name: "extra", valuesKey: "values.yaml" });
    const extra = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "extra", namespace: release.metadata.namespace },
      stringData: {
        "values.yaml":
          "serviceMonitor: {interval: 99s}\npodLabels: {from: secret}\nwebConfiguration: {basicAuthUsers: {x: y}}\n",
      },
    };
    const rendered = await renderFlux({ ...files, "helmrelease.yaml": dump(release), "extra.yaml": dump(extra) });
    const objects = parseManifests(rendered.output);
    const monitor = objects.find((o) => o.kind === "ServiceMonitor") as any;
    expect(monitor.spec.endpoints[0].interval, "spec.values over valuesFrom").toBe(config.interval);
    const deployment = objects.find((o) => o.kind === "Deployment") as any;
    expect(deployment.spec.template.metadata.labels.from, "a valuesFrom key spec.values lacks").toBe("secret");
    const webConfig = load(
      secretValue(
        objects.find((o) => o.kind === "Secret")!,
        "web-config.yaml",
      )!,
    ) as any;
    expect(Object.keys(webConfig.basic_auth_users).sort()).toEqual([config.username, "x"].sort());
    expect(compareSync(config.password, webConfig.basic_auth_users[config.username])).toBe(true);
  }, 90_000);
});
