/**
 * Secrets a controller makes (issue 15): a SealedSecret (bitnami.com/v1alpha1) unsealed by the
 * sealed-secrets controller, an ExternalSecret (external-secrets.io/v1) synced by the External
 * Secrets Operator. The checks read each as the Secret it produces: its name and namespace, its
 * type, and its keys, whose values only the controller knows (so credentials are reported as not
 * compared, never as wrong). The rules here say whether each produces the Secret that what reads
 * it (the ServiceMonitor or another scraper, Pushgateway's web config, a pusher's job) expects.
 */
import { buildSecrets } from "../engine/build-manifests";
import { markValuesUnknown, type Placed } from "../engine/cluster-view";
import { buildPusherSecrets } from "../engine/pushers";
import { planBundle } from "../engine/plan";
import { BASIC_AUTH_PASSWORD_KEY, BASIC_AUTH_USERNAME_KEY } from "../engine/build-manifests";
import type { Secret } from "../k8s/types";
import { getPath, isMap } from "../values/values";
import { nameOf, os, q, scrapers } from "./common";
import type { KubeObject } from "./input";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { ChartSetup } from "./setup";

export const SEALED_SECRET_API = "bitnami.com/v1alpha1";
export const EXTERNAL_SECRET_API = "external-secrets.io/v1";

type SourceKind = "SealedSecret" | "ExternalSecret";

export function isSecretSource(doc: unknown): doc is KubeObject {
  return (
    isMap(doc) &&
    ((doc.kind === "SealedSecret" && doc.apiVersion === SEALED_SECRET_API) ||
      (doc.kind === "ExternalSecret" && doc.apiVersion === EXTERNAL_SECRET_API))
  );
}

// Each produced Secret keeps the object it came from, for the rules' messages and evidence.
const sources = new WeakMap<object, KubeObject>();

const text = (v: unknown) => (typeof v === "string" ? v : undefined);
const mapOf = (v: unknown): Record<string, unknown> => (isMap(v) ? v : {});

/**
 * The Secret a SealedSecret or ExternalSecret makes, as its controller makes it: named and placed
 * like the object (an ExternalSecret's spec.target.name, if given, names it), with the template's
 * labels and type. A SealedSecret's keys are its encryptedData's (and its template's data); an
 * ExternalSecret's are its template's data keys (the default merge policy, Replace), else its
 * spec.data secretKeys. Values with a template action are unknown; literal template text is kept.
 */
export function producedSecret(doc: KubeObject): Secret {
  const meta = mapOf(doc.metadata);
  const sealed = doc.kind === "SealedSecret";
  const template = mapOf(sealed ? getPath(doc, "spec.template") : getPath(doc, "spec.target.template"));
  const templateMeta = mapOf(template.metadata);
  const name = sealed ? text(meta.name) : (text(getPath(doc, "spec.target.name")) ?? text(meta.name));
  const literal: Record<string, string> = {};
  const unknown: string[] = [];
  const templateData = mapOf(template.data);
  for (const [key, value] of Object.entries(templateData)) {
    if (typeof value === "string" && !value.includes("{{")) literal[key] = value;
    else unknown.push(key);
  }
  if (sealed) unknown.push(...Object.keys(mapOf(getPath(doc, "spec.encryptedData"))).filter((k) => !(k in literal)));
  else if (!isMap(template.data)) {
    const data = getPath(doc, "spec.data");
    if (Array.isArray(data))
      for (const d of data) if (text(getPath(d, "secretKey"))) unknown.push(String(getPath(d, "secretKey")));
  }
  const secret: Secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      ...(name !== undefined ? { name } : {}),
      ...(text(meta.namespace) !== undefined ? { namespace: text(meta.namespace) } : {}),
      ...(isMap(templateMeta.labels) ? { labels: templateMeta.labels as Record<string, string> } : {}),
    } as Secret["metadata"],
    type: text(template.type) ?? "Opaque",
    ...(Object.keys(literal).length ? { stringData: literal } : {}),
    data: Object.fromEntries(unknown.map((k) => [k, ""])),
  };
  markValuesUnknown(secret, unknown);
  sources.set(secret, doc);
  return secret;
}

/** The SealedSecret or ExternalSecret a Secret of the view was read from, if any. */
export function sourceOf(secret: Secret): KubeObject | undefined {
  return sources.get(secret);
}

/** A Secret something reads: its name, namespace, the keys read, and the type when it is known. */
interface WantedSecret {
  name: string;
  namespace: string;
  keys: string[];
  type?: string;
  reader: string;
}

/**
 * What reads Secrets: for a generated bundle, every Secret the plan makes (the chart's web config,
 * the scraper's Secret, each pusher's), with its type; for pasted files, what each ServiceMonitor's
 * basicAuth names.
 */
