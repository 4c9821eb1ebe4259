/** Runs the CLI's `main` with fake streams, as the CLI tests do. */
import { main } from "../../bin/cli/main";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `stdin` undefined means a terminal (nothing piped). */
export async function runMain(argv: string[], cwd: string, stdin?: string | Uint8Array): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    readStdin: async () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : (stdin ?? new Uint8Array())),
    stdinIsTTY: stdin === undefined,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
  });
  return { code, stdout, stderr };
}
