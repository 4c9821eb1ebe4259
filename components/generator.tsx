"use client";
import {
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
import { island, wake, wakeWhenIdle } from "./island";
// Evaluated with this module, at the page's start: the islands' gates then record what the user
// does inside them before the generator hydrates (React would require the module only then).
import "./islands";
import { GENERATOR_ID, GUIDE_ID } from "./island-ids";
import { RotationSection } from "./rotation-section";
import { ShareLink } from "./share-link";
import { loadEngine, useEngine } from "./use-engine";
import type { HashState } from "./hash-client";
import type { PendingBundle } from "./preview-bundle";
import { usePasswordHashes } from "./use-password-hash";
import { useEarlyInput } from "./use-early-input";
import { loadSealingCode, useSealingCode } from "./use-sealing";
import { useShareLink } from "./use-share-link";
import { DEFAULTS } from "../lib/form";
import type { Check, Config, ConfigInput } from "../lib/index";

/**
 * The form, re-rendered only when what it shows changes: a page-wide render (the form library
 * renders the page once more right after hydration) costs it nothing. `errorsKey` stands for
 * the form's errors, which it reads from the form object itself.
 */
const Form = memo(function Form({ errorsKey: _, ...props }: ComponentProps<typeof ConfigForm> & { errorsKey: string }) {
  return <ConfigForm {...props} />;
});

// Only after an import: loaded then.
const Provenance = lazy(() => import("./after-import").then((m) => ({ default: m.Provenance })));

/** With Sealed Secrets, while the sealing code loads: no files. */
const LOADING = { bundle: null, last: null, reason: "" };

/** zodResolver on the engine's schema, both loaded on first use rather than with the page. */
const resolver: Resolver<ConfigInput, unknown, Config> = async (values, context, options) => {
  const [{ configSchema, applicableValues }, { zodResolver }] = await Promise.all([
    loadEngine(),
    import("@hookform/resolvers/zod"),
  ]);
  // Fields that do not apply are judged at their defaults, as the preview uses them.
  return zodResolver(configSchema)(applicableValues(values), context, options);
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
  /** The files' highlighted markup, line by line (README.md, folded, has none). */
  html: Record<string, string[]>;
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
    judge: () => ({ checks: initial.checks, waiting: initial.waiting }),
    merge: null,
    mergeError: null,
  };
}

/**
 * The checks of the files shown, judged in a render of their own at a lower priority: a
 * keystroke's files paint first, their checks a moment later.
 */
function PreviewChecks({ preview }: { preview: PreviewState }) {
  const judged = useDeferredValue(preview);
  if (judged.kind === "invalid") return <ChecksPanel checks={null} outdated={false} />;
  const { checks, waiting } = judged.judge();
  return (
    <ChecksPanel checks={checks} outdated={judged.kind === "outdated"} waiting={waiting} missing={judged.missing} />
  );
}

export interface GeneratorProps {
  initial: InitialPreview;
  /** The share fragment of the settings the server rendered the guide for. */
  guideKey: string;
  importPanel: ReactNode;
  guide: ReactNode;
}

/**
 * The whole generator: an island (./island) hydrated when the user first interacts with it (a
 * focus, a pointer, a key), or at once when the page opens a share link. Until then the server
 * HTML is the page: the files for the default settings, with their placeholders, need no
 * script, and the page's start costs what the framework's does. What is typed, picked or
 * clicked before it hydrates is kept (./use-early-input, and the island replays clicks).
 */
const GeneratorIsland = island<GeneratorProps>(async () => GeneratorBody, { id: GENERATOR_ID, whenVisible: false });

if (typeof window !== "undefined") {
  // A share link's settings are applied at once; so is a link pasted into the address bar later.
  if (window.location.hash.length > 1) wake(GENERATOR_ID);
  else window.addEventListener("hashchange", () => wake(GENERATOR_ID), { once: true });
}

