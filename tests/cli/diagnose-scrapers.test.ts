/**
 * `diagnose` as each scraper's guide says to run it: the bundle's README gives the commands that
 * collect the objects (here answered from the bundle itself, as the cluster would after applying
 * it) and the scraper's /api/v1/targets answer (Prometheus', or VMAgent's with its own wording
 * and serviceScrape/ pool). Healthy, it must pass (no false "no ServiceMonitor"); with a wrong
 * password in the scrape Secret and the 401 the scraper reports, it must name the password.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, expect, it } from "vitest";
import { parseYamlDocuments, toYaml } from "../../lib/yaml/serialize";
import { readTree, runMain } from "../support/cli";

type Doc = any;
const PASSWORD = "Scr4pe-me-pls";
const WRONG = "Wr0ng-passw0rd";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pga-diagnose-scrapers-"));
});

/** The scraper's target list, as Prometheus or VMAgent answers /api/v1/targets. */
function targetsJson(pool: string, vmagent: boolean, unauthorized: boolean): string {
  const url = "http://10.0.0.7:9091/metrics";
  const lastError = !unauthorized
    ? ""
    : vmagent
      ? `unexpected status code returned when scraping "${url}": 401; expecting 200; response body: "Unauthorized\\n"`
      : "server returned HTTP status 401 Unauthorized";
  const target = {
    discoveredLabels: { __address__: "10.0.0.7:9091" },
    labels: { instance: "10.0.0.7:9091", job: "pg-prometheus-pushgateway" },
    scrapePool: pool,
    scrapeUrl: url,
    lastError,
    health: unauthorized ? "down" : "up",
  };
  return JSON.stringify({ status: "success", data: { activeTargets: [target], droppedTargets: [] } });
}

/** What `kubectl get KINDS -n NS -o yaml` answers once the bundle is applied: its objects of those kinds there. */
function kubectlGet(bundle: Record<string, string>, kinds: string[], namespace: string, password: string): string {
  const items = Object.entries(bundle)
    .filter(([name]) => name.endsWith(".yaml") && name !== "values.yaml" && !name.startsWith("prometheus/"))
    .flatMap(([, text]) => parseYamlDocuments(text) as Doc[])
    .filter((d) => d?.kind && kinds.includes(String(d.kind).toLowerCase()) && d.metadata?.namespace === namespace);
  for (const d of items) if (d.type === "kubernetes.io/basic-auth") d.stringData.password = password;
  return toYaml({ apiVersion: "v1", kind: "List", items });
}

/** `generate` for release pg of chart 3.8.0 with this scraper, the bundle written to b/. */
function generateBundle(scraper: string) {
  return runMain(
    [
      "generate",
      "--chart-version",
      "3.8.0",
      "--release",
      "pg",
      "--scraper",
      scraper,
      "--password-file",
      "-",
      "--out",
      "b",
    ],
    dir,
    `${PASSWORD}\n`,
  );
}

/** `diagnose` of these files for that release, in namespace monitoring. */
function diagnose(...files: string[]) {
  return runMain(
    ["diagnose", "--chart-version", "3.8.0", "--release", "pg", "--namespace", "monitoring", ...files],
    dir,
  );
}

/** Runs the README's diagnose step for this bundle, answering its commands; returns the CLI run. */
async function diagnoseAsGuided(scraper: string, password: string, unauthorized: boolean) {
  const gen = await generateBundle(scraper);
  expect(gen.code, gen.stderr).toBe(0);
  const bundle = readTree(join(dir, "b"));
  const readme = bundle["README.md"] as string;
  const get = /kubectl get (secret[a-z,]*) -n (\S+) -o yaml > cluster\.yaml/.exec(readme);
  expect(get, "the guide collects the Secrets and the scrape objects").not.toBeNull();
  const [, kinds, namespace] = get as unknown as [string, string, string];
  const run = join(dir, "run");
  mkdirSync(run, { recursive: true });
  writeFileSync(join(run, "helm-values.yaml"), bundle["values.yaml"] as string);
  writeFileSync(join(run, "cluster.yaml"), kubectlGet(bundle, kinds.split(","), namespace, password));
  if (/> prometheus-values\.yaml/.test(readme))
    writeFileSync(
      join(run, "prometheus-values.yaml"),
      bundle["prometheus/kube-prometheus-stack-values.yaml"] as string,
    );
  // The guide filters by the pool's prefix; the operators number the endpoint after it.
  const prefix = /startswith\("([^"]+)"\)/.exec(readme)?.[1];
  const pool = prefix?.endsWith("/") ? `${prefix}0` : prefix;
  if (pool) writeFileSync(join(run, "targets.json"), targetsJson(pool, scraper === "victoriametrics", unauthorized));
  const line = /npm run --silent diagnose -- (.+)/.exec(readme)?.[1] as string;
  const files = line.split(" ").map((f) => (f.startsWith("alloy/") ? join(dir, "b", f) : join(run, f)));
  return {
    kinds,
    pool,
    files,
    result: await diagnose(...files),
  };
}

