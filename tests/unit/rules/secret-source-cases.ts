/**
 * Cases for the rules on Secrets a controller makes (lib/rules/secret-source-rules.ts). The
 * SealedSecrets here carry stand-in ciphertext: the rules read names, namespaces, types and
 * keys, never values (tests/cli/sealed.test.ts seals for real and checks the sealed files).
 */
import { parseYamlDocuments, toYamlFile } from "../../../lib/yaml/serialize";
import type { Bundle } from "./cases";

type Doc = any;

/** Every Secret of secret.yaml as the SealedSecret that makes it, optionally changed. */
function sealSecretFile(b: Bundle, change: (sealed: Doc[]) => void): void {
  const docs = parseYamlDocuments(b.files["secret.yaml"] as string) as Doc[];
  const sealed = docs.map((s) => ({
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: { name: s.metadata.name, namespace: s.metadata.namespace },
    spec: {
      encryptedData: Object.fromEntries(Object.keys(s.stringData).map((k) => [k, "AgBstandin"])),
      template: {
        metadata: { name: s.metadata.name, namespace: s.metadata.namespace, labels: s.metadata.labels },
        type: s.type,
      },
    },
  }));
  change(sealed);
  b.files["secret.yaml"] = toYamlFile(sealed);
}

const SEALED = { secretsAs: "sealed" } as const;
/** Every Secret sealed as it is: the SealedSecrets make exactly the Secrets that are read. */
const sealedAsGenerated = (b: Bundle) => sealSecretFile(b, () => {});

const scrape = (docs: Doc[]) => docs.find((d) => /scrape-auth$/.test(d.metadata.name));
const EXTERNAL = { secretsAs: "external", secretStore: "vault-backend" } as const;

function editExternal(b: Bundle, change: (docs: Doc[]) => void): void {
  const docs = parseYamlDocuments(b.files["externalsecrets.yaml"] as string) as Doc[];
  change(docs);
  b.files["externalsecrets.yaml"] = toYamlFile(docs);
}

export const SECRET_SOURCE_CASES = [
  {
    rule: "sealed-secret-produces",
    config: { ...SEALED, serviceMonitorMode: "standalone" as const },
    breaks: (b: Bundle) => sealSecretFile(b, (docs) => (scrape(docs).metadata.namespace = "default")),
    status: "fail" as const,
    passes: sealedAsGenerated,
  },
  {
    rule: "sealed-secret-produces",
    config: SEALED,
    breaks: (b: Bundle) => sealSecretFile(b, (docs) => delete scrape(docs).spec.encryptedData.password),
    status: "fail" as const,
    passes: sealedAsGenerated,
  },
  {
    rule: "sealed-secret-produces",
    config: { ...SEALED, serviceMonitorMode: "patch" as const },
    breaks: (b: Bundle) => sealSecretFile(b, (docs) => (scrape(docs).spec.template.type = "Opaque")),
    status: "fail" as const,
    passes: sealedAsGenerated,
  },
  {
    rule: "external-secret-produces",
    config: EXTERNAL,
    breaks: (b: Bundle) => editExternal(b, (docs) => (scrape(docs).spec.target.template.type = "Opaque")),
    status: "fail" as const,
  },
  {
    rule: "external-secret-produces",
    config: EXTERNAL,
    breaks: (b: Bundle) => editExternal(b, (docs) => (scrape(docs).metadata.namespace = "default")),
    status: "fail" as const,
  },
  {
    rule: "external-secret-produces",
    config: { ...EXTERNAL, pushers: [{ name: "etl", namespace: "data", password: "etl-Pw-2" }] },
    breaks: (b: Bundle) =>
      editExternal(
        b,
        (docs) => delete docs.find((d) => /push-etl$/.test(d.metadata.name)).spec.target.template.data.username,
      ),
    status: "fail" as const,
  },
];
