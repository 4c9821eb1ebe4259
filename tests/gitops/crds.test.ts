/**
 * Every GitOps object of every Flux and Argo CD bundle validates against its vendored CRD's
 * openAPIV3Schema (tests/fixtures/crds), and the CRD rule that matters here (a HelmRelease has
 * chart or chartRef, not both) holds. A broken object fails, so the validator is not a no-op.
 */
import { describe, expect, it } from "vitest";
import { generate, validateConfig } from "../../lib/index";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { CASES, GITOPS_CASES } from "../support/cases";
import { crdProblems, customResourceSchema } from "../support/crd-schema";
import { validateManifest } from "../support/schemas";

const GITOPS_FILES = ["ocirepository.yaml", "helmrelease.yaml", "application.yaml"];

const bundles = [...CASES, ...GITOPS_CASES].flatMap(({ name, input }) =>
  (["flux", "argocd"] as const).flatMap((deploy) => {
    const result = validateConfig({ ...input, deploy });
    return result.ok ? [[`${name} ${deploy}`, generate(result.config).files] as const] : [];
  }),
);

describe.each(bundles)("%s", (_, files) => {
  it("validates every object against its CRD or Kubernetes schema", () => {
    const gitops = GITOPS_FILES.filter((f) => f in files);
    expect(gitops.length).toBeGreaterThan(0);
    for (const [name, text] of Object.entries(files)) {
      // Examples (the pushers' CronJob) are not applied as they are, and have no schema here.
      if (!name.endsWith(".yaml") || name.endsWith(".example.yaml")) continue;
      for (const doc of parseYamlDocuments(text)) {
        expect(() => validateManifest(doc), name).not.toThrow();
        const d = doc as { kind: string; spec: Record<string, unknown> };
        if (d.kind === "HelmRelease")
          expect("chart" in d.spec !== "chartRef" in d.spec, "chart xor chartRef").toBe(true);
      }
    }
  });
});

it("rejects objects that break the CRD", () => {
  const input = CASES.find((c) => c.name === "2.14.0-patch")!.input;
  const result = validateConfig({ ...input, deploy: "flux" });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const files = generate(result.config).files;
  const release = parseYamlDocuments(files["helmrelease.yaml"]!)[0] as any;
  release.spec.interval = "ten minutes";
  release.spec.valuesFrom[0].kind = "Vault";
  release.spec.postRenderers[0].kustomize.patchesJson6902 = [];
  expect(crdProblems(release, customResourceSchema(release)!)).toEqual(
    expect.arrayContaining([
      expect.stringContaining("spec.interval does not match"),
      expect.stringContaining("spec.valuesFrom[0].kind must be one of"),
      "unknown field spec.postRenderers[0].kustomize.patchesJson6902",
    ]),
  );
  const oci = parseYamlDocuments(files["ocirepository.yaml"]!)[0] as any;
  delete oci.spec.url;
  expect(crdProblems(oci, customResourceSchema(oci)!)).toContain("spec.url is required");
});
