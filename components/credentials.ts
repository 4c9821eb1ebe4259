import type { HashWanted } from "./hash-client";
import type { Config, ConfigInput, ValidationResult } from "../lib/index";

type Credentials = { password?: string | undefined; passwordHash?: string | undefined };

const each = (settings: ConfigInput, change: <T extends Credentials>(user: T) => T): ConfigInput => ({
  ...change(settings),
  ...(settings.pushers ? { pushers: settings.pushers.map(change) } : {}),
});

/** The settings without any password or hash (the scrape user's, each pusher's). */
export function withoutCredentials(settings: ConfigInput): ConfigInput {
  return each(settings, (user) => ({ ...user, password: "", passwordHash: "" }));
}

/** The settings with `standIn` for every empty password: to validate all the rest. */
export function fillPasswords(settings: ConfigInput, standIn: string): ConfigInput {
  return each(settings, (user) => ({ ...user, password: user.password || standIn }));
}

/** Whether the scrape user's or a pusher's password is still empty. */
export function passwordMissing(settings: ConfigInput): boolean {
  return !settings.password || Boolean(settings.pushers?.some((p) => !p.password));
}

/** `config` (validated from {@link fillPasswords}) with the passwords empty again where `settings` had none. */
export function emptyPasswordsOf(config: Config, settings: ConfigInput): Config {
  return {
    ...config,
    password: settings.password ? config.password : "",
    pushers: config.pushers.map((p, i) => (settings.pushers?.[i]?.password ? p : { ...p, password: "" })),
  };
}

/**
 * The settings the preview shows: the valid config, or, when only passwords are still to give
 * (the scrape user's, a pusher's), the config with those empty (their files show placeholders);
 * null otherwise.
 */
export function previewSettings(
  validate: (input: unknown) => ValidationResult,
  validation: ValidationResult,
  settings: ConfigInput,
): Config | null {
  if (validation.ok) return validation.config;
  if (!passwordMissing(settings)) return null;
  const filled = validate(fillPasswords(settings, "placeholder"));
  return filled.ok ? emptyPasswordsOf(filled.config, settings) : null;
}

/** The hashes a bundle that embeds them waits for: the scrape user's, then each pusher's. */
export function hashesWanted(config: Config): (HashWanted | null)[] {
  return [config, ...config.pushers].map((u) =>
    u.password ? { password: u.password, givenHash: u.passwordHash } : null,
  );
}
