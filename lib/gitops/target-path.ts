/**
 * Flux's `valuesFrom[].targetPath`: the Secret's value is set at a dot path the way `helm --set`
 * reads `path=value` (Helm's strvals): `.`, `[`, `,` and `=` split keys, `,` ends a value, a
 * leading `{` starts a list, and a backslash takes the next character literally. A value wrapped
 * in quotes is taken as a string with every quote at both ends trimmed; an unquoted one is typed
 * (`true`, `123`, `null`). (fluxcd/helm-controller internal/chartutil ReplacePathValue.)
 *
 * So the password is escaped, and quoted unless it starts or ends with a quote itself (such a
 * password is never typed, and its quotes must not be trimmed).
 */

const KEY_SPECIAL = /[\\.[,=]/g;
const VALUE_SPECIAL = /[\\,{]/g;
const QUOTE = /^['"]|['"]$/;

/** A key of a targetPath: its special characters escaped. */
export function targetPathKey(key: string): string {
  return key.replace(KEY_SPECIAL, (c) => `\\${c}`);
}

/** The Secret value that makes Flux set exactly `value` (a string) at a targetPath. */
export function targetPathValue(value: string): string {
  const escaped = value.replace(VALUE_SPECIAL, (c) => `\\${c}`);
  if (!QUOTE.test(value)) return `"${escaped}"`;
  // A leading quote is escaped, so Flux does not take the value for a quoted one.
  return /^['"]/.test(escaped) ? `\\${escaped}` : escaped;
}

/** The keys of a targetPath, unescaped (what Flux walks). */
export function targetPathKeys(path: string): string[] {
  const keys: string[] = [];
  let current = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === "\\" && i + 1 < path.length) current += path[++i];
    else if (c === ".") (keys.push(current), (current = ""));
    else current += c;
  }
  keys.push(current);
  return keys;
}

/**
 * What Flux sets at the targetPath for a Secret value written by {@link targetPathValue} (and
 * plain values without special characters): quotes trimmed, escapes resolved. Values a quoted
 * form would type (numbers, booleans) are returned as the text they are.
 */
export function readTargetPathValue(raw: string): string {
  const quoted = /^".*"$|^'.*'$/s.test(raw);
  const text = quoted ? raw.replace(/^['"]+|['"]+$/g, "") : raw;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\" && i + 1 < text.length) out += text[++i];
    else out += c;
  }
  return out;
}
