/** A small strict argv parser: `--flag value`, `--flag=value` and boolean `--flag`. */
import { CliError, type CliIo } from "./io";

export class UsageError extends Error {}

export interface FlagSpec {
  /** Takes no value when true. */
  boolean?: boolean;
  /** May be given several times; the values are joined with {@link REPEAT_SEPARATOR}. */
  repeatable?: boolean;
}

/** Joins the values of a repeatable flag (NUL cannot occur in an argument). */
export const REPEAT_SEPARATOR = "\0";

export type ParsedArgs = Map<string, string | true>;

/** Parses `argv` against `specs`; unknown flags, repeats and missing values are errors. */
export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const parsed: ParsedArgs = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}" (flags start with --)`);
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = specs[flag];
    if (!spec) throw new UsageError(`unknown flag ${flag} (see --help)`);
    if (parsed.has(flag) && !spec.repeatable) throw new UsageError(`${flag} is given twice`);
    if (spec.boolean) {
      if (eq >= 0) throw new UsageError(`${flag} takes no value`);
      parsed.set(flag, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
      if (value === undefined || (value.startsWith("--") && specs[value.split("=")[0] as string])) {
        throw new UsageError(`${flag} needs a value`);
      }
    }
    const before = parsed.get(flag);
    parsed.set(flag, typeof before === "string" ? `${before}${REPEAT_SEPARATOR}${value}` : value);
  }
  return parsed;
}

/**
 * A command's flags, or null after printing `help` when `--help` is among them (each command
 * declares `--help` in its specs). Usage errors become {@link CliError}s (exit 2).
 */
export function commandArgs(
  argv: readonly string[],
  specs: Readonly<Record<string, FlagSpec>>,
  help: string,
  io: CliIo,
): ParsedArgs | null {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, specs);
  } catch (error) {
    if (error instanceof UsageError) throw new CliError(error.message);
    throw error;
  }
  if (!args.has("--help")) return args;
  io.stdout(help);
  return null;
}
