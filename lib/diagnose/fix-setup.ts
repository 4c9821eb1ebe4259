/**
 * The fix as files: the bundle the engine generates for the imported (and corrected) config,
 * with its values.yaml replaced by the user's own values file, merged; plus the line diff.
 */
import type { Config } from "../config/schema";
import { FILE_NAMES, generate, type Bundle, type GenerateOptions } from "../engine/generate";
import { lineDiff, type DiffLine } from "./line-diff";
import { mergeValues, type ValuesChange } from "./merge-values";
import type { InputFile } from "./read-setup";

export interface SetupFix {
  /** The generated bundle; values.yaml is the user's file with the fix merged in. */
  bundle: Bundle;
  /** Lines of the user's values file against the merged one (all added without a values file). */
  diff: DiffLine[];
  changes: ValuesChange[];
  notes: string[];
  formattingPreserved: boolean;
}

export type SetupFixResult = { ok: true; fix: SetupFix } | { ok: false; error: string };

/**
 * Generates the bundle for `config` and merges its values into `valuesFile`. `config` must
 * have passed validateConfig and, for charts that need one, carry the password's bcrypt hash.
 */
export function fixSetup(config: Config, valuesFile: InputFile | null, options: GenerateOptions = {}): SetupFixResult {
  let bundle: Bundle;
  try {
    bundle = generate(config, options);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const generated = bundle.files[FILE_NAMES.values] ?? "";
  if (!valuesFile) {
    return {
      ok: true,
      fix: { bundle, diff: lineDiff("", generated), changes: [], notes: [], formattingPreserved: true },
    };
  }
  const merged = mergeValues(valuesFile.text, config);
  if (!merged.ok) return { ok: false, error: `${valuesFile.name}: ${merged.error}` };
  return {
    ok: true,
    fix: {
      bundle: { ...bundle, files: { ...bundle.files, [FILE_NAMES.values]: merged.text } },
      diff: lineDiff(valuesFile.text, merged.text),
      changes: merged.changes,
      notes: merged.notes,
      formattingPreserved: merged.formattingPreserved,
    },
  };
}
