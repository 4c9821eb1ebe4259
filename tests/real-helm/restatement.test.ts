/**
 * Issue 12, "the engine's restatement stays honest": for every vendored chart version, what
 * lib/chart/render.ts says the chart renders (names, namespaces, the Service, Secret names, types,
 * keys and contents, the web-config flag and mounted Secret, probe kinds, paths and Authorization
 * headers, the ServiceMonitor and the NetworkPolicy) must be what real Helm renders, for the
 * values the engine generates for each strategy and for hand-written values around them.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump, load, YAML11_SCHEMA } from "js-yaml";
import { checkBundle, generate, validateConfig } from "../../lib/index";
import { renderRelease } from "../../lib/chart/render";
import type { Values } from "../../lib/values/values";
import { chartPackage, chartVersions, Helm, HelmError } from "../support/helm";
import { engineView, HASH, helmView, withoutUnmodelledLabels } from "../support/chart-view";
import { allowedModes, cellConfig, INPUTS } from "../support/helm-matrix";

interface ValueSet {
  name: string;
  release: string;
  namespace: string;
  values: Values;
}

const USER = { "ops.reader": `pa ss "#: wörd'` };
const SM_AUTH = {
  username: { name: "scrape-auth", key: "username" },
  password: { name: "scrape-auth", key: "password" },
};

/** Hand-written values around what the engine writes: overrides, ports, probes, policies. */
const HAND_WRITTEN: ValueSet[] = [
  { name: "chart defaults", release: "pushgateway", namespace: "monitoring", values: {} },
  {
    name: "basicAuthUsers only",
    release: "pushgateway",
    namespace: "apps",
    values: { webConfiguration: { basicAuthUsers: USER } },
  },
  {
    name: "basicAuthUsers and the chart's ServiceMonitor with its defaults",
    release: "prometheus-pushgateway-canary",
    namespace: "apps",
    values: { webConfiguration: { basicAuthUsers: USER }, serviceMonitor: { enabled: true } },
  },
  {
    name: "ServiceMonitor in the release namespace with every endpoint setting",
    release: "pgw",
    namespace: "apps",
    values: {
      webConfiguration: { basicAuthUsers: USER },
      serviceMonitor: {
        enabled: true,
        namespace: "",
        additionalLabels: { release: "kps", team: "platform" },
        interval: "1m",
        scheme: "http",
        scrapeTimeout: "45s",
        honorLabels: false,
        telemetryPath: "/custom-metrics",
      },
    },
  },
  {
    name: "explicit serviceMonitor.basicAuth",
    release: "pushgateway",
    namespace: "monitoring",
    values: {
      webConfiguration: { basicAuthUsers: USER },
      serviceMonitor: { enabled: true, namespace: "observability", basicAuth: SM_AUTH },
    },
  },
  {
    name: "webConfiguration.existingSecret",
    release: "pushgateway",
    namespace: "monitoring",
    values: {
      webConfiguration: { existingSecret: { name: "pgw-web-config" } },
      serviceMonitor: { enabled: true, basicAuth: SM_AUTH },
    },
  },
  {
    name: "nameOverride and namespaceOverride",
    release: "metrics",
    namespace: "release-ns",
    values: {
      nameOverride: "pgw",
      namespaceOverride: "override-ns",
      webConfiguration: { basicAuthUsers: USER },
      serviceMonitor: { enabled: true, namespace: "" },
      networkPolicy: { allowAll: true },
    },
  },
  {
    name: "fullnameOverride with a trailing dash",
    release: "metrics",
    namespace: "monitoring",
    values: {
      fullnameOverride: "my-pushgateway-",
      webConfiguration: { basicAuthUsers: USER },
      serviceMonitor: { enabled: true },
    },
  },
  {
    name: "a 53-char release",
    release: "a-very-long-release-name-for-a-pushgateway-in-team-xy",
    namespace: "monitoring",
    values: { webConfiguration: { basicAuthUsers: USER }, serviceMonitor: { enabled: true } },
  },
  {
    name: "service.portName, port and targetPort",
    release: "pushgateway",
    namespace: "monitoring",
    values: {
      service: { portName: "web", port: 8080, targetPort: 9091 },
      webConfiguration: { basicAuthUsers: USER },
      serviceMonitor: { enabled: true },
    },
  },
  {
    name: "liveness disabled",
    release: "pushgateway",
    namespace: "monitoring",
    values: { liveness: { enabled: false }, webConfiguration: { basicAuthUsers: USER } },
  },
  {
    name: "readiness disabled, podLabels and serviceLabels",
    release: "pushgateway",
    namespace: "monitoring",
    values: {
      readiness: { enabled: false },
      podLabels: { team: "batch" },
      serviceLabels: { exposed: "internal" },
      webConfiguration: { basicAuthUsers: USER },
      serviceMonitor: { enabled: true },
    },
  },
  {
    name: "networkPolicy.customSelectors",
    release: "pushgateway",
    namespace: "monitoring",
    values: {
      networkPolicy: {
        customSelectors: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
          { podSelector: { matchLabels: { "pushgateway-client": "true" } } },
        ],
      },
    },
  },
  {
    name: "networkPolicy without allowAll or customSelectors (the chart fails)",
    release: "pushgateway",
    namespace: "monitoring",
    values: { networkPolicy: { allowAll: false } },
  },
];

