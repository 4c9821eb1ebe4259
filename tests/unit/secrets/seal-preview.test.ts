/**
 * The page's sealing (components/seal-preview.ts): the preview's bundle sealed with WebCrypto
 * and fresh random bytes, unsealed here with node:crypto (tests/support/sealing.ts) back to the
 * very files it was made of, in every scope; sealed files re-used while the Secrets do not
 * change; the checks judge the sealed files; placeholders stay unusable.
 */
import { webcrypto } from "node:crypto";
import { hashSync } from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSealer } from "../../../components/seal-preview";
import type { PreviewBundle } from "../../../components/bundle-preview";
import { checkBundle, generate, validateConfig, withPlaceholders, type Config } from "../../../lib/index";
import type { SealingCertificate } from "../../../lib/secrets/certificate";
import { testSealingCertificate, unsealFiles, type TestCertificate } from "../../support/sealing";

const crypto = webcrypto as unknown as Crypto;
const PASSWORD = "pa$$ {{ word }}";

let rsa: TestCertificate;
let cert: SealingCertificate;
beforeAll(() => ({ rsa, cert } = testSealingCertificate()));

const hashes = new Map<string, string>();
const hashOf = (password: string) =>
  hashes.get(password) ?? (hashes.set(password, hashSync(password, 4)), hashes.get(password)!);

function configOf(extra: Record<string, unknown> = {}): Config {
  const result = validateConfig({
    password: PASSWORD,
    secretsAs: "sealed",
    pushers: [{ name: "etl", namespace: "data", password: "etl-pw" }],
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return {
    ...result.config,
    passwordHash: hashOf(PASSWORD),
    pushers: result.config.pushers.map((p) => ({ ...p, passwordHash: hashOf(p.password) })),
  };
}

function previewOf(config: Config, held: string[] = []): PreviewBundle {
  const files = generate(config).files;
  return {
    config,
    files,
    display: files,
    held,
    credentialFiles: Object.keys(files),
    missing: held.length ? "password" : null,
    judge: () => ({ checks: [], waiting: [] }),
    merge: null,
    mergeError: null,
  };
}

describe("sealing in the page", () => {
  it.each(["strict", "namespace-wide", "cluster-wide"])("seals every Secret for the %s scope", async (scope) => {
    const config = configOf({ sealingScope: scope });
    const plain = previewOf(config);
    const sealed = await makeSealer(cert, checkBundle, crypto).seal(plain);
    const text = JSON.stringify([sealed.files, sealed.display, sealed.judge().checks]);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("etl-pw");
    expect(text).not.toContain(config.passwordHash);
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(sealed.files["secret.yaml"]).toContain("kind: SealedSecret");
    expect(sealed.display).toEqual(sealed.files);
    expect(sealed.credentialFiles).toEqual([]);
    // Unsealed with the private key, each file is the one it was made of (values as base64 data).
    const unsealed = unsealFiles(sealed.files, rsa.keyPem);
    for (const name of Object.keys(plain.files)) {
      if (!sealed.files[name]!.includes("SealedSecret")) expect(sealed.files[name]).toBe(plain.files[name]);
    }
    const scrape = unsealed["secret.yaml"]!;
    expect(scrape).toContain(Buffer.from(PASSWORD).toString("base64"));
    expect(unsealed["pusher-secrets.yaml"]).toContain(Buffer.from("etl-pw").toString("base64"));
    // The checks judge the sealed files, as the CLI does before writing them.
    expect(sealed.judge().checks.find((c) => c.id === "sealed-secret-produces")?.status).toBe("pass");
    expect(sealed.judge().checks.filter((c) => c.status === "fail")).toEqual([]);
  });

  it("re-uses what it sealed while the Secrets do not change, and seals anew when they do", async () => {
    const sealer = makeSealer(cert, checkBundle, crypto);
    const first = await sealer.seal(previewOf(configOf()));
    // Another scrape interval: the Secrets are the same, their sealed files come back at once.
    const other = sealer.cached(previewOf(configOf({ interval: "1m" })));
    expect(other?.files["secret.yaml"]).toBe(first.files["secret.yaml"]);
    expect(other?.files["servicemonitor.yaml"] ?? "").not.toBe(first.files["servicemonitor.yaml"] ?? "x");
    // Another scope changes every label: nothing is re-used.
    expect(sealer.cached(previewOf(configOf({ sealingScope: "cluster-wide" })))).toBeNull();
    const renamed = await sealer.seal(previewOf(configOf({ username: "scraper" })));
    expect(renamed.files["secret.yaml"]).not.toBe(first.files["secret.yaml"]);
    expect(renamed.files["pusher-secrets.yaml"]).toBe(first.files["pusher-secrets.yaml"]);
  });

  it("seals placeholders as they are, and keeps their files unusable", async () => {
    const config = withPlaceholders({ ...configOf(), password: "", passwordHash: "" });
    const files = generate(config).files;
    const held = Object.keys(files).filter((n) => files[n]!.includes("PLACEHOLDER"));
    const sealed = await makeSealer(cert, checkBundle, crypto).seal(previewOf(config, held));
    expect(held).toContain("secret.yaml");
    expect(sealed.held).toEqual(held);
    expect(sealed.credentialFiles).toEqual(held);
    expect(Object.values(sealed.files).join("\n")).not.toContain("PLACEHOLDER");
    expect(sealed.judge().checks.filter((c) => c.status === "fail")).toEqual([]);
  });
});
