/**
 * The patch strategy's files: an RFC 6902 patch adding basicAuth to the chart's ServiceMonitor,
 * the kustomization applying it, and the Helm post-renderer running kustomize.
 */
import {
  buildKustomization,
  buildServiceMonitorPatch,
  CHART_OUTPUT_FILE,
  KUSTOMIZATION_FILE,
  PATCH_FILE,
} from "../engine/build-manifests";
import type { Plan } from "../engine/plan";
import { toYamlFile } from "../yaml/serialize";
import type { Output } from "./output";

export const POST_RENDERER_FILE = "post-renderer.sh";

const isPatch = (plan: Plan) => plan.mode === "patch";

export const patchOutput: Output = {
  name: PATCH_FILE,
  applies: isPatch,
  build: ({ plan }) =>
    toYamlFile(
      [buildServiceMonitorPatch(plan)],
      [
        `RFC 6902 patch adding basicAuth to ServiceMonitor ${plan.names.fullname} in ${plan.serviceMonitorNamespace}.`,
        `Applied by ${KUSTOMIZATION_FILE} through ${POST_RENDERER_FILE}.`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${PATCH_FILE}\`: the patch adding basicAuth to the chart's ServiceMonitor`,
};

export const kustomizationOutput: Output = {
  name: KUSTOMIZATION_FILE,
  applies: isPatch,
  build: ({ plan }) =>
    toYamlFile(
      [buildKustomization(plan)],
      [`Used by ${POST_RENDERER_FILE}; Helm's rendered output becomes ${CHART_OUTPUT_FILE}.`],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${KUSTOMIZATION_FILE}\` and \`${POST_RENDERER_FILE}\`: apply that patch during \`helm upgrade\``,
};

/**
 * Helm 3 `--post-renderer`: Helm pipes the rendered chart to stdin and applies stdout. It
 * works in a temporary directory so the bundle directory stays untouched, and fails when the
 * patch found nothing to patch, because kustomize silently skips a patch whose target is missing.
 */
function postRendererScript(plan: Plan): string {
  const target = `${plan.serviceMonitorNamespace}/${plan.names.fullname}`;
  return `#!/bin/sh
# Helm post-renderer adding basicAuth to ServiceMonitor ${target}:
#   helm upgrade --install ... --post-renderer ./${POST_RENDERER_FILE}
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/${KUSTOMIZATION_FILE}" "$here/${PATCH_FILE}" "$work/"
cat > "$work/${CHART_OUTPUT_FILE}"
kubectl kustomize "$work" > "$work/out.yaml"
if ! grep -q 'name: ${plan.scrapeSecretName}$' "$work/out.yaml"; then
  echo "${POST_RENDERER_FILE}: found no ServiceMonitor ${target} to patch; serviceMonitor.enabled, the release name and name overrides must match this bundle" >&2
  exit 1
fi
cat "$work/out.yaml"
`;
}

export const postRendererOutput: Output = {
  name: POST_RENDERER_FILE,
  applies: isPatch,
  build: ({ plan }) => postRendererScript(plan),
  secret: false,
  executable: true,
  // Described with the kustomization it runs.
  describe: () => null,
};
