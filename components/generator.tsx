"use client";
import {
  Activity,
  lazy,
  memo,
  Suspense,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ComponentProps,
  type ReactNode,
} from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { BundlePreview, type PreviewBundle, type PreviewState } from "./bundle-preview";
import { ChecksPanel } from "./checks-panel";
import { ConfigForm } from "./config-form";
import { guideStore } from "./island-bridges";
import { ImportBridgeContext, type ImportBridge } from "./island-bridges";
import type { AppliedImport } from "./import-panel";
import { wake } from "./island";
import { RotationSection } from "./rotation-section";
import { ShareLink } from "./share-link";
import { loadEngine, useEngine } from "./use-engine";
import type { HashState } from "./hash-client";
import type { PendingBundle } from "./preview-bundle";
import { usePasswordHashes } from "./use-password-hash";
import { useEarlyInput } from "./use-early-input";
import { useShareLink } from "./use-share-link";
import { DEFAULTS, FIELDS } from "../lib/form";
import type { Check, Config, ConfigInput } from "../lib/index";

/**
 * The form, re-rendered only when what it shows changes: a page-wide render (the form library
 * renders the page once more right after hydration) costs it nothing. `errorsKey` stands for
 * the form's errors, which it reads from the form object itself.
 */
const Form = memo(function Form({ errorsKey: _, ...props }: ComponentProps<typeof ConfigForm> & { errorsKey: string }) {
  return <ConfigForm {...props} />;
});