it.each([
  ["operator", "servicemonitor"],
  ["scrapeconfig", "scrapeconfig"],
  ["victoriametrics", "vmservicescrape"],
  ["alloy", "role"],
  ["prometheus", "secret"],
])(
  "--scraper %s: the guide's diagnose step collects its objects, and a healthy setup passes",
  async (scraper, kind) => {
    const { kinds, files, pool, result } = await diagnoseAsGuided(scraper, PASSWORD, false);
    expect(kinds.split(",")).toContain(kind);
    // Alloy lists no targets over an API; the others' pools are the scraper's own.
    if (scraper !== "alloy")
      expect(
        files.some((f) => f.endsWith("targets.json")),
        String(pool),
      ).toBe(true);
    if (scraper === "alloy") expect(files.some((f) => f.endsWith(".alloy"))).toBe(true);
    expect(result.stdout).not.toContain("[no-servicemonitor]");
    // Nothing fails (the operator's leaves which label Prometheus selects by unchecked: no Prometheus object).
    expect(result.stdout, result.stderr).toMatch(scraper === "operator" ? /^0 failed/m : /^No problems found/m);
    expect(result.code).toBe(0);
  },
);

it.each(["scrapeconfig", "victoriametrics", "alloy", "prometheus"])(
  "--scraper %s: a wrong password in the scrape Secret is found, with the scraper's 401",
  async (scraper) => {
    const { result } = await diagnoseAsGuided(scraper, WRONG, true);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain("[password-mismatch]");
    if (scraper !== "alloy") expect(result.stdout).toContain("[target-unauthorized]");
    if (scraper === "victoriametrics")
      expect(result.stdout).toMatch(/serviceScrape\/monitoring\/pg-prometheus-pushgateway\/0/);
    expect(result.stdout).not.toContain(WRONG);
    expect(result.stdout).not.toContain(PASSWORD);
  },
);

it("a target list whose Pushgateway pool is a ScrapeConfig's is evidence of that scraper: no false 'no ServiceMonitor'", async () => {
  await generateBundle("scrapeconfig");
  const bundle = readTree(join(dir, "b"));
  writeFileSync(join(dir, "secrets.yaml"), bundle["secret.yaml"] as string);
  writeFileSync(
    join(dir, "targets.json"),
    targetsJson("scrapeConfig/monitoring/pg-prometheus-pushgateway", false, false),
  );
  const result = await diagnose(join(dir, "b", "values.yaml"), "secrets.yaml", "targets.json");
  expect(result.stdout).not.toContain("[no-servicemonitor]");
  expect(result.code, result.stdout).toBe(0);
});

it("reads an Alloy configuration file given to diagnose (not YAML), by its name or its blocks", async () => {
  await generateBundle("alloy");
  const alloy = readFileSync(join(dir, "b", "alloy", "pushgateway.alloy"), "utf8");
  // Pasted under another name, it is still recognised by its blocks; a key it reads that the Secret lacks is named.
  writeFileSync(join(dir, "config.txt"), alloy.replace('.data["password"]', '.data["pass"]'));
  const result = await diagnose(
    join(dir, "b", "values.yaml"),
    join(dir, "b", "secret.yaml"),
    join(dir, "b", "alloy", "rbac.yaml"),
    "config.txt",
  );
  expect(result.stderr).toBe("");
  expect(result.code).toBe(1);
  expect(result.stdout).toContain("[scrape-object-secret]");
  expect(result.stdout).toContain('no key "pass"');
});
