/**
 * Sealing in the page, loaded when Sealed Secrets is chosen (./use-sealing): the preview's
 * bundle with every Secret sealed by the engine's own sealing step (lib/secrets, as the CLI),
 * with WebCrypto and fresh random bytes from the browser. Nothing leaves the page.
 */
import type { PreviewBundle } from "./bundle-preview";
import {
  filesWithSecrets,
  RANDOM_BYTES_PER_VALUE,
  readSealingCertificate,
  sealBundle,
  type SealingCertificate,
} from "../lib/secrets/index";
import type { Check, Config } from "../lib/index";

export { readSealingCertificate };

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
    checks: checkBundle(config, files),
    waiting: [],
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
