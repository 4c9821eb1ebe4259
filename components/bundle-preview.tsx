"use client";
import { lazy, memo, Suspense, useMemo, useState } from "react";
import type { Check, Config, DiffLine } from "../lib/index";
import { copyText } from "./clipboard";
import { saveFile } from "./save-file";
import { StackedText } from "./stacked-text";

/** What the files still wait for: the password (placeholders), or its hash (being computed). */
export type Missing = "password" | "hash" | null;

export interface PreviewBundle {
  /** The settings, credentials included; null for the page's first, server-rendered, files. */
  config: Config | null;
  /** What Copy and Download give: the real files (or, where `held`, files with placeholders). */
  files: Record<string, string>;
  /** What is shown: the same files with the password masked. */
  display: Record<string, string>;
  /** Files that still hold a placeholder for the password or its hash: not to be copied. */
  held: string[];
  /** Files that hold the credentials (or their placeholders). */
  credentialFiles: string[];
  missing: Missing;
  /**
   * The consistency checks of these files, judged on first call and kept: the checks panel
   * asks in a render of its own, after the keystroke's files have painted.
   */
  judge: () => Verdict;
  /** With an imported values file: what the merge changed in it (password masked). */
  merge: { fileName: string; diff: DiffLine[]; maskedDiff: DiffLine[]; notes: string[]; secrets: string[] } | null;
  /** Why the imported values file could not take the fix (the generated values.yaml is used). */
  mergeError: string | null;
}

export interface Verdict {
  checks: Check[];
  /** Ids of checks that wait for what is missing. */
  waiting: string[];
}

export type PreviewState =
  /** No valid settings yet, and no earlier files to show. */
  | { kind: "invalid"; reason: string }
  | ({ kind: "current" } & PreviewBundle)
  | ({ kind: "outdated"; reason: string } & PreviewBundle);

// Only with an imported values file: loaded then.
const ValuesDiff = lazy(() => import("./after-import").then((m) => ({ default: m.ValuesDiff })));

/**
 * Highlights a file's text (YAML, or other text with `plain`) as HTML, line by line; loaded
 * with the engine.
 */
export type Highlight = (text: string, plain: boolean) => string[];

/**
 * A file's text, highlighted: by the server for the page's first files (`html`), in the browser
 * for the others. Before the highlighter has loaded, a file without server markup shows plain.
 */
const Code = memo(function Code({
  text,
  plain,
  html,
  highlight,
}: {
  text: string;
  plain: boolean;
  html: string[] | undefined;
  highlight: Highlight | null;
}) {
  const lines = useMemo(() => (highlight ? highlight(text, plain) : html), [highlight, text, plain, html]);
  return (
    // Focusable so keyboard users can scroll long lines (WCAG 2.1.1).
    <pre className="code" tabIndex={0}>
      <code>
        {/* A line each: React sets the markup of the lines that changed only, so a keystroke
            re-parses those, not the whole file. */}
        {lines ? lines.map((line, i) => <span key={i} dangerouslySetInnerHTML={{ __html: line }} />) : text}
      </code>
    </pre>
  );
});

/**
 * A file; the guide below shows README.md's steps, so that file stays folded, and is not
 * rendered until opened.
 */
function FileBody({
  name,
  text,
  html,
  highlight,
}: {
  name: string;
  text: string;
  html: string[] | undefined;
  highlight: Highlight | null;
}) {
  const [open, setOpen] = useState(false);
  if (!name.endsWith(".md")) return <Code text={text} plain={name.endsWith(".sh")} html={html} highlight={highlight} />;
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show {name}</summary>
      {open && <Code text={text} plain html={html} highlight={highlight} />}
    </details>
  );
}

const mimeOf = (name: string) => (name.endsWith(".sh") ? "text/x-shellscript" : "application/yaml");

// Each note can turn into the others as the password arrives: all take the room of the longest.
const FILE_NOTES = {
  password: "Holds placeholders where the password goes: Copy and Download work once you type or generate one.",
  hash: "Computing the bcrypt hash of the password…",
  ready: "Holds the credentials: keep it out of git, or encrypt it (SOPS, Sealed Secrets).",
} as const;
const PREVIEW_NOTES = {
  password:
    "Placeholders stand where the password and its hash go. Type or generate a password in the form to copy or download the files.",
  hash: "Computing the bcrypt hash of the password…",
  ready: "The files agree with each other on every name, key, namespace, label and hash.",
} as const;

