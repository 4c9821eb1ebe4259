/** `pushgateway-auth generate`: flags in, bundle directory out. */
import { resolve } from "node:path";
import { compareSync, hashSync } from "bcryptjs";
import {
  BCRYPT_COST,
  CHART_PROFILES,
  checkBundle,
  type Config,
  decodeShareFragment,
  existingPasswordHash,
  FIELD_GROUPS,
  FIELD_NAMES,
  type FieldGroup,
  fieldHelp,
  type FieldName,
  FIELD_CLI,
  type FieldCli,
  FIELDS,
  FILE_NAMES,
  generate,
  needsPasswordHash,
  validateConfig,
} from "../../lib/index";
import { commandArgs, type FlagSpec } from "./args";
import { CliError, decodeUtf8, readFileOrExplain, stripOneNewline, type CliIo } from "./io";
import { readBundle, writeBundle } from "./write-bundle";
import { hashPushers, PUSHER_FLAG, PUSHER_PASSWORD_FLAG, pusherErrorFlag, pushersFromFlags } from "./pusher-flags";
import { keepSealingKey, prepareSealing, SEALING_CERT_FLAG, sealedHashes, sealFiles } from "./sealing";

/** Fields set from a flag's value as-is (the password and booleans are special). */
const VALUE_FIELDS: readonly FieldName[] = (Object.keys(FIELDS) as FieldName[]).filter(
  (f) => f !== "password" && f !== "networkPolicyEnabled" && f !== "pushers",
);

const FLAG_SPECS: Record<string, FlagSpec> = {
  ...Object.fromEntries(VALUE_FIELDS.map((f) => [FIELD_CLI[f].flag, {}])),
  [FIELD_CLI.password.flag]: {},
  [FIELD_CLI.networkPolicyEnabled.flag]: { boolean: true },
  [PUSHER_FLAG]: { repeatable: true },
  [PUSHER_PASSWORD_FLAG]: { repeatable: true },
  [SEALING_CERT_FLAG]: {},
  "--out": {},
  "--from-url": {},
  "--help": { boolean: true },
  // Accepted only to explain why it is refused.
  "--password": {},
};

const HELP_WIDTH = 80;
const HELP_COLUMN = 31;

