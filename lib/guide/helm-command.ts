/** The one place the chart's install command is written. */
import type { Plan } from "../engine/plan";
import { POST_RENDERER_SCRIPT, postRendererPluginName } from "../outputs/post-renderer-files";

/** The chart as the prometheus-community Helm repository names it. */
export const CHART_REF = "prometheus-community/prometheus-pushgateway";

/**
 * `helm upgrade --install` for this plan, run from the bundle's directory. For the patch
 * strategy Helm 4 takes the installed plugin's name, Helm 3 the script's path.
 */
export function helmInstallCommand(plan: Plan, helmMajor: 3 | 4 = 4): string {
  const c = plan.config;
  const postRenderer =
    plan.mode !== "patch"
      ? ""
      : ` --post-renderer ${helmMajor === 4 ? postRendererPluginName(plan) : `./${POST_RENDERER_SCRIPT}`}`;
  return `helm upgrade --install ${c.releaseName} ${CHART_REF} --version ${c.chartVersion} -n ${plan.releaseNamespace} -f values.yaml${postRenderer}`;
}
