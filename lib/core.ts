/**
 * The part of the engine the page loads after its first paint: validation, generation, checks,
 * share links and the guide. The diagnosis (lib/diagnose) and the zip writer load separately,
 * when first used. lib/index.ts is the whole public API.
 */
export { applicableValues, configSchema, validateConfig } from "./config/schema";
export type { Config, ConfigInput } from "./config/schema";
export { FILE_NAMES, generate, generateCredentialFiles } from "./engine/generate";
export { checkBundle } from "./engine/checks";
export { needsPasswordHash, planBundle } from "./engine/plan";
export { buildGuide } from "./guide/guide";
export { decodeShareFragment, encodeShareFragment } from "./share/share-link";
export {
  HASH_PLACEHOLDER,
  holdsPlaceholder,
  PASSWORD_PLACEHOLDER,
  placeholderBundle,
  placeholderChecks,
  withPlaceholders,
} from "./engine/placeholder";
export type { PlaceholderBundle, PlaceholderChecks } from "./engine/placeholder";
