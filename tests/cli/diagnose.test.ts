import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { runMain, type CliRun } from "../support/cli";
import { FIELD_CLI, FIELDS } from "../../lib/index";
import { loadSetups, SETUPS_DIR } from "../support/setups";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pga-diagnose-"));
});

function run(argv: string[], stdin?: string | Uint8Array, cwd = dir): Promise<CliRun> {
  return runMain(argv, cwd, stdin);
}

/** The diagnose command line for a fixture: its files plus the flags its expected.yaml gives. */
function argvFor(name: string): string[] {
  const setup = loadSetups().find((s) => s.name === name)!;
  const flags = Object.entries(setup.expected.given).flatMap(([field, value]) => [
    FIELD_CLI[field as keyof typeof FIELDS].flag,
    String(value),
  ]);
  return ["diagnose", ...flags, ...setup.files.map((f) => join(name, f.name))];
}

describe("diagnose", () => {
  it.each(loadSetups().map((s) => [s.name, s] as const))(
    "reports %s with the exit code its findings call for",
    async (name, setup) => {
      const result = await run(argvFor(name), undefined, SETUPS_DIR);
      const fails = setup.expected.findings.some((f) => f.severity === "fail");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(fails ? 1 : 0);
      for (const finding of setup.expected.findings) expect(result.stdout).toContain(`[${finding.id}]`);
      if (setup.expected.findings.length === 0) expect(result.stdout).toMatch(/^No problems found/m);
      else expect(result.stdout).toMatch(/^\d+ failed, \d+ warnings?, \d+ not checked\.$/m);
    },
  );

  it("prints each finding with its evidence (file:line path = value) and its fix", async () => {
    const result = await run(argvFor("secret-in-release-namespace"), undefined, SETUPS_DIR);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "secret-in-release-namespace/kubectl-get-secret-n-pushgateway.yaml:34 items[1].metadata.namespace = pushgateway",
    );
    expect(result.stdout).toContain("serviceMonitor.namespace = monitoring (not set: chart 3.8.0's default)");
    expect(result.stdout).toMatch(/fix: Create Secret pushgateway-scrape in namespace monitoring/);
    expect(result.stdout).toMatch(/^not read: .*kubectl-get-servicemonitor-A\.yaml items\[1\]: /m);
    expect(result.stdout).not.toMatch(/Pushg4teway/);
  });

  it("does not report basic auth off for kubectl output without a values file", async () => {
    const files = ["kubectl-get-secret-servicemonitor.yaml", "kubectl-get-prometheus.yaml"];
    const result = await run(
      ["diagnose", ...files.map((f) => join("password-mismatch-bcrypt", f))],
      undefined,
      SETUPS_DIR,
    );
    expect(result.stdout).not.toContain("[auth-off]");
    expect(result.stdout).toMatch(
      /^INFO {2}Web config not checked \[web-config-not-verified\]\n {6}No values file is pasted/m,
    );
    expect(result.code).toBe(0);
  });

  it("reads the chart version from helm.sh/chart labels and the rest from flags", async () => {
    const result = await run(argvFor("password-mismatch-plaintext"), undefined, SETUPS_DIR);
    expect(result.stdout).toMatch(/^ {2}chart version: 3\.1\.0, from --chart-version = 3\.1\.0$/m);
    const labelled = await run(argvFor("healthy-2.14.0-patch"), undefined, SETUPS_DIR);
    expect(labelled.stdout).toMatch(
      /chart version: 2\.14\.0, from .*items\[0\]\.metadata\.labels\["helm\.sh\/chart"\]/,
    );
  });

  it("reads a file from standard input", async () => {
    writeFileSync(join(dir, "values.yaml"), "webConfiguration:\n  basicAuthUsers:\n    prometheus: pw\n");
    const result = await run(
      ["diagnose", "--chart-version", "3.1.0", "--release", "pg", "--namespace", "monitoring", "values.yaml", "-"],
      "apiVersion: v1\nkind: List\nitems: []\n",
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("[no-servicemonitor]");
  });

  it.each([
    [[], /give the files to diagnose/],
    [["missing.yaml"], /^pushgateway-auth diagnose: missing\.yaml does not exist$/m],
    [["."], /\. is a directory/],
    [["--bogus", "x", "values.yaml"], /unknown flag --bogus/],
    [["--release"], /--release needs a value/],
    [["-", "-"], /can be given only once/],
    [
      ["--prometheus-selector", "release", "values.yaml"],
      /--prometheus-selector: Prometheus selector label must be key=value/,
    ],
    [
      ["values.yaml"],
      /--chart-version: Chart version is not in the files \(no helm\.sh\/chart label[^\n]*; give it with --chart-version/,
    ],
    [["--chart-version", "3.8", "values.yaml"], /--chart-version: Chart version must be a version like 3\.8\.0/],
    [["--chart-version", "4.1.0", "values.yaml"], /--chart-version: Chart version 4\.1\.0 is not known/],
    [
      ["--chart-version", "3.8.0", "--release", "Bad_Name", "--namespace", "ns", "values.yaml"],
      /--release: Release name must be a DNS-1123 label/,
    ],
    [["--chart-version", "3.8.0", "broken.yaml"], /broken\.yaml is not valid YAML: .* at line 1, column 4$/m],
    [["--chart-version", "3.8.0", "binary.yaml"], /binary\.yaml is not UTF-8 text/],
  ])("exits 2 with a clear message for %j", async (args, message) => {
    writeFileSync(join(dir, "values.yaml"), "serviceMonitor:\n  enabled: true\n");
    writeFileSync(join(dir, "broken.yaml"), "a: 1\n b: [\n");
    writeFileSync(join(dir, "binary.yaml"), new Uint8Array([0xff, 0xfe, 0x00, 0x81]));
    const result = await run(["diagnose", ...args], "");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("names every missing fact at once", async () => {
    writeFileSync(join(dir, "values.yaml"), "serviceMonitor:\n  enabled: true\n");
    const result = await run(["diagnose", "values.yaml"]);
    expect(result.stderr).toMatch(/--chart-version: .*\n--release: .*\n--namespace: /);
  });

  it("does not spend days on a bcrypt hash of cost 31 from a hostile file", async () => {
    const hash = `$2b$31$${"a".repeat(53)}`;
    const webConfig = Buffer.from(`basic_auth_users:\n  prometheus: ${hash}\n`).toString("base64");
    writeFileSync(
      join(dir, "values.yaml"),
      "webConfiguration:\n  existingSecret:\n    name: wc\nserviceMonitor:\n  enabled: true\n  basicAuth:\n    username: {name: s, key: u}\n    password: {name: s, key: p}\n",
    );
    writeFileSync(
      join(dir, "secrets.yaml"),
      `apiVersion: v1\nkind: Secret\nmetadata: {name: wc, namespace: monitoring}\ndata:\n  web-config.yaml: ${webConfig}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: monitoring}\nstringData: {u: prometheus, p: pw}\n`,
    );
    const result = await run([
      "diagnose",
      "--chart-version",
      "3.8.0",
      "--release",
      "pg",
      "--namespace",
      "monitoring",
      "--prometheus-selector",
      "",
      "values.yaml",
      "secrets.yaml",
    ]);
    expect(result.stdout).toContain("[password-not-verified]");
    expect(result.code).toBe(0);
  });

  it("documents every flag in --help", async () => {
    const result = await run(["diagnose", "--help"]);
    expect(result.code).toBe(0);
    for (const flag of ["--chart-version", "--release", "--namespace", "--prometheus-selector"]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toMatch(/Exit status: 0 .*\n1 something fails, 2 the input cannot be used/);
  });

  it("is listed in the top-level usage", async () => {
    const result = await run(["--help"]);
    expect(result.stderr).toMatch(/diagnose {3}list why Prometheus gets 401/);
  });

  it("runs as the README shows it, through npm", () => {
    const setup = "chart-2.14.0-servicemonitor-without-basicauth";
    const npm = spawnSync(
      "npm",
      [
        "run",
        "--silent",
        "--prefix",
        process.cwd(),
        "diagnose",
        "--",
        "--prometheus-selector",
        "release=kube-prometheus-stack",
        join(SETUPS_DIR, setup, "values.yaml"),
        join(SETUPS_DIR, setup, "kubectl-get-secret-servicemonitor.yaml"),
      ],
      { encoding: "utf8" },
    );
    expect(npm.stderr).toBe("");
    expect(npm.status).toBe(1);
    expect(npm.stdout).toContain("[chart-servicemonitor-no-basicauth]");
    const missing = spawnSync(
      "npm",
      ["run", "--silent", "--prefix", process.cwd(), "diagnose", "--", "/nonexistent.yaml"],
      {
        encoding: "utf8",
      },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/\/nonexistent\.yaml does not exist/);
  });
});
