/**
 * `pushgateway-auth rotate`: the scrape password rotation as phase directories. Reads the
 * current bundle (its README.md share link gives the settings, its Secrets the credentials and
 * hashes), and writes DIR/1-add-user, DIR/2-switch-secret, DIR/3-remove-old-user, each a whole
 * bundle, with PLAN.md listing each phase's files, commands and check. With --pusher NAME, the
 * same for that pusher's password.
 */
import { join, resolve } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import { compareSync, hashSync } from "bcryptjs";
import {
  BCRYPT_COST,
  checkBundle,
  decodeShareFragment,
  existingPasswordHash,
  FILE_NAMES,
  needsPasswordHash,
  nextUsername,
  parseYamlDocuments,
  planPusherRotation,
  planRotation,
  pusherRotationProblems,
  pusherUsername,
  rotationProblems,
  type Secret,
  validateConfig,
} from "../../lib/index";
import { commandArgs, type FlagSpec } from "./args";
import { CliError, decodeUtf8, readFileOrExplain, stripOneNewline, type CliIo } from "./io";
import { readBundle, writeBundle } from "./write-bundle";

const FLAG_SPECS: Record<string, FlagSpec> = {
  "--bundle": {},
  "--new-password-file": {},
  "--new-username": {},
  "--pusher": {},
  "--out": {},
  "--help": { boolean: true },
};

export const ROTATE_HELP = `Usage: npm run --silent rotate -- --bundle DIR --new-password-file FILE --out DIR
       npm run --silent rotate -- --pusher NAME --bundle DIR --new-password-file FILE --out DIR

Plans a scrape (or, with --pusher, a pusher's) password rotation with no 401
window, as three bundles to apply in order, each with the check that must pass
before the next:
  1-add-user         the web config accepts the old and the new user
  2-switch-secret    the scrape (or pusher's) Secret holds the new user and password
  3-remove-old-user  the web config drops the old user (it gets 401)

  --bundle DIR                 the bundle deployed now (written by generate)
  --new-password-file FILE     file holding the new password (one trailing newline
                               is stripped)
  --pusher NAME                rotate pusher NAME's password instead (it keeps its
                               name, Secret and job; its user changes)
  --new-username USER          the new user (default: the current one with -2
                               appended, or its number increased)
  --out DIR                    where to write the phases and PLAN.md
  --help                       show this help

Exit status: 0 written, 2 invalid input.
`;

function basicAuthSecrets(yaml: string | undefined): Secret[] {
  if (!yaml) return [];
  return (parseYamlDocuments(yaml) as Secret[]).filter((d) => d?.type === "kubernetes.io/basic-auth");
}

