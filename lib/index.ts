/**
 * pushgateway-auth's engine: validate a config, generate the bundle, check it.
 * Pure TypeScript with no I/O, clock or randomness; the same input gives the same bytes.
 */
export { CHART_PROFILES, profileFor, SERVICE_MONITOR_MODES } from "./chart/versions";
export type { ChartProfile, ServiceMonitorMode } from "./chart/versions";
export { configSchema, DEFAULTS, FIELDS, SECRET_FIELDS, validateConfig } from "./config/schema";
export type { Config, ConfigInput, FieldError, FieldName, ValidationResult } from "./config/schema";
export { ALL_FILE_NAMES, FILE_NAMES, fileMode, generate, MissingPasswordHashError } from "./engine/generate";
export { bundleZip } from "./archive/bundle-zip";
export type { Bundle } from "./engine/generate";
export { needsPasswordHash } from "./engine/plan";
export { checkBundle } from "./engine/checks";
export type { Check, CheckOptions, CheckStatus } from "./engine/checks";
