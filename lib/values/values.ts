/**
 * Helm values as plain data: the one place that reads a value at a path, tells maps from
 * lists and coalesces user values over chart defaults the way Helm does.
 */

export type Values = Record<string, unknown>;

export function isMap(v: unknown): v is Values {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Helm's coalescing of user values over chart defaults: maps merge, `null` deletes a default. */
export function coalesceValues(defaults: Values, user: Values): Values {
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = coalesceValues(out[key] as Values, value);
    else out[key] = value;
  }
  return out;
}

/** Reads a dotted path; undefined when any step is missing or not a map. */
export function getPath(values: unknown, path: string): unknown {
  let node: unknown = values;
  for (const key of path.split(".")) {
    if (!isMap(node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * The value at `path` (map keys and list indexes) and whether the path exists: a null value counts
 * as set. Evidence needs the difference, which {@link getPath} does not make.
 */
export function lookup(values: unknown, path: readonly (string | number)[]): { found: boolean; value: unknown } {
  let node = values;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === "number" && key < node.length) node = node[key];
    else if (isMap(node) && Object.hasOwn(node, String(key))) node = node[String(key)];
    else return { found: false, value: undefined };
  }
  return { found: true, value: node };
}

/** Go template truthiness: empty strings, maps, lists, zero, false and nil are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** Base64 of the UTF-8 bytes, as Sprig's b64enc. */
export function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
