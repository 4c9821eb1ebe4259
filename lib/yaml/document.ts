/**
 * Where things sit in a YAML text: documents, nodes, byte ranges and lines, read with the
 * `yaml` package's Document API. Values are read by ./serialize.ts (the one YAML 1.1 reader);
 * this module only locates them, for provenance and for edits that keep every other byte.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { YamlPath } from "./path";

export interface YamlStructure {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

type YamlStructureResult = { structure: YamlStructure; error: null } | { structure: null; error: string };

// Aliases of aliases grow exponentially ("billion laughs"); the yaml package counts the cost.
const MAX_ALIAS_COUNT = 100;

/** The first line of a parser message, with its position. */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).trim().replace(/:$/, "");
}

/** Parses a YAML stream for its structure (YAML 1.1), or says why it cannot be read. */
export function parseYamlStructure(text: string): YamlStructureResult {
  try {
    const lineCounter = new LineCounter();
    // logLevel "error": the library would otherwise print warnings about odd keys to the console.
    const documents = Array.from(parseAllDocuments(text, { version: "1.1", lineCounter, logLevel: "error" }));
    for (const doc of documents) {
      const error = doc.errors[0];
      if (error) return { structure: null, error: firstLine(error.message) };
      // Expands aliases once, within a budget, so a hostile file cannot blow up later walks.
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
    }
    return { structure: { documents, lineCounter }, error: null };
  } catch (error) {
    return { structure: null, error: firstLine((error as Error).message) };
  }
}

/** A map key as the value readers see it: `yes` is "true", `~` is "null", `1` is "1". */
export function keyText(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

interface NodeMatch {
  /** The node at the path, or at its deepest existing ancestor. */
  node: Node | null;
  /** The key node of the last step that matched a map key. */
  key: Node | null;
  /** How many steps of the path exist. */
  depth: number;
}

/** Follows `path` from the document root as far as it exists. */
export function nodeAt(doc: Document, path: YamlPath): NodeMatch {
  let node: unknown = doc.contents;
  let key: Node | null = null;
  let depth = 0;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextKey: Node | null = null;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(step));
      if (!pair) break;
      next = pair.value;
      nextKey = pair.key as Node;
    } else if (isSeq(node) && typeof step === "number" && step < node.items.length) {
      next = node.items[step];
    } else break;
    node = next;
    key = nextKey ?? key;
    depth++;
  }
  return { node: (node as Node | null) ?? null, key, depth };
}

/** 1-based line of `path` in document `index` (its key when it has one), or of its deepest existing ancestor. */
export function lineOf(structure: YamlStructure, index: number, path: YamlPath): number | null {
  const doc = structure.documents[index];
  if (!doc) return null;
  const match = nodeAt(doc, path);
  const lastWasKey = match.depth > 0 && typeof path[match.depth - 1] === "string";
  const anchor = lastWasKey && match.key?.range ? match.key.range[0] : match.node?.range?.[0];
  return anchor === undefined ? null : structure.lineCounter.linePos(anchor).line;
}
