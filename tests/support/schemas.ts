/**
 * Manifest validation against the real schemas: the ServiceMonitor, ScrapeConfig and VMServiceScrape CRDs (prometheus-operator
 * v0.93.1, via @kubernetes-models and the CRD's own openAPIV3Schema for unknown fields, which
 * the API server would silently prune) and the Kubernetes core schemas.
 */
import { readFileSync } from "node:fs";
import { ServiceMonitor as ServiceMonitorModel } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { NetworkPolicy as NetworkPolicyModel } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Secret as SecretModel } from "kubernetes-models/v1/Secret";
import { Role as RoleModel } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding as RoleBindingModel } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import Ajv from "ajv";
import { dnsLabelRule, dnsSubdomainRule, labelKeyRule, labelValueRule } from "../../lib/config/field-rules";
import { isMap } from "../../lib/values/values";
import { crdProblems, customResourceSchema } from "./crd-schema";
import { parseYamlDocuments } from "../../lib/yaml/serialize";

interface OpenApiSchema {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

const crd = parseYamlDocuments(
  readFileSync(new URL("../fixtures/crds/servicemonitors-crd-0.93.1.yaml", import.meta.url), "utf8"),
)[0] as { spec: { versions: { name: string; schema: { openAPIV3Schema: OpenApiSchema } }[] } };
const SERVICE_MONITOR_SCHEMA = crd.spec.versions.find((v) => v.name === "v1")!.schema.openAPIV3Schema;

type Crd = { spec: { versions: { name: string; schema: { openAPIV3Schema: OpenApiSchema } }[] } };
/** The openAPIV3Schema of a vendored CRD's version (tests/fixtures/crds, see SOURCES.md). */
function crdSchema(file: string, version: string): OpenApiSchema {
  const doc = parseYamlDocuments(readFileSync(new URL(`../fixtures/crds/${file}`, import.meta.url), "utf8")).find(
    (d) => isMap(d) && d.kind === "CustomResourceDefinition",
  ) as Crd;
  return doc.spec.versions.find((v) => v.name === version)!.schema.openAPIV3Schema;
}
// The API server validates custom resources against the CRD's structural schema: types,
// required fields, enums, patterns. x-kubernetes-* extensions and formats are its own.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const CRD_SCHEMAS: Record<string, { schema: OpenApiSchema; validate: ReturnType<typeof ajv.compile> }> = {};
for (const [kind, file, version] of [
  ["ScrapeConfig", "monitoring.coreos.com_scrapeconfigs.yaml", "v1alpha1"],
  ["VMServiceScrape", "operator.victoriametrics.com_vmservicescrapes.yaml", "v1beta1"],
  ["ExternalSecret", "external-secrets.io_externalsecrets.yaml", "v1"],
] as const) {
  const schema = crdSchema(file, version);
  CRD_SCHEMAS[kind] = { schema, validate: ajv.compile(schema as object) };
}

const sealedSecretCrd = parseYamlDocuments(
  readFileSync(new URL("../fixtures/crds/bitnami.com_sealedsecrets.yaml", import.meta.url), "utf8"),
)[0] as typeof crd;
const SEALED_SECRET_SCHEMA = sealedSecretCrd.spec.versions.find((v) => v.name === "v1alpha1")!.schema.openAPIV3Schema;

/** Types and required fields against a CRD's structural schema (what the API server rejects). */
export function typeProblems(value: unknown, schema: OpenApiSchema & { required?: string[] }, path = ""): string[] {
  const at = path || "(root)";
  const t = schema.type;
  if (t === "object" && !isMap(value)) return [`${at}: want an object`];
  if (t === "array" && !Array.isArray(value)) return [`${at}: want an array`];
  if (t === "string" && typeof value !== "string") return [`${at}: want a string`];
  if (t === "boolean" && typeof value !== "boolean") return [`${at}: want a boolean`];
  if (t === "integer" && !Number.isInteger(value)) return [`${at}: want an integer`];
  if (Array.isArray(value)) return value.flatMap((v, i) => typeProblems(v, schema.items ?? {}, `${path}[${i}]`));
  if (!isMap(value)) return [];
  const missing = (schema.required ?? []).filter((k) => !(k in value)).map((k) => `${at}: ${k} is required`);
  return [
    ...missing,
    ...Object.entries(value).flatMap(([k, v]) => {
      const child =
        schema.properties?.[k] ?? (isMap(schema.additionalProperties) ? schema.additionalProperties : undefined);
      return child ? typeProblems(v, child, path ? `${path}.${k}` : k) : [];
    }),
  ];
}

/** Paths of fields the structural schema does not declare (the API server would drop them). */
export function unknownFields(value: unknown, schema: OpenApiSchema, path = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(item, schema.items ?? {}, `${path}[${i}]`));
  if (!isMap(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    const declared = schema.properties?.[key];
    if (declared) return unknownFields(child, declared, childPath);
    if (isMap(schema.additionalProperties)) return unknownFields(child, schema.additionalProperties, childPath);
    if (schema.additionalProperties === true) return [];
    // metadata is typed as a bare object in CRDs; the API server validates it itself.
    if (path === "metadata") return [];
    return [childPath];
  });
}

function metadataProblems(doc: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } }) {
  const m = doc.metadata ?? {};
  const problems = [
    m.name === undefined ? "metadata.name missing" : dnsSubdomainRule(m.name),
    m.namespace === undefined ? "metadata.namespace missing" : dnsLabelRule(m.namespace),
    ...Object.entries(m.labels ?? {}).flatMap(([k, v]) => [labelKeyRule(k), labelValueRule(v)]),
  ];
  return problems.filter((p): p is string => p !== null);
}

/** Throws with the exact path when a manifest breaks its schema. */
export function validateManifest(doc: unknown): void {
  const kind = isMap(doc) ? doc.kind : undefined;
  const problems = metadataProblems(doc as never);
  if (kind === "ServiceMonitor") {
    new ServiceMonitorModel(doc as never).validate();
    problems.push(...unknownFields(doc, SERVICE_MONITOR_SCHEMA).map((p) => `unknown field ${p}`));
  } else if (kind === "ScrapeConfig" || kind === "VMServiceScrape" || kind === "ExternalSecret") {
    const { schema, validate } = CRD_SCHEMAS[kind]!;
    if (!validate(doc)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    problems.push(...unknownFields(doc, schema).map((p) => `unknown field ${p}`));
  } else if (kind === "Role") {
    new RoleModel(doc as never).validate();
  } else if (kind === "RoleBinding") {
    new RoleBindingModel(doc as never).validate();
  } else if (kind === "SealedSecret") {
    problems.push(
      ...typeProblems(doc, SEALED_SECRET_SCHEMA),
      ...unknownFields(doc, SEALED_SECRET_SCHEMA).map((p) => `unknown field ${p}`),
    );
    if (isMap(doc) && doc.apiVersion !== "bitnami.com/v1alpha1") problems.push(`apiVersion ${String(doc.apiVersion)}`);
  } else if (kind === "Secret") {
    new SecretModel(doc as never).validate();
  } else if (kind === "NetworkPolicy") {
    new NetworkPolicyModel(doc as never).validate();
  } else if (customResourceSchema(doc)) {
    // GitOps objects (HelmRelease, OCIRepository, Application): their vendored CRD's schema.
    problems.push(...crdProblems(doc, customResourceSchema(doc)!));
  } else {
    problems.push(`unexpected kind ${String(kind)}`);
  }
  if (problems.length) throw new Error(`${String(kind)}: ${problems.join("; ")}`);
}
