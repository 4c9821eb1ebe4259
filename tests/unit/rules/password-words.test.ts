/**
 * plaintext-password-in-values names where the chart's values live for the tool that deploys
 * them: values.yaml for the Helm CLI, the HelmRelease (password through valuesFrom) for Flux,
 * the Application's helm.valuesObject for Argo CD. Never values.yaml for a GitOps bundle, which
 * has none.
 */
import { describe, expect, it } from "vitest";
import { checkBundle, type Check } from "../../../lib/index";
import { bundleFor, COMPARE } from "./cases";

const check = (input: Parameters<typeof bundleFor>[0]): Check => {
  const bundle = bundleFor(input);
  const found = checkBundle(bundle.config, bundle.files, COMPARE).find((c) => c.id === "plaintext-password-in-values");
  if (!found) throw new Error("plaintext-password-in-values said nothing");
  return found;
};

describe("plaintext-password-in-values, in the deploy tool's words", () => {
  it("Helm CLI, chart 3.4.0: values.yaml", () => {
    const c = check({ chartVersion: "3.4.0" });
    expect(c.status).toBe("warn");
    expect(c.title).toBe("Plaintext password in the chart's values");
    expect(c.message).toContain("needs the plaintext password in values.yaml");
    expect(c.fix).toContain("keep values.yaml as secret as the password");
  });

  it("Flux, chart 3.4.0: the HelmRelease holds none, valuesFrom brings it from its Secret", () => {
    const c = check({ chartVersion: "3.4.0", deploy: "flux" });
    expect(c.status).toBe("warn");
    expect(`${c.title} ${c.message} ${c.fix}`).not.toContain("values.yaml");
    expect(c.message).toContain("the HelmRelease does not hold it");
    expect(c.message).toContain("helmrelease-values-secret.yaml through spec.valuesFrom");
    expect(c.fix).toContain("keep helmrelease-values-secret.yaml out of Git");
    expect(c.evidence.map((e) => (e.kind === "file" ? e.file : e.kind))).toEqual(["helmrelease.yaml"]);
  });

  it("Argo CD, chart 3.1.0: the Application's helm.valuesObject, in Git", () => {
    const c = check({ chartVersion: "3.1.0", deploy: "argocd" });
    expect(c.status).toBe("warn");
    expect(`${c.title} ${c.message} ${c.fix}`).not.toContain("values.yaml");
    expect(c.message).toContain("the Application's helm.valuesObject, which goes to Git with application.yaml");
    expect(c.fix).toContain("encrypt application.yaml before it goes to Git");
  });

  it.each([
    ["flux", "The HelmRelease's values hold no password"],
    ["argocd", "The Application's helm.valuesObject holds no password"],
    ["helm", "values.yaml holds no password"],
  ] as const)("%s, chart 3.8.0: passes in that tool's words", (deploy, words) => {
    const c = check({ chartVersion: "3.8.0", deploy });
    expect(c.status).toBe("pass");
    expect(c.title).toBe("No plaintext password in the chart's values");
    expect(c.message).toContain(words);
  });
});
