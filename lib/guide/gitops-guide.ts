/** The guide's steps that deploy the chart with Argo CD or Flux, in that tool's own commands. */
import { EXISTING_SECRET_SINCE } from "../chart/versions";
import type { Plan } from "../engine/plan";
import { ARGOCD_NAMESPACE, chartHashesPassword, deployOf, fluxNamespace, fluxSourceName } from "../gitops/build-gitops";
import { CHART_OCI_REGISTRY, CHART_OCI_URL } from "../gitops/deploy";
import { APPLICATION_FILE, HELM_RELEASE_FILE, OCI_REPOSITORY_FILE } from "../outputs/gitops-files";
import type { GuideStep } from "./step";

function fluxSteps(plan: Plan): GuideStep[] {
  const ns = fluxNamespace(plan);
  const release = plan.config.releaseName;
  return [
    {
      id: "chart",
      title: "Commit the OCIRepository and the HelmRelease",
      text: `Flux pulls chart ${plan.config.chartVersion} from ${CHART_OCI_URL} (an OCIRepository; no HelmRepository needed) and installs release ${release} in ${plan.releaseNamespace} with the values in the HelmRelease${plan.mode === "patch" ? "; its postRenderers add basicAuth to the chart's ServiceMonitor with kustomize, no script or plugin" : ""}${chartHashesPassword(plan) ? ". The password comes from the values Secret through spec.valuesFrom, so the HelmRelease holds none" : ""}. Put both files where your Flux Kustomization reads, or apply them directly.`,
      snippet: {
        language: "sh",
        code: [
          `git add ${OCI_REPOSITORY_FILE} ${HELM_RELEASE_FILE} && git commit -m "pushgateway ${release}: basic auth" && git push`,
          `# or, without Git: kubectl apply -f ${OCI_REPOSITORY_FILE} -f ${HELM_RELEASE_FILE}`,
          `flux reconcile source oci ${fluxSourceName(plan)} -n ${ns}`,
          `flux reconcile helmrelease ${release} -n ${ns}`,
        ].join("\n"),
      },
    },
    {
      id: "sync-status",
      title: "Check that Flux installed it",
      text: "The HelmRelease must be Ready with the chart version you chose.",
      snippet: {
        language: "sh",
        code: [
          `flux get sources oci -n ${ns}`,
          `flux get helmreleases -n ${ns}`,
          `kubectl -n ${ns} wait helmrelease/${release} --for=condition=Ready --timeout=5m`,
        ].join("\n"),
      },
    },
  ];
}

function argoSteps(plan: Plan): GuideStep[] {
  const app = plan.config.releaseName;
  const drift = chartHashesPassword(plan)
    ? ` Chart ${plan.config.chartVersion} ${plan.webUsers.length > 1 ? "re-hashes the passwords with a new salt and gives the probes' Authorization header a user picked at random at every render," : "re-hashes the password with a new salt at every render"} and Argo CD renders at every compare: the Application's ignoreDifferences covers that Secret's data${plan.webUsers.length > 1 ? " and the Deployment's probe headers" : ""}, so it does not stay OutOfSync. The Application holds the plaintext password in valuesObject: apply it directly, or encrypt it before it goes to Git, or use chart ${EXISTING_SECRET_SINCE} or later.`
    : "";
  return [
    {
      id: "chart",
      title: "Register the chart's OCI registry and apply the Application",
      text: `Argo CD renders chart ${plan.config.chartVersion} from the OCI registry ${CHART_OCI_REGISTRY} (written without oci://, registered once as an OCI Helm repository) with the values in the Application, and creates ${plan.releaseNamespace} if needed. Argo CD has no Helm post-renderer, so the ServiceMonitor strategy is ${plan.mode}.${drift}`,
      snippet: {
        language: "sh",
        code: [
          `argocd repo add ${CHART_OCI_REGISTRY} --type helm --name prometheus-community-oci --enable-oci`,
          ...(chartHashesPassword(plan)
            ? // The file holds the plaintext password: it goes to the cluster directly, and to Git
              // only once encrypted with what the app of apps decrypts.
              [
                `# ${APPLICATION_FILE} holds the plaintext password: apply it directly, keeping it out of Git`,
                `kubectl apply -n ${ARGOCD_NAMESPACE} -f ${APPLICATION_FILE}`,
                `# or, with an app of apps that decrypts (e.g. SOPS through KSOPS), encrypt ${APPLICATION_FILE} FIRST, then:`,
                `#   git add ${APPLICATION_FILE} && git commit -m "pushgateway ${app}: basic auth" && git push`,
              ]
            : [
                `git add ${APPLICATION_FILE} && git commit -m "pushgateway ${app}: basic auth" && git push`,
                `# or, without an app of apps: kubectl apply -n ${ARGOCD_NAMESPACE} -f ${APPLICATION_FILE}`,
              ]),
        ].join("\n"),
      },
    },
    {
      id: "sync-status",
      title: "Check that Argo CD synced it",
      text: "The Application must be Synced and Healthy.",
      snippet: {
        language: "sh",
        code: [`argocd app get ${app}`, `argocd app wait ${app} --sync --health --timeout 300`].join("\n"),
      },
    },
  ];
}

/** The steps replacing `helm upgrade --install` for a GitOps deploy target; none for the Helm CLI. */
export function gitopsChartSteps(plan: Plan): GuideStep[] {
  const deploy = deployOf(plan);
  return deploy === "flux" ? fluxSteps(plan) : deploy === "argocd" ? argoSteps(plan) : [];
}
