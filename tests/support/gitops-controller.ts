/**
 * What Flux's helm-controller and Argo CD do with a bundle's objects, done with real tools:
 * the values are taken from the HelmRelease (spec.values, plus valuesFrom Secrets at their
 * targetPath, read the way Flux reads them) or from the Application (helm.valuesObject), the
 * chart version from the OCIRepository's tag or the Application's targetRevision, and the
 * vendored chart of that version is rendered with real `helm template`. Flux's post-renderer
 * patches are applied to Helm's output with the real `kubectl kustomize`.
 *
 * Flux's targetPath is `helm --set path=value` (Helm's strvals parser) once Flux has looked at
 * the quotes: a value quoted at both ends goes through `--set-string` with every quote at either
 * end trimmed, an unquoted one through `--set` (fluxcd/helm-controller ReplacePathValue). Real
 * Helm's own --set/--set-string parse it here, so the escaping the bundle uses is proven.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump } from "js-yaml";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { chartPackage, Helm, type HelmMajor } from "./helm";
import { bundleManifests, renderedManifests, secretValue, type K8sObject, type Manifest } from "./helm-proof";

type Doc = Record<string, any>;

function docs(files: Record<string, string>): Doc[] {
  return Object.entries(files)
    .filter(([name]) => name.endsWith(".yaml"))
    .flatMap(([, text]) => parseYamlDocuments(text) as Doc[])
    .filter((d) => d && typeof d.kind === "string");
}

function only(all: Doc[], kind: string): Doc {
  const found = all.filter((d) => d.kind === kind);
  if (found.length !== 1) throw new Error(`${found.length} ${kind} objects in the bundle, expected 1`);
  return found[0] as Doc;
}

export interface ControllerRender {
  /** What the controller would install and what the bundle applies beside it. */
  manifests: Manifest[];
  output: string;
  chartVersion: string;
  release: string;
  namespace: string;
}

const OCI_CHART = "oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway";

/** Flux: OCIRepository + HelmRelease (+ valuesFrom Secrets), rendered like helm-controller. */
export async function renderFlux(files: Record<string, string>, major: HelmMajor = 3): Promise<ControllerRender> {
  const all = docs(files);
  const release = only(all, "HelmRelease");
  const ns = release.metadata.namespace as string;
  const ref = release.spec.chartRef;
  const source = all.find(
    (d) => d.kind === ref?.kind && d.metadata.name === ref.name && d.metadata.namespace === (ref.namespace ?? ns),
  );
  if (!source) throw new Error(`chartRef ${JSON.stringify(ref)} names no object of the bundle`);
  if (source.spec.url !== OCI_CHART) throw new Error(`OCIRepository url ${source.spec.url}`);
  const chartVersion = source.spec.ref.tag as string;
  const releaseName = (release.spec.releaseName as string) ?? release.metadata.name;
  const targetNamespace = (release.spec.targetNamespace as string) ?? ns;

  const set: string[] = [];
  for (const from of (release.spec.valuesFrom ?? []) as Doc[]) {
    if (from.kind !== "Secret") throw new Error(`valuesFrom kind ${from.kind}`);
    // Flux reads valuesFrom Secrets from the HelmRelease's own namespace only.
    const secret = all.find((d) => d.kind === "Secret" && d.metadata.name === from.name && d.metadata.namespace === ns);
    if (!secret) throw new Error(`valuesFrom Secret ${ns}/${from.name} is not in the bundle`);
    const raw = secretValue(secret as K8sObject, from.valuesKey ?? "values.yaml");
    if (raw === undefined) throw new Error(`valuesFrom Secret ${ns}/${from.name} has no key ${from.valuesKey}`);
    if (!from.targetPath) throw new Error("only targetPath valuesFrom are used by these bundles");
    const quoted = /^'.*'$|^".*"$/s.test(raw);
    set.push(
      quoted ? "--set-string" : "--set",
      `${from.targetPath}=${quoted ? raw.replace(/^['"]+|['"]+$/g, "") : raw}`,
    );
  }
  const output = await template(major, chartVersion, releaseName, targetNamespace, release.spec.values ?? {}, set);
  let rendered = output;
  for (const renderer of (release.spec.postRenderers ?? []) as Doc[])
    rendered = kustomize(rendered, renderer.kustomize);
  return {
    manifests: [...renderedManifests(rendered, targetNamespace), ...bundleManifests(files)],
    output: rendered,
    chartVersion,
    release: releaseName,
    namespace: targetNamespace,
  };
}

/** Argo CD: the Application's chart, revision, release name, valuesObject and destination. */
export async function renderArgo(files: Record<string, string>, major: HelmMajor = 3): Promise<ControllerRender> {
  const app = only(docs(files), "Application");
  const source = app.spec.source;
  if (`oci://${source.repoURL}/${source.chart}` !== OCI_CHART)
    throw new Error(`Application source ${source.repoURL} ${source.chart}`);
  const namespace = app.spec.destination.namespace as string;
  const release = (source.helm?.releaseName as string) ?? app.metadata.name;
  const output = await template(major, source.targetRevision, release, namespace, source.helm?.valuesObject ?? {}, []);
  return {
    manifests: [...renderedManifests(output, namespace), ...bundleManifests(files)],
    output,
    chartVersion: source.targetRevision,
    release,
    namespace,
  };
}

async function template(
  major: HelmMajor,
  chartVersion: string,
  release: string,
  namespace: string,
  values: unknown,
  set: string[],
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "pga-gitops-"));
  const helm = new Helm(major);
  try {
    writeFileSync(join(dir, "values.yaml"), dump(values, { lineWidth: -1 }));
    return await helm.run([
      "template",
      release,
      chartPackage(chartVersion),
      "--namespace",
      namespace,
      "--values",
      join(dir, "values.yaml"),
      ...set,
    ]);
  } finally {
    helm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A Flux kustomize post-renderer (`patches` with target and inline patch) through real kubectl kustomize. */
export function kustomize(rendered: string, spec: Doc): string {
  const dir = mkdtempSync(join(tmpdir(), "pga-flux-kustomize-"));
  try {
    writeFileSync(join(dir, "chart.yaml"), rendered);
    const kustomization = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: ["chart.yaml"],
      patches: spec.patches ?? [],
    };
    writeFileSync(join(dir, "kustomization.yaml"), dump(kustomization, { lineWidth: -1 }));
    const result = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`kubectl kustomize: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