/** `  --flag ARG   help`, the help wrapped at {@link HELP_WIDTH} and aligned under its first word. */
function flagLine(flag: string, help: string): string {
  const left = `  ${flag}`;
  const head = left.length < HELP_COLUMN ? left.padEnd(HELP_COLUMN) : `${left}  `;
  const lines: string[] = [];
  let line = "";
  for (const word of help.split(" ")) {
    if (line && head.length + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return head + lines.join(`\n${" ".repeat(head.length)}`);
}

/** The flags of every field, by group, from the field declarations. */
function fieldFlagsHelp(): string {
  return (Object.keys(FIELD_GROUPS) as FieldGroup[])
    .map((group) => {
      const fields = FIELD_NAMES.filter((f) => FIELDS[f].group === group);
      const lines = fields.map((f) => {
        const cli: FieldCli = FIELD_CLI[f];
        const more = (cli.more ?? []).map((m) => `\n${flagLine(`${m.flag} ${m.arg}`, m.help)}`).join("");
        return flagLine(cli.arg ? `${cli.flag} ${cli.arg}` : cli.flag, fieldHelp(f)) + more;
      });
      return [FIELD_GROUPS[group].cliHeading, ...lines].join("\n");
    })
    .join("\n");
}

export const GENERATE_HELP = `Usage: npm run --silent generate -- [flags] --out DIR

Writes ${FILE_NAMES.values}, ${FILE_NAMES.secret} and the ServiceMonitor (or its patch) for the
prometheus-community/prometheus-pushgateway chart with HTTP basic auth.

The password is read from --password-file (one trailing newline is stripped) or,
without it, from standard input. It is never taken from a flag.

${fieldFlagsHelp()}
Share links
${flagLine("--from-url LINK", "start from a pushgateway-auth share link (the page's address with its #s1... fragment, or the fragment); flags given as well override the link's settings")}
Output
${flagLine("--out DIR", "directory to write; files an earlier run wrote are replaced, and left byte-identical when nothing changed")}
${flagLine("--help", "show this help")}

Chart versions and strategies:
${CHART_PROFILES.map(
  (p) =>
    `  ${p.from} to below ${p.below}: ${(["values", "patch", "standalone"] as const)
      .filter((m) => p.modes[m].allowed)
      .map((m) => (m === p.defaultMode ? `${m} (default)` : m))
      .join(", ")}`,
).join("\n")}

Exit status: 0 written, 1 the bundle failed its consistency checks, 2 invalid\ninput.
`;

async function readPassword(args: Map<string, string | true>, io: CliIo): Promise<string> {
  const file = args.get(FIELD_CLI.password.flag);
  if (file === undefined && io.stdinIsTTY) {
    throw new CliError(`${FIELD_CLI.password.flag}: give a file holding the password, or pipe it on standard input`);
  }
  if (file === undefined || file === "-") {
    return stripOneNewline(decodeUtf8(await io.readStdin(), "standard input"));
  }
  const bytes = await readFileOrExplain(io, String(file), FIELD_CLI.password.flag);
  return stripOneNewline(decodeUtf8(bytes, `${FIELD_CLI.password.flag} ${file}`));
}

/** The settings of a share link; a link that cannot be fully used is an error here. */
function linkInput(link: string): Record<string, unknown> {
  const decoded = decodeShareFragment(link);
  if (!link.includes("#") && !link.startsWith("s"))
    throw new CliError("--from-url: the link has no #s1... settings fragment");
  if (decoded.problems.length) throw new CliError(`--from-url: ${decoded.problems.join(" ")}`);
  return decoded.input;
}

/** Builds the config input: defaults, then the share link, then the flags given. */
function configInput(args: Map<string, string | true>, password: string): Record<string, unknown> {
  const link = args.get("--from-url");
  const input: Record<string, unknown> = { ...(typeof link === "string" ? linkInput(link) : {}), password };
  for (const field of VALUE_FIELDS) {
    const value = args.get(FIELD_CLI[field].flag);
    if (typeof value === "string") input[field] = value;
  }
  if (args.has(FIELD_CLI.networkPolicyEnabled.flag)) input.networkPolicyEnabled = true;
  return input;
}

/** Reuses a hash when given or found in the earlier bundle and it matches; else hashes anew. */
function passwordHash(config: Config, earlier: Record<string, string>): string {
  if (config.passwordHash) {
    if (!compareSync(config.password, config.passwordHash)) {
      throw new CliError(`${FIELD_CLI.passwordHash.flag}: ${FIELDS.passwordHash.label} is not a hash of this password`);
    }
    return config.passwordHash;
  }
  const earlierSecret = earlier[FILE_NAMES.secret];
  const previous = earlierSecret ? existingPasswordHash(earlierSecret, config.username) : null;
  if (previous && compareSync(config.password, previous)) return previous;
  return hashSync(config.password, BCRYPT_COST);
}

/** Runs `generate`; returns the exit code. */
export async function generateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = commandArgs(argv, FLAG_SPECS, GENERATE_HELP, io);
  if (!args) return 0;
  if (args.has("--password")) {
    throw new CliError(
      `--password: passwords are never taken from flags (shell history, ps); use ${FIELD_CLI.password.flag} FILE or standard input`,
    );
  }
  const out = args.get("--out");
  if (typeof out !== "string" || out === "") throw new CliError("--out: the directory to write is required");
  const outDir = resolve(io.cwd, out);

  const password = await readPassword(args, io);
  const input = configInput(args, password);
  const pushers = await pushersFromFlags(args, input.pushers as { name: string; namespace: string }[] | undefined, io);
  if (pushers) input.pushers = pushers;
  const validation = validateConfig(input);
  if (!validation.ok) {
    throw new CliError(
      validation.errors
        .map(
          (e) =>
            `${e.field === "pushers" ? pusherErrorFlag(e.message) : e.field ? FIELD_CLI[e.field].flag : "input"}: ${e.message}`,
        )
        .join("\n"),
    );
  }
  let config = validation.config;
  for (const f of ["secretStoreKind", "remoteKey"] as const) {
    if (args.has(FIELD_CLI[f].flag) && config.secretsAs !== "external")
      throw new CliError(`${FIELD_CLI[f].flag}: only used with ${FIELD_CLI.secretsAs.flag} external`);
  }
  const earlier = await readBundle(outDir);
  const sealing = await prepareSealing(config, args.get(SEALING_CERT_FLAG), outDir, io);
  if (sealing && needsPasswordHash(config)) {
    // Sealed hashes cannot be read back from the earlier bundle: they are salted from the sealing key.
    if (config.passwordHash) passwordHash(config, earlier);
    config = await sealedHashes(config, sealing, Boolean(config.passwordHash));
  } else {
    if (needsPasswordHash(config)) config = { ...config, passwordHash: passwordHash(config, earlier) };
    if (needsPasswordHash(config)) config = hashPushers(config, earlier[FILE_NAMES.secret]);
  }

  const link = args.get("--from-url");
  // The page's address, so README.md's share link matches the page's download.
  const shareBaseUrl = typeof link === "string" && link.includes("#") ? link.slice(0, link.indexOf("#")) : undefined;
  const bundle = generate(config, { shareBaseUrl });
  const checks = checkBundle(config, bundle.files, { passwordMatchesHash: compareSync });
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length) {
    throw new CliError(
      `refusing to write a bundle that fails its checks:\n${failed.map((c) => `  ${c.title}: ${c.message}`).join("\n")}`,
      1,
    );
  }
  const files = sealing ? await sealFiles(config, bundle.files, sealing) : bundle.files;
  if (sealing) {
    // The sealed files as written: each SealedSecret read as the Secret the controller makes of it.
    const sealedFailed = checkBundle(config, files).filter((c) => c.status === "fail");
    if (sealedFailed.length) {
      throw new CliError(
        `refusing to write a sealed bundle that fails its checks:\n${sealedFailed.map((c) => `  ${c.title}: ${c.message}`).join("\n")}`,
        1,
      );
    }
  }
  const report = await writeBundle(outDir, files);
  await keepSealingKey(outDir, sealing);

  // Strategies are about the Operator's ServiceMonitor; other scrapers name themselves.
  const how = config.scraper === "operator" ? `${bundle.mode} strategy` : `scraped by ${config.scraper}`;
  const lines = [`${out}: prometheus-pushgateway ${bundle.chartVersion}, ${how}`];
  for (const name of Object.keys(files)) {
    lines.push(`  ${name}${report.unchanged.includes(name) ? " (unchanged)" : ""}`);
  }
  for (const name of report.removed) lines.push(`  ${name} (removed: not part of this strategy)`);
  io.stdout(`${lines.join("\n")}\n`);
  for (const check of checks.filter((c) => c.status === "warn"))
    io.stderr(`warning: ${check.title}: ${check.message}\n`);
  return 0;
}
