/**
 * The corpus of existing setups in tests/fixtures/setups: the files a user would paste, and
 * expected.yaml with the findings, the prefilled fields and the merge each must give.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareSync, hashSync } from "bcryptjs";
import { parse } from "yaml";
import type { InputFile } from "../../lib/diagnose/read-setup";
import { importSetup, needsPasswordHash, validateConfig, type Config, type ConfigInput } from "../../lib/index";

export const SETUPS_DIR = new URL("../fixtures/setups/", import.meta.url).pathname;
export const EXPECTED_FILE = "expected.yaml";

export interface ExpectedSetup {
  story: string;
  /** Facts given besides the files (CLI flags). */
  given: Partial<ConfigInput>;
  findings: { id: string; severity: string; evidence: string[] }[];
  prefill: Record<string, { value: unknown; from: string }>;
  /** Fields the user corrects after the import. */
  fix: Partial<ConfigInput>;
  merge: { file: string | null; removed: string[]; added: string[] };
}

export interface Setup {
  name: string;
  files: InputFile[];
  expected: ExpectedSetup;
}

export function loadSetups(): Setup[] {
  return readdirSync(SETUPS_DIR)
    .sort()
    .map((name) => {
      const dir = join(SETUPS_DIR, name);
      const files = readdirSync(dir)
        .filter((f) => f !== EXPECTED_FILE)
        .sort()
        .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
      return { name, files, expected: parse(readFileSync(join(dir, EXPECTED_FILE), "utf8")) as ExpectedSetup };
    });
}

// Cost 4 keeps the tests fast; Pushgateway accepts any cost from 4.
const hashes = new Map<string, string>();
function hashOf(password: string): string {
  if (!hashes.has(password)) hashes.set(password, hashSync(password, 4));
  return hashes.get(password) as string;
}

/**
 * The config the user ends up with: the import's prefill (the hash only when it matches the
 * password) plus their corrections, validated; a new hash when the chart needs one and the
 * import (or a correction of the password) leaves none that matches.
 */
export function fixedConfig(setup: Setup): Config {
  const imported = importSetup(setup.files, setup.expected.given, { passwordMatchesHash: compareSync });
  if (!imported.ok) throw new Error(`${setup.name}: ${JSON.stringify(imported.problems)}`);
  const result = validateConfig({ ...imported.import.prefill, ...setup.expected.fix });
  if (!result.ok) throw new Error(`${setup.name}: ${JSON.stringify(result.errors)}`);
  const config = result.config;
  if (!needsPasswordHash(config)) return config;
  const kept = config.passwordHash && compareSync(config.password, config.passwordHash);
  return kept ? config : { ...config, passwordHash: hashOf(config.password) };
}
