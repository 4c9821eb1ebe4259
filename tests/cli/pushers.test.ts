/**
 * The CLI's pushers and rotations: `generate --pusher NAME@NS --pusher-password-file NAME=FILE`
 * and `rotate` (the scrape password, and `--pusher NAME`'s), run as the user runs them.
 * Each rotation phase is read back from disk the way a cluster would see it and judged by the
 * rulebook with the credentials still in use from the phase before.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSync } from "bcryptjs";
import { beforeEach, describe, expect, it } from "vitest";
import { readTree, runMain, type CliRun } from "../support/cli";
import { existingPasswordHash } from "../../lib/engine/read-bundle";
import { checkBundle, decodeShareFragment, validateConfig, type Config } from "../../lib/index";
import { pusherUsername } from "../../lib/config/pushers";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import type { Secret } from "../../lib/k8s/types";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pga-pushers-"));
  writeFileSync(join(dir, "password.txt"), "scr@pe pass\n");
  writeFileSync(join(dir, "backup.pw"), "b@ckup #1\n");
  writeFileSync(join(dir, "etl.pw"), "etl: pässwörd");
  writeFileSync(join(dir, "new.pw"), "brand new pass\n");
});

const run = (argv: string[]): Promise<CliRun> => runMain(argv, dir);

const BASE = ["generate", "--chart-version", "3.8.0", "--password-file", "./password.txt"];
const PUSHER_FLAGS = [
  "--pusher",
  "backup@batch",
  "--pusher",
  "etl@data",
  "--pusher-password-file",
  "backup=./backup.pw",
  "--pusher-password-file",
  "etl=./etl.pw",
];
const GENERATE = [...BASE, ...PUSHER_FLAGS, "--out", "./bundle"];

const files = (out: string): Record<string, string> => readTree(join(dir, out));

const basicAuthSecrets = (yaml: string | undefined) =>
  yaml ? (parseYamlDocuments(yaml) as Secret[]).filter((d) => d?.type === "kubernetes.io/basic-auth") : [];

/** A bundle on disk read back as its config: settings from README's link, credentials from its Secrets. */
function readConfig(bundle: Record<string, string>): Config {
  const link = /#(s[0-9]+\.[A-Za-z0-9+\-$]+)/.exec(bundle["README.md"] as string)?.[1] as string;
  const { input, problems } = decodeShareFragment(link);
  expect(problems).toEqual([]);
  const secretYaml = bundle["secret.yaml"] as string;
  const scrape = basicAuthSecrets(secretYaml)[0]?.stringData as { username: string; password: string };
  const pusherSecrets = basicAuthSecrets(bundle["pusher-secrets.yaml"]);
  const pushers = (input.pushers ?? []).map((p) => {
    const secret = pusherSecrets.find((s) => s.metadata.name.endsWith(`-push-${p.name}`))?.stringData as {
      username: string;
      password: string;
    };
    expect(secret.username).toBe(pusherUsername(p));
    return { ...p, password: secret.password, passwordHash: existingPasswordHash(secretYaml, secret.username) ?? "" };
  });
  const result = validateConfig({
    ...input,
    username: scrape.username,
    password: scrape.password,
    passwordHash: existingPasswordHash(secretYaml, scrape.username) ?? "",
    pushers,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe("generate --pusher", () => {
  it("writes each pusher's Secret and user, and changes no byte when re-run (hashes reused)", async () => {
    const first = await run(GENERATE);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const written = files("bundle");
    expect(Object.keys(written).sort()).toEqual([
      "README.md",
      "pusher-cronjob.example.yaml",
      "pusher-secrets.yaml",
      "secret.yaml",
      "values.yaml",
    ]);
    expect(statSync(join(dir, "bundle", "pusher-secrets.yaml")).mode & 0o777).toBe(0o600);
    const secrets = basicAuthSecrets(written["pusher-secrets.yaml"]);
    expect(secrets.map((s) => [s.metadata.namespace, s.stringData?.username, s.stringData?.password])).toEqual([
      ["batch", "backup", "b@ckup #1"],
      ["data", "etl", "etl: pässwörd"],
    ]);
    const secretYaml = written["secret.yaml"] as string;
    const hashes = ["prometheus", "backup", "etl"].map((u) => existingPasswordHash(secretYaml, u) as string);
    expect(compareSync("scr@pe pass", hashes[0] as string)).toBe(true);
    expect(compareSync("b@ckup #1", hashes[1] as string)).toBe(true);
    expect(compareSync("etl: pässwörd", hashes[2] as string)).toBe(true);
    // The example CronJob reads the Secret, never a literal password.
    expect(written["pusher-cronjob.example.yaml"]).toContain("secretKeyRef");
    expect(written["pusher-cronjob.example.yaml"]).not.toContain("b@ckup");
    // The share link carries names and namespaces, never passwords.
    expect(
      decodeShareFragment(/#(s[0-9]+\.[A-Za-z0-9+\-$]+)/.exec(written["README.md"] as string)?.[1] as string).input
        .pushers,
    ).toEqual([
      { name: "backup", namespace: "batch", password: "", passwordHash: "" },
      { name: "etl", namespace: "data", password: "", passwordHash: "" },
    ]);

    const again = await run(GENERATE);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/secret\.yaml \(unchanged\)/);
    expect(again.stdout).toMatch(/pusher-secrets\.yaml \(unchanged\)/);
    expect(files("bundle")).toEqual(written);

    // A new password for one pusher: only its hash changes.
    writeFileSync(join(dir, "etl.pw"), "another etl pass");
    expect((await run(GENERATE)).code).toBe(0);
    const after = files("bundle")["secret.yaml"] as string;
    expect(existingPasswordHash(after, "prometheus")).toBe(hashes[0]);
    expect(existingPasswordHash(after, "backup")).toBe(hashes[1]);
    expect(existingPasswordHash(after, "etl")).not.toBe(hashes[2]);
    expect(compareSync("another etl pass", existingPasswordHash(after, "etl") as string)).toBe(true);
  });

  const BAD: [string, string[], string, RegExp][] = [
    [
      "a bad name",
      ["--pusher", "Back_Up@batch", "--pusher-password-file", "Back_Up=./backup.pw"],
      "--pusher",
      /Back_Up/,
    ],
    [
      "no namespace",
      ["--pusher", "backup", "--pusher-password-file", "backup=./backup.pw"],
      "--pusher",
      /NAME@NAMESPACE/,
    ],
    [
      "a bad namespace",
      ["--pusher", "backup@Batch!", "--pusher-password-file", "backup=./backup.pw"],
      "--pusher",
      /namespace/,
    ],
    [
      "a duplicate user",
      ["--pusher", "backup@batch", "--pusher", "backup@data", "--pusher-password-file", "backup=./backup.pw"],
      "--pusher",
      /listed twice/,
    ],
    [
      "the scrape user's name",
      ["--pusher", "prometheus@batch", "--pusher-password-file", "prometheus=./backup.pw"],
      "--pusher",
      /scrape user's name/,
    ],
    [
      "a missing password file",
      ["--pusher", "backup@batch", "--pusher-password-file", "backup=./missing.pw"],
      "--pusher-password-file",
      /missing\.pw/,
    ],
    [
      "no password file for a pusher",
      ["--pusher", "backup@batch"],
      "--pusher-password-file",
      /no password for pusher "backup"/,
    ],
    [
      "an unknown NAME",
      [
        "--pusher",
        "backup@batch",
        "--pusher-password-file",
        "backup=./backup.pw",
        "--pusher-password-file",
        "etl=./etl.pw",
      ],
      "--pusher-password-file",
      /"etl" is not a pusher/,
    ],
    [
      "NAME=FILE without a file",
      ["--pusher", "backup@batch", "--pusher-password-file", "backup"],
      "--pusher-password-file",
      /NAME=FILE/,
    ],
  ];
  it.each(BAD)("exits 2 naming the flag for %s, writing nothing", async (_, flags, flag, reason) => {
    const result = await run([...BASE, ...flags, "--out", "./bundle"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(new RegExp(`(: |\\n)${flag}[ :]`));
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toContain("b@ckup");
    expect(existsSync(join(dir, "bundle"))).toBe(false);
  });
});

const PHASES = ["1-add-user", "2-switch-secret", "3-remove-old-user"];

/** Each phase read back from disk passes the rulebook, with what was sent in the phase before. */
function expectPhasesPass(
  out: string,
  sentBefore: (bundle: Record<string, string>) => { username: string; password: string; who?: string },
) {
  let previous = files("bundle");
  for (const phase of PHASES) {
    const bundle = files(join(out, phase));
    const failed = checkBundle(readConfig(bundle), bundle, {
      passwordMatchesHash: compareSync,
      stillSending: [sentBefore(previous)],
    }).filter((c) => c.status === "fail");
    expect(failed, phase).toEqual([]);
    previous = bundle;
  }
}

const scrapeCredentials = (bundle: Record<string, string>) =>
  basicAuthSecrets(bundle["secret.yaml"])[0]?.stringData as { username: string; password: string };

describe("rotate", () => {
  beforeEach(async () => {
    expect((await run(GENERATE)).code).toBe(0);
  });

  it("writes the scrape rotation's three phase bundles and PLAN.md, each passing the checks", async () => {
    const result = await run(["rotate", "--bundle", "./bundle", "--new-password-file", "./new.pw", "--out", "./rot"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("prometheus -> prometheus-2 in 3 phases");
    expect(readdirSync(join(dir, "rot")).sort()).toEqual([...PHASES, "PLAN.md"]);
    const plan = readFileSync(join(dir, "rot", "PLAN.md"), "utf8");
    expect(plan.match(/^## .*/gm)).toEqual([
      "## 1. Add user prometheus-2 to the web config",
      "## 2. Switch the scrape Secret to prometheus-2",
      "## 3. Remove the old user prometheus",
    ]);
    for (const phase of PHASES) expect(plan).toContain(`cd ${phase}\nkubectl apply -f secret.yaml`);
    expect(plan).not.toContain("brand new pass");
    const [p1, p2, p3] = PHASES.map((p) => files(join("rot", p)));
    expect(scrapeCredentials(p1!)).toEqual({ username: "prometheus", password: "scr@pe pass" });
    expect(scrapeCredentials(p2!)).toEqual({ username: "prometheus-2", password: "brand new pass" });
    expect(existingPasswordHash(p2!["secret.yaml"] as string, "prometheus")).not.toBeNull();
    expect(existingPasswordHash(p3!["secret.yaml"] as string, "prometheus")).toBeNull();
    expect(
      compareSync("brand new pass", existingPasswordHash(p3!["secret.yaml"] as string, "prometheus-2") as string),
    ).toBe(true);
    // The pushers are untouched.
    expect(p3!["pusher-secrets.yaml"]).toBe(files("bundle")["pusher-secrets.yaml"]);
    expectPhasesPass("rot", scrapeCredentials);
  });

  it("rotates a pusher's password: same Secret, a new user, the old one gone at the end", async () => {
    const result = await run([
      "rotate",
      "--pusher",
      "backup",
      "--bundle",
      "./bundle",
      "--new-password-file",
      "./new.pw",
      "--out",
      "./rot",
    ]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("backup -> backup-2 in 3 phases");
    expect(readdirSync(join(dir, "rot")).sort()).toEqual([...PHASES, "PLAN.md"]);
    const plan = readFileSync(join(dir, "rot", "PLAN.md"), "utf8");
    expect(plan).toContain("# Rotate pusher backup's password: backup -> backup-2");
    expect(plan).toContain("cd 2-switch-secret\nkubectl apply -f pusher-secrets.yaml");
    const pusherCredentials = (bundle: Record<string, string>) => ({
      ...(basicAuthSecrets(bundle["pusher-secrets.yaml"]).find((s) => s.metadata.name.endsWith("-push-backup"))
        ?.stringData as { username: string; password: string }),
      who: `pusher "backup"'s job`,
    });
    const [p1, p2, p3] = PHASES.map((p) => files(join("rot", p)));
    expect(pusherCredentials(p1!)).toMatchObject({ username: "backup", password: "b@ckup #1" });
    expect(pusherCredentials(p2!)).toMatchObject({ username: "backup-2", password: "brand new pass" });
    expect(existingPasswordHash(p2!["secret.yaml"] as string, "backup")).not.toBeNull();
    expect(existingPasswordHash(p3!["secret.yaml"] as string, "backup")).toBeNull();
    expect(existingPasswordHash(p3!["secret.yaml"] as string, "etl")).toBe(
      existingPasswordHash(files("bundle")["secret.yaml"] as string, "etl"),
    );
    expect(scrapeCredentials(p3!)).toEqual({ username: "prometheus", password: "scr@pe pass" });
    expectPhasesPass("rot", pusherCredentials);

    // From then on, generate from phase 3's link: the pusher keeps its new user, no byte changes.
    const link = /#s[0-9]+\.[A-Za-z0-9+\-$]+/.exec(p3!["README.md"] as string)?.[0] as string;
    writeFileSync(join(dir, "backup.pw"), "brand new pass");
    const regenerate = await run([...BASE, "--from-url", link, ...PUSHER_FLAGS, "--out", "./rot/3-remove-old-user"]);
    expect(regenerate.code, regenerate.stderr).toBe(0);
    expect(files(join("rot", "3-remove-old-user"))).toEqual(p3);
  });

  const BAD: [string, string[], string, RegExp][] = [
    ["no --bundle", ["--new-password-file", "./new.pw"], "--bundle", /required/],
    ["a directory without a bundle", ["--bundle", ".", "--new-password-file", "./new.pw"], "--bundle", /share link/],
    ["no --new-password-file", ["--bundle", "./bundle"], "--new-password-file", /required/],
    [
      "a missing password file",
      ["--bundle", "./bundle", "--new-password-file", "./nope"],
      "--new-password-file",
      /nope/,
    ],
    [
      "the current password",
      ["--bundle", "./bundle", "--new-password-file", "./password.txt"],
      "--new-password-file",
      /must differ/,
    ],
    [
      "the current user",
      ["--bundle", "./bundle", "--new-password-file", "./new.pw", "--new-username", "prometheus"],
      "--new-username",
      /must differ/,
    ],
    [
      "a pusher's user as the new scrape user",
      ["--bundle", "./bundle", "--new-password-file", "./new.pw", "--new-username", "etl"],
      "--new-username",
      /pusher/,
    ],
    [
      "an unknown pusher",
      ["--pusher", "nope", "--bundle", "./bundle", "--new-password-file", "./new.pw"],
      "--pusher",
      /its pushers: backup, etl/,
    ],
    [
      "another pusher's user",
      ["--pusher", "backup", "--bundle", "./bundle", "--new-password-file", "./new.pw", "--new-username", "etl"],
      "--new-username",
      /another user's/,
    ],
    [
      "a pusher's current password",
      ["--pusher", "backup", "--bundle", "./bundle", "--new-password-file", "./backup.pw"],
      "--new-password-file",
      /must differ/,
    ],
    [
      "a bad new pusher user",
      ["--pusher", "backup", "--bundle", "./bundle", "--new-password-file", "./new.pw", "--new-username", "Bad_User"],
      "--new-username",
      /Bad_User|lowercase|DNS/i,
    ],
  ];
  it.each(BAD)("exits 2 naming the flag for %s, writing nothing", async (_, flags, flag, reason) => {
    const result = await run(["rotate", ...flags, "--out", "./rot"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(new RegExp(`(: |\\n)${flag}[ :]`));
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toMatch(/scr@pe pass|brand new pass|b@ckup/);
    expect(existsSync(join(dir, "rot"))).toBe(false);
  });
});
