/**
 * No churn on CLI re-runs. Sealing is randomized: sealed twice, a value gives different bytes,
 * and a GitOps tool would see every re-run as a change. So the CLI does not draw the per-value
 * randomness, it derives it:
 *
 *   prk = HMAC-SHA256(sealingKey, "pushgateway-auth/seal/v1" | label | key | value | cert SHA-256)
 *   session key = HMAC-SHA256(prk, 0x01), OAEP seed = HMAC-SHA256(prk, 0x02)   (each part length-prefixed)
 *
 * `sealingKey` is 32 random bytes the CLI creates on its first run and keeps in
 * `<out>/.sealing-key` (0600), which the bundle's own .gitignore lists, so it is never
 * committed. Same value + certificate + key file: byte-identical SealedSecrets; a changed value
 * changes only its own entry. Deriving from the value alone would let anyone holding the
 * committed ciphertext test password guesses (re-seal a guess, compare the bytes); without the
 * key they cannot. A lost key file (a fresh clone) only means the values are sealed anew once.
 * The bcrypt hashes inside the web config are made the same way (a salt derived from the key),
 * because the earlier bundle's hash can no longer be read back from sealed files.
 */
import type { SealRandom } from "./seal";

export const SEALING_KEY_FILE = ".sealing-key";
export const SEALING_KEY_BYTES = 32;

const encoder = new TextEncoder();

function framed(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    new DataView(out.buffer).setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

async function hmac(subtle: SubtleCrypto, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", k, data as BufferSource));
}

/** The certificate's fingerprint: SHA-256 of its DER. */
export async function certificateFingerprint(subtle: SubtleCrypto, der: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest("SHA-256", der as BufferSource));
}

/** Randomness derived from the sealing key, the value and where it is sealed for. */
export function derivedRandom(subtle: SubtleCrypto, sealingKey: Uint8Array, certDer: Uint8Array): SealRandom {
  if (sealingKey.length !== SEALING_KEY_BYTES) throw new Error(`the sealing key must be ${SEALING_KEY_BYTES} bytes`);
  const fingerprint = certificateFingerprint(subtle, certDer);
  return async ({ label, key, value }) => {
    const prk = await hmac(
      subtle,
      sealingKey,
      framed([encoder.encode("pushgateway-auth/seal/v1"), label, encoder.encode(key), value, await fingerprint]),
    );
    const out = new Uint8Array(64);
    out.set(await hmac(subtle, prk, new Uint8Array([1])), 0);
    out.set(await hmac(subtle, prk, new Uint8Array([2])), 32);
    return out;
  };
}

/** 16 bytes of bcrypt salt for a user's password, derived from the sealing key. */
export async function derivedBcryptSalt(
  subtle: SubtleCrypto,
  sealingKey: Uint8Array,
  username: string,
  password: string,
): Promise<Uint8Array> {
  const mac = await hmac(
    subtle,
    sealingKey,
    framed([encoder.encode("pushgateway-auth/bcrypt-salt/v1"), encoder.encode(username), encoder.encode(password)]),
  );
  return mac.subarray(0, 16);
}
