/**
 * How the chart is deployed: the Helm CLI (the default, and what links without the setting
 * mean), Argo CD or Flux. What each can do with the ServiceMonitor strategies lives here, so
 * the schema, the form and the checks read one table.
 */
import { SERVICE_MONITOR_MODES, type ChartProfile, type ModeSupport, type ServiceMonitorMode } from "../chart/versions";

export const DEPLOY_TARGETS = ["helm", "argocd", "flux"] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

export const DEPLOY_LABELS: Record<DeployTarget, string> = {
  helm: "Helm CLI",
  argocd: "Argo CD",
  flux: "Flux",
};

/** The chart in its OCI registry, where the chart's README installs it from. */
export const CHART_OCI_REGISTRY = "ghcr.io/prometheus-community/charts";
export const CHART_NAME = "prometheus-pushgateway";
export const CHART_OCI_URL = `oci://${CHART_OCI_REGISTRY}/${CHART_NAME}`;

/** Why a strategy is refused with a deploy target, where the target takes a strategy away. */
const REFUSED: Partial<Record<DeployTarget, Partial<Record<ServiceMonitorMode, string>>>> = {
  argocd: {
    patch:
      "Argo CD has no Helm post-renderer, so the chart's ServiceMonitor cannot be patched; standalone ships a ServiceMonitor with basicAuth instead.",
  },
};

/** What a strategy is for this chart version when deployed with `deploy`. */
export function modeSupport(profile: ChartProfile, deploy: DeployTarget, mode: ServiceMonitorMode): ModeSupport {
  const refused = REFUSED[deploy]?.[mode];
  if (refused && profile.modes[mode].allowed) return { allowed: false, reason: refused };
  if (deploy === "flux" && mode === "patch" && profile.modes.patch.allowed)
    return {
      allowed: true,
      reason:
        "Keeps the chart's ServiceMonitor and adds basicAuth with a Flux post-renderer (kustomize patch in the HelmRelease).",
    };
  return profile.modes[mode];
}

/**
 * The strategies this chart version can do but `deploy` cannot, each with why: what the form
 * says in place of the strategies it does not offer.
 */
export function refusedModes(
  profile: ChartProfile,
  deploy: DeployTarget,
): { mode: ServiceMonitorMode; reason: string }[] {
  return SERVICE_MONITOR_MODES.flatMap((mode) => {
    const support = modeSupport(profile, deploy, mode);
    return profile.modes[mode].allowed && !support.allowed ? [{ mode, reason: support.reason }] : [];
  });
}
