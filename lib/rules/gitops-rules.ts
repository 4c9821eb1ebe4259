/**
 * Rules about the GitOps objects that deploy the chart (Flux HelmRelease + OCIRepository, Argo
 * CD Application): they must install the chart version, release and namespace the Secrets and
 * the ServiceMonitor were made for, and on charts that hash the password themselves Argo CD
 * must not see what changes between renders (the re-hashed Secret, the probes' user) as drift.
 */
import type { Placed } from "../engine/cluster-view";
import { ignoreCovers, renderDrift } from "../gitops/argo-drift";
import { CHART_NAME, CHART_OCI_REGISTRY, CHART_OCI_URL } from "../gitops/deploy";
import { getPath } from "../values/values";
import { EXISTING_SECRET_SINCE, q } from "./common";
import { fileSource } from "./evidence";
import type { FileOrigin, KubeObject } from "./input";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { ResolvedSetup } from "./setup";

const ofKind = (s: ResolvedSetup, kind: string) => s.setup.objects.filter((p) => p.object.kind === kind);

interface Deployed {
  what: string;
  placed: Placed<KubeObject>;
  chart: { value: unknown; path: string[] };
  release: { value: unknown; path: string[] };
  namespace: { value: unknown; path: string[] };
}

function deployed(s: ResolvedSetup): Deployed[] {
  const out: Deployed[] = [];
  for (const placed of ofKind(s, "HelmRelease")) {
    const o = placed.object;
    const ref = getPath(o, "spec.chartRef") as { name?: string; namespace?: string } | undefined;
    const ns = getPath(o, "metadata.namespace");
    const source = ofKind(s, "OCIRepository").find(
      (p) =>
        getPath(p.object, "metadata.name") === ref?.name &&
        getPath(p.object, "metadata.namespace") === (ref?.namespace ?? ns),
    );
    out.push({
      what: `HelmRelease ${q(`${String(ns)}/${String(getPath(o, "metadata.name"))}`)}`,
      placed,
      chart: {
        value:
          source && getPath(source.object, "spec.url") === CHART_OCI_URL
            ? getPath(source.object, "spec.ref.tag")
            : undefined,
        path: ["spec", "ref", "tag"],
      },
      release: { value: getPath(o, "spec.releaseName") ?? getPath(o, "metadata.name"), path: ["spec", "releaseName"] },
      namespace: { value: getPath(o, "spec.targetNamespace") ?? ns, path: ["spec", "targetNamespace"] },
    });
  }
  for (const placed of ofKind(s, "Application")) {
    const o = placed.object;
    const fromChart =
      getPath(o, "spec.source.repoURL") === CHART_OCI_REGISTRY && getPath(o, "spec.source.chart") === CHART_NAME;
    out.push({
      what: `Application ${q(String(getPath(o, "metadata.name")))}`,
      placed,
      chart: {
        value: fromChart ? getPath(o, "spec.source.targetRevision") : undefined,
        path: ["spec", "source", "targetRevision"],
      },
      release: {
        value: getPath(o, "spec.source.helm.releaseName") ?? getPath(o, "metadata.name"),
        path: ["spec", "source", "helm", "releaseName"],
      },
      namespace: { value: getPath(o, "spec.destination.namespace"), path: ["spec", "destination", "namespace"] },
    });
  }
  return out;
}

export const gitopsRelease: Rule = {
  id: "gitops-release",
  title: "The GitOps object deploys another chart, release or namespace",
  passTitle: "The GitOps object deploys this release",
  severity: "fail",
  reads: "the chart version, release name and namespace in a HelmRelease (and its OCIRepository) or an Application",
  scope: "facts",
  judge: (s) => {
    const verdicts: Verdict[] = [];
    for (const d of deployed(s)) {
      const wrong = (
        [
          ["chart version", d.chart, s.chartVersion.value],
          ["release name", d.release, s.releaseName.value],
          ["namespace", d.namespace, s.namespace.value],
        ] as const
      ).filter(([, got, want]) => got.value !== want);
      if (!wrong.length) {
        verdicts.push(
          pass(
            `${d.what} installs chart ${s.chartVersion.value} as release ${s.releaseName.value} in ${s.namespace.value}, which the Secrets and the ServiceMonitor were made for.`,
          ),
        );
        continue;
      }
      verdicts.push(
        problem(
          `${d.what} deploys ${wrong.map(([what, got, want]) => `${what} ${q(got.value ?? "(none)")} instead of ${q(want)}`).join(", ")}: the chart would name or place its objects differently from the Secrets and the ServiceMonitor in this bundle.`,
          wrong.map(([, got]) => fileSource(s.setup, d.placed.origin as FileOrigin, got.path, got.value)),
          "Generate the bundle again with the chart version, release name and namespace you deploy.",
        ),
      );
    }
    return verdicts;
  },
};

export const argoRehashedSecret: Rule = {
  id: "argocd-rehashed-secret",
  title: "Argo CD shows the re-rendered web config or probes as drift",
  passTitle: "Argo CD sees no drift from the password",
  severity: "warn",
  reads:
    "an Application's ignoreDifferences (group, kind, name, namespace, paths), for chart versions that hash the password themselves",
  scope: "chart",
  judge: (s) => {
    const apps = ofKind(s, "Application");
    if (!apps.length) return [];
    if (s.profile.webConfig === "existing-secret")
      return [
        pass(
          `Chart ${s.chartVersion.value} reads the bcrypt hash from a Secret: the Application holds no password and every render is the same.`,
        ),
      ];
    const users = getPath(s.values, "webConfiguration.basicAuthUsers");
    const count = users && typeof users === "object" ? Object.keys(users).length : 0;
    const drift = renderDrift(s.profile, s.view.chart.fullname, String(s.namespace.value), count);
    const why =
      drift.length > 1
        ? `re-hashes the passwords at every render and puts a user picked at random among ${count} into the probes`
        : "re-hashes the password at every render";
    return apps.map((placed) => {
      const ignored = getPath(placed.object, "spec.ignoreDifferences");
      const missing = drift.filter((d) => !ignoreCovers(ignored, d));
      const evidence = [
        fileSource(
          s.setup,
          placed.origin as FileOrigin,
          ["spec", "ignoreDifferences"],
          missing.length ? `does not cover ${missing.map((d) => d.what).join(", ")}` : "covers what changes",
        ),
      ];
      return !missing.length
        ? problem(
            `Chart ${s.chartVersion.value} ${why}; ignoreDifferences on ${drift.map((d) => d.what).join(" and ")} keeps the Application from staying OutOfSync. But the plaintext password sits in the Application's valuesObject, in Git.`,
            evidence,
            `Use chart ${EXISTING_SECRET_SINCE} or later (no plaintext password in values, no drift), or encrypt the Application before it goes to Git.`,
          )
        : problem(
            `Chart ${s.chartVersion.value} ${why}, and Argo CD renders at every compare: without ignoreDifferences on ${missing.map((d) => `${d.what} (group ${q(d.group)}, namespace ${d.namespace})`).join(" and ")} the Application stays OutOfSync forever (and the plaintext password sits in Git).`,
            evidence,
            `Add ignoreDifferences ${missing.map((d) => `{group: ${q(d.group)}, kind: ${d.kind}, name: ${d.name}, namespace: ${d.namespace}, jsonPointers: [${d.jsonPointers.join(", ")}]}`).join(" and ")}, or use chart ${EXISTING_SECRET_SINCE} or later.`,
            "fail",
          );
    });
  },
};
