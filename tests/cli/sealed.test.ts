/**
 * `generate --secrets sealed`: the CLI seals every Secret of the bundle to the given
 * certificate; unsealed with the test's private key (node:crypto, tests/support/sealing.ts) the
 * bundle is exactly the plain one, which then passes the real-stack proof (Debian's Pushgateway
 * and Prometheus). Re-runs are byte-identical (the sealing key in --out); a changed password
 * changes only its own entries; certificate problems exit 2 naming the flag.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../support/cli";
import { makeCertificate, unsealFiles, type TestCertificate } from "../support/sealing";
import { problemsOnRealStack } from "../support/real-stack";
import { validateConfig } from "../../lib/index";
import { parseYamlDocuments } from "../../lib/yaml/serialize";

let dir: string;
let cert: TestCertificate;
const PASSWORD = `pa$$ "word" {{ .x }}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sealed-cli-"));
  cert = makeCertificate(["-newkey", "rsa:2048"], 365);
  writeFileSync(join(dir, "cert.pem"), cert.certPem);
  writeFileSync(join(dir, "ec.pem"), makeCertificate(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]).certPem);
  writeFileSync(join(dir, "small.pem"), makeCertificate(["-newkey", "rsa:1024"]).certPem);
  writeFileSync(join(dir, "key.pem"), cert.keyPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FLAGS = ["--pusher", "backup@batch", "--pusher-password-file", "backup=pusher.txt"];

function read(out: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ["values.yaml", "secret.yaml", "pusher-secrets.yaml", ".gitignore", "README.md"]) {
    try {
      files[name] = readFileSync(join(dir, out, name), "utf8");
    } catch {
      // absent
    }
  }
  return files;
}

function entries(text: string): Map<string, string> {
  const docs = parseYamlDocuments(text) as {
    metadata: { name: string };
    spec: { encryptedData: Record<string, string> };
  }[];
  return new Map(
    docs.flatMap((d) => Object.entries(d.spec.encryptedData).map(([k, v]) => [`${d.metadata.name}/${k}`, v])),
  );
}

describe("generate --secrets sealed", () => {
  it("seals every Secret; unsealed, the bundle works on the real stack; re-runs do not churn", async () => {
    writeFileSync(join(dir, "pusher.txt"), "pusher-pw\n");
    const args = (scope: string) => [
      "generate",
      "--secrets",
      "sealed",
      "--sealing-cert",
      "cert.pem",
      "--sealing-scope",
      scope,
      ...FLAGS,
      "--out",
      `out-${scope}`,
    ];
    for (const scope of ["strict", "namespace-wide", "cluster-wide"]) {
      const first = await runMain(args(scope), dir, `${PASSWORD}\n`);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const files = read(`out-${scope}`);
      for (const text of Object.values(files)) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain("pusher-pw");
        expect(text).not.toMatch(/\$2[aby]\$/);
      }
      expect(files["secret.yaml"]).toContain("kind: SealedSecret");
      expect(files["pusher-secrets.yaml"]).toContain("kind: SealedSecret");
      expect(files[".gitignore"]).toContain("/.sealing-key");
      // The README's file list says what the files now are: safe to commit.
      expect(files["README.md"]).toContain("`secret.yaml`: the SealedSecrets (safe to commit)");
      expect(files["README.md"]).toContain("`pusher-secrets.yaml`: each pushing job's SealedSecret");
      expect(files["README.md"]).not.toContain("keep private");
      expect(statSync(join(dir, `out-${scope}`, ".sealing-key")).mode & 0o777).toBe(0o600);

      // Same password, certificate and key file: byte-identical.
      const again = await runMain(args(scope), dir, `${PASSWORD}\n`);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/secret\.yaml \(unchanged\)/);
      expect(read(`out-${scope}`)).toEqual(files);

      // The unsealed bundle is the plain one's twin: Pushgateway 401 without, Prometheus `up` with.
      const unsealed = unsealFiles(files, cert.keyPem);
      const validated = validateConfig({
        password: PASSWORD,
        pushers: [{ name: "backup", namespace: "batch", password: "pusher-pw" }],
      });
      if (!validated.ok) throw new Error("config");
      if (scope === "strict") expect(await problemsOnRealStack(validated.config, unsealed)).toEqual([]);
    }
  }, 120_000);

  it("a changed password changes only its own entries", async () => {
    const args = ["generate", "--secrets", "sealed", "--sealing-cert", "cert.pem", ...FLAGS, "--out", "out-change"];
    expect((await runMain(args, dir, "first\n")).code).toBe(0);
    const before = read("out-change");
    expect((await runMain(args, dir, "second\n")).code).toBe(0);
    const after = read("out-change");
    expect(after["pusher-secrets.yaml"]).toBe(before["pusher-secrets.yaml"]);
    const a = entries(before["secret.yaml"]!);
    const changed = [...entries(after["secret.yaml"]!)]
      .filter(([k, v]) => a.get(k) !== v)
      .map(([k]) => k.split("/")[1]);
    // The scrape password and the web config (its hash); the usernames stay.
    expect(changed.sort()).toEqual(["password", "web-config.yaml"]);
  });

  it.each([
    [["--secrets", "sealed"], /--sealing-cert: --secrets sealed needs the controller's certificate/],
    [
      ["--secrets", "sealed", "--sealing-cert", "ec.pem"],
      /--sealing-cert: ec\.pem is not an RSA certificate: it holds an EC key/,
    ],
    [["--secrets", "sealed", "--sealing-cert", "small.pem"], /--sealing-cert: small\.pem has a 1024-bit RSA key/],
    [
      ["--secrets", "sealed", "--sealing-cert", "key.pem"],
      /--sealing-cert: key\.pem is a PEM private key, not a certificate/,
    ],
    [["--sealing-cert", "cert.pem"], /--sealing-cert: only used with --secrets sealed/],
    [
      ["--secrets", "sealed", "--sealing-cert", "cert.pem", "--chart-version", "3.6.0"],
      /--secrets: Secrets as "sealed" needs chart 3\.7\.0 or later/,
    ],
  ])("%j exits 2 and writes nothing", async (flags, message) => {
    const run = await runMain(["generate", ...flags, "--out", "out-bad"], dir, "pw\n");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(() => statSync(join(dir, "out-bad"))).toThrow();
  });
});
