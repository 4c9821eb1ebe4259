/**
 * Merge: the user's values file with the fix applied and nothing else. The edits are worked
 * out on values (what the chart must render: the generated values.yaml's effect), then made
 * in place in the text, at the byte ranges the `yaml` Document API reports, so every other
 * line keeps its bytes, comments and order. The result is read back and compared with the
 * intended values; should an edit not fit in place, the Document API re-serializes the file
 * instead (comments kept, spacing may change) and says so.
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
import { CHART_DEFAULTS } from "../chart/render";
import { coalesceValues, getPath, isMap, truthy, type Values } from "../values/values";
import { SERVICE_PORT_NAME } from "../chart/names";
import { readRawUsername, WEB_CONFIG_FLAG } from "../chart/web-config";
import type { Config } from "../config/schema";
import { buildValues } from "../engine/build-values";
import { planBundle } from "../engine/plan";
import { formatPath, keyText, nodeAt, parseYamlStructure, type YamlPath } from "../yaml/document";
import { cyclePath, parseYamlStream, toYaml } from "../yaml/serialize";
import { cyclicAliasMessage, withoutHelmHeader } from "./read-setup";

export interface ValuesChange {
  kind: "set" | "delete";
  path: (string | number)[];
  /** Why the fix needs it. */
  reason: string;
}

export type MergeResult =
  | {
      ok: true;
      /** The user's values file with the fix applied. */
      text: string;
      changes: ValuesChange[];
      /** What the user should know (users dropped, mounts left in place). */
      notes: string[];
      /** False when an edit could not be made in place and the whole file was re-serialized. */
      formattingPreserved: boolean;
    }
  | { ok: false; error: string };

type Op =
  | { kind: "set"; path: (string | number)[]; value: unknown; reason: string }
  | { kind: "delete"; path: (string | number)[]; reason: string };

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return false;
}

/** The edits that make the user's values render what the generated values render. */
function planEdits(user: Values, config: Config, notes: string[]): Op[] {
  const plan = planBundle(config);
  const generated = buildValues(plan);
  const effective = coalesceValues(CHART_DEFAULTS, user);
  const ops: Op[] = [];
  const setIfDiffers = (path: string[], value: unknown, reason: string) => {
    const current = getPath(effective, path.join("."));
    if (same(current, value)) return;
    // Into a map of the same shape, leaf by leaf, so only the lines that differ change.
    if (isMap(value) && isMap(current) && Object.keys(current).every((k) => Object.hasOwn(value, k))) {
      for (const [k, v] of Object.entries(value)) setIfDiffers([...path, k], v, reason);
    } else ops.push({ kind: "set", path, value, reason });
  };

  for (const key of ["nameOverride", "fullnameOverride"] as const) {
    if (generated[key] !== undefined) setIfDiffers([key], generated[key], `the chart names its objects from ${key}`);
    else if (truthy(user[key])) ops.push({ kind: "delete", path: [key], reason: `the fix is made for no ${key}` });
  }
  // The fix's Secrets go to the release namespace (config.namespace) and its ServiceMonitor
  // selects the Service there. With namespaceOverride the chart would install Pushgateway in
  // another namespace, where the web config Secret is missing and the pod does not start. The
  // override is removed (rather than the merge refused) so that the fixed bundle works as a
  // whole; the note says that Pushgateway moves.
  const override = user.namespaceOverride;
  if (truthy(override) && override !== config.namespace) {
    ops.push({
      kind: "delete",
      path: ["namespaceOverride"],
      reason: `the fix is made for the release namespace ${config.namespace}`,
    });
    notes.push(
      `namespaceOverride (${String(override)}) is removed: the generated Secrets are made for the release namespace ${config.namespace}, so Pushgateway now runs there too. Point the pushers at the Service in ${config.namespace}, or install the release in namespace ${String(override)} and generate the fix for that namespace.`,
    );
  }

  const users = getPath(user, "webConfiguration.basicAuthUsers");
  const userNames = isMap(users) ? Object.keys(users) : [];
  if (plan.profile.webConfig === "existing-secret") {
    setIfDiffers(
      ["webConfiguration", "existingSecret", "name"],
      plan.webConfigSecretName,
      "Pushgateway reads the bcrypt-hashed web config from this Secret",
    );
    if (users !== undefined) {
      ops.push({
        kind: "delete",
        path: ["webConfiguration", "basicAuthUsers"],
        reason: "keeps the plaintext password out of values.yaml",
      });
      const others = userNames.filter((u) => u !== config.username);
      if (others.length) {
        notes.push(
          `webConfiguration.basicAuthUsers also had ${others.map((u) => JSON.stringify(u)).join(", ")}; the generated web config holds only ${JSON.stringify(config.username)}: add the others to it, or the jobs that push as them get 401.`,
        );
      }
    }
  } else {
    if (getPath(user, "webConfiguration.existingSecret") !== undefined) {
      ops.push({
        kind: "delete",
        path: ["webConfiguration", "existingSecret"],
        reason: `chart ${config.chartVersion} ignores existingSecret`,
      });
    }
    const password = config.password;
    if (!isMap(users)) {
      ops.push({
        kind: "set",
        path: ["webConfiguration", "basicAuthUsers"],
        value: { [config.username]: password },
        reason: "the chart renders the web config from these users",
      });
    } else {
      if (users[config.username] !== password) {
        ops.push({
          kind: "set",
          path: ["webConfiguration", "basicAuthUsers", config.username],
          value: password,
          reason: "the user Prometheus scrapes as",
        });
      }
      for (const other of userNames.filter((u) => u !== config.username && !readRawUsername(u).survives)) {
        ops.push({
          kind: "delete",
          path: ["webConfiguration", "basicAuthUsers", other],
          reason: "the chart writes this username unquoted and it breaks the web config",
        });
      }
    }
  }

  const sm = generated.serviceMonitor as Values;
  for (const [key, value] of Object.entries(sm)) {
    if (key === "additionalLabels" && isMap(value)) {
      for (const [label, v] of Object.entries(value)) {
        setIfDiffers(
          ["serviceMonitor", "additionalLabels", label],
          v,
          "the label Prometheus selects ServiceMonitors by",
        );
      }
    } else {
      setIfDiffers(["serviceMonitor", key], value, SM_REASONS[key] ?? "what the fixed ServiceMonitor needs");
    }
  }
  if (
    plan.mode === "patch" &&
    plan.profile.serviceMonitorBasicAuth &&
    truthy(getPath(user, "serviceMonitor.basicAuth"))
  ) {
    ops.push({
      kind: "delete",
      path: ["serviceMonitor", "basicAuth"],
      reason: "the post-renderer patch adds basicAuth",
    });
  }
  if (plan.mode === "standalone") {
    setIfDiffers(
      ["service", "portName"],
      SERVICE_PORT_NAME,
      "the standalone ServiceMonitor scrapes the port by this name",
    );
  }
  if (generated.networkPolicy !== undefined) {
    setIfDiffers(
      ["networkPolicy", "customSelectors"],
      getPath(generated, "networkPolicy.customSelectors"),
      "admits Prometheus and the pushers",
    );
  }

  // The chart passes --web.config.file itself once webConfiguration is set; twice stops Pushgateway.
  const args = user.extraArgs;
  if (Array.isArray(args)) {
    const drop: number[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg: unknown = args[i];
      // `--web.config.file VALUE` takes the next item as its value, whatever it looks like.
      if (arg === WEB_CONFIG_FLAG && typeof args[i + 1] === "string") drop.push(i, ++i);
      else if (typeof arg === "string" && arg.startsWith(`${WEB_CONFIG_FLAG}=`)) drop.push(i);
    }
    for (const i of drop.reverse()) {
      ops.push({ kind: "delete", path: ["extraArgs", i], reason: "the chart now passes --web.config.file itself" });
    }
    if (drop.length && (Array.isArray(user.extraVolumes) || Array.isArray(user.extraVolumeMounts))) {
      notes.push(
        "extraVolumes and extraVolumeMounts still mount the old web config Secret; remove them once the fix is rolled out.",
      );
    }
  }
  return ops;
}