/** Every error message of the form, with its field's path (a field's error holds its DOM element). */
function errorsKey(errors: object, path = ""): string {
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

// Only after an import: loaded then.
const Provenance = lazy(() => import("./after-import").then((m) => ({ default: m.Provenance })));

/** zodResolver on the engine's schema, both loaded on first use rather than with the page. */
const resolver: Resolver<ConfigInput, unknown, Config> = async (values, context, options) => {
  const [{ configSchema }, { zodResolver }] = await Promise.all([loadEngine(), import("@hookform/resolvers/zod")]);
  return zodResolver(configSchema)(values, context, options);
};

/** The files for the default settings, rendered on the server: the page's first preview. */
export interface InitialPreview {
  files: Record<string, string>;
  /** Files holding a placeholder. */
  placeholders: string[];
  checks: Check[];
  waiting: string[];
  /** The placeholders themselves, marked where they show. */
  marks: string[];
  /** The files' highlighted markup (README.md, folded, has none). */
  html: Record<string, string>;
}

/** The server-rendered first preview, as the preview shows bundles. */
function initialBundle(initial: InitialPreview): PreviewBundle {
  return {
    config: null,
    files: initial.files,
    display: initial.files,
    held: initial.placeholders,
    credentialFiles: initial.placeholders,
    missing: "password",
    checks: initial.checks,
    waiting: initial.waiting,
    merge: null,
    mergeError: null,
  };
}

export interface GeneratorProps {
  initial: InitialPreview;
  /** The share fragment of the settings the server rendered the guide for. */
  guideKey: string;
  importPanel: ReactNode;
  guide: ReactNode;
}

/**
 * The whole generator, hydrated on its own once the page's own start-up is done (an Activity
 * boundary: React hydrates it at idle priority, in slices, or at once when the user interacts
 * with it first). Its props come from the server and never change, so nothing updates it
 * before then. Until it hydrates, the server HTML is the page, and what is typed into it stays
 * there for the form to take (./use-early-input).
 */
export function Generator(props: GeneratorProps) {
  return (
    <Activity mode="visible">
      <GeneratorBody {...props} />
    </Activity>
  );
}

/**
 * The form, the consistency checks, the live preview and the share link. The first paint
 * needs none of the engine: `initial` (the files for the default settings, with placeholders
 * for the password, rendered on the server) stands in until it loads. `importPanel` and
 * `guide` are islands the server renders; the form reaches them through a context that never
 * changes and through the guide's store.
 */
function GeneratorBody({ initial, guideKey, importPanel, guide }: GeneratorProps) {
  const engine = useEngine();
  const form = useForm<ConfigInput, unknown, Config>({ resolver, mode: "onChange", defaultValues: DEFAULTS });
  const values = useWatch({ control: form.control }) as ConfigInput;
  // After useForm: its mount effect must run first.
  const keepEarlyPick = useEarlyInput(form);
  // The first preview the engine makes replaces the server's at a lower priority, so it never
  // blocks typing. Later updates are small and follow each keystroke directly.
  const deferred = useDeferredValue(values);
  const [previewShown, setPreviewShown] = useState(false);
  const settings = previewShown ? values : deferred;
  const [reveal, setReveal] = useState(false);
  const [imported, setImported] = useState<AppliedImport | null>(null);

  const validation = useMemo(() => engine?.validateConfig(settings) ?? null, [engine, settings]);
  // The settings apart from the credentials: what share links, the guide and the placeholder
  // files need.
  // Kept while only the credentials change: typing a password recomputes none of it.
  const settingsKey = engine ? JSON.stringify(engine.withoutCredentials(settings)) : "";
  const shareable = useMemo(() => {
    const result = engine?.validateConfig(engine.fillPasswords(JSON.parse(settingsKey), "placeholder"));
    return result?.ok ? result.config : null;
  }, [engine, settingsKey]);
  const share = useShareLink(engine, shareable, (input) => {
    form.reset({ ...DEFAULTS, ...input });
    // Settings from a link replace an imported setup.
    setImported(null);
  });

  // Valid settings, or valid but for passwords still to give (their files show placeholders).
  const candidate = useMemo(
    () => validation && engine!.previewSettings(engine!.validateConfig, validation, settings),
    [engine, validation, settings],
  );
  const needHash = !!candidate && engine!.needsPasswordHash(candidate);
  const [scrapeWanted = null, ...pushersWanted] = needHash ? engine!.hashesWanted(candidate) : [];
  const [hashState] = usePasswordHashes([scrapeWanted], "password") as [HashState];
  // Each pusher's hash, in the same worker, kept per password (./use-password-hash).
  const pusherStates = usePasswordHashes(pushersWanted, "pusher");

  // While the hash is computed the files show the password masked and the hash's placeholder:
  // the same files whatever the password, so typing one key by key rebuilds nothing (kept per
  // settings without the credentials).
  const pending = useRef<PendingBundle | null>(null);

  const bundle = useMemo(
    () =>
      engine && candidate
        ? engine.previewBundle(
            engine,
            {
              config: candidate,
              passwordsMissing: !validation!.ok,
              needHash,
              hashState,
              pusherStates,
              shareBaseUrl: share.baseUrl,
              imported,
            },
            pending,
          )
        : null,
    [engine, candidate, validation, needHash, hashState, pusherStates, share.baseUrl, imported],
  );

  // The guide holds no credentials, so it follows the settings even before a password is typed.
  const fragment = useMemo(
    () => (engine && shareable ? engine.encodeShareFragment(shareable) : null),
    [engine, shareable],
  );
  useEffect(() => {
    if (!engine || !shareable || fragment === null) return;
    guideStore.set({ key: fragment, steps: engine.buildGuide(engine.planBundle(shareable)) });
    // The guide shows the steps the server rendered until its island runs.
    if (fragment !== guideKey) wake("guide"); // GUIDE_ID (./island-ids), spelled out: not worth a module here
  }, [engine, shareable, fragment, guideKey]);

  // What is shown while the form is invalid: the last files of valid settings.
  const lastShown = useRef<PreviewBundle>(null as unknown as PreviewBundle);
  lastShown.current ??= initialBundle(initial);
  useEffect(() => {
    if (bundle && bundle.missing !== "hash") lastShown.current = bundle;
    if (bundle) setPreviewShown(true);
  }, [bundle]);

  const hashError =
    hashState.status === "mismatch"
      ? `${FIELDS.passwordHash.label} does not match the password`
      : hashState.status === "error"
        ? `${FIELDS.passwordHash.label} ${hashState.message}`
        : form.formState.errors.passwordHash?.message;
  const pusherHashError = engine?.pusherHashProblem(pusherStates);

  // The same object as long as the bundle is: the results skip renders that change nothing.
  const current = useMemo(() => (bundle ? { kind: "current" as const, ...bundle } : null), [bundle]);
  const fallback = useMemo((): Exclude<PreviewState, { kind: "invalid" }> | null => {
    if (bundle) return null;
    if (!validation) return { kind: "current", ...lastShown.current };
    const errors = validation.ok ? [] : validation.errors;
    const reason =
      hashError || pusherHashError
        ? `${hashError || pusherHashError}.`
        : `Fix ${errors.length === 1 ? "the error" : `the ${errors.length} errors`} in the form to update it.`;
    return { kind: "outdated", reason, ...lastShown.current };
  }, [bundle, validation, hashError, pusherHashError]);
  const preview = current ?? (fallback as Exclude<PreviewState, { kind: "invalid" }>);

  const highlight = useMemo(
    () => (engine ? (text: string, plain: boolean) => engine.yamlHtml(text, plain, initial.marks) : null),
    [engine, initial.marks],
  );

  // Unchanging, so the import panel's island never receives an update before it hydrates.
  const formRef = useRef(form);
  formRef.current = form;
  const [bridge] = useState<ImportBridge>(() => ({
    formValues: () => formRef.current.getValues(),
    apply: (applied) => {
      formRef.current.reset({ ...DEFAULTS, ...applied.setup.prefill });
      setImported(applied);
    },
  }));

  return (
    <ImportBridgeContext value={bridge}>
      <div className="generator">
        <div className="inputs">
          {importPanel}
          {imported && (
            <Suspense fallback={null}>
              <Provenance applied={imported} onForget={() => setImported(null)} />
            </Suspense>
          )}
          <Form
            errorsKey={errorsKey(form.formState.errors)}
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
            checks={preview.checks}
            outdated={preview.kind === "outdated"}
            waiting={preview.waiting}
            missing={preview.missing}
          />
          <BundlePreview state={preview} reveal={reveal} html={initial.html} highlight={highlight} />
          <ShareLink link={share.link} />
          <RotationSection
            config={preview.kind === "current" && !preview.missing ? preview.config : null}
            shareBaseUrl={share.baseUrl}
          />
          {guide}
        </div>
      </div>
    </ImportBridgeContext>
  );
}
