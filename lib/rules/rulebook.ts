/**
 * The rulebook: every rule that judges a setup, in the order findings are reported.
 *
 * Both judges run this one list. `diagnoseSetup` (lib/diagnose) reads pasted files, resolves
 * them (lib/rules/setup.ts) and reports what does not pass. `checkBundle` (lib/engine/checks.ts)
 * reads a generated bundle's files the same way (values.yaml and the manifests are just files,
 * the config gives the facts, the post-renderer patch is applied to the chart's ServiceMonitor)
 * and shows every rule that says something, passes included. So a bundle and an imported setup
 * are judged by the same code, in the same words.
 *
 * To add a rule: write it beside the rules of its concern (id, title, severity, what it reads,
 * `judge`), add it here, and give it a breaking and a passing case in tests/unit/rules.
 */
import {
  chartVersionNewer,
  chartVersionUnsupported,
  conflictingSources,
  files,
  renderError,
  templates,
} from "./chart-rules";
import { passwordMismatch, passwordNotVerified, unknownUser } from "./credential-rules";
import {
  duplicateServiceMonitors,
  honorLabels,
  noServiceMonitor,
  portNameMismatch,
  scrapeTiming,
  serviceSelectorMismatch,
} from "./monitor-rules";
import { networkPolicy, prometheusSelectorMismatch, prometheusSelectorUnknown } from "./prometheus-rules";
import type { Rule } from "./rule";
import { argoRehashedSecret, gitopsRelease } from "./gitops-rules";
import { scrapeObjectSecret, scrapeObjectTarget } from "./scraper-rules";
import { alloyRbacCoversSecret, prometheusPasswordFile } from "./scraper-wiring-rules";
import { serviceMonitorRejected, targetDown, targetMissing, targetUnauthorized } from "./target-rules";
import { externalSecretProduces, sealedSecretProduces } from "./secret-source-rules";
import { duplicateUsers, pusherCredentials, pusherSecretNamespace, rotationContinuity } from "./pusher-rules";
import { plaintextPasswordInValues, probesWithoutCredentials, stableOutput } from "./password-rules";
import {
  chartServiceMonitorNoBasicAuth,
  secretKeyMissing,
  secretNotInServiceMonitorNamespace,
  secretNotVerified,
  serviceMonitorNoBasicAuth,
} from "./scrape-secret-rules";
import {
  authOff,
  existingSecretIgnored,
  rawUsernameBreaks,
  webConfigFlagRepeated,
  webConfigInvalid,
  webConfigMissing,
  webConfigNotVerified,
} from "./web-config-rules";

export const RULES: readonly Rule[] = [
  files,
  conflictingSources,
  chartVersionUnsupported,
  chartVersionNewer,
  renderError,
  existingSecretIgnored,
  webConfigFlagRepeated,
  authOff,
  webConfigNotVerified,
  rawUsernameBreaks,
  targetUnauthorized,
  targetMissing,
  targetDown,
  webConfigMissing,
  webConfigInvalid,
  serviceSelectorMismatch,
  noServiceMonitor,
  duplicateServiceMonitors,
  portNameMismatch,
  serviceMonitorRejected,
  chartServiceMonitorNoBasicAuth,
  serviceMonitorNoBasicAuth,
  secretNotInServiceMonitorNamespace,
  secretNotVerified,
  secretKeyMissing,
  sealedSecretProduces,
  externalSecretProduces,
  scrapeObjectTarget,
  scrapeObjectSecret,
  alloyRbacCoversSecret,
  prometheusPasswordFile,
  unknownUser,
  passwordMismatch,
  passwordNotVerified,
  prometheusSelectorMismatch,
  honorLabels,
  prometheusSelectorUnknown,
  probesWithoutCredentials,
  plaintextPasswordInValues,
  stableOutput,
  scrapeTiming,
  templates,
  networkPolicy,
  duplicateUsers,
  pusherSecretNamespace,
  pusherCredentials,
  rotationContinuity,
  gitopsRelease,
  argoRehashedSecret,
];
