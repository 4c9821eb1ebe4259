/**
 * Manifest validation against the real schemas: the ServiceMonitor CRD (prometheus-operator
 * v0.93.1, via @kubernetes-models and the CRD's own openAPIV3Schema for unknown fields, which
 * the API server would silently prune) and the Kubernetes core schemas.
 */
import { readFileSync } from "node:fs";
import { ServiceMonitor as ServiceMonitorModel } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { NetworkPolicy as NetworkPolicyModel } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Secret as SecretModel } from "kubernetes-models/v1/Secret";
import { dnsLabelRule, dnsSubdomainRule, labelKeyRule, labelValueRule } from "../../lib/config/field-rules";
import { isMap } from "../../lib/values/values";
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
  } else if (kind === "Secret") {
    new SecretModel(doc as never).validate();
  } else if (kind === "NetworkPolicy") {
    new NetworkPolicyModel(doc as never).validate();
  } else {
    problems.push(`unexpected kind ${String(kind)}`);
  }
  if (problems.length) throw new Error(`${String(kind)}: ${problems.join("; ")}`);
}
