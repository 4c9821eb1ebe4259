import { memo } from "react";
import { MASK } from "./mask";
import type { DiffLine } from "../lib/index";

// Unchanged lines shown around each change.
const CONTEXT = 2;

/** What the fix changes in the user's own values file, as a line diff with some context. */
export const ValuesDiff = memo(function ValuesDiff({
  fileName,
  diff: realDiff,
  maskedDiff,
  notes,
  secrets,
  reveal,
}: {
  fileName: string;
  diff: DiffLine[];
  /** The same diff with the password the fix writes masked. */
  maskedDiff: DiffLine[];
  notes: string[];
  /** Passwords of the user's own file to mask, in the forms YAML writes them. */
  secrets: string[];
  reveal: boolean;
}) {
  const diff = reveal ? realDiff : maskedDiff;
  const forms = secrets.flatMap((s) => (s ? [JSON.stringify(s), `'${s.replaceAll("'", "''")}'`, s] : []));
  const show = (text: string) => (reveal ? text : forms.reduce((t, form) => t.replaceAll(form, MASK), text));
  const near = diff.map((_, i) =>
    diff.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((line) => line.kind !== "kept"),
  );
  const added = diff.filter((l) => l.kind === "added").length;
  const removed = diff.filter((l) => l.kind === "removed").length;
  return (
    <section className="file values-diff" aria-labelledby="values-diff-heading">
      <h3 id="values-diff-heading">Changes to your {fileName}</h3>
      <p>
        {added} {added === 1 ? "line" : "lines"} added, {removed} removed; every other line of your file is kept as it
        was.
      </p>
      {notes.length > 0 && (
        <ul>
          {notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
      <pre className="code diff" tabIndex={0}>
        <code>
          {diff.map((line, i) =>
            near[i] ? (
              <span key={i} className={`line diff-${line.kind}`}>
                {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
                {show(line.text)}
                {"\n"}
              </span>
            ) : near[i - 1] ? (
              <span key={i} className="line diff-gap">
                {"  …\n"}
              </span>
            ) : null,
          )}
        </code>
      </pre>
    </section>
  );
});
