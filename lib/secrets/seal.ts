/**
 * Sealed Secrets, sealed here: each Secret becomes a `bitnami.com/v1alpha1` SealedSecret whose
 * values only the controller holding the certificate's private key can decrypt. The format is
 * the controller's (bitnami-labs/sealed-secrets pkg/crypto/crypto.go, HybridEncrypt):
 *
 *   uint16 big-endian length of R || R = RSA-OAEP(SHA-256, MGF1-SHA-256, label)(session key)
 *   || AES-256-GCM(session key, 12 zero bytes nonce, no AAD)(value) with its 16-byte tag
 *
 * and the label binds the ciphertext to where it may be unsealed: `namespace/name` (strict),
 * `namespace` (namespace-wide) or empty (cluster-wide).
 *
 * Async and pure: WebCrypto's SubtleCrypto (in Node 20 and browsers; the caller passes it in,
 * as the engine touches no globals) does SHA-256 and AES-GCM; every random byte comes from the
 * `random` function the caller passes. OAEP is
 * encoded here with the given seed and the RSA public operation done with BigInt, because
 * WebCrypto's RSA-OAEP draws its own seed, so its output could never be reproduced.
 *
 * Where the randomness comes from is the caller's choice, and it decides whether re-sealing
 * churns (see lib/secrets/derive.ts): the page draws fresh bytes per generation
 * (crypto.getRandomValues, in the browser; nothing is sent or stored); the CLI derives them from
 * a local sealing key so an unchanged value seals to the same bytes.
 */
import type { Secret } from "../k8s/types";
import type { SealingCertificate } from "./certificate";

export const SEALING_SCOPES = ["strict", "namespace-wide", "cluster-wide"] as const;
export type SealingScope = (typeof SEALING_SCOPES)[number];

export const NAMESPACE_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/namespace-wide";
export const CLUSTER_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/cluster-wide";

/** What one value is sealed for: the randomness may depend on it (the CLI's does). */
export interface SealingInput {
  label: Uint8Array;
  /** The Secret key. */
  key: string;
  value: Uint8Array;
}

/** 64 bytes per value: the AES-256 session key, then the OAEP seed. */
export type SealRandom = (input: SealingInput) => Promise<Uint8Array> | Uint8Array;
export const RANDOM_BYTES_PER_VALUE = 64;

export interface SealedSecret {
  apiVersion: "bitnami.com/v1alpha1";
  kind: "SealedSecret";
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    encryptedData: Record<string, string>;
    template: {
      metadata: {
        name: string;
        namespace: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      type?: string;
    };
  };
}

const SHA256_BYTES = 32;
const encoder = new TextEncoder();

async function sha256(subtle: SubtleCrypto, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest("SHA-256", data as BufferSource));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** MGF1 with SHA-256 (RFC 8017 B.2.1). */
async function mgf1(subtle: SubtleCrypto, seed: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let counter = 0, at = 0; at < length; counter++, at += SHA256_BYTES) {
    const c = new Uint8Array([counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff]);
    out.set((await sha256(subtle, concat(seed, c))).subarray(0, length - at), at);
  }
  return out;
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function toBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  for (; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
  }
  return result;
}

/** RSAES-OAEP-ENCRYPT (RFC 8017 7.1.1) with SHA-256, MGF1-SHA-256 and the given seed. */
export async function rsaOaepEncrypt(
  subtle: SubtleCrypto,
  cert: Pick<SealingCertificate, "modulus" | "exponent">,
  message: Uint8Array,
  label: Uint8Array,
  seed: Uint8Array,
): Promise<Uint8Array> {
  const k = Math.ceil(cert.modulus.toString(2).length / 8);
  if (seed.length !== SHA256_BYTES) throw new Error("OAEP seed must be 32 bytes");
  if (message.length > k - 2 * SHA256_BYTES - 2) throw new Error("message too long for the RSA key");
  const db = concat(
    await sha256(subtle, label),
    new Uint8Array(k - message.length - 2 * SHA256_BYTES - 2),
    new Uint8Array([1]),
    message,
  );
  const dbMask = await mgf1(subtle, seed, db.length);
  const maskedDb = db.map((b, i) => b ^ dbMask[i]!);
  const seedMask = await mgf1(subtle, maskedDb, SHA256_BYTES);
  const maskedSeed = seed.map((b, i) => b ^ seedMask[i]!);
  const em = concat(new Uint8Array([0]), maskedSeed, maskedDb);
  return toBytes(modPow(toBigInt(em), cert.exponent, cert.modulus), k);
}

