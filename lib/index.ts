/**
 * pushgateway-auth's engine: validate a config, generate the bundle, check it.
 * Pure TypeScript with no I/O, clock or randomness; the same input gives the same bytes.
 */
export { CHART_PROFILES, profileFor, SERVICE_MONITOR_MODES } from "./chart/versions";
export type { ChartProfile, ServiceMonitorMode } from "./chart/versions";
export { configSchema, DEFAULTS, FIELDS, SECRET_FIELDS, validateConfig } from "./config/schema";
export type { Config, ConfigInput, FieldError, FieldName, ValidationResult } from "./config/schema";
export {
  ALL_FILE_NAMES,
  FILE_NAMES,
  fileMode,
  generate,
  generateCredentialFiles,
  MissingPasswordHashError,
  shareLink,
} from "./engine/generate";
export type { GenerateOptions } from "./engine/generate";
export { buildGuide, plainScrapeConfig } from "./guide/guide";
export type { GuideStep } from "./guide/guide";
export { decodeShareFragment, encodeShareFragment } from "./share/share-link";
export type { DecodedShareLink } from "./share/share-link";
export { bundleZip } from "./archive/bundle-zip";
export type { Bundle } from "./engine/generate";
export { needsPasswordHash, planBundle } from "./engine/plan";
export type { Plan } from "./engine/plan";
export { checkBundle } from "./engine/checks";
export type { Check, CheckOptions, CheckStatus } from "./engine/checks";
export { RULES } from "./rules/rulebook";
export type { Outcome, Rule, Severity, Status } from "./rules/rule";
export { diagnoseSetup } from "./diagnose/diagnose";
export type { DiagnoseOptions, DiagnoseResult, DiagnosisReport, Finding } from "./diagnose/diagnose";
export { formatSource, HIDDEN } from "./rules/evidence";
export type { Source } from "./rules/evidence";
export { fixSetup } from "./diagnose/fix-setup";
export type { SetupFix, SetupFixResult } from "./diagnose/fix-setup";
export { importSetup } from "./diagnose/import-setup";
export type { FieldProvenance, ImportOptions, ImportResult, SetupImport } from "./diagnose/import-setup";
export { lineDiff } from "./diagnose/line-diff";
export type { DiffLine } from "./diagnose/line-diff";
export { mergeValues } from "./diagnose/merge-values";
export type { MergeResult, ValuesChange } from "./diagnose/merge-values";
export type { InputFile } from "./diagnose/read-setup";
export type { InputProblem } from "./rules/input";
export type { Fact, GivenFacts } from "./rules/facts";
export {
  HASH_PLACEHOLDER,
  holdsPlaceholder,
  PASSWORD_PLACEHOLDER,
  placeholderBundle,
  placeholderChecks,
  withPlaceholders,
} from "./engine/placeholder";
export type { PlaceholderBundle, PlaceholderChecks } from "./engine/placeholder";
export { CHART_OCI_URL, DEPLOY_LABELS, DEPLOY_TARGETS, modeSupport, refusedModes } from "./gitops/deploy";
export type { DeployTarget } from "./gitops/deploy";
// What the CLI needs besides the above: the field list's help, bcrypt cost, reading an earlier
// bundle back, pushers, rotation and sealing.
export { BCRYPT_COST, parseLabelList } from "./config/field-rules";
export { FIELD_GROUPS, FIELD_NAMES } from "./config/fields";
export { FIELD_CLI, fieldHelp, type FieldCli } from "./config/field-cli";
export type { FieldGroup, FieldSpec } from "./config/fields";
export { parsePusherSpec, pusherUsername } from "./config/pushers";
export { existingPasswordHash } from "./engine/read-bundle";
export {
  nextUsername,
  planPusherRotation,
  planRotation,
  pusherRotationProblems,
  rotationProblems,
} from "./engine/rotation";
export type { RotationPhase, RotationPlan, RotationRequest } from "./engine/rotation";
export type { Secret } from "./k8s/types";
export { readSealingCertificate } from "./secrets/certificate";
export type { SealingCertificate } from "./secrets/certificate";
export { derivedBcryptSalt, derivedRandom, SEALING_KEY_BYTES, SEALING_KEY_FILE } from "./secrets/derive";
export { sealBundle } from "./secrets/seal-bundle";
export { formatPath } from "./yaml/path";
export { parseYamlDocuments } from "./yaml/serialize";
