/**
 * The one serializer. Fixed options make the same objects give the same bytes, and
 * js-yaml's DUMP_SCHEMA quotes every string a YAML 1.1 reader (Helm, Kubernetes, Go's yaml.v2)
 * would take for something else, such as `yes`, `on`, `1_000` or `12:30`.
 */
import { dump, load, loadAll, YAML11_SCHEMA } from "js-yaml";

const DUMP_OPTIONS = {
  indent: 2,
  lineWidth: -1,
  noRefs: true,
  quoteStyle: "double",
} as const;

/** One YAML document, ending in a newline. */
export function toYaml(value: unknown): string {
  return dump(value, DUMP_OPTIONS);
}

/**
 * A YAML file: optional `# ` comment lines, then the documents separated by `---`.
 * Comment lines must not contain line breaks; callers pass validated values only.
 */
export function toYamlFile(documents: readonly unknown[], comments: readonly string[] = []): string {
  const head = comments.map((line) => (line ? `# ${line}\n` : "#\n")).join("");
  return head + documents.map(toYaml).join("---\n");
}

/** Reads a YAML stream the way Kubernetes tooling does (YAML 1.1 types). */
export function parseYamlDocuments(text: string): unknown[] {
  return parseYamlStream(text).filter((doc) => doc !== null && doc !== undefined);
}

/**
 * Every document of a YAML stream in order (YAML 1.1 types), empty ones as null, so that the
 * n-th value lines up with the n-th document of a structural parse (lib/yaml/document.ts).
 */
export function parseYamlStream(text: string): unknown[] {
  return loadAll(text, { schema: YAML11_SCHEMA });
}

/** Reads one YAML document (YAML 1.1 types). */
export function parseYaml(text: string): unknown {
  return load(text, { schema: YAML11_SCHEMA });
}

/**
 * Where a value read from YAML contains itself, or null. An alias inside its own anchor
 * (`a: &x {b: *x}`) reads as a cyclic object, which every walk over the values would follow
 * forever; an anchor used twice elsewhere is only shared, not a cycle. The path names the
 * alias that closes the cycle.
 */
export function cyclePath(value: unknown): (string | number)[] | null {
  const open = new Set<object>();
  const done = new Set<object>();
  const visit = (node: unknown, path: (string | number)[]): (string | number)[] | null => {
    if (typeof node !== "object" || node === null || done.has(node)) return null;
    if (open.has(node)) return path;
    open.add(node);
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : node instanceof Map
        ? [...node.entries()].map(([k, v]) => [String(k), v])
        : Object.entries(node);
    for (const [key, child] of entries) {
      const found = visit(child, [...path, key]);
      if (found) return found;
    }
    open.delete(node);
    done.add(node);
    return null;
  };
  return visit(value, []);
}
