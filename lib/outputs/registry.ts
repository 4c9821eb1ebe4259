/**
 * The registry of bundle files. Generation, the zip, the CLI writer, the preview and the
 * bundle README all loop over it: adding a file to bundles is adding an entry here.
 */
import type { Plan } from "../engine/plan";
import { SECRET_FILE, SERVICE_MONITOR_FILE, secretOutput, serviceMonitorOutput } from "./manifest-files";
import type { Output, OutputContext, OutputRole } from "./output";
import {
  kustomizationOutput,
  patchOutput,
  pluginOutput,
  POST_RENDERER_SCRIPT,
  postRendererOutput,
} from "./post-renderer-files";
import { PUSHER_CRONJOB_FILE, PUSHER_SECRETS_FILE, pusherCronJobOutput, pusherSecretsOutput } from "./pusher-files";
import { README_FILE, readmeOutput } from "./readme-file";
import {
  alloyConfigOutput,
  alloyRbacOutput,
  kubePrometheusStackValuesOutput,
  prometheusJobOutput,
  scrapeConfigOutput,
  vmServiceScrapeOutput,
} from "./scraper-files";
import { VALUES_FILE, valuesOutput } from "./values-file";
import { GITIGNORE_FILE, gitignoreOutput } from "./secret-source-files";
import { externalSecretsOutput, sopsConfigOutput } from "./external-secret-files";
import { applicationOutput, fluxValuesSecretOutput, helmReleaseOutput, ociRepositoryOutput } from "./gitops-files";

/** Every output, in the order files appear in a bundle. */
export const OUTPUTS: readonly Output[] = [
  valuesOutput,
  secretOutput,
  pusherSecretsOutput,
  externalSecretsOutput,
  sopsConfigOutput,
  serviceMonitorOutput,
  patchOutput,
  kustomizationOutput,
  postRendererOutput,
  pluginOutput,
  scrapeConfigOutput,
  vmServiceScrapeOutput,
  alloyRbacOutput,
  alloyConfigOutput,
  prometheusJobOutput,
  kubePrometheusStackValuesOutput,
  pusherCronJobOutput,
  ociRepositoryOutput,
  helmReleaseOutput,
  fluxValuesSecretOutput,
  applicationOutput,
  gitignoreOutput,
  readmeOutput,
];

/** Names of the files other modules refer to. */
export const FILE_NAMES = {
  values: VALUES_FILE,
  secret: SECRET_FILE,
  serviceMonitor: SERVICE_MONITOR_FILE,
  patch: patchOutput.name,
  kustomization: kustomizationOutput.name,
  postRenderer: POST_RENDERER_SCRIPT,
  plugin: pluginOutput.name,
  readme: README_FILE,
  ociRepository: ociRepositoryOutput.name,
  helmRelease: helmReleaseOutput.name,
  fluxValuesSecret: fluxValuesSecretOutput.name,
  application: applicationOutput.name,
  scrapeConfig: scrapeConfigOutput.name,
  vmServiceScrape: vmServiceScrapeOutput.name,
  alloyRbac: alloyRbacOutput.name,
  alloyConfig: alloyConfigOutput.name,
  prometheusJob: prometheusJobOutput.name,
  kubePrometheusStackValues: kubePrometheusStackValuesOutput.name,
  pusherSecrets: PUSHER_SECRETS_FILE,
  pusherCronJob: PUSHER_CRONJOB_FILE,
  gitignore: GITIGNORE_FILE,
  externalSecrets: externalSecretsOutput.name,
  sopsConfig: sopsConfigOutput.name,
} as const;

// Where bundles before the post-renderer moved into its own directory kept its files.
const RETIRED_FILE_NAMES = ["servicemonitor-patch.yaml", "kustomization.yaml", "post-renderer.sh"];

/**
 * Every file name any bundle, current or earlier, can contain: a bundle written over an older
 * one removes the ones it does not have.
 */
export const ALL_FILE_NAMES: readonly string[] = [...OUTPUTS.map((o) => o.name), ...RETIRED_FILE_NAMES];

/** The outputs of a plan's bundle, in order. */
export function outputsFor(plan: Plan): Output[] {
  return OUTPUTS.filter((o) => o.applies(plan));
}

/**
 * Builds every file of the plan's bundle (or those `only` picks): file name to content, in
 * order.
 */
export function buildFiles(
  context: Omit<OutputContext, "outputs">,
  only: (output: Output) => boolean = () => true,
): Record<string, string> {
  const outputs = outputsFor(context.plan);
  return Object.fromEntries(outputs.filter(only).map((o) => [o.name, o.build({ ...context, outputs })]));
}

/** What a bundle file is to the checks; a YAML file no output declares is taken for manifests. */
export function roleOf(fileName: string): OutputRole {
  const declared = OUTPUTS.find((o) => o.name === fileName)?.role;
  return declared ?? (fileName.endsWith(".yaml") ? "manifests" : "other");
}

/** Unix permissions for a bundle file: scripts run, credentials stay private to their owner. */
export function fileMode(fileName: string): number {
  const output = OUTPUTS.find((o) => o.name === fileName);
  if (output?.executable) return 0o755;
  return output?.secret ? 0o600 : 0o644;
}

/**
 * The command that brings a changed file to the cluster (the rotation's phases): the values
 * Helm reads through `helmCommand`, every other file with `kubectl apply`.
 */
export function applyCommand(fileName: string, helmCommand: string): string {
  return OUTPUTS.find((o) => o.name === fileName)?.role === "values" ? helmCommand : `kubectl apply -f ${fileName}`;
}
