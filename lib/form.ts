/**
 * What the page needs before the engine loads (lib/core.ts): the field list, the chart table
 * and the deploy tools' strategies for the strategy choice and version suggestions, and the
 * bcrypt cost rules the hash worker and the hash field share. Small and free of zod, YAML and
 * the rulebook.
 */
export { profileFor, resolveMode, SERVICE_MONITOR_MODES, SUGGESTED_CHART_VERSIONS } from "./chart/versions";
export type { ServiceMonitorMode } from "./chart/versions";
export { DEFAULTS, FIELD_GROUPS, FIELD_NAMES, fieldShown, FIELDS } from "./config/fields";
export type { FieldGroup, FieldName, FieldSpec } from "./config/fields";
export { BCRYPT_COST, bcryptCost, MAX_VERIFIED_BCRYPT_COST } from "./config/field-rules";
export { DEPLOY_LABELS, modeSupport, refusedModes } from "./gitops/deploy";
