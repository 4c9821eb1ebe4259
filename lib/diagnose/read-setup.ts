/**
 * Reads what a user pastes about an existing setup: values files, `helm get values` output and
 * manifests (`kubectl get ... -o yaml`, `kind: List`, multi-document YAML). Every object keeps
 * its origin (file, document, path) so each finding and prefilled field can point at it.
 */
import { isMap, type Values } from "../values/values";
import type { FieldName } from "../config/schema";
import type { Origin, Placed } from "../engine/cluster-view";
import { formatPath, lineOf, parseYamlStructure, type YamlPath, type YamlStructure } from "../yaml/document";
import { cyclePath, parseYamlStream } from "../yaml/serialize";

/** One pasted or uploaded file. */
export interface InputFile {
  /** Shown in every finding; must be unique among the files. */
  name: string;
  text: string;
}

/** Why the input cannot be used at all (exit status 2 in the CLI). */
export interface InputProblem {
  /** The file at fault, or null for a missing or invalid fact. */
  file: string | null;
  /** The fact to give or correct (its form field and CLI flag), or null for a file problem. */
  field: FieldName | null;
  message: string;
}

export type FileOrigin = Extract<Origin, { kind: "file" }>;

interface ValuesDocument {
  file: string;
  document: number;
  /** `helm-get-values` when the file starts with helm's `USER-SUPPLIED VALUES:` line. */
  format: "values" | "helm-get-values";
  values: Values;
}

/** A Kubernetes object as read: only `kind` and `apiVersion` are known to be text. */
export type KubeObject = Record<string, unknown> & { kind: string; apiVersion: string };

export interface IgnoredDocument {
  origin: FileOrigin;
  reason: string;
}

export interface SetupFiles {
  files: readonly InputFile[];
  values: ValuesDocument[];
  objects: Placed<KubeObject>[];
  ignored: IgnoredDocument[];
  structures: ReadonlyMap<string, YamlStructure>;
}

type ReadSetupResult = { ok: true; setup: SetupFiles } | { ok: false; problems: InputProblem[] };

// `helm get values` prints this line before the YAML (`-a` prints COMPUTED VALUES:).
const HELM_HEADER = /^(USER-SUPPLIED|COMPUTED) VALUES:[ \t]*\r?$/;

/** The index of helm's header line, or -1; only blank and comment lines may come before it. */
function helmHeaderLine(text: string): number {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (HELM_HEADER.test(line)) return i;
    if (line.trim() !== "" && !line.trimStart().startsWith("#")) return -1;
  }
  return -1;
}

/**
 * The text without helm's header line, which is not part of the values: blanked, so that line
 * numbers stay the same, or with `removeLine` taken out (a values file to write back).
 */
export function withoutHelmHeader(text: string, removeLine = false): string {
  const at = helmHeaderLine(text);
  if (at < 0) return text;
  const lines = text.split("\n");
  if (removeLine) lines.splice(at, 1);
  else lines[at] = (lines[at] as string).endsWith("\r") ? "\r" : "";
  return lines.join("\n");
}

/** Completes "<file> ..." for a value that contains itself through an alias. */
export function cyclicAliasMessage(where: string): string {
  return `cannot be used: the alias at ${where} points back into the anchor that holds it, so the value never ends (a YAML cycle)`;
}

function isKubeObject(v: unknown): v is KubeObject {
  return isMap(v) && typeof v.kind === "string" && typeof v.apiVersion === "string";
}

/** Parses and sorts every document of every file; never throws. */
export function readSetupFiles(files: readonly InputFile[]): ReadSetupResult {
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.name))
      problems.push({ file: file.name, field: null, message: `two files are named ${file.name}` });
    seen.add(file.name);
  }
  if (problems.length) return { ok: false, problems };

  const values: ValuesDocument[] = [];
  const objects: Placed<KubeObject>[] = [];
  const ignored: IgnoredDocument[] = [];
  const structures = new Map<string, YamlStructure>();
  for (const file of files) {
    const helm = helmHeaderLine(file.text) >= 0;
    const text = withoutHelmHeader(file.text);
    const structure = parseYamlStructure(text);
    if (!structure.structure) {
      problems.push({ file: file.name, field: null, message: `${file.name} is not valid YAML: ${structure.error}` });
      continue;
    }
    let docs: unknown[];
    try {
      docs = parseYamlStream(text);
    } catch (error) {
      problems.push({
        file: file.name,
        field: null,
        message: `${file.name} is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
      });
      continue;
    }
    const cycle = docs.map((doc, document) => ({ document, path: cyclePath(doc) })).find((c) => c.path !== null);
    if (cycle?.path) {
      const where = `${formatPath(cycle.path)}${docs.length > 1 ? ` (document ${cycle.document + 1})` : ""}`;
      problems.push({ file: file.name, field: null, message: `${file.name} ${cyclicAliasMessage(where)}` });
      continue;
    }
    // Both readers split documents the same way; positions are only trusted when they agree.
    if (docs.length === structure.structure.documents.length) structures.set(file.name, structure.structure);
    const before = values.length + objects.length + ignored.length;
    docs.forEach((doc, document) => {
      const origin = (path: YamlPath): FileOrigin => ({ kind: "file", file: file.name, document, path });
      if (doc === null || doc === undefined) return;
      if (isKubeObject(doc)) {
        if (/List$/.test(doc.kind) && Array.isArray(doc.items)) {
          doc.items.forEach((item: unknown, i: number) => {
            if (isKubeObject(item)) objects.push({ object: item, origin: origin(["items", i]) });
            else
              ignored.push({ origin: origin(["items", i]), reason: "not a Kubernetes object (no kind or apiVersion)" });
          });
        } else objects.push({ object: doc, origin: origin([]) });
      } else if (isMap(doc) && (helm || (doc.kind === undefined && doc.apiVersion === undefined))) {
        values.push({ file: file.name, document, format: helm ? "helm-get-values" : "values", values: doc });
      } else {
        ignored.push({
          origin: origin([]),
          reason: isMap(doc)
            ? "has kind or apiVersion but not both, so it is neither a Kubernetes object nor chart values"
            : "is neither chart values (a map) nor a Kubernetes object",
        });
      }
    });
    // An empty values file, or `helm get values` of a release without values (`null`), says
    // that the chart's defaults apply; that is not the same as pasting no values at all.
    if (values.length + objects.length + ignored.length === before) {
      values.push({ file: file.name, document: 0, format: helm ? "helm-get-values" : "values", values: {} });
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, setup: { files, values, objects, ignored, structures } };
}

/** 1-based line of `path` inside the object at `origin`, when positions are known. */
export function lineIn(setup: SetupFiles, origin: FileOrigin, path: YamlPath = []): number | null {
  const structure = setup.structures.get(origin.file);
  return structure ? lineOf(structure, origin.document, [...origin.path, ...path]) : null;
}

/** `items[2].metadata.name`: the path inside the document. */
export function pathIn(origin: FileOrigin, path: YamlPath = []): string {
  return formatPath([...origin.path, ...path]);
}
