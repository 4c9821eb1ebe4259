/**
 * The rulebook on bundles sealed for real (lib/secrets, as the CLI and the page seal them):
 * every strategy and scope, with a pusher, passes sealed-secret-produces and fails nothing,
 * and so do the files unsealed with the test's private key. The breaking
 * cases are in ./secret-source-cases.ts.
 */
import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { checkBundle, type ConfigInput } from "../../../lib/index";
import type { SealingCertificate } from "../../../lib/secrets/certificate";
import { sealBundle } from "../../../lib/secrets/seal-bundle";
import { parseYamlDocuments } from "../../../lib/yaml/serialize";
import { testSealingCertificate, unsealFiles, type TestCertificate } from "../../support/sealing";
import { bundleFor } from "./cases";

const crypto = webcrypto as unknown as Crypto;
let rsa: TestCertificate;
let cert: SealingCertificate;
beforeAll(() => ({ rsa, cert } = testSealingCertificate()));

const CASES: [string, Partial<ConfigInput>][] = [
  ["values", { sealingScope: "strict" }],
  ["patch", { serviceMonitorMode: "patch", sealingScope: "namespace-wide" }],
  ["standalone", { serviceMonitorMode: "standalone", serviceMonitorNamespace: "observability" }],
  ["Flux", { deploy: "flux", sealingScope: "cluster-wide" }],
];

describe("a sealed bundle", () => {
  it.each(CASES)("(%s) makes the Secrets that are read, and passes the rulebook", async (_, input) => {
    const { config, files } = bundleFor({
      ...input,
      secretsAs: "sealed",
      pushers: [{ name: "etl", namespace: "data", password: "etl-Pw-2" }],
    });
    const sealed = await sealBundle(files, {
      cert,
      scope: config.sealingScope,
      random: () => crypto.getRandomValues(new Uint8Array(64)),
      subtle: crypto.subtle,
    });
    const kinds = Object.values(sealed).flatMap((t) =>
      t.includes("kind:") ? parseYamlDocuments(t).map((d) => (d as { kind?: string }).kind) : [],
    );
    expect(kinds).toContain("SealedSecret");
    expect(kinds).not.toContain("Secret");

    const checks = checkBundle(config, sealed);
    expect(checks.find((c) => c.id === "sealed-secret-produces")).toMatchObject({ status: "pass" });
    expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    // What the controller makes of them passes as the plain bundle does.
    expect(checkBundle(config, unsealFiles(sealed, rsa.keyPem)).filter((c) => c.status === "fail")).toEqual([]);
  });
});