export function Generator(props: GeneratorProps) {
  return (
    <GeneratorIsland {...props}>
      <GeneratorBody {...props} />
    </GeneratorIsland>
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
  const watched = previewShown ? values : deferred;
  // Only read once the engine is there (nothing is validated before).
  const settings = useMemo(() => engine?.applicableValues(watched) ?? watched, [engine, watched]);
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
  const sealed = settings.secretsAs === "sealed";
  const sealingCode = useSealingCode(sealed);
  const share = useShareLink(
    engine,
    shareable,
    (input, sealingCertificate) => {
      form.reset({ ...DEFAULTS, ...input });
      // The certificate, or (too long for a link) the field asks for it again.
      if (input.secretsAs === "sealed")
        void loadSealingCode().then((m) => m.setCertificate(sealingCertificate ?? "", true));
      // Settings from a link replace an imported setup.
      setImported(null);
    },
    sealingCode?.validCertificate(sealed),
  );

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

  // Once the engine is here the guide follows every change: hydrated at the next idle moment,
  // not by the first keystroke that changes it (its hydration would delay that key's paint).
  useEffect(() => {
    if (engine) wakeWhenIdle(GUIDE_ID);
  }, [engine]);

  // The guide holds no credentials, so it follows the settings even before a password is typed.
  const fragment = share.settingsFragment;
  useEffect(() => {
    if (!engine || !shareable || fragment === null) return;
    guideStore.set({ key: fragment, build: () => engine.buildGuide(engine.planBundle(shareable)) });
    // The guide shows the steps the server rendered until its island runs.
    if (fragment !== guideKey) wake(GUIDE_ID);
  }, [engine, shareable, fragment, guideKey]);

  // With Sealed Secrets, only sealed files are shown, copied or downloaded.
  const sealing = sealed
    ? sealingCode && engine?.checkBundle
      ? sealingCode.sealingView(engine.checkBundle, bundle)
      : LOADING
    : null;
  const shown = sealing ? sealing.bundle : bundle;

  // What is shown while the form is invalid: the last files of valid settings.
  const lastShown = useRef<PreviewBundle>(null as unknown as PreviewBundle);
  lastShown.current ??= initialBundle(initial);
  useEffect(() => {
    if (shown && shown.missing !== "hash") lastShown.current = shown;
    if (shown) setPreviewShown(true);
  }, [shown]);

  // The worker's verdicts are there only once the engine is. A pusher's shows with the files,
  // not at the scrape password's hash field.
  const hashError = engine?.hashProblem(hashState) ?? form.formState.errors.passwordHash?.message;
  const pusherHashError = engine?.pusherHashProblem(pusherStates);

  // The same object as long as the bundle is: the results skip renders that change nothing.
  const current = useMemo(() => (shown ? { kind: "current" as const, ...shown } : null), [shown]);
  const fallback = useMemo((): PreviewState | null => {
    if (shown) return null;
    // Until the engine loads, the server's files (never with Sealed Secrets: they are plain).
    if (!engine) return sealing ? { kind: "invalid", reason: "" } : { kind: "current", ...lastShown.current };
    // Missing passwords alone still give files (with placeholders): they are not what holds them up.
    const errors = validation?.ok === false && !candidate ? validation.errors.length : 0;
    return engine.fallbackPreview(errors, hashError ?? pusherHashError, sealing, lastShown.current);
  }, [engine, shown, validation, candidate, hashError, pusherHashError, sealing?.reason, sealing?.last, sealed]);
  const preview = current ?? (fallback as PreviewState);

  const highlight = useMemo(
    () => (engine ? (text: string, plain: boolean) => engine.yamlHtmlLines(text, plain, initial.marks) : null),
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
      <div className="generator" id={GENERATOR_ID}>
        <div className="inputs">
          {importPanel}
          {imported && (
            <Suspense fallback={null}>
              <Provenance applied={imported} onForget={() => setImported(null)} />
            </Suspense>
          )}
          <Form
            // Errors come from the resolver, which runs with the engine.
            errorsKey={engine ? engine.errorsKey(form.formState.errors) : ""}
            form={form}
            values={values}
            reveal={reveal}
            setReveal={setReveal}
            hashError={hashError}
            linkProblems={share.problems}
            restoredFromLink={share.restored}
            keepEarlyPick={keepEarlyPick}
            after={sealingCode?.certificateAfter(settings)}
          />
        </div>
        <div className="results">
          <PreviewChecks preview={preview} />
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
