"use client";
import { useState } from "react";
import type { Check, Config, DiffLine } from "../lib/index";
import { ValuesDiff } from "./values-diff";
import { copyText } from "./clipboard";
import { YamlCode } from "./yaml-code";

export interface PreviewBundle {
  config: Config;
  /** What Copy and Download give: the real files. */
  files: Record<string, string>;
  /** What is shown: the same files with the password masked. */
  display: Record<string, string>;
  /** Files still waiting for the bcrypt hash. */
  pending: string[];
  checks: Check[];
  /** With an imported values file: what the merge changed in it (password masked). */
  merge: { fileName: string; diff: DiffLine[]; maskedDiff: DiffLine[]; notes: string[]; secrets: string[] } | null;
  /** Why the imported values file could not take the fix (the generated values.yaml is used). */
  mergeError: string | null;
}

export type PreviewState =
  | { kind: "waiting-for-password" }
  | { kind: "loading" }
  /** No valid settings yet (and no earlier files to show). */
  | { kind: "invalid"; reason: string }
  | ({ kind: "current" } & PreviewBundle)
  | ({ kind: "outdated"; reason: string } & PreviewBundle);

function save(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A file's text; the guide below shows README.md's steps, so that file stays folded, and is
 * not rendered until opened.
 */
function FileBody({ name, text }: { name: string; text: string }) {
  const [open, setOpen] = useState(false);
  if (!name.endsWith(".md")) return <YamlCode text={text} plain={name.endsWith(".sh")} />;
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Show {name}</summary>
      {open && <YamlCode text={text} plain />}
    </details>
  );
}

const mimeOf = (name: string) => (name.endsWith(".sh") ? "text/x-shellscript" : "application/yaml");

/** Every file the engine produced, each with Copy and Download, plus Download all. */
export function BundlePreview({ state, reveal }: { state: PreviewState; reveal: boolean }) {
  const [status, setStatus] = useState("");
  if (state.kind === "waiting-for-password" || state.kind === "loading" || state.kind === "invalid") {
    return (
      <section className="preview" aria-labelledby="files-heading">
        <h2 id="files-heading">Files</h2>
        <p className="hint">
          {state.kind === "loading"
            ? "Loading the generator…"
            : state.kind === "invalid"
              ? state.reason
              : "Type a password, or generate one, to see the files."}
        </p>
      </section>
    );
  }
  const outdated = state.kind === "outdated";
  const usable = !outdated && state.pending.length === 0;

  const copy = async (name: string) =>
    setStatus(
      (await copyText(state.files[name] as string))
        ? `Copied ${name}`
        : `Could not copy ${name}: the browser refused clipboard access`,
    );
  const downloadAll = async () => {
    // Loaded on demand: most visits never download the archive.
    const { bundleZip } = await import("../lib/archive/bundle-zip");
    save(`pushgateway-auth-${state.config.releaseName}.zip`, bundleZip(state.files) as BlobPart, "application/zip");
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
        <button type="button" onClick={downloadAll} disabled={!usable}>
          Download all
        </button>
      </div>
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
      {state.merge && <ValuesDiff {...state.merge} reveal={reveal} />}
      {Object.keys(state.files).map((name) => {
        const pending = state.pending.includes(name);
        const headingId = `file-${name.replace(/[^a-z0-9]/gi, "-")}`;
        return (
          <section key={name} className="file" aria-labelledby={headingId}>
            <div className="file-head">
              <h3 id={headingId}>{name}</h3>
              <button
                type="button"
                aria-label={`Copy ${name}`}
                disabled={!usable || pending}
                onClick={() => copy(name)}
              >
                Copy
              </button>
              <button
                type="button"
                aria-label={`Download ${name}`}
                disabled={!usable || pending}
                onClick={() => {
                  // Browsers keep no directories in a download's name: the zip keeps them.
                  save(name.split("/").pop() as string, state.files[name] as string, mimeOf(name));
                  setStatus(`Downloaded ${name}`);
                }}
              >
                Download
              </button>
            </div>
            {pending ? (
              <p className="pending">Computing the bcrypt hash of the password…</p>
            ) : (
              <FileBody name={name} text={(reveal ? state.files : state.display)[name] as string} />
            )}
          </section>
        );
      })}
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </section>
  );
}
