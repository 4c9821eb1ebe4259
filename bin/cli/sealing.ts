/**
 * `--secrets sealed` in the CLI: the certificate, the local sealing key that keeps re-runs
 * byte-identical (lib/secrets/derive.ts explains why it exists and why it is never committed),
 * bcrypt hashes salted from that key (the earlier bundle's hashes are sealed, so they cannot be
 * read back and reused), and the sealing of the generated bundle.
 */
import { randomBytes, webcrypto } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeBase64, hashSync } from "bcryptjs";
import type { Config } from "../../lib/index";
import { CliError, decodeUtf8, readFileOrExplain, type CliIo } from "./io";
import {
  BCRYPT_COST,
  derivedBcryptSalt,
  derivedRandom,
  FIELD_CLI,
  readSealingCertificate,
  sealBundle,
  SEALING_KEY_BYTES,
  SEALING_KEY_FILE,
  type SealingCertificate,
} from "../../lib/index";

export const SEALING_CERT_FLAG = FIELD_CLI.secretsAs.more[0].flag;
const subtle = webcrypto.subtle as unknown as SubtleCrypto;

export interface Sealing {
  cert: SealingCertificate;
  key: Uint8Array;
  /** The key was made by this run: write it beside the bundle once the bundle is written. */
  isNew: boolean;
}

/** The certificate and sealing key for `--secrets sealed`; null for plain. Errors exit 2. */
export async function prepareSealing(
  config: Config,
  certFile: string | true | undefined,
  outDir: string,
  io: CliIo,
): Promise<Sealing | null> {
  if (config.secretsAs !== "sealed") {
    if (certFile !== undefined)
      throw new CliError(`${SEALING_CERT_FLAG}: only used with ${FIELD_CLI.secretsAs.flag} sealed`);
    return null;
  }
  if (typeof certFile !== "string")
    throw new CliError(
      `${SEALING_CERT_FLAG}: ${FIELD_CLI.secretsAs.flag} sealed needs the controller's certificate (kubeseal --fetch-cert > cert.pem)`,
    );
  const pem = decodeUtf8(await readFileOrExplain(io, certFile, SEALING_CERT_FLAG), `${SEALING_CERT_FLAG} ${certFile}`);
  const read = readSealingCertificate(pem, Date.now());
  if (!read.ok) throw new CliError(`${SEALING_CERT_FLAG}: ${certFile} ${read.message}`);

  let key: Uint8Array | null = null;
  try {
    const bytes = await readFile(join(outDir, SEALING_KEY_FILE));
    if (bytes.length === SEALING_KEY_BYTES) key = new Uint8Array(bytes);
    else
      io.stderr(
        `warning: ${join(outDir, SEALING_KEY_FILE)} is not a sealing key; making a new one (values re-seal once)\n`,
      );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new CliError(`--out: cannot read ${join(outDir, SEALING_KEY_FILE)}: ${(error as Error).message}`);
  }
  return key
    ? { cert: read.cert, key, isNew: false }
    : { cert: read.cert, key: new Uint8Array(randomBytes(SEALING_KEY_BYTES)), isNew: true };
}

async function derivedHash(sealing: Sealing, username: string, password: string): Promise<string> {
  const salt = await derivedBcryptSalt(subtle, sealing.key, username, password);
  return hashSync(password, `$2b$${String(BCRYPT_COST).padStart(2, "0")}$${encodeBase64(salt, 16)}`);
}

/**
 * Every bcrypt hash the bundle embeds, salted from the sealing key: the same password gives
 * the same hash, so its SealedSecret does not change. A hash given with --password-hash is kept.
 */
export async function sealedHashes(config: Config, sealing: Sealing, givenHash: boolean): Promise<Config> {
  return {
    ...config,
    passwordHash: givenHash ? config.passwordHash : await derivedHash(sealing, config.username, config.password),
    pushers: await Promise.all(
      config.pushers.map(async (p) => ({ ...p, passwordHash: await derivedHash(sealing, p.name, p.password) })),
    ),
  };
}

/** The bundle with every Secret sealed, its randomness derived from the sealing key. */
export function sealFiles(
  config: Config,
  files: Record<string, string>,
  sealing: Sealing,
): Promise<Record<string, string>> {
  return sealBundle(files, {
    cert: sealing.cert,
    scope: config.sealingScope,
    random: derivedRandom(subtle, sealing.key, sealing.cert.der),
    subtle,
  });
}

/** Keeps a new sealing key beside the bundle, owner-only; an existing one is never replaced. */
export async function keepSealingKey(outDir: string, sealing: Sealing | null): Promise<void> {
  if (!sealing?.isNew) return;
  try {
    await writeFile(join(outDir, SEALING_KEY_FILE), sealing.key, { mode: 0o600, flag: "wx" });
  } catch (error) {
    throw new CliError(`--out: cannot write ${join(outDir, SEALING_KEY_FILE)}: ${(error as Error).message}`);
  }
}
