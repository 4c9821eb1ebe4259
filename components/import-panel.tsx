"use client";
import { useContext, useEffect, useRef, useState, type DragEvent, type ReactNode } from "react";
import { HashClient } from "./hash-client";
import { ImportBridgeContext } from "./island-bridges";
import { ImportView } from "./import-view";
import { IMPORT_ID } from "./island-ids";
import { takeEarlyEvents } from "./island";
import { FIELDS } from "../lib/form";
import type {
  ConfigInput,
  DiagnosisReport,
  FieldName,
  InputFile,
  InputProblem,
  SetupImport,
  Source,
} from "../lib/index";

type Diagnosis = typeof import("../lib/diagnose/index");

const PASTED = "pasted text";
const SEVERITY_WORD = { fail: "Fail", warn: "Warning", info: "Not checked" } as const;

/** An import the form was filled from; its values file takes the fix from then on. */
export interface AppliedImport {
  setup: SetupImport;
  fixSetup: Diagnosis["fixSetup"];
  /** Where each prefilled field came from, as the page says it. */
  provenance: { field: FieldName; from: string; alsoFound: string[] }[];
}

type Outcome =
  | {
      kind: "report";
      report: DiagnosisReport;
      setup: SetupImport | null;
      describe: (s: Source) => string;
      fixSetup: Diagnosis["fixSetup"];
    }
  | { kind: "problems"; problems: InputProblem[] };

/** How the page names a fact the user typed: the form field. */
const formName = (field: FieldName) => `the form's ${FIELDS[field].label}`;

type MatchesHash = (password: string, hash: string) => boolean | undefined;

/**
 * Runs `run` with bcrypt comparisons answered in the worker: a first pass records the
 * (password, hash) pairs it asks about, the worker compares them off the main thread, and a
 * second pass gets the answers. Hashes costlier than a few seconds stay unanswered. `answers`
 * keeps them across runs: one diagnosis asks about the same pair several times, and each
 * comparison costs as much as a hash.
 */
async function withWorkerBcrypt<T>(
  client: HashClient,
  answers: Map<string, boolean>,
  run: (matches: MatchesHash) => T,
): Promise<T> {
  const asked = new Map<string, [string, string]>();
  const first = run((password, hash) => {
    const key = `${hash}\u0000${password}`;
    if (!answers.has(key)) asked.set(key, [password, hash]);
    return answers.get(key);
  });
  if (asked.size === 0) return first;
  // With the engine, loaded on first use.
  const { bcryptCost, MAX_VERIFIED_BCRYPT_COST } = await import("../lib/form");
  for (const [key, [password, hash]] of asked) {
    const cost = bcryptCost(hash);
    if (cost === null || cost > MAX_VERIFIED_BCRYPT_COST) continue;
    const response = await client.run({ type: "verify", password, hash });
    if ("matches" in response) answers.set(key, response.matches);
  }
  return run((password, hash) => answers.get(`${hash}\u0000${password}`));
}

/**
 * Paste or drop what is deployed; see why Prometheus gets 401 and fill the form from it. An
 * island, loaded when needed (components/islands.tsx): the server renders its view, `children`.
 */
