/**
 * What the preview shows for a config, built with the engine: loaded with it (./use-engine), so
 * the page's first load does not carry it.
 */
import type { Missing, PreviewBundle, PreviewState, Verdict } from "./bundle-preview";
import type { HashState } from "./hash-client";
import type { AppliedImport } from "./import-panel";
import { MASK } from "./mask";
import { FIELDS } from "../lib/form";
import type { Config, InputFile } from "../lib/index";
// What the page needs to tell the passwords from the other settings, with the engine too.
export { fillPasswords, hashesWanted, previewSettings, withoutCredentials } from "./credentials";

type Core = typeof import("../lib/core");

/** `judge` once, then its answer: the checks are judged only when the panel first asks. */
export function judgedOnce(judge: () => Verdict): () => Verdict {
  let verdict: Verdict | null = null;
  return () => (verdict ??= judge());
}

/**
 * The bundle for a config; with an imported values file, values.yaml is that file with the fix
 * merged in (the user's comments, order and unrelated keys kept). Without a password (or
 * while its hash is computed) the files hold placeholders for what is missing, for the scrape
 * user and each pusher alike: `pusherHashes` holds each pusher's hash, null while computed.
 */
export function buildBundle(
  engine: Core,
  config: Config,
  hash: string | null,
  missing: Missing,
  shareBaseUrl: string,
  imported: AppliedImport | null,
  pusherHashes: readonly (string | null)[] = [],
): PreviewBundle {
  // While a hash is computed (or a given one checked) the files hold its placeholder, and
  // that password masked, whatever it is: they cannot be copied, and typing a password key by
  // key rebuilds nothing (the caller keeps this bundle while only the password changes).
  const needs = engine.needsPasswordHash(config);
  const user = <T extends { password: string; passwordHash: string }>(u: T, h: string | null | undefined): T =>
    !u.password
      ? { ...u, passwordHash: "" }
      : !needs
        ? u
        : h
          ? { ...u, passwordHash: h }
          : { ...u, password: MASK, passwordHash: "" };
  const filled: Config = {
    ...user(
      config,
      missing === "password" && !config.password ? null : (hash ?? (missing ? null : config.passwordHash)),
    ),
    pushers: config.pushers.map((p, i) => user(p, pusherHashes[i])),
  };
  const withHash = missing ? engine.withPlaceholders(filled) : filled;
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
  const mask = <T extends { password: string }>(u: T): T =>
    u.password === engine.PASSWORD_PLACEHOLDER ? u : { ...u, password: MASK };
  const maskedConfig = { ...mask(withHash), pushers: withHash.pushers.map(mask) };
  // Nothing to mask when every password is a placeholder or masked already; otherwise only the
  // files declared to hold credentials can differ (proven in tests/property/engine).
  const shown = [withHash, ...withHash.pushers].some(
    (u) => u.password !== engine.PASSWORD_PLACEHOLDER && u.password !== MASK,
  );
  const masked = !shown
    ? real
    : imported && valuesFile
      ? build(maskedConfig)
      : { ...real, files: { ...real.files, ...engine.generateCredentialFiles(maskedConfig, { shareBaseUrl }) } };
  const files = real.files;
  const names = Object.keys(files);
  const held = names.filter((f) => engine.holdsPlaceholder(files[f] as string));
  const hashes = [hash, ...pusherHashes].filter((h): h is string => Boolean(h));
  const credentialFiles = names.filter(
    (f) =>
      held.includes(f) ||
      files[f] !== masked.files[f] ||
      hashes.some((h) => files[f]?.includes(h)) ||
      (missing === "hash" && files[f]?.includes(MASK)),
  );
  // A ready hash was computed from (or verified against) this very password in the worker.
  const judge = judgedOnce(() =>
    missing
      ? placeholderChecks(engine, withHash, files, shareBaseUrl)
      : { checks: engine.checkBundle(withHash, files, { passwordMatchesHash: () => true }), waiting: [] },
  );
  const importedPassword = imported?.setup.prefill.password;
  return {
    config: withHash,
    files,
    display: masked.files,
    held,
    credentialFiles,
    missing,
    judge,
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

/** The bundle the preview shows while hashes are computed, and what it was built for. */
export interface PendingBundle {
  key: string;
  imported: AppliedImport | null;
  bundle: PreviewBundle;
}

export interface PreviewInput {
  /** Valid settings; passwords still to give are empty (`passwordsMissing`). */
  config: Config;
  passwordsMissing: boolean;
  /** The bundle embeds bcrypt hashes: every password waits for its own. */
  needHash: boolean;
  hashState: HashState;
  /** Each pusher's, in order. */
  pusherStates: readonly HashState[];
  shareBaseUrl: string;
  imported: AppliedImport | null;
}

const hashOf = (s: HashState | undefined) => (s?.status === "ready" ? s.hash : null);

/**
 * What the preview shows for valid settings, given where each password's hash stands: the
 * files, with placeholders for what is missing or still computed; null when a hash failed.
 * While something is missing the bundle is kept in `pending` as long as the files would not
 * change: a password whose hash is computed is masked, so typing it rebuilds nothing.
 */
export function previewBundle(
  engine: Core,
  input: PreviewInput,
  pending: { current: PendingBundle | null },
): PreviewBundle | null {
  const { config, needHash, hashState, pusherStates, imported } = input;
  const states = needHash ? [hashState, ...pusherStates] : [];
  if (states.some((s) => s.status === "mismatch" || s.status === "error")) return null;
  const pusherHashes = pusherStates.map(hashOf);
  const missing: Missing = input.passwordsMissing
    ? "password"
    : states.some((s) => s.status === "computing")
      ? "hash"
      : null;
  const build = () =>
    buildBundle(engine, config, hashOf(hashState), missing, input.shareBaseUrl, imported, pusherHashes);
  if (!missing) return build();
  // What the files show of each password.
  const shown = (user: { password: string }, hash: string | null) =>
    !needHash ? user.password : hash ? [user.password, hash] : user.password ? "hashing" : "";
  const key = JSON.stringify([
    {
      ...config,
      password: shown(config, hashOf(hashState)),
      passwordHash: "",
      pushers: config.pushers.map((p, i) => ({ ...p, password: shown(p, pusherHashes[i] ?? null), passwordHash: "" })),
    },
    missing,
    input.shareBaseUrl,
  ]);
  const last = pending.current;
  if (last?.key !== key || last.imported !== imported) pending.current = { key, imported, bundle: build() };
  return pending.current!.bundle;
}

/** Why a pusher's hash could not be used, for the preview's note; undefined when all can. */
export function pusherHashProblem(states: readonly HashState[]): string | undefined {
  const i = states.findIndex((s) => s.status === "mismatch" || s.status === "error");
  const s = states[i];
  if (!s) return undefined;
  return `Pusher ${i + 1}'s password hash ${s.status === "error" ? s.message : "does not match its password"}`;
}

// The checks of the last settings shown with placeholders: the same whether the password or
// only its hash is missing (those checks wait either way), so the first keystroke of a password
// does not judge the whole bundle again.
let lastChecks: { key: string; value: ReturnType<Core["placeholderChecks"]> } | null = null;

function placeholderChecks(engine: Core, config: Config, files: Record<string, string>, shareBaseUrl: string) {
  const key = JSON.stringify([
    { ...config, password: "", passwordHash: "" },
    shareBaseUrl,
    files[engine.FILE_NAMES.values] ?? "",
  ]);
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
