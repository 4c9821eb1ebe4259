import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

/** What a command may touch, so tests can run commands with fake streams. */
export interface CliIo {
  /** Reads all of standard input. */
  readStdin: () => Promise<Uint8Array>;
  stdinIsTTY: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/** A user-facing failure: printed to stderr, exit code 2 unless stated. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Strips exactly one trailing line break from a password file, as editors and `echo` add one. */
export function stripOneNewline(text: string): string {
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}

/** Decodes bytes as UTF-8 or reports `what` as not being text. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${what} is not UTF-8 text`);
  }
}

/**
 * Reads the file at `path` (relative to `io.cwd`), or fails with a CliError saying why in
 * words: `<context>: <path> does not exist`, `is not readable`, `is a directory`.
 */
export async function readFileOrExplain(io: CliIo, path: string, context?: string): Promise<Uint8Array> {
  try {
    return await readFile(resolve(io.cwd, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES"
          ? "is not readable"
          : code === "EISDIR"
            ? "is a directory"
            : `cannot be read (${code})`;
    throw new CliError(`${context ? `${context}: ` : ""}${path} ${why}`);
  }
}
