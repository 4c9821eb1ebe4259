/**
 * Argo CD renders the chart at every compare. On charts that hash the passwords themselves two
 * renders of the same Application differ: the web-config Secret (a new salt each time) and, with
 * several users, the Deployment's probe headers (a user picked at random). Here real Helm renders
 * the Application's chart again and again, and every difference between two renders must vanish
 * once the Application's ignoreDifferences is applied the way Argo CD's normalizer applies it
 * (entries matched by group, kind, name and namespace; each JSON pointer removed): so the
 * Application stays Synced. A render that differs in a field no entry covers fails the test.
 */
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { generate, validateConfig } from "../../lib/index";
import { renderArgo } from "../support/gitops-controller";
import { helmBinary } from "../support/helm";
import type { K8sObject } from "../support/helm-proof";

type Entry = { group?: string; kind: string; name?: string; namespace?: string; jsonPointers?: string[] };

const PUSHERS = [
  { name: "backup", namespace: "batch", password: "backup-pw" },
  { name: "etl", namespace: "data", password: "etl-pw" },
];

const id = (o: K8sObject) => {
  const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
  return { group: group ?? "", kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? "" };
};
const key = (o: K8sObject) => JSON.stringify(id(o));

/** RFC 6901 remove; a pointer to nothing is skipped, as Argo CD skips a patch that does not apply. */
function removePointer(doc: any, pointer: string): void {
  const keys = pointer
    .split("/")
    .slice(1)
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = doc;
  for (const k of keys.slice(0, -1)) {
    if (node === null || typeof node !== "object" || !(k in node)) return;
    node = node[k];
  }
  const last = keys[keys.length - 1]!;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else if (node && typeof node === "object") delete node[last];
}

/** Argo CD's ignore normalizer (util/argo/normalizers), for exact group and kind. */
function normalize(objects: K8sObject[], entries: Entry[]): Map<string, K8sObject> {
  const out = new Map<string, K8sObject>();
  for (const original of objects) {
    const o = structuredClone(original);
    const { group, kind, name, namespace } = id(o);
    for (const e of entries)
      if (
        (e.group ?? "") === group &&
        e.kind === kind &&
        (!e.name || e.name === name) &&
        (!e.namespace || e.namespace === namespace)
      )
        for (const p of e.jsonPointers ?? []) removePointer(o, p);
    out.set(key(o), o);
  }
  return out;
}

async function renders(files: Record<string, string>): Promise<K8sObject[]> {
  const rendered = await renderArgo(files);
  return rendered.manifests.filter((m) => m.source === "helm template").map((m) => m.object);
}

const differing = (a: Map<string, K8sObject>, b: Map<string, K8sObject>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)));

describe.each(["2.14.0", "3.1.0", "3.6.1"])("Argo CD, chart %s", (chartVersion) => {
  it.each([
    ["the scrape user only", []],
    ["two pushers", PUSHERS],
  ] as const)(
    "stays Synced with %s: every difference between renders is ignored",
    async (_, pushers) => {
      helmBinary(3);
      const result = validateConfig({ chartVersion, deploy: "argocd", password: "scrape-pw", pushers: [...pushers] });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const files = generate(result.config).files;
      const app = load(files["application.yaml"]!) as { spec: { ignoreDifferences?: Entry[] } };
      const entries = app.spec.ignoreDifferences ?? [];
      const first = await renders(files);
      const raw = new Map(first.map((o) => [key(o), o]));
      const seen = new Set<string>();
      // Three users: a render picks the probes' user at random, so a few renders show it changing.
      for (let i = 0; i < (pushers.length ? 10 : 2); i++) {
        const again = await renders(files);
        for (const k of differing(raw, new Map(again.map((o) => [key(o), o])))) seen.add(JSON.parse(k).kind);
        expect(differing(normalize(first, entries), normalize(again, entries)), `render ${i + 2}`).toEqual([]);
        if (seen.has("Deployment")) break;
      }
      // The renders did differ where expected, so the comparison above is not vacuous.
      expect([...seen].sort()).toEqual(pushers.length ? ["Deployment", "Secret"] : ["Secret"]);
    },
    120_000,
  );
});
