/**
 * Sealing, proven by unsealing with node:crypto (tests/support/sealing.ts), which shares no
 * code with lib/secrets: every scope, every Secret of the bundle, the labels the controller uses;
 * certificates that cannot be sealed to each give their own message; derived randomness makes
 * re-sealing byte-identical and a changed value changes only its own entry.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { webcrypto } from "node:crypto";
import { hashSync } from "bcryptjs";
import { generate, validateConfig } from "../../../lib/index";
import { readSealingCertificate, type SealingCertificate } from "../../../lib/secrets/certificate";
import { derivedRandom } from "../../../lib/secrets/derive";
import { sealBundle } from "../../../lib/secrets/seal-bundle";
import { SEALING_SCOPES, sealSecrets, type SealingScope } from "../../../lib/secrets/seal";
import { parseYamlDocuments } from "../../../lib/yaml/serialize";
import { makeCertificate, unsealFiles, unsealValue, type TestCertificate } from "../../support/sealing";
import { validateManifest } from "../../support/schemas";

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const NOW = Date.parse("2030-01-01T00:00:00Z");
const fresh = () => webcrypto.getRandomValues(new Uint8Array(64));

let rsa: TestCertificate;
let cert: SealingCertificate;

beforeAll(() => {
  rsa = makeCertificate(["-newkey", "rsa:2048"], 36500);
  const read = readSealingCertificate(rsa.certPem, NOW);
  if (!read.ok) throw new Error(read.message);
  cert = read.cert;
});

function config(extra: Record<string, unknown> = {}) {
  const result = validateConfig({
    password: `s3cr3t "pw" {{ x }}`,
    pushers: [{ name: "backup", namespace: "batch", password: "b4ckup" }],
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const c = result.config;
  return {
    ...c,
    passwordHash: hashSync(c.password, 4),
    pushers: c.pushers.map((p) => ({ ...p, passwordHash: hashSync(p.password, 4) })),
  };
}

describe("the certificate", () => {
  it("gives the RSA key and validity", () => {
    expect(cert.bits).toBe(2048);
    expect(cert.exponent).toBe(65537n);
    expect(cert.notAfter).toBeGreaterThan(NOW);
  });

  it.each([
    ["not PEM", () => "hello", /is not a PEM certificate/],
    ["a private key", () => rsa.keyPem, /is a PEM private key, not a certificate/],
    [
      "garbage in PEM",
      () => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      /is not an X\.509 certificate/,
    ],
    [
      "an EC certificate",
      () => makeCertificate(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]).certPem,
      /is not an RSA certificate: it holds an EC key/,
    ],
    [
      "a 1024-bit key",
      () => makeCertificate(["-newkey", "rsa:1024"]).certPem,
      /has a 1024-bit RSA key; at least 2048 bits/,
    ],
  ])("refuses %s", (_, pem, message) => {
    const read = readSealingCertificate(pem(), NOW);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(message);
  });

  it("refuses an expired certificate (the engine's `now` past notAfter)", () => {
    const short = makeCertificate(["-newkey", "rsa:2048"], 1);
    expect(readSealingCertificate(short.certPem, Date.now()).ok).toBe(true);
    const read = readSealingCertificate(short.certPem, Date.now() + 2 * 86_400_000);
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.message).toMatch(
        /^expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: fetch the controller's current one/,
      );
  });
});

describe.each(SEALING_SCOPES)("sealing, %s", (scope: SealingScope) => {
  it("unseals (node:crypto, the controller's label) to exactly the plain bundle's Secrets", async () => {
    const c = config();
    const plain = generate(c).files;
    const sealed = await sealBundle(plain, { cert, scope, random: fresh, subtle });
    const label = (ns: string, name: string) =>
      scope === "strict" ? `${ns}/${name}` : scope === "namespace-wide" ? ns : "";
    let count = 0;
    for (const [name, text] of Object.entries(plain)) {
      const plainSecrets = (name.endsWith(".yaml") ? parseYamlDocuments(text) : []).filter(
        (d) => (d as { kind?: string }).kind === "Secret",
      ) as {
        metadata: { name: string; namespace: string; labels: Record<string, string> };
        type: string;
        stringData: Record<string, string>;
      }[];
      if (!plainSecrets.length) {
        expect(sealed[name]).toBe(text);
        continue;
      }
      // No plaintext of any secret value in the sealed file (usernames are also in names and labels).
      for (const s of plainSecrets)
        for (const [k, v] of Object.entries(s.stringData)) if (k !== "username") expect(sealed[name]).not.toContain(v);
      for (const v of [c.password, c.passwordHash, ...c.pushers.flatMap((p) => [p.password, p.passwordHash])])
        expect(sealed[name]).not.toContain(v);
      const docs = parseYamlDocuments(sealed[name]!) as {
        kind: string;
        metadata: { name: string; namespace: string; annotations?: Record<string, string> };
        spec: {
          encryptedData: Record<string, string>;
          template: {
            metadata: {
              name: string;
              namespace: string;
              labels: Record<string, string>;
              annotations?: Record<string, string>;
            };
            type: string;
          };
        };
      }[];
      expect(docs.map((d) => d.kind)).toEqual(plainSecrets.map(() => "SealedSecret"));
      docs.forEach((doc, i) => {
        const secret = plainSecrets[i]!;
        const meta = doc.spec.template.metadata;
        expect([meta.name, meta.namespace, meta.labels, doc.spec.template.type]).toEqual([
          secret.metadata.name,
          secret.metadata.namespace,
          secret.metadata.labels,
          secret.type,
        ]);
        const annotation = scope === "strict" ? undefined : { [`sealedsecrets.bitnami.com/${scope}`]: "true" };
        expect(doc.metadata.annotations).toEqual(annotation);
        expect(meta.annotations).toEqual(annotation);
        expect(Object.keys(doc.spec.encryptedData)).toEqual(Object.keys(secret.stringData));
        for (const [key, value] of Object.entries(secret.stringData)) {
          const l = label(secret.metadata.namespace, secret.metadata.name);
          expect(unsealValue(doc.spec.encryptedData[key]!, rsa.keyPem, l).toString("utf8")).toBe(value);
          count++;
          if (scope !== "cluster-wide") {
            // Bound to where it may be unsealed: another name (strict) or namespace fails.
            expect(() => unsealValue(doc.spec.encryptedData[key]!, rsa.keyPem, `other/${l}`)).toThrow();
          }
        }
      });
    }
    // Web config, scrape username + password, the pusher's username + password.
    expect(count).toBe(5);
    expect(unsealFiles(sealed, rsa.keyPem)["secret.yaml"]).toContain("kind: Secret");
  });
});

describe("derived randomness (the CLI's)", () => {
  const key = new Uint8Array(32).fill(7);

  it("re-seals to identical bytes; a changed value changes only its own entry", async () => {
    const c = config();
    const seal = (files: Record<string, string>, k = key) =>
      sealBundle(files, { cert, scope: "strict", random: derivedRandom(subtle, k, cert.der), subtle });
    const first = await seal(generate(c).files);
    expect(await seal(generate(c).files)).toEqual(first);

    const changed = await seal(generate({ ...c, password: "another password" }).files);
    const entries = (text: string) =>
      (
        parseYamlDocuments(text) as { metadata: { name: string }; spec: { encryptedData: Record<string, string> } }[]
      ).flatMap((d) => Object.entries(d.spec.encryptedData).map(([k, v]) => [`${d.metadata.name}/${k}`, v] as const));
    const before = new Map(entries(first["secret.yaml"]!));
    const differing = entries(changed["secret.yaml"]!)
      .filter(([k, v]) => before.get(k) !== v)
      .map(([k]) => k);
    expect(differing).toHaveLength(1);
    expect(differing[0]).toMatch(/\/password$/);
    expect(changed["pusher-secrets.yaml"]).toBe(first["pusher-secrets.yaml"]);

    // Another key: other bytes, same plaintext.
    const other = await seal(generate(c).files, new Uint8Array(32).fill(9));
    expect(other["secret.yaml"]).not.toBe(first["secret.yaml"]);
  });

  it("sealSecrets takes every random byte from `random`", async () => {
    const secret = {
      apiVersion: "v1" as const,
      kind: "Secret" as const,
      metadata: { name: "a", namespace: "b" },
      stringData: { k: "v" },
    };
    const zero = () => new Uint8Array(64);
    const [a] = await sealSecrets([secret], cert, "strict", zero, subtle);
    const [b] = await sealSecrets([secret], cert, "strict", zero, subtle);
    expect(a).toEqual(b);
    expect(unsealValue(a!.spec.encryptedData.k!, rsa.keyPem, "b/a").toString()).toBe("v");
  });
});

describe("the SealedSecrets against the vendored CRD (bitnami.com_sealedsecrets.yaml)", () => {
  it.each(SEALING_SCOPES)("%s: every emitted SealedSecret validates", async (scope) => {
    const sealed = await sealBundle(generate(config()).files, { cert, scope, random: fresh, subtle });
    const docs = Object.entries(sealed)
      .filter(([name]) => name.endsWith(".yaml"))
      .flatMap(([, text]) => parseYamlDocuments(text))
      .filter((d) => (d as { kind?: string }).kind === "SealedSecret");
    expect(docs).toHaveLength(3);
    for (const doc of docs) validateManifest(doc);
    // The validator does catch a broken one.
    expect(() => validateManifest({ ...(docs[0] as object), spec: { template: {} } })).toThrow(
      /encryptedData is required/,
    );
  });
});
