/**
 * The checks read a HelmRelease's values in Flux's merge order (fluxcd/pkg chartutil
 * ChartValuesFromReferences, and the HelmRelease docs, "Values references"): valuesFrom entries
 * in order, later over earlier, then spec.values over them; a targetPath entry is set over
 * everything before it, spec.values included.
 */
import { describe, expect, it } from "vitest";
import { fluxMergeMaps, readGitOps } from "../../lib/engine/read-gitops";
import { toYaml } from "../../lib/yaml/serialize";

const secret = (name: string, stringData: Record<string, string>) =>
  toYaml({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "monitoring" }, stringData });

function read(values: unknown, valuesFrom: unknown[], secrets: string[]) {
  const release = {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "pgw", namespace: "monitoring" },
    spec: { values, valuesFrom },
  };
  const files = Object.fromEntries(secrets.map((text, i) => [`secret-${i}.yaml`, text]));
  return readGitOps("helmrelease.yaml", [release], { "helmrelease.yaml": toYaml(release), ...files });
}

describe("Flux's values merge order", () => {
  it("merges valuesFrom in order and spec.values over them", () => {
    const got = read(
      { serviceMonitor: { interval: "30s" } },
      [
        { kind: "Secret", name: "a" },
        { kind: "Secret", name: "b", valuesKey: "more.yaml" },
      ],
      [
        secret("a", { "values.yaml": "nameOverride: first\nserviceMonitor: {interval: 99s, honorLabels: true}\n" }),
        secret("b", { "more.yaml": "nameOverride: second\n" }),
      ],
    );
    expect(got.problems).toEqual([]);
    expect(got.values).toEqual({ nameOverride: "second", serviceMonitor: { interval: "30s", honorLabels: true } });
  });

  it("sets a targetPath entry over spec.values", () => {
    const got = read(
      { webConfiguration: { basicAuthUsers: { prometheus: "inline", other: "kept" } } },
      [{ kind: "Secret", name: "a", valuesKey: "pw", targetPath: "webConfiguration.basicAuthUsers.prometheus" }],
      [secret("a", { pw: '"from-secret"' })],
    );
    expect(got.values).toEqual({ webConfiguration: { basicAuthUsers: { prometheus: "from-secret", other: "kept" } } });
  });

  it("says so when a valuesFrom entry is not a map of values", () => {
    const got = read({}, [{ kind: "Secret", name: "a" }], [secret("a", { "values.yaml": "- a list" })]);
    expect(got.problems).toEqual([expect.stringContaining("is not a YAML map of values")]);
  });

  it("merges maps key by key and replaces anything else, as Flux's MergeMaps does", () => {
    expect(fluxMergeMaps({ a: { x: 1, y: [1] }, b: 1 }, { a: { y: [2] }, b: { c: 1 } })).toEqual({
      a: { x: 1, y: [2] },
      b: { c: 1 },
    });
  });
});
