/** The one place the chart's install command is written. */
import type { Plan } from "../engine/plan";
import { POST_RENDERER_SCRIPT, postRendererPluginName } from "../outputs/post-renderer-files";
// values-file.ts writes this command into values.yaml: the cycle is only between function bodies.
import { VALUES_FILE } from "../outputs/values-file";

/** The chart's OCI location, as its README installs it. */
export const CHART_REF = "oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway";
/** The chart as the prometheus-community Helm repository names it: the alternative to OCI. */
export const CHART_REPO_REF = "prometheus-community/prometheus-pushgateway";
export const CHART_REPO_URL = "https://prometheus-community.github.io/helm-charts";
/** Adds the Helm repository, for {@link CHART_REPO_REF}. */
export const HELM_REPO_ADD = `helm repo add prometheus-community ${CHART_REPO_URL}\nhelm repo update prometheus-community`;

/**
 * `helm upgrade --install` for this plan, run from the bundle's directory. For the patch
 * strategy Helm 4 takes the installed plugin's name, Helm 3 the script's path.
 */
export function helmInstallCommand(plan: Plan, helmMajor: 3 | 4 = 4, source: "oci" | "repo" = "oci"): string {
  const c = plan.config;
  const postRenderer =
    plan.mode !== "patch"
      ? ""
      : ` --post-renderer ${helmMajor === 4 ? postRendererPluginName(plan) : `./${POST_RENDERER_SCRIPT}`}`;
  const chart = source === "oci" ? CHART_REF : CHART_REPO_REF;
  return `helm upgrade --install ${c.releaseName} ${chart} --version ${c.chartVersion} -n ${plan.releaseNamespace} -f ${VALUES_FILE}${postRenderer}`;
}
