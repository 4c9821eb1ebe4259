/**
 * The CLI's pushers: `--pusher NAME@NS` (repeatable) with `--pusher-password-file NAME=FILE`
 * (one per pusher), and their bcrypt hashes, reused from an earlier bundle when they still match.
 */
import { compareSync, hashSync } from "bcryptjs";
import {
  BCRYPT_COST,
  type Config,
  existingPasswordHash,
  FIELD_CLI,
  parsePusherSpec,
  pusherUsername,
} from "../../lib/index";
import { REPEAT_SEPARATOR } from "./args";
import { CliError, decodeUtf8, readFileOrExplain, stripOneNewline, type CliIo } from "./io";

export const PUSHER_FLAG = FIELD_CLI.pushers.flag;
export const PUSHER_PASSWORD_FLAG = FIELD_CLI.pushers.more[0].flag;

const values = (args: Map<string, string | true>, flag: string): string[] => {
  const v = args.get(flag);
  return typeof v === "string" ? v.split(REPEAT_SEPARATOR) : [];
};

/**
 * The pushers the flags give (or, without --pusher, those of the share link), each with the
 * password from its file. Null when neither names any pusher.
 */
export async function pushersFromFlags(
  args: Map<string, string | true>,
  fromLink: readonly { name: string; namespace: string; username?: string }[] | undefined,
  io: CliIo,
): Promise<{ name: string; namespace: string; password: string; username?: string }[] | null> {
  const specs = values(args, PUSHER_FLAG);
  const listed: { name: string; namespace: string; username?: string }[] = [];
  for (const spec of specs) {
    const parsed = parsePusherSpec(spec);
    if ("error" in parsed) throw new CliError(`${PUSHER_FLAG}: ${parsed.error}`);
    // A pusher the link also lists keeps the user a rotation gave it.
    const rotated = fromLink?.find((p) => p.name === parsed.name)?.username;
    listed.push(rotated ? { ...parsed, username: rotated } : parsed);
  }
  const pushers = specs.length ? listed : [...(fromLink ?? [])];
  const files = new Map<string, string>();
  for (const entry of values(args, PUSHER_PASSWORD_FLAG)) {
    const eq = entry.indexOf("=");
    if (eq <= 0 || eq === entry.length - 1)
      throw new CliError(`${PUSHER_PASSWORD_FLAG}: "${entry}" must be NAME=FILE, e.g. backup=./backup.password`);
    const name = entry.slice(0, eq);
    if (files.has(name)) throw new CliError(`${PUSHER_PASSWORD_FLAG}: pusher "${name}" is given twice`);
    if (!pushers.some((p) => p.name === name))
      throw new CliError(
        `${PUSHER_PASSWORD_FLAG}: "${name}" is not a pusher (give it with ${PUSHER_FLAG} ${name}@NAMESPACE)`,
      );
    files.set(name, entry.slice(eq + 1));
  }
  if (pushers.length === 0) return null;
  const out: { name: string; namespace: string; password: string; username?: string }[] = [];
  for (const p of pushers) {
    const file = files.get(p.name);
    if (file === undefined)
      throw new CliError(
        `${PUSHER_PASSWORD_FLAG}: no password for pusher "${p.name}"; give ${PUSHER_PASSWORD_FLAG} ${p.name}=FILE`,
      );
    const bytes = await readFileOrExplain(io, file, `${PUSHER_PASSWORD_FLAG} ${p.name}`);
    out.push({ ...p, password: stripOneNewline(decodeUtf8(bytes, `${PUSHER_PASSWORD_FLAG} ${file}`)) });
  }
  return out;
}

/** Each pusher's hash: the earlier bundle's when it still matches the password, else a new one. */
export function hashPushers(config: Config, earlierSecretYaml: string | undefined): Config {
  return {
    ...config,
    pushers: config.pushers.map((p) => {
      const previous = earlierSecretYaml ? existingPasswordHash(earlierSecretYaml, pusherUsername(p)) : null;
      const passwordHash = previous && compareSync(p.password, previous) ? previous : hashSync(p.password, BCRYPT_COST);
      return { ...p, passwordHash };
    }),
  };
}

/** The flag a validation message about pushers belongs to. */
export function pusherErrorFlag(message: string): string {
  return /: password /.test(message) ? PUSHER_PASSWORD_FLAG : PUSHER_FLAG;
}
