/**
 * The files a GitOps bundle commits to Git: Flux's OCIRepository and HelmRelease (plus the
 * Secret its valuesFrom reads, applied out of band like the other Secrets) or Argo CD's
 * Application. They take the place of values.yaml and the Helm post-renderer.
 */
import {
  buildApplication,
  buildFluxValuesSecret,
  buildHelmRelease,
  buildOciRepository,
  chartHashesPassword,
  deployOf,
  fluxPasswordRefs,
  fluxValuesSecretName,
} from "../gitops/build-gitops";
import { EXISTING_SECRET_SINCE } from "../chart/versions";
import { CHART_OCI_URL } from "../gitops/deploy";
import { toYamlFile } from "../yaml/serialize";
import type { Output } from "./output";

export const OCI_REPOSITORY_FILE = "ocirepository.yaml";
export const HELM_RELEASE_FILE = "helmrelease.yaml";
export const FLUX_VALUES_SECRET_FILE = "helmrelease-values-secret.yaml";
export const APPLICATION_FILE = "application.yaml";

const isFlux = (plan: Parameters<Output["applies"]>[0]) => deployOf(plan) === "flux";
const isArgo = (plan: Parameters<Output["applies"]>[0]) => deployOf(plan) === "argocd";

export const ociRepositoryOutput: Output = {
  name: OCI_REPOSITORY_FILE,
  role: "gitops",
  applies: isFlux,
  build: ({ plan }) =>
    toYamlFile(
      [buildOciRepository(plan)],
      [
        `Flux source for the chart: ${CHART_OCI_URL}:${plan.config.chartVersion}. Commit it beside ${HELM_RELEASE_FILE}.`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${OCI_REPOSITORY_FILE}\`: the Flux OCIRepository the chart comes from (commit it)`,
};

export const helmReleaseOutput: Output = {
  name: HELM_RELEASE_FILE,
  role: "gitops",
  applies: isFlux,
  build: ({ plan }) =>
    toYamlFile(
      [buildHelmRelease(plan)],
      [
        `Flux HelmRelease: chart ${plan.config.chartVersion}, release ${plan.config.releaseName} in ${plan.releaseNamespace}. Commit it to Git.`,
        ...(chartHashesPassword(plan)
          ? [
              plan.webUsers.length > 1
                ? `No password is here: valuesFrom reads each user's from Secret ${fluxValuesSecretName(plan)} (${FLUX_VALUES_SECRET_FILE}).`
                : `The password is not here: valuesFrom reads it from Secret ${fluxValuesSecretName(plan)} (${FLUX_VALUES_SECRET_FILE}).`,
            ]
          : []),
      ],
    ),
  secret: false,
  executable: false,
  describe: (plan) =>
    `\`${HELM_RELEASE_FILE}\`: the Flux HelmRelease with the chart's values${plan.mode === "patch" ? " and the post-renderer patch adding basicAuth to the chart's ServiceMonitor" : ""} (commit it; it holds no password)`,
};

export const fluxValuesSecretOutput: Output = {
  name: FLUX_VALUES_SECRET_FILE,
  role: "manifests",
  applies: (plan) => isFlux(plan) && chartHashesPassword(plan),
  build: ({ plan }) =>
    toYamlFile(
      [buildFluxValuesSecret(plan)],
      [
        `The password${plan.webUsers.length > 1 ? "s" : ""} the chart needs in its values, read by the HelmRelease's valuesFrom (escaped and quoted the way Flux's targetPath reads it).`,
        ...(plan.webUsers.length > 1
          ? [
              `Keys: ${fluxPasswordRefs(plan)
                .map((r) => `${r.key} (user ${r.username})`)
                .join(", ")}.`,
            ]
          : []),
        `Keep it out of git or encrypt it (SOPS, Sealed Secrets): kubectl apply -f ${FLUX_VALUES_SECRET_FILE}`,
      ],
    ),
  secret: true,
  executable: false,
  describe: () =>
    `\`${FLUX_VALUES_SECRET_FILE}\`: the Secret the HelmRelease reads the password from (credentials: keep private)`,
  apply: {
    stage: "before-chart",
    step: (plan) => ({
      id: "flux-values-secret",
      title: "Apply the HelmRelease's values Secret",
      text: `Chart ${plan.config.chartVersion} needs the plaintext password in its values; the HelmRelease reads it from this Secret in ${plan.releaseNamespace} (spec.valuesFrom), so Git never holds it.`,
      snippet: { language: "sh", code: `kubectl apply -f ${FLUX_VALUES_SECRET_FILE}` },
    }),
  },
};

export const applicationOutput: Output = {
  name: APPLICATION_FILE,
  role: "gitops",
  applies: isArgo,
  build: ({ plan }) =>
    toYamlFile(
      [buildApplication(plan)],
      [
        `Argo CD Application: chart ${plan.config.chartVersion}, release ${plan.config.releaseName} in ${plan.releaseNamespace}.`,
        ...(chartHashesPassword(plan)
          ? [
              `Chart ${plan.config.chartVersion} needs the plaintext password in its values: this file holds it. Encrypt it before it goes to Git, or use chart ${EXISTING_SECRET_SINCE} or later.`,
            ]
          : []),
      ],
    ),
  // It holds the password where the chart hashes it itself.
  secret: true,
  executable: false,
  describe: (plan) =>
    `\`${APPLICATION_FILE}\`: the Argo CD Application with the chart's values${chartHashesPassword(plan) ? " (holds the plaintext password: keep private)" : ""}`,
};
