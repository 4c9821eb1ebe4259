/**
 * Where a value came from: a place in a file (pasted, or of a generated bundle), the chart's
 * own default, or a fact the user typed (a CLI flag or a form field). Findings and checks cite
 * these as evidence and the import gives one for every prefilled field, so nothing is guessed
 * silently. Passwords, hashes and Secret data are never shown.
 */
import { CHART_DEFAULTS } from "../chart/render";
import { FIELD_CLI } from "../config/field-cli";
import type { FieldName } from "../config/schema";
import type { Placed } from "../engine/cluster-view";
import { lookup } from "../values/values";
import { formatPath, type YamlPath } from "../yaml/path";
import type { FileOrigin, SetupFiles } from "./input";

export type Source =
  | {
      kind: "file";
      file: string;
      /** Index of the YAML document in the file (0 for the first). */
      document: number;
      /** Path inside that document, e.g. `items[1].spec.endpoints[0].basicAuth.password.name`. */
      path: string;
      /** 1-based line, when known. */
      line: number | null;
      /** The value found there as text; credentials are shown as `(hidden)`. */
      value: string;
    }
  | {
      kind: "chart-default";
      /** Values path the chart reads when the user's values leave it unset. */
      path: string;
      chartVersion: string;
      value: string;
    }
  | { kind: "input"; field: FieldName; value: string };

/** Shown instead of passwords, hashes and Secret data. */
export const HIDDEN = "(hidden)";
const MAX_VALUE_LENGTH = 120;

/** A value as evidence text: scalars as written, the rest as compact JSON, long ones cut. */
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = "(not set)";
  else if (value === "") text = '""';
  else if (typeof value === "string") text = value;
  else if (value === null || typeof value !== "object") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = "(unprintable)";
    }
  }
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** Evidence at `path` inside the object (or values document) at `origin`. */
export function fileSource(
  setup: SetupFiles,
  origin: FileOrigin,
  path: YamlPath,
  value: unknown,
  secret = false,
): Source {
  return {
    kind: "file",
    file: origin.file,
    document: origin.document,
    path: formatPath([...origin.path, ...path]),
    line: setup.lineOf(origin, path),
    value: secret ? HIDDEN : showValue(value),
  };
}

/** Evidence at `path` inside a pasted object (one read from a file). */
export function objectSource(
  setup: SetupFiles,
  placed: Placed<unknown>,
  path: YamlPath,
  value: unknown,
  secret = false,
): Source {
  return fileSource(setup, placed.origin as FileOrigin, path, value, secret);
}

type ValuesPath = string | readonly (string | number)[];

function keysOf(path: ValuesPath): readonly (string | number)[] {
  return typeof path === "string" ? path.split(".") : path;
}

/** Evidence for a values path: the last values document that sets it, else the chart's default. */
export function valueSource(
  input: { setup: SetupFiles; chartVersion: { value: string } },
  path: ValuesPath,
  secret = false,
): Source {
  const keys = keysOf(path);
  const docs = input.setup.values;
  for (let i = docs.length - 1; i >= 0; i--) {
    const doc = docs[i] as (typeof docs)[number];
    const hit = lookup(doc.values, keys);
    if (hit.found) {
      const origin: FileOrigin = { kind: "file", file: doc.file, document: doc.document, path: [] };
      return fileSource(input.setup, origin, keys, hit.value, secret);
    }
  }
  const fallback = secret ? undefined : lookup(CHART_DEFAULTS, keys).value;
  return chartDefaultSource(keys.join("."), input.chartVersion.value, fallback);
}

/** Evidence for a values path the user leaves unset: the chart's own default applies. */
function chartDefaultSource(path: string, chartVersion: string, value: unknown): Source {
  return { kind: "chart-default", path, chartVersion, value: showValue(value) };
}

/** Evidence for a fact the user gave (a CLI flag or a form field). */
export function inputSource(field: FieldName, value: unknown, secret = false): Source {
  return { kind: "input", field, value: secret ? HIDDEN : showValue(value) };
}

/** Where a source points, for sorting and comparing: `file:path`, `chart:path` or `input:field`. */
export function sourceKey(source: Source): string {
  if (source.kind === "file") return `${source.file}:${source.path}`;
  if (source.kind === "chart-default") return `chart:${source.path}`;
  return `input:${source.field}`;
}

/**
 * One line for a terminal or a tooltip: `values.yaml:12 serviceMonitor.namespace = monitoring`.
 * `inputName` says how the user gave a fact (a CLI flag by default).
 */
export function formatSource(
  source: Source,
  inputName: (field: FieldName) => string = (f) => FIELD_CLI[f].flag,
): string {
  if (source.kind === "file") {
    const where =
      source.line !== null ? `${source.file}:${source.line}` : `${source.file} (document ${source.document + 1})`;
    return `${where} ${source.path || "(document)"} = ${source.value}`;
  }
  if (source.kind === "chart-default") {
    return `${source.path} = ${source.value} (not set: chart ${source.chartVersion}'s default)`;
  }
  return `${inputName(source.field)} = ${source.value}`;
}
