/**
 * Reads what a user pastes about an existing setup: values files, `helm get values` output and
 * manifests (`kubectl get ... -o yaml`, `kind: List`, multi-document YAML). Every object keeps
 * its origin (file, document, path) so each finding and prefilled field can point at it.
 */
import { sortDocuments, type FileOrigin, type InputProblem, type SetupFiles } from "../rules/input";
import { lineOf, parseYamlStructure, type YamlStructure } from "../yaml/document";
import { formatPath, type YamlPath } from "../yaml/path";
import { cyclePath, parseYamlStream } from "../yaml/serialize";

/** One pasted or uploaded file. */
export interface InputFile {
  /** Shown in every finding; must be unique among the files. */
  name: string;
  text: string;
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

/** A block Alloy reads the scrape Secret or scrapes with, at the start of a line. */
const ALLOY_BLOCK = /^[ \t]*(prometheus\.scrape|remote\.kubernetes\.secret)[ \t]+"[^"\n]*"[ \t]*\{/m;

function isAlloyConfig(file: InputFile): boolean {
  return file.name.endsWith(".alloy") || ALLOY_BLOCK.test(file.text);
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

  const sorted: Pick<SetupFiles, "values" | "objects" | "ignored" | "scraperConfigs" | "targetLists"> = {
    values: [],
    objects: [],
    ignored: [],
    scraperConfigs: [],
    targetLists: [],
  };
  const structures = new Map<string, YamlStructure>();
  for (const file of files) {
    // An Alloy configuration is not YAML: its blocks are read as they are (lib/rules/scraper-rules.ts).
    if (isAlloyConfig(file)) {
      sorted.scraperConfigs?.push({ kind: "alloy", file: file.name, text: file.text });
      continue;
    }
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
    const count = () =>
      sorted.values.length +
      sorted.objects.length +
      sorted.ignored.length +
      (sorted.scraperConfigs?.length ?? 0) +
      (sorted.targetLists?.length ?? 0);
    const before = count();
    sortDocuments(file.name, docs, helm, sorted);
    // An empty values file, or `helm get values` of a release without values (`null`), says
    // that the chart's defaults apply; that is not the same as pasting no values at all.
    if (count() === before) {
      sorted.values.push({ file: file.name, document: 0, format: helm ? "helm-get-values" : "values", values: {} });
    }
  }
  if (problems.length) return { ok: false, problems };
  const lineOfPath = (origin: FileOrigin, path: YamlPath): number | null => {
    const structure = structures.get(origin.file);
    return structure ? lineOf(structure, origin.document, [...origin.path, ...path]) : null;
  };
  return { ok: true, setup: { ...sorted, lineOf: lineOfPath } };
}
