/**
 * The Sealed Secrets controller's public certificate (`kubeseal --fetch-cert`): PEM in, the RSA
 * public key and validity out. A minimal ASN.1 DER reader, just enough for an X.509
 * Certificate's tbsCertificate (RFC 5280 4.1) and an RSA SubjectPublicKeyInfo (RFC 8017 A.1.1).
 * Pure: no clock (the caller passes `now`, in milliseconds since the epoch, to
 * {@link certificateProblem}).
 */

export interface SealingCertificate {
  /** The certificate's DER bytes (what the fingerprint is taken of). */
  der: Uint8Array;
  modulus: bigint;
  exponent: bigint;
  /** Modulus size in bits. */
  bits: number;
  /** Validity bounds, in milliseconds since the epoch (UTC), and as `YYYY-MM-DD HH:MM:SS UTC`. */
  notBefore: number;
  notAfter: number;
  notBeforeText: string;
  notAfterText: string;
}

/** A certificate that cannot seal, with a message for the user. */
export class CertificateError extends Error {}

interface Der {
  tag: number;
  /** Content bytes. */
  body: Uint8Array;
  /** Offset just past this element in the buffer it was read from. */
  end: number;
}

function readDer(bytes: Uint8Array, at: number): Der {
  if (at + 2 > bytes.length) throw new CertificateError("not an X.509 certificate (truncated DER)");
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length)
      throw new CertificateError("not an X.509 certificate (bad DER length)");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new CertificateError("not an X.509 certificate (truncated DER)");
  return { tag, body: bytes.subarray(start, end), end };
}

/** The elements of a constructed value (SEQUENCE, SET, context tags). */
function children(der: Der): Der[] {
  const out: Der[] = [];
  let at = 0;
  while (at < der.body.length) {
    const child = readDer(der.body, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

function expect(der: Der | undefined, tag: number, what: string): Der {
  if (!der || der.tag !== tag) throw new CertificateError(`not an X.509 certificate (${what})`);
  return der;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
/** rsaEncryption, 1.2.840.113549.1.1.1. */
const RSA_ENCRYPTION_OID = "2a864886f70d010101";
const KNOWN_KEY_OIDS: Record<string, string> = {
  "2a8648ce3d0201": "an EC key",
  "2b6570": "an Ed25519 key",
  "2b6571": "an Ed448 key",
  "2a864886f70d01010a": "an RSA-PSS key",
  "2a8648ce380401": "a DSA key",
};

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function unsigned(der: Der): bigint {
  return der.body.length ? BigInt(`0x${hex(der.body)}`) : 0n;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function time(der: Der | undefined): { ms: number; text: string } {
  if (!der || (der.tag !== UTC_TIME && der.tag !== GENERALIZED_TIME))
    throw new CertificateError("not an X.509 certificate (validity)");
  const text = new TextDecoder().decode(der.body);
  const m =
    der.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new CertificateError(`not an X.509 certificate (time ${text})`);
  let year = Number(m[1]);
  // RFC 5280 4.1.2.5.1: UTCTime years 50-99 are 19xx.
  if (der.tag === UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
  const ms = (((daysFromCivil(year, month!, day!) * 24 + hour!) * 60 + minute!) * 60 + second!) * 1000;
  return { ms, text: `${year}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} UTC` };
}

/** Reads a PEM certificate; throws {@link CertificateError} saying what it is instead. */
export function parseCertificatePem(pem: string): SealingCertificate {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m)
    throw new CertificateError(
      "is not a PEM certificate (expected -----BEGIN CERTIFICATE-----, as `kubeseal --fetch-cert` prints)",
    );
  if (m[1] !== "CERTIFICATE")
    throw new CertificateError(
      `is a PEM ${m[1]!.toLowerCase()}, not a certificate: give the controller's public certificate (kubeseal --fetch-cert)`,
    );
  const base64 = m[2]!.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    throw new CertificateError("is not a PEM certificate (its body is not base64)");
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    throw new CertificateError("is not a PEM certificate (its body is not base64)");
  }
  try {
    return parseCertificateDer(der);
  } catch (error) {
    if (error instanceof CertificateError) throw new CertificateError(`is ${error.message}`);
    throw error;
  }
}

function parseCertificateDer(der: Uint8Array): SealingCertificate {
  const cert = expect(readDer(der, 0), SEQUENCE, "outer sequence");
  if (cert.end !== der.length) throw new CertificateError("not an X.509 certificate (trailing bytes)");
  const tbs = children(expect(children(cert)[0], SEQUENCE, "tbsCertificate"));
  // version [0] is optional; serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
  expect(fields[0], INTEGER, "serial number");
  const validity = children(expect(fields[3], SEQUENCE, "validity"));
  const spki = children(expect(fields[5], SEQUENCE, "subjectPublicKeyInfo"));
  const algorithm = children(expect(spki[0], SEQUENCE, "algorithm"));
  const oid = hex(expect(algorithm[0], OID, "algorithm").body);
  if (oid !== RSA_ENCRYPTION_OID)
    throw new CertificateError(
      `not an RSA certificate: it holds ${KNOWN_KEY_OIDS[oid] ?? "a non-RSA key"}; Sealed Secrets seals with RSA`,
    );
  const bitString = expect(spki[1], BIT_STRING, "public key");
  if (bitString.body[0] !== 0) throw new CertificateError("not an X.509 certificate (public key bits)");
  const key = children(expect(readDer(bitString.body.subarray(1), 0), SEQUENCE, "RSA public key"));
  const modulus = unsigned(expect(key[0], INTEGER, "modulus"));
  const exponent = unsigned(expect(key[1], INTEGER, "exponent"));
  const notBefore = time(validity[0]);
  const notAfter = time(validity[1]);
  return {
    der,
    modulus,
    exponent,
    bits: modulus.toString(2).length,
    notBefore: notBefore.ms,
    notAfter: notAfter.ms,
    notBeforeText: notBefore.text,
    notAfterText: notAfter.text,
  };
}

/** Smallest RSA key sealed to: anything shorter is breakable. */
export const MIN_RSA_BITS = 2048;

/** Why the certificate must not be sealed to at `now`, or null. */
export function certificateProblem(cert: SealingCertificate, now: number): string | null {
  if (cert.bits < MIN_RSA_BITS) return `has a ${cert.bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`;
  if (cert.exponent < 3n || cert.exponent % 2n === 0n) return "has an invalid RSA public exponent";
  if (now > cert.notAfter)
    return `expired on ${cert.notAfterText}: fetch the controller's current one (kubeseal --fetch-cert)`;
  if (now < cert.notBefore) return `is not valid before ${cert.notBeforeText}`;
  return null;
}

/**
 * The certificate ready to seal to, or a message completing "The certificate ..." / "--sealing-cert ...".
 */
export function readSealingCertificate(
  pem: string,
  now: number,
): { ok: true; cert: SealingCertificate } | { ok: false; message: string } {
  let cert: SealingCertificate;
  try {
    cert = parseCertificatePem(pem);
  } catch (error) {
    if (error instanceof CertificateError) return { ok: false, message: error.message };
    throw error;
  }
  const problem = certificateProblem(cert, now);
  return problem ? { ok: false, message: problem } : { ok: true, cert };
}
