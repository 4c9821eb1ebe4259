#!/usr/bin/env -S npx tsx
/** Process shim: wires the real streams into the testable CLI in bin/cli. */
import { main } from "./cli/main";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

process.exitCode = await main(process.argv.slice(2), {
  readStdin,
  stdinIsTTY: Boolean(process.stdin.isTTY),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
