/**
 * A GitOps bundle read for the checks as its controller reads it: the values the chart gets
 * (a HelmRelease's valuesFrom Secrets and spec.values merged in Flux's order, or an
 * Application's helm.valuesObject) and a Flux post-renderer's patch of the chart's ServiceMonitor.
 */
import type { JsonPatchOperation } from "../k8s/types";
import { readTargetPathValue, targetPathKeys } from "../gitops/target-path";
import { getPath, isMap, type Values } from "../values/values";
import { parseYamlDocuments } from "../yaml/serialize";

export interface GitOpsRead {
  values: Values | null;
  patch: { file: string; operations: JsonPatchOperation[] } | null;
  /** The patch's target, in the shape of a kustomization naming the patch file. */
  kustomization: { file: string; doc: unknown } | null;
  problems: string[];
}

function bundleSecrets(files: Record<string, string>): Record<string, unknown>[] {
  return Object.entries(files)
    .filter(([name]) => name.endsWith(".yaml"))
    .flatMap(([, text]) => {
      try {
        return parseYamlDocuments(text);
      } catch {
        return [];
      }
    })
    .filter((d): d is Record<string, unknown> => isMap(d) && d.kind === "Secret");
}

function secretText(secret: Record<string, unknown>, key: string): string | undefined {
  const s = isMap(secret.stringData) ? secret.stringData[key] : undefined;
  if (typeof s === "string") return s;
  const d = isMap(secret.data) ? secret.data[key] : undefined;
  return typeof d === "string" ? new TextDecoder().decode(Uint8Array.from(atob(d), (c) => c.charCodeAt(0))) : undefined;
}

/**
 * Flux's MergeMaps (fluxcd/pkg chartutil): `b` over `a`, maps merged key by key, anything else
 * replaced. A map only `b` has is taken as is, not copied, as Flux does.
 */
export function fluxMergeMaps(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] = isMap(value) && isMap(current) ? fluxMergeMaps(current, value) : value;
  }
  return out;
}

function setAt(values: Values, keys: string[], value: string): void {
  let current: Values = values;
  keys.slice(0, -1).forEach((key) => {
    if (!isMap(current[key])) current[key] = {};
    current = current[key] as Values;
  });
  current[keys[keys.length - 1] as string] = value;
}

function readValuesText(raw: string): Values | null {
  try {
    const doc = parseYamlDocuments(raw)[0] ?? {};
    return isMap(doc) ? doc : null;
  } catch {
    return null;
  }
}

/** Reads one GitOps file's documents; `files` is the whole bundle (for valuesFrom Secrets). */
export function readGitOps(file: string, docs: unknown[], files: Record<string, string>): GitOpsRead {
  const out: GitOpsRead = { values: null, patch: null, kustomization: null, problems: [] };
  for (const doc of docs) {
    if (!isMap(doc)) continue;
    if (doc.kind === "Application") {
      const values = getPath(doc, "spec.source.helm.valuesObject");
      out.values = isMap(values) ? structuredClone(values) : {};
    } else if (doc.kind === "HelmRelease") {
      // Flux's ChartValuesFromReferences: valuesFrom in order, later over earlier; spec.values
      // over them; a targetPath entry is set over everything before it, spec.values included.
      const values = getPath(doc, "spec.values");
      const inline: Values = isMap(values) ? structuredClone(values) : {};
      let merged: Values = {};
      const namespace = getPath(doc, "metadata.namespace");
      const refs = getPath(doc, "spec.valuesFrom");
      for (const ref of Array.isArray(refs) ? refs : []) {
        const name = getPath(ref, "name");
        const key = String(getPath(ref, "valuesKey") ?? "values.yaml");
        const secret = bundleSecrets(files).find(
          (s) => getPath(s, "metadata.name") === name && getPath(s, "metadata.namespace") === namespace,
        );
        const raw = secret && secretText(secret, key);
        const targetPath = getPath(ref, "targetPath");
        if (raw === undefined) {
          out.problems.push(
            `${file}: valuesFrom Secret ${String(namespace)}/${String(name)} key ${key} is not in the bundle (Flux reads it from the HelmRelease's namespace)`,
          );
        } else if (typeof targetPath === "string" && targetPath) {
          merged = fluxMergeMaps(merged, inline);
          setAt(merged, targetPathKeys(targetPath), readTargetPathValue(raw));
        } else {
          const read = readValuesText(raw);
          if (read) merged = fluxMergeMaps(merged, read);
          else out.problems.push(`${file}: valuesFrom Secret ${String(name)} key ${key} is not a YAML map of values`);
        }
      }
      out.values = fluxMergeMaps(merged, inline);
      const patches = getPath(doc, "spec.postRenderers");
      for (const renderer of Array.isArray(patches) ? patches : []) {
        const list = getPath(renderer, "kustomize.patches");
        for (const p of Array.isArray(list) ? list : []) {
          try {
            const operations = parseYamlDocuments(String(getPath(p, "patch") ?? ""))[0];
            out.patch = { file, operations: Array.isArray(operations) ? (operations as JsonPatchOperation[]) : [] };
            out.kustomization = { file, doc: { patches: [{ path: file, target: getPath(p, "target") }] } };
          } catch (error) {
            out.problems.push(
              `${file}: a postRenderers patch does not parse: ${(error as Error).message.split("\n")[0]}`,
            );
          }
        }
      }
    }
  }
  return out;
}
