/**
 * What the preview shows for a config, built with the engine: loaded with it (./use-engine), so
 * the page's first load does not carry it.
 */
import type { Missing, PreviewBundle, PreviewState } from "./bundle-preview";
import type { AppliedImport } from "./import-panel";
import { MASK } from "./mask";
import type { HashState } from "./use-password-hash";
import { FIELDS } from "../lib/form";
import type { Config, InputFile } from "../lib/index";
// What the hash check needs of the field rules, with the engine rather than on its own.
export { bcryptCost, MAX_VERIFIED_BCRYPT_COST } from "../lib/form";

type Core = typeof import("../lib/core");

/**
 * The bundle for a config; with an imported values file, values.yaml is that file with the fix
 * merged in (the user's comments, order and unrelated keys kept). Without a password (or
 * while its hash is computed) the files hold placeholders for what is missing.
 */
export function buildBundle(
  engine: Core,
  config: Config,
  hash: string | null,
  missing: Missing,
  shareBaseUrl: string,
  imported: AppliedImport | null,
): PreviewBundle {
  // While the hash is computed (or a given one checked) the files hold its placeholder, and
  // the password masked, whatever it is: they cannot be copied, and typing a password key by
  // key rebuilds nothing (the caller keeps this bundle while only the password changes).
  const withHash =
    missing === "hash"
      ? engine.withPlaceholders({ ...config, password: MASK, passwordHash: "" })
      : missing === "password"
        ? engine.withPlaceholders({ ...config, passwordHash: "" })
        : hash === null
          ? config
          : { ...config, passwordHash: hash };
  const valuesFile: InputFile | null = imported?.setup.valuesFile ?? null;
  const build = (c: Config) => {
    if (imported && valuesFile) {
      const fixed = imported.fixSetup(c, valuesFile, { shareBaseUrl });
      if (fixed.ok) return { files: fixed.fix.bundle.files, merge: fixed.fix, mergeError: null };
      return { files: engine.generate(c, { shareBaseUrl }).files, merge: null, mergeError: fixed.error };
    }
    return { files: engine.generate(c, { shareBaseUrl }).files, merge: null, mergeError: null };
  };
  const real = build(withHash);
  // A placeholder is shown as it is; a password is masked until revealed.
  const masked = missing ? real : build({ ...withHash, password: MASK });
  const files = real.files;
  const names = Object.keys(files);
  const held = names.filter((f) => engine.holdsPlaceholder(files[f] as string));
  const credentialFiles = names.filter(
    (f) =>
      held.includes(f) ||
      files[f] !== masked.files[f] ||
      (hash !== null && files[f]?.includes(hash)) ||
      (missing === "hash" && files[f]?.includes(MASK)),
  );
  // A ready hash was computed from (or verified against) this very password in the worker.
  const { checks, waiting } = missing
    ? placeholderChecks(engine, withHash, files, shareBaseUrl)
    : { checks: engine.checkBundle(withHash, files, { passwordMatchesHash: () => true }), waiting: [] };
  const importedPassword = imported?.setup.prefill.password;
  return {
    config: withHash,
    files,
    display: masked.files,
    held,
    credentialFiles,
    missing,
    checks,
    waiting,
    merge: real.merge &&
      masked.merge && {
        fileName: valuesFile?.name ?? "",
        diff: real.merge.diff,
        // Lines the fix writes come from the masked build; lines of the user's own file may
        // still hold the password they pasted, so that one is masked too.
        maskedDiff: masked.merge.diff,
        notes: real.merge.notes,
        secrets: importedPassword ? [importedPassword] : [],
      },
    mergeError: real.mergeError,
  };
}

// The checks of the last settings shown with placeholders: the same whether the password or
// only its hash is missing (those checks wait either way), so the first keystroke of a password
// does not judge the whole bundle again.
let lastChecks: { key: string; value: ReturnType<Core["placeholderChecks"]> } | null = null;

function placeholderChecks(engine: Core, config: Config, files: Record<string, string>, shareBaseUrl: string) {
  const key = JSON.stringify([{ ...config, password: "", passwordHash: "" }, shareBaseUrl, files["values.yaml"] ?? ""]);
  if (lastChecks?.key !== key) lastChecks = { key, value: engine.placeholderChecks(config, files, { shareBaseUrl }) };
  return lastChecks.value;
}

/**
 * What the preview shows without current files: the last ones, outdated, and why (`errors` in
 * the form, the hash's error, or what Sealed Secrets waits for). With Sealed Secrets only the
 * last sealed files, never plain ones, not even outdated.
 */
export function fallbackPreview(
  errors: number,
  hashError: string | undefined,
  sealing: { reason: string | null; last: PreviewBundle | null } | null,
  lastShown: PreviewBundle,
): PreviewState {
  const reason = hashError
    ? `${hashError}.`
    : errors === 0 && sealing
      ? sealing.reason!
      : `Fix ${errors === 1 ? "the error" : `the ${errors} errors`} in the form to update it.`;
  const last = sealing ? sealing.last : lastShown;
  return last ? { kind: "outdated", reason, ...last } : { kind: "invalid", reason };
}

/** The hash field's error from the worker: the given hash does not match, or cannot be checked. */
export function hashProblem(state: HashState): string | undefined {
  if (state.status === "mismatch") return `${FIELDS.passwordHash.label} does not match the password`;
  if (state.status === "error") return `${FIELDS.passwordHash.label} ${state.message}`;
  return undefined;
}

/** Every error message of the form, with its field's path (a field's error holds its DOM element). */
export function errorsKey(errors: object, path = ""): string {
  return Object.entries(errors)
    .filter(([key]) => key !== "ref")
    .map(([key, value]) =>
      key === "message"
        ? `${path}:${String(value)}`
        : value && typeof value === "object"
          ? errorsKey(value, `${path}.${key}`)
          : "",
    )
    .join("\n");
}
