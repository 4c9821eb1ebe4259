import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chartNames } from "../../lib/chart/names";
import { renderChart } from "../../lib/chart/render";
import { coalesceValues, getPath } from "../../lib/values/values";
import { CHART_PROFILES, compareVersions, profileFor } from "../../lib/chart/versions";
import { parseYaml } from "../../lib/yaml/serialize";

describe("chart version table", () => {
  it.each([
    ["2.12.0", "2.12"],
    ["2.14.0", "2.12"],
    ["3.0.9", "2.12"],
    ["3.1.0", "3.1"],
    ["3.6.12", "3.1"],
    ["3.7.0", "3.7"],
    ["3.8.0", "3.7"],
    ["3.99.0", "3.7"],
  ])("%s uses profile %s", (version, id) => {
    expect(profileFor(version).profile?.id).toBe(id);
  });

  it.each([
    ["2.11.9", /no webConfiguration/, "too-old"],
    ["1.0.0", /no webConfiguration/, "too-old"],
    ["4.0.0", /not known/, "unknown"],
    ["3.8", /MAJOR\.MINOR\.PATCH/, "malformed"],
    ["v3.8.0", /MAJOR\.MINOR\.PATCH/, "malformed"],
    ["03.8.0", /MAJOR\.MINOR\.PATCH/, "malformed"],
    ["3.8.0-rc.1", /MAJOR\.MINOR\.PATCH/, "malformed"],
  ])("%s is refused", (version, error, reason) => {
    const lookup = profileFor(version);
    expect(lookup.error).toMatch(error);
    // What the diagnosis tells apart: a too-old chart is a finding, the others bad input.
    expect(lookup.profile === null && lookup.reason).toBe(reason);
  });

  it("covers 2.12.0 to below 4.0.0 without gaps or overlaps", () => {
    const sorted = [...CHART_PROFILES].sort((a, b) => compareVersions(a.from, b.from));
    expect(sorted[0]?.from).toBe("2.12.0");
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.from).toBe(sorted[i - 1]?.below);
    expect(sorted.at(-1)?.below).toBe("4.0.0");
  });

  it("offers each profile's default strategy and gives every strategy a reason", () => {
    for (const p of CHART_PROFILES) {
      expect(p.modes[p.defaultMode].allowed).toBe(true);
      for (const m of Object.values(p.modes)) expect(m.reason).toMatch(/\.$/);
    }
  });

  // The chart has no values.schema.json: Helm ignores keys a version does not read. Every path
  // the engine may write must exist (or be documented in a comment) in that version's values.yaml.
  it.each([
    ["2.14.0", "2.12"],
    ["3.1.0", "3.1"],
    ["3.8.0", "3.7"],
  ])("every values path of profile %s is in chart %s's values.yaml", (version, id) => {
    const text = readFileSync(new URL(`../fixtures/chart/values-${version}.yaml`, import.meta.url), "utf8");
    const values = parseYaml(text);
    const profile = CHART_PROFILES.find((p) => p.id === id);
    for (const path of profile?.valuesPaths ?? []) {
      const leaf = path.split(".").at(-1) as string;
      const parent = path.split(".").slice(0, -1).join(".");
      const present = getPath(values, path) !== undefined;
      // webConfiguration's keys are documented as comments under `webConfiguration: {}`.
      const documented =
        new RegExp(`^\\s*#\\s*${leaf}:`, "m").test(text) &&
        (parent === "" || getPath(values, parent.split(".")[0] as string) !== undefined);
      expect(present || documented, `${path} in ${version}`).toBe(true);
    }
  });
});

