/**
 * The patch strategy through the real `kubectl kustomize`: the bundle's own post-renderer.sh,
 * fed what the chart renders, must add basicAuth to the chart's ServiceMonitor, touch nothing
 * else, agree with the engine's own patch model, and fail loudly when there is nothing to patch.
 */
import { describe, expect, it } from "vitest";
import { renderRelease } from "../../lib/chart/render";
import type { Values } from "../../lib/values/values";
import { applyJsonPatch } from "../../lib/engine/cluster-view";
import { FILE_NAMES, generate, validateConfig, type Config } from "../../lib/index";
import type { JsonPatchOperation, ServiceMonitor } from "../../lib/k8s/types";
import { parseYamlDocuments, toYamlFile } from "../../lib/yaml/serialize";
import { CASES } from "../support/cases";
import { runPostRenderer } from "../support/deploy";

const PATCH_CASES = CASES.filter((c) => c.input.serviceMonitorMode === "patch");

function chartOutput(config: Config, values: Values) {
  const chart = renderRelease(config, values, () => "$2a$10$fixed");
  return [chart.service, ...chart.secrets, chart.serviceMonitor].filter(Boolean) as { kind: string }[];
}

function bundleFor(input: Record<string, unknown>) {
  const result = validateConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { files } = generate(result.config);
  const values = parseYamlDocuments(files[FILE_NAMES.values] as string)[0] as Values;
  return { config: result.config, files, values };
}

it("covers at least one patch case per profile that allows it", () => {
  expect(PATCH_CASES.map((c) => c.name)).toEqual(expect.arrayContaining(["2.14.0-patch", "3.8.0-patch"]));
});

describe.each(PATCH_CASES)("$name", ({ input }) => {
  it("adds basicAuth to the chart's ServiceMonitor and changes nothing else", () => {
    const { config, files, values } = bundleFor(input);
    const before = chartOutput(config, values);
    const after = parseYamlDocuments(runPostRenderer(files, toYamlFile(before))) as { kind: string }[];

    const sort = (docs: { kind: string }[]) => [...docs].sort((a, b) => a.kind.localeCompare(b.kind));
    const smBefore = before.find((d) => d.kind === "ServiceMonitor") as ServiceMonitor;
    const smAfter = after.find((d) => d.kind === "ServiceMonitor") as ServiceMonitor;
    const ops = parseYamlDocuments(files[FILE_NAMES.patch] as string)[0] as JsonPatchOperation[];

    expect(smBefore.spec.endpoints[0]?.basicAuth).toBeUndefined();
    expect(smAfter.spec.endpoints[0]?.basicAuth).toEqual({
      username: { name: `${smBefore.metadata.name}-scrape-auth`, key: "username" },
      password: { name: `${smBefore.metadata.name}-scrape-auth`, key: "password" },
    });
    // The engine's checks model the patch; real kustomize must agree with that model.
    expect(smAfter).toEqual(applyJsonPatch(smBefore, ops));
    expect(sort(after.filter((d) => d.kind !== "ServiceMonitor"))).toEqual(
      sort(before.filter((d) => d.kind !== "ServiceMonitor")),
    );
  });

  it("fails instead of installing an unpatched ServiceMonitor when the chart's differs", () => {
    const { config, files, values } = bundleFor(input);
    // The user installs with a different fullnameOverride than the bundle was made for.
    const drifted = chartOutput(config, { ...values, fullnameOverride: "other-name" });
    expect(() => runPostRenderer(files, toYamlFile(drifted))).toThrow(/found no ServiceMonitor .* to patch/);
    const disabled = chartOutput(config, { ...values, serviceMonitor: { enabled: false } });
    expect(() => runPostRenderer(files, toYamlFile(disabled))).toThrow(/found no ServiceMonitor/);
  });
});
