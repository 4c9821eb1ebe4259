/**
 * The bundle before the password is known: every file for the settings, with clearly marked
 * placeholders where the password and its bcrypt hash go, and the checks that already hold.
 * The page shows it from its first paint. Pure: the same settings give the same bytes.
 */
import type { Config } from "../config/schema";
import { checkBundle, type Check } from "./checks";
import { generate, type GenerateOptions } from "./generate";
import { needsPasswordHash } from "./plan";

/** Stands where the password goes until the user types or generates one. Never a valid value. */
export const PASSWORD_PLACEHOLDER = "<PLACEHOLDER: the password>";
/** Stands where the bcrypt hash of the password goes until it is computed. Never a valid hash. */
export const HASH_PLACEHOLDER = "<PLACEHOLDER: its bcrypt hash>";

// What the checks are run with to say how the files will be judged once the credentials are in:
// a well-formed password and hash, taken to match (as the page takes the hash it computed).
const STAND_IN_PASSWORD = "stand-in-password";
const STAND_IN_HASH = `$2b$10$${"N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy".slice(0, 53)}`;

/** True when the text still holds a placeholder for the password or its hash. */
export function holdsPlaceholder(text: string): boolean {
  return text.includes(PASSWORD_PLACEHOLDER) || text.includes(HASH_PLACEHOLDER);
}

/**
 * The config with placeholders for what is still missing, for the scrape user and each pusher
 * alike: the password when it is empty, and its hash when the chart version needs one and none
 * is set.
 */
export function withPlaceholders(config: Config): Config {
  const hashes = needsPasswordHash(config);
  const fill = <T extends { password: string; passwordHash: string }>(user: T): T => ({
    ...user,
    password: user.password || PASSWORD_PLACEHOLDER,
    passwordHash: user.passwordHash || (hashes ? HASH_PLACEHOLDER : ""),
  });
  return { ...fill(config), pushers: config.pushers.map(fill) };
}

export interface PlaceholderChecks {
  /** The checks as they will be once the credentials are in, in the engine's order. */
  checks: Check[];
  /**
   * Ids of those checks that do not hold yet on the files as shown, because they read the
   * missing password or hash; every other check holds on these very files.
   */
  waiting: string[];
}

/**
 * The checks of a bundle whose config holds placeholders (from {@link withPlaceholders}):
 * which hold on `files` as they are, and which wait for the password or its hash.
 */
export function placeholderChecks(
  config: Config,
  files: Record<string, string>,
  options: GenerateOptions = {},
): PlaceholderChecks {
  const standIn = <T extends { password: string; passwordHash: string }>(user: T): T => ({
    ...user,
    password: user.password === PASSWORD_PLACEHOLDER ? STAND_IN_PASSWORD : user.password,
    passwordHash: user.passwordHash === HASH_PLACEHOLDER ? STAND_IN_HASH : user.passwordHash,
  });
  const standInConfig: Config = { ...standIn(config), pushers: config.pushers.map(standIn) };
  const expected = checkBundle(standInConfig, generate(standInConfig, options).files, {
    passwordMatchesHash: () => true,
  });
  const shown = checkBundle(config, files);
  const unmatched = [...shown];
  const waiting: string[] = [];
  for (const check of expected) {
    const same = unmatched.findIndex(
      (s) => s.id === check.id && s.status === check.status && s.message === check.message,
    );
    if (same >= 0) unmatched.splice(same, 1);
    else waiting.push(check.id);
  }
  return { checks: expected, waiting };
}

export interface PlaceholderBundle extends PlaceholderChecks {
  /** The config the files were generated from, placeholders included. */
  config: Config;
  files: Record<string, string>;
  /** Names of the files that hold a placeholder: they cannot be used as they are. */
  placeholders: string[];
}

/**
 * Every file for `settings` with placeholders for whatever of the passwords and their hashes
 * is still missing (a password empty: both, the scrape user's or a pusher's), and its checks.
 */
export function placeholderBundle(settings: Config, options: GenerateOptions = {}): PlaceholderBundle {
  const config = withPlaceholders(settings);
  const files = generate(config, options).files;
  const placeholders = Object.keys(files).filter((name) => holdsPlaceholder(files[name] as string));
  return { config, files, placeholders, ...placeholderChecks(config, files, options) };
}
