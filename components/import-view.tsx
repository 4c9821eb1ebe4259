import type { DragEvent, ReactNode, Ref } from "react";

import { IMPORT_ID } from "./island-ids";

export interface ImportViewProps {
  pasted?: string;
  /** Names of the uploaded files. */
  uploaded?: string[];
  busy?: boolean;
  dragging?: boolean;
  textArea?: Ref<HTMLTextAreaElement>;
  fileInput?: Ref<HTMLInputElement>;
  onPaste?: (text: string) => void;
  onFiles?: (files: FileList | null) => void;
  onRemove?: (name: string) => void;
  onDiagnose?: () => void;
  onDragOver?: (event: DragEvent) => void;
  onDragLeave?: () => void;
  onDrop?: (event: DragEvent) => void;
  /** The outcome of a diagnosis. */
  children?: ReactNode;
}

/**
 * The import panel as it shows: no state, no effects. The server renders it with nothing
 * pasted (so the page shows the panel before any script runs); the panel's island
 * (./import-panel) renders it with its state and handlers once it is needed.
 */
export function ImportView({
  pasted = "",
  uploaded = [],
  busy = false,
  dragging = false,
  textArea,
  fileInput,
  onPaste,
  onFiles,
  onRemove,
  onDiagnose,
  onDragOver,
  onDragLeave,
  onDrop,
  children,
}: ImportViewProps) {
  return (
    <section
      id={IMPORT_ID}
      className="import"
      aria-labelledby="import-heading"
      data-dragging={dragging ? "" : undefined}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <h2 id="import-heading">Already installed and getting 401?</h2>
      <p className="hint">
        Paste or drop your values.yaml, <code>helm get values</code> output,{" "}
        <code>kubectl get secret,servicemonitor -o yaml</code> output (or your ScrapeConfig, VMServiceScrape, Alloy
        block or Prometheus job), and the scraper&apos;s target list: Prometheus&apos; or VMAgent&apos;s{" "}
        <code>/api/v1/targets</code> JSON. Nothing leaves this page.
      </p>
      <div className="field">
        <label htmlFor="import-text">Existing setup</label>
        <textarea
          ref={textArea}
          id="import-text"
          rows={6}
          spellCheck={false}
          // Uncontrolled on the server, which has no handler.
          {...(onPaste ? { value: pasted, onChange: (e) => onPaste(e.target.value) } : { defaultValue: pasted })}
        />
      </div>
      <div className="field">
        <label htmlFor="import-files">Upload files</label>
        <input
          ref={fileInput}
          id="import-files"
          type="file"
          multiple
          accept=".yaml,.yml,.txt,.json,.alloy"
          onChange={onFiles && ((e) => onFiles(e.target.files))}
        />
      </div>
      {uploaded.length > 0 && (
        <ul className="file-list" aria-label="Uploaded files">
          {uploaded.map((name) => (
            <li key={name}>
              <code>{name}</code>{" "}
              <button type="button" aria-label={`Remove ${name}`} onClick={onRemove && (() => onRemove(name))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onDiagnose} disabled={busy || (!pasted.trim() && uploaded.length === 0)}>
        {busy ? "Diagnosing…" : "Diagnose"}
      </button>
      {children}
    </section>
  );
}
