/**
 * The sealing step, run on a generated bundle: every Secret document of every manifest file
 * (the scrape and web-config Secrets, the pushers', any other output's) is replaced by the
 * SealedSecret that produces it. It works on the Secret objects read from the files, so an
 * output that adds Secrets is covered without knowing about it here.
 */
import { roleOf } from "../outputs/registry";
import { isMap } from "../values/values";
import { parseYamlDocuments, toYamlFile } from "../yaml/serialize";
import type { Secret } from "../k8s/types";
import type { SealingCertificate } from "./certificate";
import { sealSecrets, type SealingScope, type SealRandom } from "./seal";

export interface SealOptions {
  cert: Pick<SealingCertificate, "modulus" | "exponent">;
  scope: SealingScope;
  random: SealRandom;
  /** WebCrypto's SubtleCrypto (globalThis.crypto.subtle), passed in: the engine reads no globals. */
  subtle: SubtleCrypto;
}

const isSecret = (doc: unknown): doc is Secret => isMap(doc) && doc.apiVersion === "v1" && doc.kind === "Secret";

/** The file's leading comment lines, without the `# `. */
function headerComments(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^# ?/, ""));
  }
  return lines;
}

/** Files holding a Secret document (the values file is the chart's, never a manifest). */
export function filesWithSecrets(files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([name, text]) => name.endsWith(".yaml") && roleOf(name) !== "values" && /^kind: "?Secret"?$/m.test(text))
    .filter(([, text]) => parseYamlDocuments(text).some(isSecret))
    .map(([name]) => name);
}

/** The bundle with every Secret sealed; other files and documents are kept as they are. */
export async function sealBundle(files: Record<string, string>, options: SealOptions): Promise<Record<string, string>> {
  const out = { ...files };
  for (const name of filesWithSecrets(files)) {
    const text = files[name]!;
    const docs = parseYamlDocuments(text);
    const sealed = await sealSecrets(
      docs.filter(isSecret),
      options.cert,
      options.scope,
      options.random,
      options.subtle,
    );
    let next = 0;
    const replaced = docs.map((doc) => (isSecret(doc) ? sealed[next++] : doc));
    const header = headerComments(text).filter((line) => !/out of git|encrypt it|keep private/i.test(line));
    out[name] = toYamlFile(replaced, [
      `Sealed Secrets (${options.scope}): safe to commit. Only the sealed-secrets controller holding the`,
      "certificate's private key can unseal them, into the Secrets named in spec.template.",
      ...header,
    ]);
  }
  return out;
}
