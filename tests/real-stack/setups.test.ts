/**
 * The corpus on the real thing, Debian's prometheus-pushgateway scraped by Debian's prometheus:
 * setups deployed as they are get what their diagnosis says (401 where it finds a wrong
 * password or user, `up` where it finds nothing), and the fix for every setup (the bundle the
 * engine generates for the imported config, with values.yaml replaced by the user's own file
 * with the fix merged in) is scraped `up`.
 */
import { describe, expect, it } from "vitest";
import { fixSetup, importSetup } from "../../lib/index";
import { deploySetup } from "../support/deploy";
import { problemsOnRealStack, scrapeOnRealStack } from "../support/real-stack";
import { fixedConfig, loadSetups } from "../support/setups";

// Setups whose findings are about the credentials themselves, and working ones (one with a
// password that Prometheus trims), deployed without the fix.
const UNFIXED = [
  "password-mismatch-bcrypt",
  "password-mismatch-plaintext",
  "unknown-user",
  "scrape-password-trailing-newline",
  "healthy-3.8.0-values",
];

describe.concurrent.each(loadSetups().filter((s) => UNFIXED.includes(s.name)))("$name, unfixed", (setup) => {
  it("gets 401 when the diagnosis fails it, and is scraped `up` when it finds nothing", async ({ expect }) => {
    const fails = setup.expected.findings.filter((f) => f.severity === "fail").map((f) => f.id);
    const target = await scrapeOnRealStack(deploySetup(setup.files, setup.expected.given));
    if (fails.length) {
      expect(fails).toEqual([expect.stringMatching(/^(password-mismatch|unknown-user)$/)]);
      expect(target).toEqual({ health: "down", lastError: expect.stringContaining("401") });
    } else {
      expect(setup.expected.findings).toEqual([]);
      expect(target).toEqual({ health: "up", lastError: "" });
    }
  }, 120_000);
});

describe.concurrent.each(loadSetups())("$name", (setup) => {
  it("is scraped `up` with the merged values, and 401 without credentials", async ({ expect }) => {
    // Only the timing is shortened, so that Prometheus scrapes within seconds.
    const config = { ...fixedConfig(setup), interval: "2s", scrapeTimeout: "1s" };
    const imported = importSetup(setup.files, setup.expected.given);
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    const fixed = fixSetup(config, imported.import.valuesFile);
    if (!fixed.ok) throw new Error(fixed.error);
    expect(await problemsOnRealStack(config, fixed.fix.bundle.files)).toEqual([]);
  }, 120_000);
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
}, 120_000);
