"use client";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { DEFAULTS, FIELDS } from "../lib/config/fields";
import type { Config, ConfigInput } from "../lib/config/schema";
import type { GuideStep } from "../lib/guide/guide";
import type { InputFile } from "../lib/diagnose/read-setup";
import { BundlePreview, type PreviewBundle, type PreviewState } from "./bundle-preview";
import { ChecksPanel } from "./checks-panel";
import { ConfigForm } from "./config-form";
import { Guide } from "./guide";
import { ImportPanel, type AppliedImport } from "./import-panel";
import { MASK } from "./mask";
import { Provenance } from "./provenance";
import { ShareLink } from "./share-link";
import { loadEngine, useEngine, type Engine } from "./use-engine";
import { usePasswordHash } from "./use-password-hash";
import { useEarlyInput } from "./use-early-input";
import { useShareLink } from "./use-share-link";

// Stands in for the hash while the worker computes it; files holding it are not shown.
const PENDING_HASH = `$2b$10$${"0".repeat(53)}`;

/** zodResolver on the engine's schema, both loaded on first use rather than with the page. */
const resolver: Resolver<ConfigInput, unknown, Config> = async (values, context, options) => {
  const [{ configSchema }, { zodResolver }] = await Promise.all([loadEngine(), import("@hookform/resolvers/zod")]);
  return zodResolver(configSchema)(values, context, options);
};

/**
 * The bundle for a config; with an imported values file, values.yaml is that file with the fix
 * merged in (the user's comments, order and unrelated keys kept).
 */
function buildBundle(
  engine: Engine,
  config: Config,
  hash: string | null,
  shareBaseUrl: string,
  imported: AppliedImport | null,
): PreviewBundle {
  const withHash = hash === null ? config : { ...config, passwordHash: hash };
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
  const masked = build({ ...withHash, password: MASK });
  const files = real.files;
  const pending = hash === PENDING_HASH ? Object.keys(files).filter((f) => files[f]?.includes(PENDING_HASH)) : [];
  // A ready hash was computed from (or verified against) this very password in the worker; a
  // pending one is not compared at all.
  const checks = engine.checkBundle(withHash, files, pending.length ? {} : { passwordMatchesHash: () => true });
  const importedPassword = imported?.setup.prefill.password;
  return {
    config: withHash,
    files,
    display: masked.files,
    pending,
    checks,
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

/**
 * The form, the consistency checks and the live preview. The first paint needs none of the
 * engine: `initialGuide` (rendered on the server for the defaults) stands in until it loads.
 */
export function Generator({ initialGuide }: { initialGuide: GuideStep[] }) {
  const engine = useEngine();
  const form = useForm<ConfigInput, unknown, Config>({ resolver, mode: "onChange", defaultValues: DEFAULTS });
  const values = useWatch({ control: form.control }) as ConfigInput;
  // After useForm: its mount effect must run first.
  const keepEarlyPick = useEarlyInput(form);
  // The first preview is the largest render (every file appears at once, usually on the first
  // keystroke of the password): React renders it at a lower priority, in slices, so it never
  // blocks typing. Later updates are small and follow each keystroke directly.
  const deferred = useDeferredValue(values);
  const [previewShown, setPreviewShown] = useState(false);
  const settings = previewShown ? values : deferred;
  const [reveal, setReveal] = useState(false);
  const [imported, setImported] = useState<AppliedImport | null>(null);

  const validation = useMemo(() => engine?.validateConfig(settings) ?? null, [engine, settings]);
  // The settings apart from the credentials: what share links and the guide need.
  const shareable = useMemo(() => {
    const result = engine?.validateConfig({ ...settings, password: "placeholder", passwordHash: "" });
    return result?.ok ? result.config : null;
  }, [engine, settings]);
  const share = useShareLink(engine, shareable, (input) => {
    form.reset({ ...DEFAULTS, ...input });
    // Settings from a link replace an imported setup.
    setImported(null);
  });

  const needHash = validation?.ok === true && engine!.needsPasswordHash(validation.config);
  const hashState = usePasswordHash(
    needHash && validation?.ok ? validation.config.password : null,
    validation?.ok ? validation.config.passwordHash : "",
  );

  const bundle = useMemo((): PreviewBundle | null => {
    if (!engine || !validation?.ok) return null;
    const build = (hash: string | null) => buildBundle(engine, validation.config, hash, share.baseUrl, imported);
    if (!needHash) return build(null);
    if (hashState.status === "ready") return build(hashState.hash);
    if (hashState.status === "computing") return build(PENDING_HASH);
    return null;
  }, [engine, validation, needHash, hashState, share.baseUrl, imported]);

  // The guide holds no credentials, so it follows the settings even before a password is typed.
  const lastGuide = useRef<GuideStep[]>(initialGuide);
  const steps = useMemo(
    () => (engine && shareable ? engine.buildGuide(engine.planBundle(shareable)) : lastGuide.current),
    [engine, shareable],
  );
  useEffect(() => {
    lastGuide.current = steps;
  }, [steps]);

  const lastComplete = useRef<PreviewBundle | null>(null);
  useEffect(() => {
    if (bundle && bundle.pending.length === 0) lastComplete.current = bundle;
    if (bundle) setPreviewShown(true);
  }, [bundle]);

  const hashError =
    hashState.status === "mismatch"
      ? `${FIELDS.passwordHash.label} does not match the password`
      : hashState.status === "error"
        ? `${FIELDS.passwordHash.label} ${hashState.message}`
        : form.formState.errors.passwordHash?.message;

  let preview: PreviewState;
  if (bundle) preview = { kind: "current", ...bundle };
  else {
    const errors = validation && !validation.ok ? validation.errors : [];
    const onlyPasswordMissing = !settings.password && errors.every((e) => e.field === "password");
    const reason = hashError
      ? `${hashError}.`
      : `Fix ${errors.length === 1 ? "the error" : `the ${errors.length} errors`} in the form to update it.`;
    if (lastComplete.current) preview = { kind: "outdated", reason, ...lastComplete.current };
    else if (onlyPasswordMissing) preview = { kind: "waiting-for-password" };
    else if (!validation) preview = { kind: "loading" };
    else preview = { kind: "invalid", reason };
  }

  return (
    <div className="generator">
      <div className="inputs">
        <ImportPanel
          formValues={() => form.getValues()}
          onApply={(applied) => {
            form.reset({ ...DEFAULTS, ...applied.setup.prefill });
            setImported(applied);
          }}
        />
        {imported && <Provenance applied={imported} onForget={() => setImported(null)} />}
        <ConfigForm
          form={form}
          values={values}
          reveal={reveal}
          setReveal={setReveal}
          hashError={hashError}
          linkProblems={share.problems}
          restoredFromLink={share.restored}
          keepEarlyPick={keepEarlyPick}
        />
      </div>
      <div className="results">
        <ChecksPanel
          checks={preview.kind === "current" || preview.kind === "outdated" ? preview.checks : null}
          outdated={preview.kind === "outdated"}
        />
        <BundlePreview state={preview} reveal={reveal} />
        <ShareLink link={share.link} />
        <Guide steps={steps} />
      </div>
    </div>
  );
}
