/**
 * The engine's entry point: a validated config in, a map of file name to file content out.
 * Pure: no clock, no randomness (the bcrypt hash, where needed, arrives in the config).
 */
import type { ServiceMonitorMode } from "../chart/versions";
import type { Config } from "../config/schema";
import { buildGuide, type GuideStep } from "../guide/guide";
import { buildFiles } from "../outputs/registry";
import { encodeShareFragment } from "../share/share-link";
import { needsPasswordHash, planBundle, type Plan } from "./plan";

export { ALL_FILE_NAMES, FILE_NAMES, fileMode } from "../outputs/registry";

export interface Bundle {
  chartVersion: string;
  profileId: Plan["profile"]["id"];
  mode: ServiceMonitorMode;
  /** File name to content, in the order a user applies them. */
  files: Record<string, string>;
}

/** The config needs a bcrypt hash (a chart that mounts our web config Secret) and `passwordHash` is empty. */
export class MissingPasswordHashError extends Error {
  constructor() {
    super("This chart version keeps the password out of values.yaml and needs its bcrypt hash (passwordHash)");
  }
}

export interface GenerateOptions {
  /**
   * Address of the pushgateway-auth page (without fragment) for the share link in README.md;
   * without it the link is only the fragment.
   */
  shareBaseUrl?: string;
}

/** The link that reopens a config's settings (never its credentials). */
export function shareLink(config: Config, shareBaseUrl = ""): string {
  return `${shareBaseUrl}#${encodeShareFragment(config)}`;
}

/**
 * Generates the bundle for a config that passed {@link validateConfig}. Throws
 * {@link MissingPasswordHashError} when the chart version needs a hash and none is set.
 */
export function generate(config: Config, options: GenerateOptions = {}): Bundle {
  const plan = planBundle(config);
  const files = buildFiles(context(config, plan, options));
  return { chartVersion: config.chartVersion, profileId: plan.profile.id, mode: plan.mode, files };
}

/**
 * Only the files of {@link generate}'s bundle that may hold credentials (the outputs declared
 * `secret`): all that differs between two configs that differ only in their passwords. The page
 * masks the password this way without building the whole bundle twice.
 */
export function generateCredentialFiles(config: Config, options: GenerateOptions = {}): Record<string, string> {
  const plan = planBundle(config);
  return buildFiles(context(config, plan, options), (output) => output.secret);
}

function context(config: Config, plan: Plan, options: GenerateOptions) {
  const passwordHash = config.passwordHash || null;
  if (needsPasswordHash(config) && !passwordHash) throw new MissingPasswordHashError();
  let guide: GuideStep[] | undefined;
  return {
    plan,
    passwordHash,
    shareLink: shareLink(config, options.shareBaseUrl),
    guide: () => (guide ??= buildGuide(plan)),
  };
}
