import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSync } from "bcryptjs";
import { beforeEach, describe, expect, it } from "vitest";
import { FORMAT_1_LINK } from "../support/cases";
import { readTree, runMain, type CliRun } from "../support/cli";
import { existingPasswordHash } from "../../lib/engine/read-bundle";
import { DEFAULTS, encodeShareFragment, FIELD_CLI, generate, validateConfig } from "../../lib/index";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pga-cli-"));
});

function run(argv: string[], stdin?: string | Uint8Array): Promise<CliRun> {
  return runMain(argv, dir, stdin);
}

const ISSUE_COMMAND = [
  "generate",
  "--chart-version",
  "3.8.0",
  "--release",
  "pushgateway",
  "--namespace",
  "monitoring",
  "--username",
  "prometheus",
  "--password-file",
  "./password.txt",
  "--servicemonitor-namespace",
  "monitoring",
  "--prometheus-selector",
  "release=kube-prometheus-stack",
  "--servicemonitor-mode",
  "values",
  "--out",
  "./bundle",
];

const files = (out: string): Record<string, string> => readTree(join(dir, out));

describe("generate", () => {
  beforeEach(() => writeFileSync(join(dir, "password.txt"), "s3cret pass\n"));

  it("writes exactly the engine's bundle for the documented command", async () => {
    const result = await run(ISSUE_COMMAND);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/prometheus-pushgateway 3\.8\.0, values strategy/);
    const written = files("bundle");
    expect(Object.keys(written).sort()).toEqual(["README.md", "secret.yaml", "values.yaml"]);
    // One trailing newline was stripped from the file.
    const hash = existingPasswordHash(written["secret.yaml"] as string, "prometheus") as string;
    expect(compareSync("s3cret pass", hash)).toBe(true);
    const config = validateConfig({
      password: "s3cret pass",
      passwordHash: hash,
      serviceMonitorNamespace: "monitoring",
      serviceMonitorMode: "values",
    });
    if (!config.ok) throw new Error("invalid");
    expect(written).toEqual(generate(config.config).files);
    expect(statSync(join(dir, "bundle", "secret.yaml")).mode & 0o777).toBe(0o600);
  });

  it("changes no byte when re-run with the same password (the hash is reused)", async () => {
    await run(ISSUE_COMMAND);
    const first = files("bundle");
    const again = await run(ISSUE_COMMAND);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/secret\.yaml \(unchanged\)/);
    expect(files("bundle")).toEqual(first);
  });

  it("hashes anew when the password changes", async () => {
    await run(ISSUE_COMMAND);
    const first = files("bundle")["secret.yaml"] as string;
    writeFileSync(join(dir, "password.txt"), "another one");
    expect((await run(ISSUE_COMMAND)).code).toBe(0);
    const second = files("bundle")["secret.yaml"] as string;
    expect(second).not.toEqual(first);
    expect(compareSync("another one", existingPasswordHash(second, "prometheus") as string)).toBe(true);
  });

  it("reads the password from standard input", async () => {
    const result = await run(["generate", "--chart-version", "2.14.0", "--out", "b"], "from-stdin\n");
    expect(result.code).toBe(0);
    expect(files("b")["values.yaml"]).toMatch(/prometheus: from-stdin\n/);
    expect(Object.keys(files("b")).sort()).toEqual(["README.md", "secret.yaml", "servicemonitor.yaml", "values.yaml"]);
    expect(result.stderr).toMatch(
      /^warning: Plaintext password in the chart.s values: Chart 2\.14\.0 needs the plaintext password in values\.yaml/m,
    );
  });

  it("uses a given hash when it matches the password, and refuses one that does not", async () => {
    await run(ISSUE_COMMAND);
    const hash = existingPasswordHash(files("bundle")["secret.yaml"] as string, "prometheus") as string;
    const ok = await run(["generate", "--password-file", "password.txt", "--password-hash", hash, "--out", "c"]);
    expect(ok.code).toBe(0);
    expect(files("c")["secret.yaml"]).toContain(hash);
    writeFileSync(join(dir, "other.txt"), "not it");
    const bad = await run(["generate", "--password-file", "other.txt", "--password-hash", hash, "--out", "d"]);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toMatch(/--password-hash: Password hash is not a hash of this password/);
    expect(existsSync(join(dir, "d"))).toBe(false);
  });

  it("removes the files of the previous strategy so two ServiceMonitors cannot coexist", async () => {
    await run(["generate", "--chart-version", "2.14.0", "--password-file", "password.txt", "--out", "b"]);
    expect(files("b")).toHaveProperty("servicemonitor.yaml");
    const result = await run([
      "generate",
      "--chart-version",
      "2.14.0",
      "--servicemonitor-mode",
      "patch",
      "--password-file",
      "password.txt",
      "--out",
      "b",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/servicemonitor\.yaml \(removed/);
    expect(Object.keys(files("b")).sort()).toEqual([
      "README.md",
      "post-renderer/kustomization.yaml",
      "post-renderer/plugin.yaml",
      "post-renderer/post-renderer.sh",
      "post-renderer/servicemonitor-patch.yaml",
      "secret.yaml",
      "values.yaml",
    ]);
    expect(statSync(join(dir, "b", "post-renderer/post-renderer.sh")).mode & 0o777).toBe(0o755);

    // Back to standalone: the post-renderer's directory goes with its files.
    const back = await run(["generate", "--chart-version", "2.14.0", "--password-file", "password.txt", "--out", "b"]);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/post-renderer\/plugin\.yaml \(removed/);
    expect(existsSync(join(dir, "b", "post-renderer"))).toBe(false);
    expect(Object.keys(files("b")).sort()).toEqual(["README.md", "secret.yaml", "servicemonitor.yaml", "values.yaml"]);
  });

  it("replaces a bundle written before the post-renderer had its own directory", async () => {
    mkdirSync(join(dir, "old"));
    for (const name of ["servicemonitor-patch.yaml", "kustomization.yaml", "post-renderer.sh"]) {
      writeFileSync(join(dir, "old", name), "from an older pushgateway-auth\n");
    }
    const args = ["--chart-version", "2.14.0", "--servicemonitor-mode", "patch", "--password-file", "password.txt"];
    const result = await run(["generate", ...args, "--out", "old"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}post-renderer\.sh \(removed/m);
    expect(
      Object.keys(files("old"))
        .filter((f) => !f.includes("/"))
        .sort(),
    ).toEqual(["README.md", "secret.yaml", "values.yaml"]);
  });

  it.each([
    [["--release", "Bad_Name"], /^pushgateway-auth generate: --release: Release name must be a DNS-1123 label/],
    [["--namespace", "x".repeat(64)], /--namespace: Namespace must be at most 63 characters/],
    [["--chart-version", "2.11.0"], /--chart-version: Chart version 2\.11\.0 has no webConfiguration/],
    [
      ["--chart-version", "2.14.0", "--servicemonitor-mode", "values"],
      /--servicemonitor-mode: ServiceMonitor strategy "values" is not available for chart 2\.14\.0/,
    ],
    [
      ["--interval", "10s", "--scrape-timeout", "30s"],
      /--scrape-timeout: Scrape timeout \(30s\) must not be longer than the scrape interval/,
    ],
    [["--username", "a:b"], /--username: Username must not contain ':'/],
    [["--prometheus-selector", "release"], /--prometheus-selector: Prometheus selector label must be key=value/],
    [["--password", "hunter2"], /--password: passwords are never taken from flags/],
    [["--bogus", "x"], /unknown flag --bogus/],
    [["--release"], /--release needs a value/],
    [["--release", "a", "--release", "b"], /--release is given twice/],
    [["stray"], /unexpected argument "stray"/],
  ])("exits 2 and writes nothing for %j", async (flags, message) => {
    const result = await run(["generate", "--password-file", "password.txt", "--out", "never", ...flags]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it.each([
    [["--deploy", "kubectl"], "--deploy: Deploy with must be one of helm, argocd, flux"],
    [["--deploy", "ArgoCD"], "--deploy: Deploy with must be one of helm, argocd, flux"],
    [
      ["--deploy", "argocd", "--chart-version", "2.14.0", "--servicemonitor-mode", "patch"],
      `--servicemonitor-mode: ServiceMonitor strategy "patch" is not available when deploying with Argo CD: Argo CD has no Helm post-renderer, so the chart's ServiceMonitor cannot be patched; standalone ships a ServiceMonitor with basicAuth instead.`,
    ],
  ])("refuses %j with exactly one line, exit 2, writing nothing", async (flags, line) => {
    const result = await run(["generate", "--password-file", "password.txt", "--out", "never", ...flags]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `pushgateway-auth generate: ${line}\n` });
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("names every broken flag at once", async () => {
    const result = await run([
      "generate",
      "--password-file",
      "password.txt",
      "--release",
      "X",
      "--namespace",
      "Y",
      "--out",
      "o",
    ]);
    expect(result.stderr).toMatch(/--release: .*\n--namespace: /);
  });

  it.each([
    [
      "a missing password file",
      ["--password-file", "nope.txt"],
      undefined,
      /--password-file: nope\.txt does not exist/,
    ],
    ["a directory as password file", ["--password-file", "."], undefined, /--password-file: \. is a directory/],
    [
      "no password at all on a terminal",
      [],
      undefined,
      /--password-file: give a file holding the password, or pipe it/,
    ],
    ["binary junk on stdin", [], new Uint8Array([0xff, 0xfe, 0x00, 0x81]), /standard input is not UTF-8 text/],
    ["an empty password", [], "", /--password-file: Password is required/],
    ["a password with two lines", [], "a\nb\n", /--password-file: Password must not contain control characters/],
    [
      "a password over 72 bytes",
      [],
      `${"é".repeat(40)}\n`,
      /--password-file: Password must be at most 72 bytes in UTF-8.*80/,
    ],
  ])("exits 2 for %s", async (_, flags, stdin, message) => {
    const result = await run(["generate", ...flags, "--out", "never"], stdin);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("exits 2 when --out is a file or its parent is missing, leaving nothing behind", async () => {
    writeFileSync(join(dir, "file"), "x");
    const file = await run(["generate", "--password-file", "password.txt", "--out", "file"]);
    expect(file).toMatchObject({ code: 2 });
    expect(file.stderr).toMatch(/--out: .*file exists and is not a directory/);
    const orphan = await run(["generate", "--password-file", "password.txt", "--out", "missing/parent/out"]);
    expect(orphan.stderr).toMatch(/--out: the parent directory .* does not exist/);
    expect(readdirSync(dir).sort()).toEqual(["file", "password.txt"]);
  });

  it.each(["argocd", "flux"] as const)(
    "takes the deploy target (%s) from a share link, with no --deploy flag",
    async (deploy) => {
      const settings = { ...DEFAULTS, chartVersion: "3.1.0", releaseName: "gw", deploy };
      const link = `http://127.0.0.1:3000/#${encodeShareFragment(settings)}`;
      const result = await run(["generate", "--from-url", link, "--password-file", "password.txt", "--out", "b"]);
      expect(result.code, result.stderr).toBe(0);
      const config = validateConfig({ chartVersion: "3.1.0", releaseName: "gw", deploy, password: "s3cret pass" });
      if (!config.ok) throw new Error("invalid");
      expect(files("b")).toEqual(generate(config.config, { shareBaseUrl: "http://127.0.0.1:3000/" }).files);
      expect(Object.keys(files("b"))).toContain(deploy === "argocd" ? "application.yaml" : "helmrelease.yaml");
    },
  );

  it("reads a link made before --deploy existed as the Helm CLI", async () => {
    const result = await run([
      "generate",
      "--from-url",
      FORMAT_1_LINK,
      "--password-file",
      "password.txt",
      "--out",
      "b",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const written = Object.keys(files("b"));
    expect(written).toContain("values.yaml");
    for (const gitops of ["application.yaml", "helmrelease.yaml", "ocirepository.yaml"])
      expect(written).not.toContain(gitops);
  });

  it("takes a share link, with explicit flags overriding it", async () => {
    const link = `http://127.0.0.1:3000/#${encodeShareFragment({ ...DEFAULTS, chartVersion: "2.14.0", releaseName: "gw", serviceMonitorMode: "patch" })}`;
    const result = await run([
      "generate",
      "--from-url",
      link,
      "--namespace",
      "jobs",
      "--password-file",
      "password.txt",
      "--out",
      "b",
    ]);
    expect(result.code).toBe(0);
    const config = validateConfig({
      chartVersion: "2.14.0",
      releaseName: "gw",
      serviceMonitorMode: "patch",
      namespace: "jobs",
      password: "s3cret pass",
    });
    if (!config.ok) throw new Error("invalid");
    expect(files("b")).toEqual(generate(config.config, { shareBaseUrl: "http://127.0.0.1:3000/" }).files);
    expect(files("b")["README.md"]).toContain(
      `Reopen these settings (the link holds no password): http://127.0.0.1:3000/#s1.`,
    );
  });

  it.each([
    ["http://127.0.0.1:3000/", /--from-url: the link has no #s1\.\.\. settings fragment/],
    ["http://127.0.0.1:3000/#s1.garbage!", /--from-url: The link is damaged/],
    ["#s7.N4Ig", /--from-url: The link uses settings format 7/],
  ])("exits 2 for the share link %s", async (link, message) => {
    const result = await run(["generate", "--from-url", link, "--password-file", "password.txt", "--out", "never"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("exits 2 before touching an earlier bundle when one of its files cannot be replaced", async () => {
    await run(["generate", "--chart-version", "2.14.0", "--password-file", "password.txt", "--out", "b"]);
    const before = files("b");
    rmSync(join(dir, "b", "secret.yaml"));
    mkdirSync(join(dir, "b", "secret.yaml"));
    writeFileSync(join(dir, "password.txt"), "a new password");
    const result = await run([
      "generate",
      "--chart-version",
      "2.14.0",
      "--password-file",
      "password.txt",
      "--out",
      "b",
    ]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/--out: .*secret\.yaml exists and is not a regular file/);
    // values.yaml (which holds the password on 2.14.0) was not replaced either.
    expect(readFileSync(join(dir, "b", "values.yaml"), "utf8")).toBe(before["values.yaml"]);
    expect(readdirSync(dir).filter((f) => f.startsWith(".b.tmp-"))).toEqual([]);
  });

  it("exits 2 when --out cannot be written", async () => {
    const result = await run(["generate", "--password-file", "password.txt", "--out", "/proc/pga-bundle"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/--out: cannot write in \/proc: E[A-Z]+/);
  });

  it("documents every flag in --help", async () => {
    const result = await run(["generate", "--help"]);
    expect(result.code).toBe(0);
    for (const { flag } of Object.values(FIELD_CLI)) expect(result.stdout).toContain(flag);
    expect(result.stdout).toContain("--out DIR");
  });

  it("runs as the README shows it, through npm", () => {
    mkdirSync(join(dir, "cwd"));
    writeFileSync(join(dir, "cwd", "password.txt"), "s3cret\n");
    const npm = spawnSync(
      "npm",
      [
        "run",
        "--silent",
        "--prefix",
        process.cwd(),
        "generate",
        "--",
        ...ISSUE_COMMAND.slice(1).map((a) => a.replace("./", `${dir}/cwd/`)),
      ],
      { encoding: "utf8" },
    );
    expect(npm.stderr).toBe("");
    expect(npm.status).toBe(0);
    expect(readdirSync(join(dir, "cwd", "bundle")).sort()).toEqual(["README.md", "secret.yaml", "values.yaml"]);
  });
});

describe("pushgateway-auth", () => {
  it("rejects an unknown command with usage", async () => {
    const result = await run(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"[\s\S]*generate/);
  });
});
