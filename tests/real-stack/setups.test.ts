/**
 * The fix for every setup of the corpus, on the real thing: the bundle the engine generates for
 * the imported config, with values.yaml replaced by the user's own file with the fix merged in,
 * deployed to Debian's prometheus-pushgateway and scraped by Debian's prometheus.
 */
import { describe, expect, it } from "vitest";
import { fixSetup, importSetup } from "../../lib/index";
import { problemsOnRealStack } from "../support/real-stack";
import { fixedConfig, loadSetups } from "../support/setups";

describe.concurrent.each(loadSetups())("$name", (setup) => {
  it("is scraped `up` with the merged values, and 401 without credentials", async ({ expect }) => {
    // Only the timing is shortened, so that Prometheus scrapes within seconds.
    const config = { ...fixedConfig(setup), interval: "2s", scrapeTimeout: "1s" };
    const imported = importSetup(setup.files, setup.expected.given);
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    const fixed = fixSetup(config, imported.import.valuesFile);
    if (!fixed.ok) throw new Error(fixed.error);
    expect(await problemsOnRealStack(config, fixed.fix.bundle.files)).toEqual([]);
  }, 60_000);
});

it("notices when the user's values are used without the merge", async () => {
  const setup = loadSetups().find((s) => s.name === "chart-2.14.0-servicemonitor-without-basicauth")!;
  const config = { ...fixedConfig(setup), interval: "2s", scrapeTimeout: "1s" };
  const fixed = fixSetup(config, null);
  if (!fixed.ok) throw new Error(fixed.error);
  // The chart's own ServiceMonitor, still enabled, scrapes next to the generated one.
  const unmerged = {
    ...fixed.fix.bundle.files,
    "values.yaml": setup.files.find((f) => f.name === "values.yaml")!.text,
  };
  expect(await problemsOnRealStack(config, unmerged)).toEqual([
    expect.stringMatching(/2 ServiceMonitors select the Service/),
  ]);
}, 60_000);
