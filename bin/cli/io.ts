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

/** Decodes bytes as UTF-8 or reports `what` as not being text. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${what} is not UTF-8 text`);
  }
}
