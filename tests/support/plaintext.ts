/**
 * Where a password shows in YAML text, as a reader of the parsed objects would find it: a plain
 * substring search misses a password the YAML serializer escaped (`\"`, `\u00f6`, a folded
 * line) or base64-encoded (a Secret's `data`, a probe's `Authorization: Basic ...`).
 */
import { loadAll, YAML11_SCHEMA } from "js-yaml";

const BASE64_TOKEN = /^[A-Za-z0-9+/]{4,}={0,2}$/;

function strings(node: unknown, path: string, out: [string, string][]): void {
  if (typeof node === "string") out.push([path, node]);
  else if (Array.isArray(node)) node.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) {
      strings(k, `${path}{key}`, out);
      strings(v, path ? `${path}.${k}` : k, out);
    }
}

/**
 * The YAML paths (document index first) of every string in `text` that holds `password` as
 * written, or whose whitespace-separated words decode from base64 to something holding it.
 */
export function plaintextLeaks(text: string, password: string): string[] {
  const found: [string, string][] = [];
  loadAll(text, { schema: YAML11_SCHEMA }).forEach((doc, i) => strings(doc, `[${i}]`, found));
  return found
    .filter(
      ([, s]) =>
        s.includes(password) ||
        s
          .split(/\s+/)
          .some((word) => BASE64_TOKEN.test(word) && Buffer.from(word, "base64").toString("utf8").includes(password)),
    )
    .map(([path]) => path);
}