/** The controller's HybridEncrypt with the given session key and seed. */
export async function hybridEncrypt(
  subtle: SubtleCrypto,
  cert: Pick<SealingCertificate, "modulus" | "exponent">,
  plaintext: Uint8Array,
  label: Uint8Array,
  sessionKey: Uint8Array,
  seed: Uint8Array,
): Promise<Uint8Array> {
  const rsa = await rsaOaepEncrypt(subtle, cert, sessionKey, label, seed);
  const key = await subtle.importKey("raw", sessionKey as BufferSource, { name: "AES-GCM" }, false, ["encrypt"]);
  const aes = new Uint8Array(
    await subtle.encrypt({ name: "AES-GCM", iv: new Uint8Array(12), tagLength: 128 }, key, plaintext as BufferSource),
  );
  return concat(new Uint8Array([rsa.length >>> 8, rsa.length & 0xff]), rsa, aes);
}

/** The label a value is sealed with (sealed-secrets EncryptionLabel). */
export function sealingLabel(namespace: string, name: string, scope: SealingScope): string {
  if (scope === "cluster-wide") return "";
  return scope === "namespace-wide" ? namespace : `${namespace}/${name}`;
}

/** The annotations that tell the controller the scope (none for strict). */
export function scopeAnnotations(scope: SealingScope): Record<string, string> {
  if (scope === "namespace-wide") return { [NAMESPACE_WIDE_ANNOTATION]: "true" };
  if (scope === "cluster-wide") return { [CLUSTER_WIDE_ANNOTATION]: "true" };
  return {};
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** A Secret's values as bytes, in key order: `data` (base64), then `stringData`, which wins. */
export function secretBytes(
  secret: Pick<Secret, "stringData"> & { data?: Record<string, string> },
): Map<string, Uint8Array> {
  const values = new Map<string, Uint8Array>();
  for (const [key, value] of Object.entries(secret.data ?? {})) values.set(key, fromBase64(value));
  for (const [key, value] of Object.entries(secret.stringData ?? {})) values.set(key, encoder.encode(value));
  return values;
}

/** Seals each Secret into a SealedSecret producing it; its values appear nowhere in the result. */
export async function sealSecrets(
  secrets: readonly Secret[],
  cert: Pick<SealingCertificate, "modulus" | "exponent">,
  scope: SealingScope,
  random: SealRandom,
  subtle: SubtleCrypto,
): Promise<SealedSecret[]> {
  const sealed: SealedSecret[] = [];
  for (const secret of secrets) {
    const { name, namespace } = secret.metadata;
    if (!namespace) throw new Error(`Secret ${name} has no namespace: strict and namespace-wide sealing need one`);
    const label = encoder.encode(sealingLabel(namespace, name, scope));
    const encryptedData: Record<string, string> = {};
    for (const [key, value] of secretBytes(secret)) {
      const bytes = await random({ label, key, value });
      if (bytes.length !== RANDOM_BYTES_PER_VALUE) throw new Error(`random must give ${RANDOM_BYTES_PER_VALUE} bytes`);
      encryptedData[key] = toBase64(
        await hybridEncrypt(subtle, cert, value, label, bytes.subarray(0, 32), bytes.subarray(32)),
      );
    }
    const annotations = {
      ...(secret.metadata as { annotations?: Record<string, string> }).annotations,
      ...scopeAnnotations(scope),
    };
    const meta = {
      name,
      namespace,
      ...(secret.metadata.labels ? { labels: { ...secret.metadata.labels } } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    };
    sealed.push({
      apiVersion: "bitnami.com/v1alpha1",
      kind: "SealedSecret",
      metadata: structuredClone(meta),
      spec: {
        encryptedData,
        template: { metadata: structuredClone(meta), ...(secret.type ? { type: secret.type } : {}) },
      },
    });
  }
  return sealed;
}
