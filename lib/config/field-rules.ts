/**
 * Field rules: small pure predicates shared by the schema, the engine's checks and the
 * importer. Each returns `null` when the value is fine, or the rule it breaks as a phrase
 * that completes "<Field> ..." (e.g. "must be at most 63 characters").
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Kubernetes label names and values: k8s.io/apimachinery/pkg/util/validation.
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// Prometheus Operator duration pattern (ServiceMonitor CRD, monitoring.coreos.com/v1).
const DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;
// Go's x/crypto/bcrypt accepts these prefixes and costs 4..31 (exporter-toolkit uses it).
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;
const CONTROL_CHARS = /\p{Cc}/u;

/** Bytes of `s` in UTF-8, the unit bcrypt's 72-byte limit is counted in. */
export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** DNS-1123 label (namespaces, Helm release names). */
export function dnsLabelRule(value: string, max = 63): string | null {
  if (value.length === 0) return "is required";
  if (value.length > max) return `must be at most ${max} characters (this one has ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return null;
}

/** DNS-1035 label (Service names): like DNS-1123 but must start with a letter. */
export function serviceNameRule(value: string): string | null {
  const label = dnsLabelRule(value);
  if (label) return label;
  if (!DNS1035_LABEL.test(value)) return "must start with a letter (Service names are DNS-1035 labels)";
  return null;
}

/** DNS-1123 subdomain (Secret and ServiceMonitor names). */
export function dnsSubdomainRule(value: string): string | null {
  if (value.length === 0) return "is required";
  if (value.length > 253) return `must be at most 253 characters (this one has ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  return null;
}

/** Kubernetes label key: optional DNS subdomain prefix and '/', then a name of at most 63. */
export function labelKeyRule(key: string): string | null {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && dnsSubdomainRule(prefix) !== null) {
    return `has an invalid label key prefix "${prefix}" (it must be a DNS subdomain)`;
  }
  if (name.length === 0) return "has an empty label key";
  if (name.length > 63) return `has a label key name longer than 63 characters`;
  if (!LABEL_NAME.test(name)) {
    return `has an invalid label key "${key}": letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return null;
}

/** Kubernetes label value: at most 63 characters, may be empty. */
export function labelValueRule(value: string): string | null {
  if (value.length > 63) return `has a label value longer than 63 characters`;
  if (!LABEL_VALUE.test(value)) {
    return `has an invalid label value "${value}": letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return null;
}

/**
 * Parses `key=value[,key=value...]` into an ordered list of pairs. Spaces are not trimmed:
 * a label with a stray space would silently select nothing, so it is an error instead.
 */
export function parseLabelList(text: string): { pairs: [string, string][]; error: string | null } {
  if (text === "") return { pairs: [], error: null };
  const pairs: [string, string][] = [];
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return { pairs, error: `must be key=value pairs separated by commas ("${part}" has no '=')` };
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    const error = labelKeyRule(key) ?? labelValueRule(value);
    if (error) return { pairs, error };
    if (pairs.some(([k]) => k === key)) return { pairs, error: `names the label key "${key}" twice` };
    pairs.push([key, value]);
  }
  return { pairs, error: null };
}

/** Prometheus Operator duration, not zero. */
export function durationRule(value: string): string | null {
  if (value.length === 0) return "is required";
  if (!DURATION.test(value)) {
    return "must be a duration like 30s, 1m or 1m30s (units y, w, d, h, m, s, ms, largest first)";
  }
  if (durationMs(value) === 0) return "must be longer than zero";
  return null;
}

const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600e3,
  w: 7 * 24 * 3600e3,
  d: 24 * 3600e3,
  h: 3600e3,
  m: 60e3,
  s: 1e3,
  ms: 1,
};

/** Milliseconds in a duration that passed {@link durationRule}. */
export function durationMs(value: string): number {
  let total = 0;
  for (const match of value.matchAll(/([0-9]+)(ms|y|w|d|h|m|s)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return total;
}

/** Text that may travel in an HTTP basic auth header (RFC 7617 section 2: no control characters). */
function basicAuthTextRule(value: string): string | null {
  if (!value.isWellFormed()) return "must be valid Unicode text (it contains a lone surrogate)";
  if (CONTROL_CHARS.test(value)) return "must not contain control characters such as newlines, tabs or NUL (RFC 7617)";
  return null;
}

/** Basic auth user-id: RFC 7617 forbids ':' and control characters. */
export function usernameRule(value: string): string | null {
  if (value.length === 0) return "is required";
  if (value.length > 256) return `must be at most 256 characters (this one has ${value.length})`;
  if (value.includes(":")) return "must not contain ':' (RFC 7617: the user-id ends at the first colon)";
  if (value.trim() !== value) return "must not start or end with whitespace";
  return basicAuthTextRule(value);
}

/**
 * Usernames the chart can write into its web config. Charts that render the web config
 * themselves write `  <username>: <hash>` raw and unquoted, so only plain YAML scalars that
 * read back as the same string are safe; `null` and `~` would read back as null.
 */
const RAW_USERNAME = /^[\p{L}\p{N}_][\p{L}\p{N}\p{M}._@+-]*$/u;
const YAML_NULL_WORDS = new Set(["null", "Null", "NULL", "~"]);
export function rawUsernameRule(value: string): string | null {
  if (!RAW_USERNAME.test(value) || YAML_NULL_WORDS.has(value)) {
    return "must be a plain YAML word (letters, digits, '.', '_', '@', '+', '-', not starting with a symbol) because this chart version writes it unquoted into its web config";
  }
  return null;
}

// Go's unicode.IsSpace, which strings.TrimSpace removes.
const GO_SPACE = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const GO_SPACE_AT_EDGES = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, "gu");

/** Go's strings.TrimSpace: what Prometheus makes of a basic auth password before sending it. */
export function goTrimSpace(value: string): string {
  return value.replace(GO_SPACE_AT_EDGES, "");
}

/** Basic auth password: bcrypt reads only 72 bytes and Go refuses to hash longer input. */
export function passwordRule(value: string): string | null {
  if (value.length === 0) return "is required";
  const text = basicAuthTextRule(value);
  if (text) return text;
  // Prometheus (prometheus/common's basic auth round tripper) sends strings.TrimSpace(password):
  // Pushgateway would then see a different password and answer 401.
  if (goTrimSpace(value) !== value) return "must not start or end with a space: Prometheus strips it before sending";
  const bytes = utf8Length(value);
  if (bytes > 72) return `must be at most 72 bytes in UTF-8 (bcrypt's limit); this one has ${bytes}`;
  return null;
}

/** A bcrypt hash Pushgateway accepts: `$2a$`, `$2b$` or `$2y$`, cost 4 to 31. */
export function bcryptHashRule(value: string): string | null {
  if (!BCRYPT_HASH.test(value)) {
    return "must be a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost from 04 to 31, then 53 characters";
  }
  return null;
}

/** Cost this tool hashes with: Go's bcrypt.DefaultCost, as the chart's htpasswd uses. */
export const BCRYPT_COST = 10;

/**
 * Highest bcrypt cost this tool compares against: a pasted hash of cost 31 would take days.
 * Cost 16 takes a few seconds; the chart and this tool hash with cost 10.
 */
export const MAX_VERIFIED_BCRYPT_COST = 16;

/** The cost of a bcrypt hash, or null when it is not one. */
export function bcryptCost(hash: string): number | null {
  return bcryptHashRule(hash) === null ? Number(hash.slice(4, 6)) : null;
}
