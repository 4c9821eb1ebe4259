/**
 * Pasted files resolved for the diagnosis and the import: read with their line positions
 * (./read-setup.ts), then resolved the way the rules see any setup (lib/rules/setup.ts).
 */
import type { GivenFacts } from "../rules/facts";
import { resolveSetupFiles, type ResolveResult } from "../rules/setup";
import { readSetupFiles, type InputFile } from "./read-setup";

export type { GivenFacts };

/** Resolves the facts, the values and the cluster view of pasted files; never throws. */
export function resolveSetup(files: readonly InputFile[], given: GivenFacts = {}): ResolveResult {
  const read = readSetupFiles(files);
  return read.ok ? resolveSetupFiles(read.setup, { given }) : read;
}
