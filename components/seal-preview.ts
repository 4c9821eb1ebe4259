/**
 * Sealing in the page, loaded when Sealed Secrets is chosen (./use-sealing): the preview's
 * bundle with every Secret sealed by the engine's own sealing step (lib/secrets, as the CLI),
 * with WebCrypto and fresh random bytes from the browser. Nothing leaves the page.
 */
import type { PreviewBundle } from "./bundle-preview";
import { judgedOnce } from "./preview-bundle";
import {
  filesWithSecrets,
  RANDOM_BYTES_PER_VALUE,
  readSealingCertificate,
  SEALING_CERTIFICATE_FIELD,
  sealBundle,
  type SealingCertificate,
} from "../lib/secrets/index";
import type { Check, Config } from "../lib/index";

type CheckBundle = (config: Config, files: Record<string, string>) => Check[];

/** Sealed files kept, by scope and plain text: an unrelated change re-seals nothing. */
const CACHED_FILES = 32;

/** Seals preview bundles to one certificate. */
export interface Sealer {
  /** The sealed bundle when every Secret file of it was sealed before, else null. */
  cached(bundle: PreviewBundle): PreviewBundle | null;
  seal(bundle: PreviewBundle): Promise<PreviewBundle>;
}

/**
 * A sealer for `cert` in this browser. The checks judge the sealed files, as the CLI's do.
 * While the password is missing its placeholders are sealed too: the files keep their shape,
 * and stay unusable (`held`).
 */
export function makeSealer(
  cert: SealingCertificate,
  checkBundle: CheckBundle,
  crypto: Pick<Crypto, "subtle" | "getRandomValues"> = globalThis.crypto,
): Sealer {
  const sealed = new Map<string, string>();
  const keyOf = (config: Config, text: string) => `${config.sealingScope}\u0000${text}`;

  const finish = (bundle: PreviewBundle, config: Config, files: Record<string, string>): PreviewBundle => ({
    ...bundle,
    files,
    // Nothing to mask: no file holds a credential in the clear.
    display: files,
    credentialFiles: bundle.held,
    judge: judgedOnce(() => ({ checks: checkBundle(config, files), waiting: [] })),
  });

  return {
    cached(bundle) {
      const config = bundle.config;
      if (!config) return null;
      const files = { ...bundle.files };
      for (const name of filesWithSecrets(bundle.files)) {
        const hit = sealed.get(keyOf(config, bundle.files[name]!));
        if (hit === undefined) return null;
        files[name] = hit;
      }
      return finish(bundle, config, files);
    },
    async seal(bundle) {
      const config = bundle.config;
      if (!config) throw new Error("only generated bundles are sealed");
      const files = { ...bundle.files };
      const fresh: Record<string, string> = {};
      for (const name of filesWithSecrets(bundle.files)) {
        const hit = sealed.get(keyOf(config, bundle.files[name]!));
        if (hit === undefined) fresh[name] = bundle.files[name]!;
        else files[name] = hit;
      }
      const done = await sealBundle(fresh, {
        cert,
        scope: config.sealingScope,
        random: () => crypto.getRandomValues(new Uint8Array(RANDOM_BYTES_PER_VALUE)),
        subtle: crypto.subtle,
      });
      for (const name of Object.keys(fresh)) {
        files[name] = done[name]!;
        sealed.set(keyOf(config, fresh[name]!), done[name]!);
        if (sealed.size > CACHED_FILES) sealed.delete(sealed.keys().next().value!);
      }
      return finish(bundle, config, files);
    },
  };
}

/** Why the sealed files are not shown yet. */
function waitingReason(certificateError: string | undefined, sealingError: string | undefined) {
  if (!pem.trim())
    return `Paste the sealed-secrets controller's certificate (${SEALING_CERTIFICATE_FIELD.label}) to see the sealed files.`;
  if (certificateError) return `${certificateError}.`;
  return sealingError ? `The Secrets could not be sealed: ${sealingError}.` : "Sealing the Secrets in this page…";
}

export interface SealingView {
  /** What the preview shows: the bundle sealed, or null until it is (never the plain files). */
  bundle: PreviewBundle | null;
  /** The last sealed bundle, shown as outdated while the next one is not ready. */
  last: PreviewBundle | null;
  /** Why no sealed bundle is shown; null when one is. */
  reason: string | null;
}

// The page's one generator's sealing: the certificate (typed, dropped or from a link, held
// here only), the sealing in flight and the last sealed bundle. Every change bumps `version`,
// which re-renders the form's field and the preview (useSyncExternalStore).
let pem = "";
let askedByLink = false;
let certificate: { pem: string; error: string | undefined; cert: SealingCertificate | null } | null = null;
let sealerFor: { cert: SealingCertificate; sealer: Sealer } | null = null;
let job: { source: PreviewBundle; sealer: Sealer; sealed?: PreviewBundle; error?: string } | null = null;
let last: PreviewBundle | null = null;
let version = 0;
const listeners = new Set<() => void>();
const changed = () => {
  version++;
  for (const listener of listeners) listener();
};

export const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};
export const getVersion = () => version;

/**
 * Sets the certificate (PEM). `fromLink`: it came from a share link, which could not carry it
 * when it is empty; the field then asks for it again.
 */
export function setCertificate(next: string, fromLink = false): void {
  pem = next;
  askedByLink = fromLink && !next.trim();
  changed();
}

/** The certificate read, and checked at the page's clock (the engine has none) when it changes. */
function certificateOf() {
  if (certificate?.pem !== pem) {
    const read = pem.trim() ? readSealingCertificate(pem, Date.now()) : null;
    certificate = !read
      ? { pem, error: undefined, cert: null }
      : read.ok
        ? { pem, error: undefined, cert: read.cert }
        : { pem, error: `${SEALING_CERTIFICATE_FIELD.label} ${read.message}`, cert: null };
  }
  return certificate;
}

/** What the certificate field shows: the PEM, its problem, and whether a link asks for it. */
export function certificateField(): { pem: string; error: string | undefined; askedByLink: boolean } {
  return { pem, error: certificateOf().error, askedByLink: askedByLink && !pem.trim() };
}

/** With Sealed Secrets (`active`), the certificate when it can be sealed to (what a share link may carry), else "". */
export const validCertificate = (active: boolean) => (active && certificateOf().cert ? pem : "");

/**
 * `bundle` sealed to the certificate: at once when its Secrets were sealed before (the same
 * object while `bundle` is), else null while it is sealed, and the page re-renders then.
 */
export function sealingView(checkBundle: CheckBundle, bundle: PreviewBundle | null): SealingView {
  const { error, cert } = certificateOf();
  if (cert && sealerFor?.cert !== cert) sealerFor = { cert, sealer: makeSealer(cert, checkBundle) };
  const sealer = cert ? sealerFor!.sealer : null;
  if (sealer && bundle?.config && (job?.source !== bundle || job.sealer !== sealer)) {
    const cached = sealer.cached(bundle);
    const next: NonNullable<typeof job> = cached
      ? { source: bundle, sealer, sealed: cached }
      : { source: bundle, sealer };
    job = next;
    if (!cached) {
      const done = () => job === next && changed();
      sealer.seal(bundle).then(
        (sealed) => ((next.sealed = sealed), done()),
        (e: Error) => ((next.error = e.message), done()),
      );
    }
  }
  const current = sealer && job?.source === bundle && job.sealer === sealer ? job : null;
  const sealed = current?.sealed ?? null;
  if (sealed) last = sealed;
  return { bundle: sealed, last, reason: sealed ? null : waitingReason(error, current?.error) };
}