/** Runs `rotate`; returns the exit code. */
export async function rotateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = commandArgs(argv, FLAG_SPECS, ROTATE_HELP, io);
  if (!args) return 0;
  const bundleArg = args.get("--bundle");
  const outArg = args.get("--out");
  const passwordFile = args.get("--new-password-file");
  if (typeof bundleArg !== "string") throw new CliError("--bundle: the current bundle directory is required");
  if (typeof outArg !== "string" || outArg === "") throw new CliError("--out: the directory to write is required");
  if (typeof passwordFile !== "string") throw new CliError("--new-password-file: the new password's file is required");

  const files = await readBundle(resolve(io.cwd, bundleArg));
  const readme = files[FILE_NAMES.readme];
  const link = readme ? /#(s[0-9]+\.[A-Za-z0-9+\-$]+)/.exec(readme)?.[1] : undefined;
  if (!link)
    throw new CliError(`--bundle: ${bundleArg} has no ${FILE_NAMES.readme} with a share link (write it with generate)`);
  const decoded = decodeShareFragment(link);
  if (decoded.problems.length) throw new CliError(`--bundle: ${decoded.problems.join(" ")}`);

  // Credentials from the bundle's Secrets: the scrape Secret, and each pusher's.
  const scrape = basicAuthSecrets(files[FILE_NAMES.secret])[0];
  const pusherSecrets = basicAuthSecrets(files[FILE_NAMES.pusherSecrets]);
  const password = scrape?.stringData?.password;
  if (password === undefined) throw new CliError(`--bundle: ${FILE_NAMES.secret} holds no scrape Secret`);
  const pushers = (decoded.input.pushers ?? []).map((p) => {
    const found = pusherSecrets.find((s) => s.stringData?.username === pusherUsername(p));
    if (!found?.stringData?.password) throw new CliError(`--bundle: no Secret for pusher "${p.name}"`);
    return { ...p, password: found.stringData.password };
  });
  const validation = validateConfig({ ...decoded.input, password, pushers });
  if (!validation.ok) throw new CliError(`--bundle: ${validation.errors.map((e) => e.message).join("; ")}`);
  let config = validation.config;
  if (needsPasswordHash(config)) {
    const secretYaml = files[FILE_NAMES.secret] as string;
    const hashOf = (user: string, pw: string) => {
      const h = existingPasswordHash(secretYaml, user);
      return h && compareSync(pw, h) ? h : hashSync(pw, BCRYPT_COST);
    };
    config = {
      ...config,
      passwordHash: hashOf(config.username, config.password),
      pushers: config.pushers.map((p) => ({ ...p, passwordHash: hashOf(pusherUsername(p), p.password) })),
    };
  }

  const pusherArg = args.get("--pusher");
  const pusher = typeof pusherArg === "string" ? pusherArg : undefined;
  const rotated = pusher === undefined ? undefined : config.pushers.find((p) => p.name === pusher);
  if (pusher !== undefined && !rotated) {
    const known = config.pushers.map((p) => p.name);
    throw new CliError(
      `--pusher: "${pusher}" is not a pusher of ${bundleArg} (${known.length ? `its pushers: ${known.join(", ")}` : "it has none"})`,
    );
  }
  const newPassword = stripOneNewline(
    decodeUtf8(await readFileOrExplain(io, passwordFile, "--new-password-file"), passwordFile),
  );
  const currentUser = rotated ? pusherUsername(rotated) : config.username;
  const newUsername =
    typeof args.get("--new-username") === "string" ? (args.get("--new-username") as string) : nextUsername(currentUser);
  const request = {
    newUsername,
    newPassword,
    newPasswordHash: needsPasswordHash(config) && newPassword ? hashSync(newPassword, BCRYPT_COST) : "",
  };
  const problems =
    pusher === undefined ? rotationProblems(config, request) : pusherRotationProblems(config, pusher, request);
  if (problems.length)
    throw new CliError(
      problems.map((p) => (/^New username/.test(p) ? `--new-username: ${p}` : `--new-password-file: ${p}`)).join("\n"),
    );

  const rotation = pusher === undefined ? planRotation(config, request) : planPusherRotation(config, pusher, request);
  const out = resolve(io.cwd, outArg);
  const plan: string[] = [
    pusher === undefined
      ? `# Rotate the scrape password: ${config.username} -> ${newUsername}`
      : `# Rotate pusher ${pusher}'s password: ${currentUser} -> ${newUsername}`,
    "",
  ];
  rotation.phases.forEach((phase, i) => {
    const failed = checkBundle(phase.config, phase.files, {
      passwordMatchesHash: compareSync,
      stillSending: phase.stillSending,
    }).filter((c) => c.status === "fail");
    if (failed.length)
      throw new CliError(`phase ${phase.id} fails its checks: ${failed.map((c) => c.message).join(" ")}`, 1);
    plan.push(`## ${phase.title}`, "", phase.text, "", `Files that change: ${phase.changed.join(", ") || "none"}`, "");
    plan.push(
      "```sh",
      `cd ${i + 1}-${phase.id}`,
      phase.commands,
      "```",
      "",
      `Before the next phase: ${phase.check}`,
      "",
    );
    plan.push("```sh", phase.checkCommand, "```", "");
  });
  await mkdir(out, { recursive: true });
  for (const [i, phase] of rotation.phases.entries()) await writeBundle(join(out, `${i + 1}-${phase.id}`), phase.files);
  await writeFile(join(out, "PLAN.md"), `${plan.join("\n")}`);
  io.stdout(
    `${outArg}: rotation ${currentUser} -> ${newUsername} in ${rotation.phases.length} phases\n${rotation.phases
      .map((p, i) => `  ${i + 1}-${p.id}/ (${p.changed.join(", ")})`)
      .join("\n")}\n  PLAN.md\n`,
  );
  return 0;
}
