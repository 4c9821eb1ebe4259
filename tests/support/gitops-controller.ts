/**
 * What Flux's helm-controller and Argo CD do with a bundle's objects, done with real tools:
 * the values are taken from the HelmRelease (spec.values, plus valuesFrom Secrets at their
 * targetPath, read the way Flux reads them) or from the Application (helm.valuesObject), the
 * chart version from the OCIRepository's tag or the Application's targetRevision, and the
 * vendored chart of that version is rendered with real `helm template`. Flux's post-renderer
 * patches are applied to Helm's output with the real `kubectl kustomize`.
 *
 * The values follow Flux's merge order (fluxcd/pkg chartutil ChartValuesFromReferences):
 * valuesFrom entries in order, spec.values over them, and a targetPath entry over everything
 * before it. A targetPath is `helm --set path=value` (Helm's strvals parser) once Flux has looked
 * at the quotes: a value quoted at both ends goes through `--set-string` with every quote at
 * either end trimmed, an unquoted one through `--set` (ReplacePathValue). Real Helm's own
 * --set/--set-string parse it here, so the escaping the bundle uses is proven.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump, load } from "js-yaml";
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

  // What each valuesFrom entry reads, in order, before Flux merges them.
  const refs: ({ values: Doc } | { targetPath: string; raw: string })[] = [];
  for (const from of (release.spec.valuesFrom ?? []) as Doc[]) {
    if (from.kind !== "Secret") throw new Error(`valuesFrom kind ${from.kind}`);
    // Flux reads valuesFrom Secrets from the HelmRelease's own namespace only.
    const secret = all.find((d) => d.kind === "Secret" && d.metadata.name === from.name && d.metadata.namespace === ns);
    if (!secret) throw new Error(`valuesFrom Secret ${ns}/${from.name} is not in the bundle`);
    const raw = secretValue(secret as K8sObject, from.valuesKey ?? "values.yaml");
    if (raw === undefined) throw new Error(`valuesFrom Secret ${ns}/${from.name} has no key ${from.valuesKey}`);
    refs.push(from.targetPath ? { targetPath: from.targetPath, raw } : { values: load(raw) as Doc });
  }
  const values = await fluxValues(major, release.spec.values ?? {}, refs);
  const output = await template(major, chartVersion, releaseName, targetNamespace, values);
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
  const output = await template(major, source.targetRevision, release, namespace, source.helm?.valuesObject ?? {});
  return {
    manifests: [...renderedManifests(output, namespace), ...bundleManifests(files)],
    output,
    chartVersion: source.targetRevision,
    release,
    namespace,
  };
}

/** fluxcd/pkg chartutil MergeMaps: `b` over `a`; a map only `b` has is shared, not copied. */
function mergeMaps(a: Doc, b: Doc): Doc {
  const out: Doc = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const isMap = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
    out[k] = isMap(v) && isMap(out[k]) ? mergeMaps(out[k], v) : v;
  }
  return out;
}

/**
 * fluxcd/pkg chartutil ChartValuesFromReferences: entries merged in order, each targetPath entry
 * set (ReplacePathValue, in place) after spec.values is merged in, and spec.values merged last.
 * What a targetPath entry sets is what real Helm's --set / --set-string parse it to.
 */
async function fluxValues(
  major: HelmMajor,
  inline: Doc,
  refs: ({ values: Doc } | { targetPath: string; raw: string })[],
): Promise<Doc> {
  const parsed = await parseTargetPaths(
    major,
    refs.flatMap((r) => ("targetPath" in r ? [r] : [])),
  );
  let result: Doc = {};
  for (const ref of refs) {
    if (!("targetPath" in ref)) {
      result = mergeMaps(result, ref.values ?? {});
      continue;
    }
    result = mergeMaps(result, inline);
    const { keys, value } = parsed.shift()!;
    let node = result;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== "object" || node[key] === null || Array.isArray(node[key])) node[key] = {};
      node = node[key];
    }
    node[keys[keys.length - 1]!] = value;
  }
  return mergeMaps(result, inline);
}

/**
 * Each targetPath=value as Flux's ReplacePathValue hands it to Helm's strvals (a value quoted at
 * both ends through ParseIntoString with the quotes trimmed, else ParseInto), parsed by real Helm:
 * a scratch chart prints what `--set` / `--set-string` made of each, under its own top-level key.
 */
async function parseTargetPaths(
  major: HelmMajor,
  refs: { targetPath: string; raw: string }[],
): Promise<{ keys: string[]; value: unknown }[]> {
  if (!refs.length) return [];
  const dir = mkdtempSync(join(tmpdir(), "pga-strvals-"));
  const helm = new Helm(major);
  try {
    mkdirSync(join(dir, "templates"));
    writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: strvals\nversion: 0.1.0\n");
    writeFileSync(join(dir, "templates", "values.yaml"), "{{ toJson .Values }}\n");
    const set = refs.flatMap(({ targetPath, raw }, i) => {
      const quoted = /^'.*'$|^".*"$/s.test(raw);
      return [
        quoted ? "--set-string" : "--set",
        `ref${i}.${targetPath}=${quoted ? raw.replace(/^['"]+|['"]+$/g, "") : raw}`,
      ];
    });
    const out = await helm.run(["template", "strvals", dir, ...set]);
    const parsed = JSON.parse(out.slice(out.indexOf("{"))) as Doc;
    return refs.map((_, i) => {
      const keys: string[] = [];
      let node: unknown = parsed[`ref${i}`];
      // strvals nests one single-key map per path segment down to the value.
      while (typeof node === "object" && node !== null && !Array.isArray(node) && Object.keys(node).length === 1) {
        const [key, next] = Object.entries(node)[0]!;
        keys.push(key);
        node = next;
      }
      return { keys, value: node };
    });
  } finally {
    helm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function template(
  major: HelmMajor,
  chartVersion: string,
  release: string,
  namespace: string,
  values: unknown,
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