describe("chartNames (the chart's _helpers.tpl)", () => {
  it.each([
    [
      { releaseName: "pushgateway", nameOverride: "", fullnameOverride: "" },
      "prometheus-pushgateway",
      "pushgateway-prometheus-pushgateway",
    ],
    [
      { releaseName: "prometheus-pushgateway", nameOverride: "", fullnameOverride: "" },
      "prometheus-pushgateway",
      "prometheus-pushgateway",
    ],
    [
      { releaseName: "my-prometheus-pushgateway-2", nameOverride: "", fullnameOverride: "" },
      "prometheus-pushgateway",
      "my-prometheus-pushgateway-2",
    ],
    [{ releaseName: "pg", nameOverride: "pgw", fullnameOverride: "" }, "pgw", "pg-pgw"],
    [{ releaseName: "pgw-main", nameOverride: "pgw", fullnameOverride: "" }, "pgw", "pgw-main"],
    [{ releaseName: "pg", nameOverride: "", fullnameOverride: "gateway" }, "prometheus-pushgateway", "gateway"],
    // 40 + 1 + 22 = 63 characters: no cut.
    [
      { releaseName: "a".repeat(40), nameOverride: "", fullnameOverride: "" },
      "prometheus-pushgateway",
      `${"a".repeat(40)}-prometheus-pushgateway`,
    ],
    // Cut at 63 lands right after a dash, which trimSuffix removes.
    [
      { releaseName: "a".repeat(51), nameOverride: "", fullnameOverride: "" },
      "prometheus-pushgateway",
      `${"a".repeat(51)}-prometheus`,
    ],
  ])("%j", (input, name, fullname) => {
    const names = chartNames(input);
    expect(names.name).toBe(name);
    expect(names.fullname).toBe(fullname);
    expect(names.selectorLabels).toEqual({
      "app.kubernetes.io/name": name,
      "app.kubernetes.io/instance": input.releaseName,
    });
  });
});

describe("renderChart", () => {
  const profile = (id: string) => CHART_PROFILES.find((p) => p.id === id)!;
  const base = { chartVersion: "3.8.0", releaseName: "pg", releaseNamespace: "apps", hashPassword: () => "HASH" };

  it("coalesces values like Helm: maps merge, null removes a default", () => {
    expect(coalesceValues({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: 4 }, d: null })).toEqual({ a: { b: 1, c: 4 } });
  });

  it("puts the ServiceMonitor in the chart's default namespace `monitoring`, not the release namespace", () => {
    const chart = renderChart({ ...base, profile: profile("3.7"), values: { serviceMonitor: { enabled: true } } });
    expect(chart.serviceMonitor?.metadata.namespace).toBe("monitoring");
    expect(chart.serviceMonitor?.spec.namespaceSelector?.matchNames).toEqual(["apps"]);
    const unset = renderChart({
      ...base,
      profile: profile("3.7"),
      values: { serviceMonitor: { enabled: true, namespace: null } },
    });
    expect(unset.serviceMonitor?.metadata.namespace).toBe("apps");
  });

  it("writes usernames raw into the chart-rendered web config", () => {
    const chart = renderChart({
      ...base,
      profile: profile("3.1"),
      values: { webConfiguration: { basicAuthUsers: { "[x]": "pw" } } },
    });
    expect(chart.secrets[0]?.stringData?.["web-config.yaml"]).toBe("basic_auth_users:\n  [x]: HASH");
  });

  it("creates <fullname>-basic-auth itself on 3.1+ when serviceMonitor.basicAuth is empty", () => {
    const values = {
      webConfiguration: { basicAuthUsers: { u: "p" } },
      serviceMonitor: { enabled: true, namespace: "mon" },
    };
    const chart = renderChart({ ...base, profile: profile("3.1"), values });
    expect(chart.serviceMonitor?.spec.endpoints[0]?.basicAuth?.username).toEqual({
      name: "pg-prometheus-pushgateway-basic-auth",
      key: "user",
    });
    expect(chart.secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual([
      "apps/pg-prometheus-pushgateway",
      "mon/pg-prometheus-pushgateway-basic-auth",
    ]);
    const old = renderChart({ ...base, profile: profile("2.12"), values });
    expect(old.serviceMonitor?.spec.endpoints[0]?.basicAuth).toBeUndefined();
  });

  it("switches probes to tcpSocket only with existingSecret on 3.7+", () => {
    const withSecret = { webConfiguration: { existingSecret: { name: "wc" } } };
    expect(renderChart({ ...base, profile: profile("3.7"), values: withSecret }).liveness).toEqual({
      kind: "tcp-socket",
    });
    expect(renderChart({ ...base, profile: profile("3.1"), values: withSecret }).liveness).toEqual({
      kind: "http",
      path: "/-/healthy",
      authorization: null,
    });
    const users = { webConfiguration: { basicAuthUsers: { u: "p" } } };
    expect(renderChart({ ...base, profile: profile("2.12"), values: users }).readiness).toEqual({
      kind: "http",
      path: "/-/ready",
      authorization: `Basic ${btoa("u:p")}`,
    });
  });

  it("fails like the chart on a networkPolicy without allowAll or customSelectors", () => {
    expect(renderChart({ ...base, profile: profile("3.7"), values: { networkPolicy: { x: 1 } } }).errors).toEqual([
      "networkPolicy needs allowAll or customSelectors (the chart fails otherwise)",
    ]);
  });
});
