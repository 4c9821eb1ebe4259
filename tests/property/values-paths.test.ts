/**
 * The chart table is the only place that knows what a chart version reads: every key
 * buildValues writes lies under a values path the profile lists for that version.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { validateConfig } from "../../lib/config/schema";
import { buildValues } from "../../lib/engine/build-values";
import { planBundle } from "../../lib/engine/plan";
import { isMap } from "../../lib/values/values";
import { validConfigInput } from "../support/arbitraries";

/** The dotted paths of every leaf of `values` (a list is a leaf: the chart reads it whole). */
function leafPaths(values: unknown, prefix = ""): string[] {
  if (!isMap(values) || (Object.keys(values).length === 0 && prefix)) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

it("writes only values paths the chart version's profile lists", () => {
  fc.assert(
    fc.property(validConfigInput, (input) => {
      const result = validateConfig({ ...input, passwordHash: "" });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const plan = planBundle(result.config);
      for (const path of leafPaths(buildValues(plan))) {
        const listed = plan.profile.valuesPaths.some((p) => path === p || path.startsWith(`${p}.`));
        expect(listed, `${path} for chart ${result.config.chartVersion} (${plan.mode})`).toBe(true);
      }
    }),
    { numRuns: 300 },
  );
});

it("notices a path the profile does not list", () => {
  const result = validateConfig({ chartVersion: "2.14.0", password: "x" });
  if (!result.ok) throw new Error("invalid");
  const plan = planBundle(result.config);
  const paths = leafPaths({ ...buildValues(plan), webConfiguration: { existingSecret: { name: "x" } } });
  expect(paths.filter((p) => !plan.profile.valuesPaths.some((l) => p === l || p.startsWith(`${l}.`)))).toEqual([
    "webConfiguration.existingSecret.name",
  ]);
});
