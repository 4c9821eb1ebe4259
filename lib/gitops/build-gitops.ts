/**
 * The GitOps objects: Flux's OCIRepository and HelmRelease (with the Secret its valuesFrom
 * reads where the chart needs the plaintext password), and Argo CD's Application. Each carries
 * the same values the Helm CLI bundle's values.yaml holds, so the chart renders the same.
 */
import { buildServiceMonitorPatch, serviceMonitorPatchTarget } from "../engine/build-manifests";
import { buildValues } from "../engine/build-values";
import type { Plan } from "../engine/plan";
import type { Secret } from "../k8s/types";
import type { Values } from "../values/values";
import { toYaml } from "../yaml/serialize";
import { CHART_NAME, CHART_OCI_REGISTRY, CHART_OCI_URL, type DeployTarget } from "./deploy";
import { ignoreEntry, renderDrift } from "./argo-drift";
import { targetPathKey, targetPathValue } from "./target-path";

/** How often Flux checks the chart source and reconciles the release. */
const FLUX_INTERVAL = "10m";
/** Where Argo CD runs and reads Applications from (its install's default). */
export const ARGOCD_NAMESPACE = "argocd";
export const ARGOCD_DESTINATION_SERVER = "https://kubernetes.default.svc";
/** The Secret key holding the scrape user's password for Flux's valuesFrom. */
export const FLUX_VALUES_KEY = "basicAuthPassword";

export const deployOf = (plan: Plan): DeployTarget => (plan.config as { deploy?: DeployTarget }).deploy ?? "helm";

/** Whether the chart needs the plaintext password in its values (it writes the web config itself). */
export const chartHashesPassword = (plan: Plan) => plan.profile.webConfig === "chart";

/** Flux's objects live in the release namespace, beside what they deploy. */
export const fluxNamespace = (plan: Plan) => plan.releaseNamespace;
export const fluxSourceName = (plan: Plan) => plan.config.releaseName;
export const fluxValuesSecretName = (plan: Plan) => `${plan.names.fullname}-flux-values`;

/**
 * One valuesFrom entry per web config user (the scrape user, every pusher, a rotation's new
 * user): the chart lists only the users in basicAuthUsers, so a user left out gets 401. Keys by
 * position, since usernames may hold characters a Secret key cannot.
 */
export function fluxPasswordRefs(
  plan: Plan,
): { username: string; key: string; targetPath: string; password: string }[] {
  return plan.webUsers.map((user, i) => ({
    username: user.username,
    key: i === 0 ? FLUX_VALUES_KEY : `${FLUX_VALUES_KEY}-${i}`,
    targetPath: `webConfiguration.basicAuthUsers.${targetPathKey(user.username)}`,
    password: user.password,
  }));
}

export function buildOciRepository(plan: Plan): Record<string, unknown> {
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "OCIRepository",
    metadata: { name: fluxSourceName(plan), namespace: fluxNamespace(plan) },
    spec: {
      interval: FLUX_INTERVAL,
      url: CHART_OCI_URL,
      ref: { tag: plan.config.chartVersion },
      // The chart is the layer of this media type; Flux hands it to Helm as is.
      layerSelector: { mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", operation: "copy" },
    },
  };
}

/** The values in Git: the generated values without the plaintext password (valuesFrom adds it). */
function fluxValues(plan: Plan): Values {
  const values = buildValues(plan);
  if (chartHashesPassword(plan)) delete values.webConfiguration;
  return values;
}

export function buildHelmRelease(plan: Plan): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    interval: FLUX_INTERVAL,
    releaseName: plan.config.releaseName,
    targetNamespace: plan.releaseNamespace,
    chartRef: { kind: "OCIRepository", name: fluxSourceName(plan), namespace: fluxNamespace(plan) },
    values: fluxValues(plan),
  };
  if (chartHashesPassword(plan)) {
    spec.valuesFrom = fluxPasswordRefs(plan).map(({ key, targetPath }) => ({
      kind: "Secret",
      name: fluxValuesSecretName(plan),
      valuesKey: key,
      targetPath,
    }));
  }
  if (plan.mode === "patch") {
    spec.postRenderers = [
      {
        kustomize: {
          patches: [
            {
              target: serviceMonitorPatchTarget(plan),
              patch: toYaml(buildServiceMonitorPatch(plan)),
            },
          ],
        },
      },
    ];
  }
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: plan.config.releaseName, namespace: fluxNamespace(plan) },
    spec,
  };
}

/** The Secret valuesFrom reads, in the HelmRelease's namespace (the only one Flux reads it from). */
export function buildFluxValuesSecret(plan: Plan): Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: fluxValuesSecretName(plan), namespace: fluxNamespace(plan) },
    type: "Opaque",
    stringData: Object.fromEntries(fluxPasswordRefs(plan).map((r) => [r.key, targetPathValue(r.password)])),
  };
}

export function buildApplication(plan: Plan): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    project: "default",
    source: {
      // Argo CD names OCI Helm repositories without the oci:// scheme.
      repoURL: CHART_OCI_REGISTRY,
      chart: CHART_NAME,
      targetRevision: plan.config.chartVersion,
      helm: { releaseName: plan.config.releaseName, valuesObject: buildValues(plan) },
    },
    destination: { server: ARGOCD_DESTINATION_SERVER, namespace: plan.releaseNamespace },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
  };
  // The chart re-hashes the password with a new salt at every render (and, with several users,
  // picks the probes' user at random), and Argo CD renders at every compare: without this the
  // Application is OutOfSync forever.
  const drift = renderDrift(plan.profile, plan.names.fullname, plan.releaseNamespace, plan.webUsers.length);
  if (drift.length) spec.ignoreDifferences = drift.map(ignoreEntry);
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: plan.config.releaseName, namespace: ARGOCD_NAMESPACE },
    spec,
  };
}
