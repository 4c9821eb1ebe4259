/** Reading a previously generated bundle back, so re-generating it causes no drift. */
import { isMap } from "../values/values";
import { bcryptHashRule } from "../config/field-rules";
import type { Secret } from "../k8s/types";
import { readWebConfig, WEB_CONFIG_KEY } from "../chart/web-config";
import { secretValue } from "./cluster-view";
import { parseYamlDocuments } from "../yaml/serialize";

/**
 * The bcrypt hash an earlier bundle's secret.yaml holds for `username`, or null. The caller
 * must still check that the current password matches it before reusing it.
 */
export function existingPasswordHash(secretYaml: string, username: string): string | null {
  let docs: unknown[];
  try {
    docs = parseYamlDocuments(secretYaml);
  } catch {
    return null;
  }
  for (const doc of docs) {
    if (!isMap(doc) || doc.kind !== "Secret") continue;
    const text = secretValue(doc as unknown as Secret, WEB_CONFIG_KEY);
    if (text === undefined) continue;
    const hash = readWebConfig(text).users?.get(username);
    if (hash !== undefined && bcryptHashRule(hash) === null) return hash;
  }
  return null;
}
