/** Runs the CLI's `main` with fake streams, as the CLI tests do. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
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

/** Every file a command wrote under `root` (subdirectories included), by its relative path. */
export function readTree(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((f) => statSync(join(root, f)).isFile())
      .map((f) => [f, readFileSync(join(root, f), "utf8")]),
  );
}
