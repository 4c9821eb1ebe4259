/**
 * What changes between two renders of the same values, which Argo CD (it renders at every
 * compare) would show as OutOfSync forever unless the Application's ignoreDifferences covers it,
 * and whether a list of ignoreDifferences entries covers it the way Argo CD matches them
 * (argo-cd util/argo/normalizers: group and kind glob-matched, name and namespace equal or
 * unset; a JSON pointer removes what is under it).
 */
import { PROBE_HEADER_POINTERS } from "../chart/render";
import type { ChartProfile } from "../chart/versions";
import { isMap } from "../values/values";

export interface Drift {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  /** The fields that change between renders. */
  changes: string[];
  /** What the generated entry ignores (at or above the changes). */
  jsonPointers: string[];
  /** What changes, for the checks' messages. */
  what: string;
}

/**
 * The drift of a chart that hashes the passwords itself: its web-config Secret (new salt at
 * every render) and, with several users, the Deployment's probe headers (a user picked at random).
 */
export function renderDrift(profile: ChartProfile, fullname: string, namespace: string, users: number): Drift[] {
  if (profile.webConfig !== "chart") return [];
  const drift: Drift[] = [
    {
      group: "",
      kind: "Secret",
      name: fullname,
      namespace,
      changes: ["/data/web-config.yaml"],
      jsonPointers: ["/data"],
      what: `Secret ${fullname}'s data`,
    },
  ];
  if (users > 1 && profile.probes === "authorization-header")
    drift.push({
      group: "apps",
      kind: "Deployment",
      name: fullname,
      namespace,
      changes: [...PROBE_HEADER_POINTERS],
      jsonPointers: [...PROBE_HEADER_POINTERS],
      what: `Deployment ${fullname}'s probe headers`,
    });
  return drift;
}

/** The ignoreDifferences entry that covers a drift exactly. */
export function ignoreEntry(drift: Drift): Record<string, unknown> {
  const { group, kind, name, namespace, jsonPointers } = drift;
  return { group, kind, name, namespace, jsonPointers };
}

/** gobwas/glob as Argo CD uses it for group and kind, for `*` and `?` (anything else literal). */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

/** A jq path expression of plain steps (`.a.b[0]["c"]`) as a JSON pointer; null for anything else. */
export function jqPathPointer(expression: string): string | null {
  const step = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\.?\["((?:[^"\\]|\\.)*)"\]/y;
  const keys: string[] = [];
  const text = expression.trim();
  if (!text) return null;
  step.lastIndex = 0;
  while (step.lastIndex < text.length) {
    const m = step.exec(text);
    if (!m) return null;
    keys.push(m[1] ?? m[2] ?? JSON.parse(`"${m[3]}"`));
  }
  return keys.map((k) => `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** Whether `outer` is `inner` or above it (RFC 6901 pointers). */
const pointerCovers = (outer: string, inner: string) =>
  outer === "" || outer === "/" || inner === outer || inner.startsWith(`${outer}/`);

/** Whether some entries of an Application's ignoreDifferences cover every path of the drift. */
export function ignoreCovers(entries: unknown, drift: Drift): boolean {
  if (!Array.isArray(entries)) return false;
  const matching = entries.filter(
    (e) =>
      isMap(e) &&
      globMatches(typeof e.group === "string" ? e.group : "", drift.group) &&
      typeof e.kind === "string" &&
      globMatches(e.kind, drift.kind) &&
      (!e.name || e.name === drift.name) &&
      (!e.namespace || e.namespace === drift.namespace),
  ) as Record<string, unknown>[];
  const pointers = matching.flatMap((e) => [
    ...(Array.isArray(e.jsonPointers) ? e.jsonPointers.filter((p): p is string => typeof p === "string") : []),
    ...(Array.isArray(e.jqPathExpressions)
      ? e.jqPathExpressions.flatMap((q) => (typeof q === "string" ? (jqPathPointer(q) ?? []) : []))
      : []),
  ]);
  return drift.changes.every((inner) => pointers.some((outer) => pointerCovers(outer, inner)));
}
