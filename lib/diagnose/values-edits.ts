/**
 * Edits to a values file, made three ways: on plain values (what the file must read back as),
 * in place in the text at the byte ranges the `yaml` Document API reports (every other line
 * keeps its bytes), or through the Document API (comments kept, spacing may change).
 */
import {
  isAlias,
  isMap as isYamlMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from "yaml";
import { isMap, type Values } from "../values/values";
import { keyText, nodeAt } from "../yaml/document";
import type { YamlPath } from "../yaml/path";
import { toYaml } from "../yaml/serialize";

/** Setting or deleting the value at a path, and why the fix needs it. */
export type ValuesEdit =
  | { kind: "set"; path: (string | number)[]; value: unknown; reason: string }
  | { kind: "delete"; path: (string | number)[]; reason: string };

function nest(path: readonly (string | number)[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [String(key)]: inner }), value);
}

/** `values` with `value` at `path`, copying the maps on the way (aliases share them). */
function setIn(values: Values, path: readonly (string | number)[], value: unknown): Values {
  const [head, ...rest] = path;
  const key = String(head);
  const child = values[key];
  return { ...values, [key]: rest.length ? setIn(isMap(child) ? child : {}, rest, value) : structuredClone(value) };
}

/** `values` without the key or item at `path`, copying the collections on the way. */
function deleteIn(values: unknown, path: readonly (string | number)[]): unknown {
  const [head, ...rest] = path;
  if (Array.isArray(values) && typeof head === "number") {
    if (!rest.length) return values.filter((_, i) => i !== head);
    return values.map((v, i) => (i === head ? deleteIn(v, rest) : v));
  }
  if (!isMap(values) || head === undefined || !Object.hasOwn(values, String(head))) return values;
  const { [String(head)]: child, ...others } = values;
  return rest.length ? { ...others, [String(head)]: deleteIn(child, rest) } : others;
}

/** Applies the edits to plain values, for checking the text edits against. */
export function applyToValues(values: Values, ops: readonly ValuesEdit[]): Values {
  return ops.reduce<Values>(
    (acc, op) => (op.kind === "set" ? setIn(acc, op.path, op.value) : (deleteIn(acc, op.path) as Values)),
    values,
  );
}

// In place: at the byte ranges the `yaml` Document API reports.

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Where the line holding `offset` ends, before its `\n` or `\r\n`. */
function lineEnd(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  if (i < 0) return text.length;
  return text[i - 1] === "\r" && i - 1 >= offset ? i - 1 : i;
}

/** Where the next line starts (after the line break), or the end of the text. */
function nextLineStart(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  return i < 0 ? text.length : i + 1;
}

/** End of a node's own text: its range end without trailing blank lines. */
function contentEnd(text: string, node: Node): number {
  let end = node.range?.[1] ?? 0;
  // A block collection ends with its last entry; its range runs on over the comments that
  // follow an empty last entry (`- ` or `key:`), which are not part of it.
  if ((isYamlMap(node) || isSeq(node)) && !node.flow && node.items.length) {
    const last = node.items[node.items.length - 1] as Node | Pair | null;
    const lastNode = isPair(last) ? ((last.value as Node | null) ?? (last.key as Node)) : last;
    if (lastNode) end = Math.max(node.range?.[0] ?? 0, contentEnd(text, lastNode));
  }
  while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
  return end;
}

function indentBlock(block: string, column: number, newline: string): string {
  return block
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : " ".repeat(column) + line))
    .join(newline);
}

function renderPair(key: string | number, value: unknown): string {
  return toYaml({ [String(key)]: value }).replace(/\n$/, "");
}

function findPair(map: Node, key: string | number): Pair | undefined {
  return isYamlMap(map) ? map.items.find((p) => keyText(p.key) === String(key)) : undefined;
}

/** Replaces a whole `key: value` pair, from its key to the end of its value's last line. */
function replacePair(text: string, pair: Pair, value: unknown, newline: string): string | null {
  const key = pair.key as Node;
  const start = key.range?.[0];
  if (start === undefined) return null;
  const end = lineEnd(
    text,
    pair.value ? Math.max(contentEnd(text, pair.value as Node), key.range?.[1] ?? start) : (key.range?.[1] ?? start),
  );
  const column = start - lineStart(text, start);
  return text.slice(0, start) + indentBlock(renderPair(keyText(key), value), column, newline) + text.slice(end);
}

