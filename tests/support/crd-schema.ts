/**
 * Validation of custom resources against their CRD's openAPIV3Schema, as the API server does
 * for the structural parts: type (with int-or-string and nullable), required, enum, pattern,
 * lengths, bounds, items, properties, additionalProperties, anyOf, and fields the schema does
 * not declare (which the API server would prune). CEL rules (x-kubernetes-validations) are not
 * evaluated here; tests assert the ones that concern the objects they build.
 */
import { readFileSync } from "node:fs";
import { isMap } from "../../lib/values/values";
import { parseYamlDocuments } from "../../lib/yaml/serialize";

export interface CrdSchema {
  type?: string;
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: CrdSchema | boolean;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  anyOf?: CrdSchema[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: CrdSchema } }[];
  };
}

/** The served schemas of a vendored CRD file (tests/fixtures/crds), by `apiVersion/kind`. */
export function loadCrd(file: string): Map<string, CrdSchema> {
  const crd = parseYamlDocuments(readFileSync(new URL(`../fixtures/crds/${file}`, import.meta.url), "utf8"))[0] as Crd;
  return new Map(
    crd.spec.versions
      .filter((v) => v.served)
      .map((v) => [`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema]),
  );
}

function typeProblem(value: unknown, schema: CrdSchema): string | null {
  if (value === null) return schema.nullable ? null : "is null";
  if (schema["x-kubernetes-int-or-string"])
    return typeof value === "string" || Number.isInteger(value) ? null : "must be an integer or a string";
  switch (schema.type) {
    case undefined:
      return null;
    case "object":
      return isMap(value) ? null : "must be an object";
    case "array":
      return Array.isArray(value) ? null : "must be an array";
    case "string":
      return typeof value === "string" ? null : "must be a string";
    case "integer":
      return Number.isInteger(value) ? null : "must be an integer";
    case "number":
      return typeof value === "number" ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be a boolean";
    default:
      return `has unknown schema type ${schema.type}`;
  }
}

/** Every way `value` breaks `schema`, each with its path. */
export function crdProblems(value: unknown, schema: CrdSchema, path = ""): string[] {
  const at = path || "(root)";
  const type = typeProblem(value, schema);
  if (type) return [`${at} ${type}`];
  if (value === null) return [];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.some((e) => e === value))
    problems.push(`${at} must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value))
      problems.push(`${at} does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && [...value].length < schema.minLength)
      problems.push(`${at} is shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength)
      problems.push(`${at} is longer than ${schema.maxLength}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at} is above ${schema.maximum}`);
  }
  if (
    schema.anyOf &&
    !schema.anyOf.some((s) => crdProblems(value, { ...s, type: s.type ?? schema.type }, path).length === 0)
  )
    problems.push(`${at} matches none of anyOf`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${at} has fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      problems.push(`${at} has more than ${schema.maxItems} items`);
    value.forEach((item, i) => problems.push(...crdProblems(item, schema.items ?? {}, `${path}[${i}]`)));
  }
  if (isMap(value)) {
    for (const key of schema.required ?? [])
      if (!(key in value)) problems.push(`${path ? `${path}.` : ""}${key} is required`);
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const declared = schema.properties?.[key];
      if (declared) problems.push(...crdProblems(child, declared, childPath));
      else if (isMap(schema.additionalProperties))
        problems.push(...crdProblems(child, schema.additionalProperties, childPath));
      // metadata is a bare object in CRDs (the API server checks it itself); preserved fields are kept.
      else if (
        schema.additionalProperties !== true &&
        !schema["x-kubernetes-preserve-unknown-fields"] &&
        path !== "metadata"
      )
        problems.push(`unknown field ${childPath}`);
    }
  }
  return problems;
}

const SCHEMAS = new Map<string, CrdSchema>([
  ...loadCrd("helm.toolkit.fluxcd.io_helmreleases.yaml"),
  ...loadCrd("source.toolkit.fluxcd.io_ocirepositories.yaml"),
  ...loadCrd("argoproj.io_applications.yaml"),
]);

/** The schema for a custom resource's apiVersion and kind, or undefined for one not vendored. */
export function customResourceSchema(doc: unknown): CrdSchema | undefined {
  if (!isMap(doc)) return undefined;
  return SCHEMAS.get(`${String(doc.apiVersion)}/${String(doc.kind)}`);
}
