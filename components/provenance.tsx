import type { AppliedImport } from "./import-panel";
import { FIELDS } from "../lib/form";

/** Where each value the import put in the form came from: nothing is guessed silently. */
export function Provenance({ applied, onForget }: { applied: AppliedImport; onForget: () => void }) {
  const { setup, provenance } = applied;
  return (
    <section className="provenance" aria-labelledby="provenance-heading">
      <h2 id="provenance-heading">Filled in from your setup</h2>
      <ul>
        {provenance.map(({ field, from, alsoFound }) => (
          <li key={field}>
            <strong>{FIELDS[field].label}</strong> from <code>{from}</code>
            {alsoFound.length > 0 && <> (also found: {alsoFound.join("; ")})</>}
          </li>
        ))}
      </ul>
      {setup.missing.length > 0 && (
        <p>
          Not in your files, so the form keeps its own value: {setup.missing.map((f) => FIELDS[f].label).join(", ")}.
        </p>
      )}
      {setup.valuesFile && (
        <button type="button" onClick={onForget}>
          Stop merging into {setup.valuesFile.name}
        </button>
      )}
    </section>
  );
}