function editSet(text: string, doc: Document, path: YamlPath, value: unknown, newline: string): string | null {
  const root = doc.contents as Node | null;
  if (!root || (isScalar(root) && root.value === null)) {
    const body = toYaml(nest(path, value)).replace(/\n/g, newline);
    // `null` (helm get values of a release without values) is replaced; nothing is appended to.
    if (root?.range && root.range[1] > root.range[0]) {
      return text.slice(0, root.range[0]) + body.replace(/\r?\n$/, "") + text.slice(root.range[1]);
    }
    return text === "" || text.endsWith("\n") ? text + body : text + newline + body;
  }
  let node: Node = root;
  let parent: Pair | null = null;
  for (const [i, key] of path.entries()) {
    const rest = path.slice(i + 1);
    if (isAlias(node) && parent) {
      // An alias is expanded where the fix goes through it; its anchor stays as it was.
      const expanded = node.resolve(doc)?.toJS(doc) as unknown;
      if (!isMap(expanded)) return replacePair(text, parent, nest(path.slice(i), value), newline);
      return replacePair(text, parent, setIn(expanded, path.slice(i), value), newline);
    }
    if (!isYamlMap(node)) return parent ? replacePair(text, parent, nest(path.slice(i), value), newline) : null;
    if (node.flow) {
      // `key: {}` (as the chart's own values.yaml writes it) becomes a block map.
      return parent && node.items.length === 0 ? replacePair(text, parent, nest(path.slice(i), value), newline) : null;
    }
    const pair = findPair(node, key);
    if (!pair) {
      const last = node.items[node.items.length - 1];
      const firstKey = node.items[0]?.key as Node | undefined;
      const keyStart = firstKey?.range?.[0];
      if (!last || keyStart === undefined) return null;
      const column = keyStart - lineStart(text, keyStart);
      const lastNode = (last.value as Node | null) ?? (last.key as Node);
      const at = lineEnd(text, contentEnd(text, lastNode));
      const block = indentBlock(renderPair(key, nest(rest, value)), column, newline);
      return text.slice(0, at) + newline + " ".repeat(column) + block + text.slice(at);
    }
    if (rest.length === 0) {
      const current = pair.value as Node | null;
      const scalarNew = value === null || typeof value !== "object";
      if (scalarNew && (current === null || isScalar(current)) && !current?.anchor && current?.range) {
        const [start, end] = current.range;
        const rendered = toYaml(value).replace(/\n$/, "");
        if (rendered.includes("\n")) return replacePair(text, pair, value, newline);
        const gap = text[start - 1] === ":" ? " " : "";
        return text.slice(0, start) + gap + rendered + text.slice(end);
      }
      return replacePair(text, pair, value, newline);
    }
    parent = pair;
    node = pair.value as Node;
    if (!node) return replacePair(text, pair, nest(rest, value), newline);
  }
  return null;
}

function editDelete(text: string, doc: Document, path: YamlPath, newline: string): string | null {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1] as string | number;
  const { node: container, depth } = nodeAt(doc, parentPath);
  if (depth < parentPath.length || !container) return text;
  if ((isYamlMap(container) || isSeq(container)) && container.flow) return null;
  let start: number | undefined;
  let endNode: Node | undefined;
  let only = false;
  if (isYamlMap(container)) {
    const pair = findPair(container, last);
    if (!pair) return text;
    start = (pair.key as Node).range?.[0];
    endNode = (pair.value as Node | null) ?? (pair.key as Node);
    only = container.items.length === 1;
  } else if (isSeq(container) && typeof last === "number") {
    const item = container.items[last] as Node | undefined;
    if (!item) return text;
    start = item.range?.[0];
    endNode = item;
    only = container.items.length === 1;
    if (start !== undefined && !/^\s*-\s+$/.test(text.slice(lineStart(text, start), start))) return null;
  } else return text;
  if (start === undefined || !endNode) return null;
  // The last entry of a collection leaves an empty one, written as such.
  if (only) return parentPath.length ? editSet(text, doc, parentPath, isSeq(container) ? [] : {}, newline) : null;
  const from = lineStart(text, start);
  if (isYamlMap(container) && text.slice(from, start).trim() !== "") return null;
  return text.slice(0, from) + text.slice(nextLineStart(text, contentEnd(text, endNode)));
}

export function applyInPlace(text: string, ops: readonly ValuesEdit[]): string | null {
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  let current = text;
  for (const op of ops) {
    const doc = parseDocument(current, { version: "1.1", logLevel: "error" });
    if (doc.errors.length) return null;
    const next =
      op.kind === "set"
        ? editSet(current, doc, op.path, op.value, newline)
        : editDelete(current, doc, op.path, newline);
    if (next === null) return null;
    current = next;
  }
  return current;
}

export function applyWithDocument(text: string, ops: readonly ValuesEdit[]): string | null {
  try {
    const doc = parseDocument(text, { version: "1.1", logLevel: "error" });
    if (!isYamlMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
    const isCollection = (n: unknown) => isYamlMap(n) || isSeq(n);
    for (const op of ops) {
      if (op.kind === "delete") {
        doc.deleteIn(op.path);
        continue;
      }
      // setIn would make the missing maps on the way !!omap under YAML 1.1: make them here.
      let i = 0;
      while (i < op.path.length - 1 && isCollection(doc.getIn(op.path.slice(0, i + 1), true))) i++;
      doc.setIn(op.path.slice(0, i + 1), doc.createNode(nest(op.path.slice(i + 1), op.value)));
    }
    return doc.toString({ lineWidth: 0 });
  } catch {
    return null;
  }
}