const SM_REASONS: Record<string, string> = {
  enabled: "which ServiceMonitor Prometheus uses",
  namespace: "the ServiceMonitor must sit where its Secret is",
  interval: "scrape interval",
  scrapeTimeout: "scrape timeout",
  honorLabels: "keeps the pushers' job and instance labels",
  basicAuth: "the credentials Prometheus sends",
};

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
function applyToValues(values: Values, ops: readonly Op[]): Values {
  return ops.reduce<Values>(
    (acc, op) => (op.kind === "set" ? setIn(acc, op.path, op.value) : (deleteIn(acc, op.path) as Values)),
    values,
  );
}

// ---- In-place text edits ----

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

function applyInPlace(text: string, ops: readonly Op[]): string | null {
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

function applyWithDocument(text: string, ops: readonly Op[]): string | null {
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

function readBack(text: string): unknown {
  try {
    const docs = parseYamlStream(text).filter((d) => d !== null && d !== undefined);
    return docs.length === 0 ? {} : docs.length === 1 ? docs[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies the fix for `config` to the user's values file (plain, or `helm get values` output):
 * afterwards the chart renders the same scrape-relevant objects as from the generated
 * values.yaml. Pure; never throws.
 */
export function mergeValues(valuesText: string, config: Config): MergeResult {
  // helm's `USER-SUPPLIED VALUES:` line is not part of the values: it goes.
  const text = withoutHelmHeader(valuesText, true);
  // The structural parse refuses alias bombs before anything walks the values.
  const structure = parseYamlStructure(text);
  if (structure.error !== null) return { ok: false, error: `the values file is not valid YAML: ${structure.error}` };
  const user = readBack(text);
  if (user === undefined) return { ok: false, error: "the values file must hold one YAML document" };
  if (user !== null && !isMap(user)) return { ok: false, error: "the values file must hold a YAML map" };
  const cycle = cyclePath(user);
  if (cycle) return { ok: false, error: `the values file ${cyclicAliasMessage(formatPath(cycle))}` };
  const values = (user ?? {}) as Values;
  const notes: string[] = [];
  let ops: Op[];
  try {
    ops = planEdits(values, config, notes);
  } catch (error) {
    return { ok: false, error: `the config cannot be merged: ${(error as Error).message}` };
  }
  const changes: ValuesChange[] = ops.map((op) => ({ kind: op.kind, path: op.path, reason: op.reason }));
  const expected = applyToValues(values, ops);
  const inPlace = applyInPlace(text, ops);
  if (inPlace !== null && same(readBack(inPlace), expected)) {
    return { ok: true, text: inPlace, changes, notes, formattingPreserved: true };
  }
  const rewritten = applyWithDocument(text, ops);
  if (rewritten !== null && same(readBack(rewritten), expected)) {
    notes.push(
      "Some edits could not be made in place, so the file was rewritten: comments are kept, spacing may differ.",
    );
    return { ok: true, text: rewritten, changes, notes, formattingPreserved: false };
  }
  return {
    ok: false,
    error: "the fix could not be written into this values file; use the generated values.yaml instead",
  };
}