function Note({ notes, kind, id }: { notes: Record<string, string>; kind: string; id: string }) {
  return (
    <p id={id} className="note">
      <StackedText others={Object.entries(notes).flatMap(([k, text]) => (k === kind ? [] : [text]))}>
        {notes[kind]}
      </StackedText>
    </p>
  );
}

/**
 * Every file the engine produced, each with Copy and Download, plus Download all. Before the
 * password is known the files hold placeholders for it, and cannot be copied or downloaded.
 */
export const BundlePreview = memo(function BundlePreview({
  state,
  reveal,
  html,
  highlight,
}: {
  state: PreviewState;
  reveal: boolean;
  /** The server's markup of the page's first files, by name, line by line. */
  html: Record<string, string[]>;
  highlight: Highlight | null;
}) {
  const [status, setStatus] = useState("");
  if (state.kind === "invalid") {
    return (
      <section className="preview" aria-labelledby="files-heading">
        <h2 id="files-heading">Files</h2>
        <p className="hint">{state.reason}</p>
      </section>
    );
  }
  const outdated = state.kind === "outdated";
  const usable = !outdated && state.held.length === 0 && state.config !== null;
  const noteKind = state.missing ?? "ready";

  const copy = async (name: string) =>
    setStatus(
      (await copyText(state.files[name] as string))
        ? `Copied ${name}`
        : `Could not copy ${name}: the browser refused clipboard access`,
    );
  const downloadAll = async () => {
    if (!state.config) return;
    // Loaded on demand: most visits never download the archive.
    const { bundleZip } = await import("../lib/archive/bundle-zip");
    saveFile(`pushgateway-auth-${state.config.releaseName}.zip`, bundleZip(state.files) as BlobPart, "application/zip");
    setStatus("Downloaded all files as a zip archive");
  };

  return (
    <section
      className="preview"
      aria-labelledby="files-heading"
      aria-describedby={outdated ? "outdated-note" : undefined}
      data-outdated={outdated ? "" : undefined}
    >
      <div className="preview-head">
        <h2 id="files-heading">Files</h2>
        <button
          type="button"
          onClick={downloadAll}
          disabled={!usable}
          aria-describedby={state.held.length ? "files-note" : undefined}
        >
          Download all
        </button>
      </div>
      <Note id="files-note" notes={PREVIEW_NOTES} kind={noteKind} />
      {outdated && (
        <p id="outdated-note" className="banner banner-outdated">
          <strong>Outdated.</strong> {state.reason} These are the last valid files.
        </p>
      )}
      {state.mergeError && (
        <p role="alert" className="banner banner-fail">
          Your values file could not take the fix ({state.mergeError}); values.yaml below is generated instead.
        </p>
      )}
      {state.merge && (
        <Suspense fallback={null}>
          <ValuesDiff {...state.merge} reveal={reveal} />
        </Suspense>
      )}
      {Object.keys(state.files).map((name) => {
        const held = state.held.includes(name);
        const slug = name.replace(/[^a-z0-9]/gi, "-");
        const headingId = `file-${slug}`;
        const noteId = `note-${slug}`;
        const canUse = !outdated && !held;
        return (
          <section key={name} className="file" aria-labelledby={headingId} data-placeholder={held ? "" : undefined}>
            <div className="file-head">
              <h3 id={headingId}>{name}</h3>
              <button
                type="button"
                aria-label={`Copy ${name}`}
                aria-describedby={held ? noteId : undefined}
                disabled={!canUse}
                onClick={() => copy(name)}
              >
                Copy
              </button>
              <button
                type="button"
                aria-label={`Download ${name}`}
                aria-describedby={held ? noteId : undefined}
                disabled={!canUse}
                onClick={() => {
                  // Browsers keep no directories in a download's name: the zip keeps them.
                  saveFile(name.split("/").pop() as string, state.files[name] as string, mimeOf(name));
                  setStatus(`Downloaded ${name}`);
                }}
              >
                Download
              </button>
            </div>
            {state.credentialFiles.includes(name) && (
              <Note id={noteId} notes={FILE_NOTES} kind={held ? noteKind : "ready"} />
            )}
            <FileBody
              name={name}
              text={(reveal ? state.files : state.display)[name] as string}
              html={state.config === null ? html[name] : undefined}
              highlight={highlight}
            />
          </section>
        );
      })}
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </section>
  );
});