/** The engine's own values.yaml for each strategy the version allows, with two sets of inputs. */
function generatedValueSets(chartVersion: string): ValueSet[] {
  return allowedModes(chartVersion).flatMap((mode) =>
    [INPUTS[1], INPUTS[2]].map((inputs) => {
      const config = cellConfig({ chartVersion, mode, inputs: inputs! });
      const text = generate(config).files["values.yaml"] as string;
      return {
        name: `generated ${mode} values (${inputs!.label})`,
        release: config.releaseName,
        namespace: config.namespace,
        values: (load(text, { schema: YAML11_SCHEMA }) ?? {}) as Values,
      };
    }),
  );
}

async function helmTemplate(helm: Helm, dir: string, chartVersion: string, set: ValueSet, i: number) {
  const file = join(dir, `values-${i}.yaml`);
  writeFileSync(file, dump(set.values));
  try {
    return {
      output: await helm.template({
        chart: chartPackage(chartVersion),
        release: set.release,
        namespace: set.namespace,
        valuesFiles: [file],
      }),
    };
  } catch (error) {
    if (error instanceof HelmError) return { error: error.stderr.trim() };
    throw error;
  }
}

describe.each(chartVersions())("chart %s: lib/chart/render.ts says what Helm 4 renders", (chartVersion) => {
  const sets = [...generatedValueSets(chartVersion), ...HAND_WRITTEN];

  it.concurrent.each(sets.map((s, i) => [s.name, s, i] as const))("%s", async (_, set, i) => {
    const helm = new Helm(4);
    const dir = mkdtempSync(join(tmpdir(), "pga-restate-"));
    try {
      const claimed = renderRelease(
        { chartVersion, releaseName: set.release, namespace: set.namespace },
        set.values,
        () => HASH,
      );
      const real = await helmTemplate(helm, dir, chartVersion, set, i);
      expect(
        real.error !== undefined,
        `helm fails: ${real.error}; render.ts errors: ${claimed.errors.join("; ")}`,
      ).toBe(claimed.errors.length > 0);
      if (real.output === undefined) return;
      // Full label maps on both sides: a label render.ts drops (or invents) is a difference.
      expect(withoutUnmodelledLabels(helmView(real.output, set.namespace))).toEqual(
        withoutUnmodelledLabels(engineView(claimed)),
      );
    } finally {
      helm.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Where the restatement cannot be exact: with several users in basicAuthUsers (pushers on a
 * chart that hashes at render), the probes' header is `keys | first`, Go map order. Real Helm
 * picks a different user from one render to the next; every pick authenticates, and the
 * generated bundle's stable-output check warns of the churn.
 */
describe("several users on chart 2.14.0", () => {
  const config = validateConfig({
    chartVersion: "2.14.0",
    password: "scrape-pw",
    pushers: [
      { name: "alpha", namespace: "batch", password: "alpha-pw" },
      { name: "zeta", namespace: "jobs", password: "zeta-pw" },
    ],
  });
  if (!config.ok) throw new Error(JSON.stringify(config.errors));
  // The chart hashes at render: the bundle needs no hash of its own.
  const bundle = generate(config.config);

  it("Helm 4 gives the probes a different one of them from render to render", async () => {
    const helm = new Helm(4);
    const dir = mkdtempSync(join(tmpdir(), "pga-probe-users-"));
    try {
      const values = join(dir, "values.yaml");
      writeFileSync(values, bundle.files["values.yaml"]!);
      const headers = new Set<string>();
      // Three users: twelve renders all picking the same one has odds of 3 in 3^12.
      for (let i = 0; i < 12; i++) {
        const out = await helm.template({
          chart: chartPackage("2.14.0"),
          release: "pg",
          namespace: "monitoring",
          valuesFiles: [values],
        });
        for (const m of out.matchAll(/name: Authorization\s+value: Basic (\S+)/g))
          headers.add(Buffer.from(m[1]!, "base64").toString());
      }
      expect([...headers].every((h) => ["prometheus:scrape-pw", "alpha:alpha-pw", "zeta:zeta-pw"].includes(h))).toBe(
        true,
      );
      expect(headers.size).toBeGreaterThan(1);
    } finally {
      helm.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the bundle's checks say so", () => {
    const check = checkBundle(config.config, bundle.files).find((c) => c.id === "stable-output");
    expect(check?.status).toBe("warn");
    expect(check?.message).toContain("with several users its probes also pick one at random");
  });
});