function wantedSecrets(s: ChartSetup): WantedSecret[] {
  const config = s.generatedFrom;
  if (config) {
    // Only names, namespaces, types and keys are compared: the hashes are stand-ins.
    const plan = planBundle({
      ...config,
      passwordHash: "x",
      pushers: config.pushers.map((p) => ({ ...p, passwordHash: "x" })),
    });
    const keys = { username: BASIC_AUTH_USERNAME_KEY, password: BASIC_AUTH_PASSWORD_KEY };
    const made = [
      ...buildSecrets(plan, plan.webConfigSecretName ? "x" : null),
      ...buildPusherSecrets(plan.pushers, {}, keys),
    ];
    return made.map((m) => ({
      name: String(m.metadata.name),
      namespace: String(m.metadata.namespace),
      keys: Object.keys(m.stringData ?? {}),
      type: m.type,
      reader:
        m.metadata.name === plan.webConfigSecretName
          ? "Pushgateway (its web config)"
          : m.metadata.name === plan.scrapeSecretName
            ? `the ${plan.scraper === "operator" ? "ServiceMonitor" : "scraper"}`
            : "the pusher's job",
    }));
  }
  const wanted = new Map<string, WantedSecret>();
  for (const { sm, state } of scrapers(s)) {
    for (const f of state.fields) {
      if (typeof f.selector?.name !== "string" || typeof f.selector.key !== "string") continue;
      const id = `${state.namespace}/${f.selector.name}`;
      const w = wanted.get(id) ?? {
        name: f.selector.name,
        namespace: state.namespace,
        keys: [],
        reader: `ServiceMonitor ${nameOf(sm.object)}`,
      };
      if (!w.keys.includes(f.selector.key)) w.keys.push(f.selector.key);
      wanted.set(id, w);
    }
  }
  return [...wanted.values()];
}

const WHERE: Record<SourceKind, { keys: string; type: string; name: string }> = {
  SealedSecret: { keys: "spec.encryptedData", type: "spec.template.type", name: "metadata.name" },
  ExternalSecret: { keys: "spec.target.template.data", type: "spec.target.template.type", name: "spec.target.name" },
};

function judgeSources(s: ChartSetup, kind: SourceKind): Verdict[] {
  const produced = s.view.secrets.filter((x): x is Placed<Secret> => sourceOf(x.object)?.kind === kind);
  if (!produced.length) return [];
  const verdicts: Verdict[] = [];
  for (const w of wantedSecrets(s)) {
    const named = produced.filter((x) => x.object.metadata?.name === w.name);
    if (!named.length) continue;
    const here = named.find((x) => x.object.metadata?.namespace === w.namespace);
    if (!here) {
      const there = named[0] as Placed<Secret>;
      verdicts.push(
        problem(
          `${kind} ${nameOf(there.object)} makes Secret ${w.name} in namespace ${there.object.metadata?.namespace}, but ${w.reader} reads it in ${w.namespace}: the controller creates it where the ${kind} is, so it is not found.`,
          [os(s, there, ["metadata", "namespace"], there.object.metadata?.namespace)],
          `Put the ${kind} in namespace ${w.namespace}${kind === "SealedSecret" ? " and seal it again (strict and namespace-wide sealing bind the namespace)" : ""}.`,
        ),
      );
      continue;
    }
    const source = sourceOf(here.object) as KubeObject;
    const has = [...Object.keys(here.object.data ?? {}), ...Object.keys(here.object.stringData ?? {})];
    const missing = w.keys.filter((k) => !has.includes(k));
    if (missing.length) {
      verdicts.push(
        problem(
          `${kind} ${nameOf(source as never)} makes Secret ${w.name} without ${missing.map(q).join(" and ")} (its keys: ${q(has)}), which ${w.reader} reads.`,
          [os(s, here, WHERE[kind].keys.split("."), has)],
          `Add ${missing.map(q).join(" and ")} to ${WHERE[kind].keys} of ${kind} ${nameOf(source as never)}.`,
        ),
      );
    }
    if (w.type && here.object.type !== w.type) {
      verdicts.push(
        problem(
          `${kind} ${nameOf(source as never)} makes Secret ${w.name} of type ${q(here.object.type)}, not ${q(w.type)} as the bundle's Secret is.`,
          [os(s, here, WHERE[kind].type.split("."), here.object.type)],
          `Set ${WHERE[kind].type} to ${w.type}.`,
        ),
      );
    }
  }
  return verdicts.length
    ? verdicts
    : [
        pass(
          `Each ${kind} makes the Secret that reads it expects: in its namespace, with its keys${s.generatedFrom ? " and type" : ""}.`,
        ),
      ];
}

export const sealedSecretProduces: Rule = {
  id: "sealed-secret-produces",
  title: "A SealedSecret does not make the Secret that is read",
  passTitle: "SealedSecrets make the Secrets that are read",
  severity: "fail",
  reads:
    "each SealedSecret's name, namespace, spec.template type and encryptedData keys, against the Secret read from it",
  scope: "chart",
  judge: (s) => judgeSources(s, "SealedSecret"),
};

export const externalSecretProduces: Rule = {
  id: "external-secret-produces",
  title: "An ExternalSecret does not make the Secret that is read",
  passTitle: "ExternalSecrets make the Secrets that are read",
  severity: "fail",
  reads:
    "each ExternalSecret's target name, namespace, template type and template data keys, against the Secret read from it",
  scope: "chart",
  judge: (s) => judgeSources(s, "ExternalSecret"),
};
