/**
 * Every chart profile and strategy against the real thing: Debian's prometheus-pushgateway
 * started with the web config the bundle produces, Debian's prometheus scraping it with the
 * job the Operator would derive from the bundle's ServiceMonitor and Secret.
 */
import { compareSync, hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { checkBundle, generate, validateConfig, type Config } from "../../lib/index";
import { CASES } from "../support/cases";
import { problemsOnRealStack } from "../support/real-stack";

// Quotes, a colon, a hash, backslash, template braces and non-ASCII: all must survive YAML,
// Kubernetes Secrets, the chart's htpasswd and HTTP basic auth.
const PASSWORD = `p@ss: "w0rd" #1 'ü' \\ {{ x }}`;

const EXTRA = [
  { name: "3.1.0-values-yaml11-username", input: { chartVersion: "3.1.0", username: "yes" } },
  { name: "2.14.0-standalone-numeric-username", input: { chartVersion: "2.14.0", username: "12345" } },
  { name: "3.6.0-values-unicode-username", input: { chartVersion: "3.6.0", username: "prométhée" } },
];

function configFor(input: Record<string, unknown>): Config {
  const result = validateConfig({
    ...input,
    password: PASSWORD,
    passwordHash: "",
    interval: "2s",
    scrapeTimeout: "1s",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.config, passwordHash: hashSync(PASSWORD, 10) };
}

// The servers mostly wait; a few cases at a time keep two cores busy without starving them.
describe.concurrent.each([...CASES, ...EXTRA])("$name", ({ input }) => {
  it("is scraped `up` by Prometheus with the generated credentials, and 401 without", async ({ expect }) => {
    const config = configFor(input);
    const { files } = generate(config);
    const failed = checkBundle(config, files, { passwordMatchesHash: compareSync }).filter((c) => c.status === "fail");
    expect(failed).toEqual([]);
    expect(await problemsOnRealStack(config, files)).toEqual([]);
  }, 120_000);
});

it("notices a bundle that would leave Prometheus at 401", async () => {
  const config = configFor({ chartVersion: "3.8.0" });
  const { files } = generate(config);
  // The scrape Secret carries a different password than the web config's hash.
  const broken = {
    ...files,
    "secret.yaml": (files["secret.yaml"] as string).replace(/password: .*$/m, "password: wrong"),
  };
  const problems = await problemsOnRealStack(config, broken);
  expect(problems.join("\n")).toMatch(
    /target serviceMonitor\/monitoring\/pushgateway-prometheus-pushgateway\/0 health .*got "down", want "up"/,
  );
}, 120_000);

it("shows why passwords must not start or end with a space: Prometheus strips it and gets 401", async () => {
  const config = { ...configFor({ chartVersion: "3.8.0" }), password: " padded", passwordHash: hashSync(" padded", 4) };
  const problems = await problemsOnRealStack(config, generate(config).files);
  expect(problems.join("\n")).toMatch(/HTTP status 401.*got "down", want "up"/);
  expect(validateConfig({ password: " padded" })).toMatchObject({ ok: false });
}, 120_000);
