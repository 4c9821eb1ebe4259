/** The one place the chart's install command is written. */
import type { Plan } from "../engine/plan";
import { POST_RENDERER_FILE } from "../outputs/post-renderer-files";

/** The chart as the prometheus-community Helm repository names it. */
export const CHART_REF = "prometheus-community/prometheus-pushgateway";

/** `helm upgrade --install` for this plan, run from the bundle's directory. */
export function helmInstallCommand(plan: Plan): string {
  const c = plan.config;
  const postRenderer = plan.mode === "patch" ? ` --post-renderer ./${POST_RENDERER_FILE}` : "";
  return `helm upgrade --install ${c.releaseName} ${CHART_REF} --version ${c.chartVersion} -n ${plan.releaseNamespace} -f values.yaml${postRenderer}`;
}
