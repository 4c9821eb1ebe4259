/**
 * Sealed Secrets in tests: certificates made here with Debian's openssl, and unsealing with
 * node:crypto (privateDecrypt with OAEP-SHA-256 and the label, then AES-256-GCM): code that
 * shares nothing with lib/secrets/seal.ts, so a bundle unsealed here proves the sealing.
 */
import { execFileSync } from "node:child_process";
import { constants, createDecipheriv, privateDecrypt } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSealingCertificate, type SealingCertificate } from "../../lib/secrets/certificate";
import { isMap } from "../../lib/values/values";
import { parseYamlDocuments, toYamlFile } from "../../lib/yaml/serialize";

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate and its private key: `openssl req -x509` with the given key options. */
export function makeCertificate(keyArgs: string[] = ["-newkey", "rsa:2048"], days = 30): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "sealing-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        ...keyArgs,
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        String(days),
        "-subj",
        "/O=sealed-secret/CN=test",
      ],
      { stdio: "pipe" },
    );
    return { certPem: readFileSync(join(dir, "cert.pem"), "utf8"), keyPem: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One encryptedData value back to its plaintext, or throws (wrong key or label). */
export function unsealValue(base64: string, keyPem: string, label: string): Buffer {
  const bytes = Buffer.from(base64, "base64");
  const rsaLength = bytes.readUInt16BE(0);
  const sessionKey = privateDecrypt(
    { key: keyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: Buffer.from(label) },
    bytes.subarray(2, 2 + rsaLength),
  );
  const sealed = bytes.subarray(2 + rsaLength);
  const decipher = createDecipheriv("aes-256-gcm", sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

interface SealedDoc {
  kind: string;
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { encryptedData: Record<string, string>; template: { metadata: Record<string, unknown>; type?: string } };
}

/** The label the controller unseals a SealedSecret with, from its scope annotations. */
export function labelOf(doc: SealedDoc): string {
  const a = doc.metadata.annotations ?? {};
  if (a["sealedsecrets.bitnami.com/cluster-wide"] === "true") return "";
  if (a["sealedsecrets.bitnami.com/namespace-wide"] === "true") return doc.metadata.namespace;
  return `${doc.metadata.namespace}/${doc.metadata.name}`;
}

/** What the controller does: each SealedSecret becomes the Secret of its template, with `data`. */
export function unsealDocument(doc: SealedDoc, keyPem: string): Record<string, unknown> {
  const data = Object.fromEntries(
    Object.entries(doc.spec.encryptedData).map(([k, v]) => [
      k,
      unsealValue(v, keyPem, labelOf(doc)).toString("base64"),
    ]),
  );
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: doc.spec.template.metadata,
    ...(doc.spec.template.type ? { type: doc.spec.template.type } : {}),
    data,
  };
}

/** Every file of a bundle with its SealedSecrets unsealed into Secrets (others as they are). */
export function unsealFiles(files: Record<string, string>, keyPem: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      if (!name.endsWith(".yaml") || !/kind: "?SealedSecret"?$/m.test(text)) return [name, text];
      const docs = parseYamlDocuments(text).map((d) =>
        isMap(d) && d.kind === "SealedSecret" ? unsealDocument(d as unknown as SealedDoc, keyPem) : d,
      );
      return [name, toYamlFile(docs)];
    }),
  );
}

/** A 2048-bit test certificate valid for 30 days, and the engine's reading of it. */
export function testSealingCertificate(): { rsa: TestCertificate; cert: SealingCertificate } {
  const rsa = makeCertificate(["-newkey", "rsa:2048"], 30);
  const read = readSealingCertificate(rsa.certPem, Date.now());
  if (!read.ok) throw new Error(read.message);
  return { rsa, cert: read.cert };
}