export function ImportPanel(_: { children: ReactNode }) {
  const bridge = useContext(ImportBridgeContext);
  const formValues = () => bridge?.formValues() ?? {};
  const onApply = (applied: AppliedImport) => bridge?.apply(applied);
  const [pasted, setPastedState] = useState("");
  const [uploaded, setUploadedState] = useState<InputFile[]>([]);
  // What a diagnosis reads: the latest input, even before the render that shows it.
  const latest = useRef<{ pasted: string; uploaded: InputFile[] }>({ pasted: "", uploaded: [] });
  const setPasted = (text: string) => {
    latest.current.pasted = text;
    setPastedState(text);
  };
  const setUploaded = (next: InputFile[]) => {
    latest.current.uploaded = next;
    setUploadedState(next);
  };
  // Files still being read: a diagnosis waits for them, so their arrival never cancels it.
  const reading = useRef<Promise<void>>(Promise.resolve());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const client = useRef<HashClient | null>(null);
  const bcryptAnswers = useRef(new Map<string, boolean>());
  // Each change to the input starts a new generation; a diagnosis of an older one is dropped.
  const generation = useRef(0);
  const changed = () => {
    generation.current++;
    setOutcome(null);
  };
  useEffect(() => () => client.current?.terminate(), []);
  // What was pasted or picked while the scripts loaded is in the DOM but not in the state.
  const textArea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (textArea.current?.value) setPasted(textArea.current.value);
    addFiles(fileInput.current?.files ?? null);
    // Files dropped on the panel before it ran.
    const { drops } = takeEarlyEvents(IMPORT_ID);
    addFiles(drops);
    // Once, on hydration: later changes arrive as change events.
  }, []);

  const files = (): InputFile[] => {
    const { pasted, uploaded } = latest.current;
    return [...(pasted.trim() ? [{ name: PASTED, text: pasted }] : []), ...uploaded];
  };

  const addFiles = (list: FileList | File[] | null) => {
    if (!list?.length) return;
    const picked = [...list];
    const read = reading.current.then(async () => {
      const read = await Promise.all(picked.map(async (f) => ({ name: f.name, text: await f.text() })));
      const current = latest.current.uploaded;
      // The same files again (React replays the change event that woke the island): no change.
      if (read.every((r) => current.some((c) => c.name === r.name && c.text === r.text))) return;
      setUploaded([...current.filter((c) => !read.some((r) => r.name === c.name)), ...read]);
      changed();
    });
    reading.current = read.catch((error: unknown) => {
      // A file gone or unreadable since it was picked: said, and the next files still read.
      changed();
      setOutcome({
        kind: "problems",
        problems: [{ file: null, field: null, message: `A file could not be read: ${String(error)}` }],
      });
    });
  };

  const diagnose = async () => {
    setBusy(true);
    await reading.current;
    const started = generation.current;
    client.current ??= new HashClient();
    try {
      // Loaded on first use: most visits never diagnose anything.
      const diagnosis = await import("../lib/diagnose/index");
      const worker = client.current;
      const diagnose = (given: Partial<ConfigInput>) =>
        withWorkerBcrypt(worker, bcryptAnswers.current, (passwordMatchesHash) =>
          diagnosis.diagnoseSetup(files(), { given, passwordMatchesHash }),
        );
      let given: Partial<ConfigInput> = {};
      let result = await diagnose(given);
      // Facts the files do not hold come from the form, and the report says so.
      const missing = result.ok ? [] : result.problems.map((p) => p.field).filter((f): f is FieldName => f !== null);
      if (!result.ok && missing.length > 0 && missing.length === result.problems.length) {
        const values = formValues();
        given = Object.fromEntries(missing.map((f) => [f, values[f]]));
        result = await diagnose(given);
      }
      if (started !== generation.current) return;
      if (!result.ok) {
        setOutcome({ kind: "problems", problems: result.problems });
        return;
      }
      const imported = await withWorkerBcrypt(worker, bcryptAnswers.current, (passwordMatchesHash) =>
        diagnosis.importSetup(files(), given, { passwordMatchesHash }),
      );
      if (started !== generation.current) return;
      const describe = (source: Source) => diagnosis.formatSource(source, formName);
      setOutcome({
        kind: "report",
        report: result.report,
        setup: imported.ok ? imported.import : null,
        describe,
        fixSetup: diagnosis.fixSetup,
      });
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  };

  return (
    <ImportView
      pasted={pasted}
      uploaded={uploaded.map((f) => f.name)}
      busy={busy}
      dragging={dragging}
      textArea={textArea}
      fileInput={fileInput}
      onPaste={(text) => {
        setPasted(text);
        changed();
      }}
      onFiles={addFiles}
      onRemove={(name) => {
        setUploaded(latest.current.uploaded.filter((x) => x.name !== name));
        changed();
      }}
      onDiagnose={diagnose}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {outcome?.kind === "problems" && (
        <div role="alert" className="banner banner-fail">
          <p>These files cannot be diagnosed:</p>
          <ul>
            {outcome.problems.map((p, i) => (
              <li key={i}>
                {p.file ? `${p.file}: ` : ""}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === "report" && (
        <Report
          outcome={outcome}
          onApply={(setup) =>
            onApply({
              setup,
              fixSetup: outcome.fixSetup,
              provenance: (Object.keys(setup.provenance) as FieldName[]).map((field) => ({
                field,
                from: outcome.describe(setup.provenance[field]!.source),
                alsoFound: setup.provenance[field]!.alternatives.map(outcome.describe),
              })),
            })
          }
        />
      )}
    </ImportView>
  );
}

function Report({
  outcome,
  onApply,
}: {
  outcome: Extract<Outcome, { kind: "report" }>;
  onApply: (s: SetupImport) => void;
}) {
  const { report, setup, describe } = outcome;
  const failed = report.findings.filter((f) => f.severity === "fail").length;
  return (
    <section className="diagnosis" aria-labelledby="diagnosis-heading">
      <h3 id="diagnosis-heading">Diagnosis</h3>
      <p>
        prometheus-pushgateway {report.chartVersion.value}, release {report.releaseName.value} in{" "}
        {report.namespace.value}.
      </p>
      <ul className="facts">
        {(["chartVersion", "releaseName", "namespace"] as const).map((f) => (
          <li key={f}>
            {FIELDS[f].label}: {describe(report[f].source)}
          </li>
        ))}
      </ul>
      {failed > 0 ? (
        <p role="alert" className="banner banner-fail">
          {failed} {failed === 1 ? "problem stops" : "problems stop"} Prometheus from scraping Pushgateway.
        </p>
      ) : (
        <p role="status" className="banner banner-pass">
          Healthy: nothing here would make Prometheus get 401 or skip Pushgateway.
        </p>
      )}
      <ol className="findings">
        {report.findings.map((finding, i) => (
          <li key={i} className={`finding finding-${finding.severity}`}>
            <p>
              <strong>
                {SEVERITY_WORD[finding.severity]}: {finding.title}
              </strong>
            </p>
            <p>{finding.message}</p>
            {finding.evidence.length > 0 && (
              <ul className="evidence" aria-label="Evidence">
                {finding.evidence.map((e, j) => (
                  <li key={j}>
                    <code>{describe(e)}</code>
                  </li>
                ))}
              </ul>
            )}
            <p>
              <em>Fix:</em> {finding.fix}
            </p>
          </li>
        ))}
      </ol>
      {setup && (
        <>
          <button type="button" onClick={() => onApply(setup)}>
            Fill the form from this setup
          </button>
          <p className="hint">
            The form takes every value found (listed with where it came from below the form)
            {setup.valuesFile
              ? `, and the preview's values.yaml becomes your ${setup.valuesFile.name} with only the fix merged in`
              : ""}
            .
          </p>
        </>
      )}
    </section>
  );
}
