/** Paths into YAML documents, and how they are shown. No parser here: the page's first chunk uses it. */

/** A path into a document: map keys as text, sequence indices as numbers. */
export type YamlPath = readonly (string | number)[];

/** `items[0].metadata.labels["helm.sh/chart"]`: dots for plain keys, brackets for the rest. */
export function formatPath(path: YamlPath): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}
