/**
 * The patch strategy's files, in one directory: an RFC 6902 patch adding basicAuth to the
 * chart's ServiceMonitor, the kustomization applying it, and the post-renderer running kustomize,
 * both as a script (Helm 3 takes its path) and as a `postrenderer/v1` plugin (Helm 4 takes only
 * the name of an installed plugin). Everything the script reads sits beside it, so it works from
 * wherever Helm 4 installs the plugin.
 */
import { buildServiceMonitorPatch, serviceMonitorPatchTarget } from "../engine/build-manifests";
import type { Plan } from "../engine/plan";
import { deployOf } from "../gitops/build-gitops";
import { toYaml, toYamlFile } from "../yaml/serialize";
import type { Output } from "./output";

/** The directory holding the post-renderer; `helm plugin install` takes it. */
export const POST_RENDERER_DIR = "post-renderer";
const SCRIPT = "post-renderer.sh";
export const POST_RENDERER_SCRIPT = `${POST_RENDERER_DIR}/${SCRIPT}`;
const PLUGIN_MANIFEST = "plugin.yaml";

/** File the post-renderer writes Helm's output to, inside its own temporary directory. */
const CHART_OUTPUT_FILE = "chart.yaml";
const PATCH_FILE = "servicemonitor-patch.yaml";
const KUSTOMIZATION_FILE = "kustomization.yaml";

/** kustomization.yaml applying the patch to the rendered chart. */
export function buildKustomization(plan: Plan): Record<string, unknown> {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [CHART_OUTPUT_FILE],
    patches: [
      {
        path: PATCH_FILE,
        target: serviceMonitorPatchTarget(plan),
      },
    ],
  };
}

/**
 * The plugin's name, what Helm 4's `--post-renderer` takes. Unique per ServiceMonitor, so that
 * the plugins of two releases can be installed side by side.
 */
export function postRendererPluginName(plan: Plan): string {
  return `pushgateway-auth-${plan.serviceMonitorNamespace}-${plan.names.fullname}`;
}

// Flux patches in its HelmRelease; Argo CD does not offer the patch strategy.
const isPatch = (plan: Plan) => plan.mode === "patch" && deployOf(plan) === "helm";

export const patchOutput: Output = {
  name: `${POST_RENDERER_DIR}/${PATCH_FILE}`,
  role: "patch",
  applies: isPatch,
  build: ({ plan }) =>
    toYamlFile(
      [buildServiceMonitorPatch(plan)],
      [
        `RFC 6902 patch adding basicAuth to ServiceMonitor ${plan.names.fullname} in ${plan.serviceMonitorNamespace}.`,
        `Applied by ${KUSTOMIZATION_FILE} through ${SCRIPT}.`,
      ],
    ),
  secret: false,
  executable: false,
  describe: () =>
    `\`${POST_RENDERER_DIR}/\`: a Helm post-renderer adding basicAuth to the chart's ServiceMonitor: \`${PATCH_FILE}\` (the patch), \`${KUSTOMIZATION_FILE}\` (applies it), \`${SCRIPT}\` (runs \`kubectl kustomize\`; Helm 3 takes its path) and \`${PLUGIN_MANIFEST}\` (makes the directory a Helm 4 plugin)`,
};

export const kustomizationOutput: Output = {
  name: `${POST_RENDERER_DIR}/${KUSTOMIZATION_FILE}`,
  role: "kustomization",
  applies: isPatch,
  build: ({ plan }) =>
    toYamlFile([buildKustomization(plan)], [`Used by ${SCRIPT}; Helm's rendered output becomes ${CHART_OUTPUT_FILE}.`]),
  secret: false,
  executable: false,
  describe: () => null,
};

/**
 * Helm pipes the rendered chart to stdin and applies stdout. The script works in a temporary
 * directory so its own stays untouched, and fails when the patch found nothing to patch,
 * because kustomize silently skips a patch whose target is missing.
 */
function postRendererScript(plan: Plan): string {
  const target = `${plan.serviceMonitorNamespace}/${plan.names.fullname}`;
  return `#!/bin/sh
# Helm post-renderer adding basicAuth to ServiceMonitor ${target}:
#   Helm 4: helm plugin install ./${POST_RENDERER_DIR}, then helm upgrade --install ... --post-renderer ${postRendererPluginName(plan)}
#   Helm 3: helm upgrade --install ... --post-renderer ./${POST_RENDERER_SCRIPT}
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/${KUSTOMIZATION_FILE}" "$here/${PATCH_FILE}" "$work/"
cat > "$work/${CHART_OUTPUT_FILE}"
kubectl kustomize "$work" > "$work/out.yaml"
if ! grep -q 'name: ${plan.scrapeSecretName}$' "$work/out.yaml"; then
  echo "${SCRIPT}: found no ServiceMonitor ${target} to patch; serviceMonitor.enabled, the release name and name overrides must match this bundle" >&2
  exit 1
fi
cat "$work/out.yaml"
`;
}

export const postRendererOutput: Output = {
  name: POST_RENDERER_SCRIPT,
  role: "other",
  applies: isPatch,
  build: ({ plan }) => postRendererScript(plan),
  secret: false,
  executable: true,
  describe: () => null,
};

/** Helm 4's plugin manifest (plugin.yaml, apiVersion v1); Helm 4.1 rejects keys it does not know. */
export const pluginOutput: Output = {
  name: `${POST_RENDERER_DIR}/${PLUGIN_MANIFEST}`,
  role: "other",
  applies: isPatch,
  build: ({ plan }) =>
    toYaml({
      apiVersion: "v1",
      type: "postrenderer/v1",
      name: postRendererPluginName(plan),
      version: "1.0.0",
      runtime: "subprocess",
      runtimeConfig: { platformCommand: [{ command: `\${HELM_PLUGIN_DIR}/${SCRIPT}` }] },
    }),
  secret: false,
  executable: false,
  describe: () => null,
};
