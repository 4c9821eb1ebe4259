import fc from "fast-check";
import LZString from "lz-string";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS, SECRET_FIELDS, validateConfig } from "../../lib/index";
import {
  decodeShareFragment,
  encodeShareFragment,
  MAX_LINK_WITH_CERTIFICATE,
  SHAREABLE_FIELDS,
} from "../../lib/share/share-link";
import { makeCertificate, type TestCertificate } from "../support/sealing";
import { anyText, deployedConfigInput } from "../support/arbitraries";
import { FORMAT_1_LINK } from "../support/cases";
import { malformedLink, NASTY_LINKS } from "../support/malformed-links";

const payload = (fragment: string) =>
  JSON.parse(LZString.decompressFromEncodedURIComponent(fragment.replace(/^s1\./, "")) as string) as Record<
    string,
    unknown
  >;
const compress = (json: string) => `s1.${LZString.compressToEncodedURIComponent(json)}`;

/** Everything a decoded link may put in the form must be usable as-is. */
function expectUsable(decoded: ReturnType<typeof decodeShareFragment>) {
  for (const key of Object.keys(decoded.input)) expect(SHAREABLE_FIELDS).toContain(key);
  expect(validateConfig({ ...DEFAULTS, ...decoded.input, password: "x" })).toMatchObject({ ok: true });
  for (const problem of decoded.problems) expect(typeof problem).toBe("string");
}

describe("share links", () => {
  it("round-trip every valid config's settings, the deploy target included", () => {
    const deploys = new Set<string>();
    fc.assert(
      fc.property(deployedConfigInput, (input) => {
        deploys.add(input.deploy as string);
        const result = validateConfig(input);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const decoded = decodeShareFragment(`#${encodeShareFragment(result.config)}`);
        expect(decoded.problems).toEqual([]);
        const restored = validateConfig({ ...DEFAULTS, ...decoded.input, password: result.config.password });
        expect(restored).toEqual({ ok: true, config: { ...result.config, passwordHash: "" } });
      }),
      { numRuns: 300 },
    );
    expect([...deploys].sort()).toEqual(["argocd", "flux", "helm"]);
  });

  it("carry the deploy target only when it is not the Helm CLI", () => {
    expect(payload(encodeShareFragment({ ...DEFAULTS, deploy: "flux" }))).toEqual({
      chartVersion: DEFAULTS.chartVersion,
      deploy: "flux",
    });
    expect(payload(encodeShareFragment({ ...DEFAULTS, deploy: "helm" }))).not.toHaveProperty("deploy");
  });

  it('mean the Helm CLI when made before "Deploy with" existed (no deploy key)', () => {
    const decoded = decodeShareFragment(FORMAT_1_LINK);
    expect(decoded.input).not.toHaveProperty("deploy");
    const result = validateConfig({ ...DEFAULTS, ...decoded.input, password: "x" });
    expect(result.ok && result.config.deploy).toBe("helm");
  });

  it("hold only the chart version and the values that differ from the defaults, never credentials", () => {
    const fragment = encodeShareFragment({
      ...DEFAULTS,
      releaseName: "gw",
      password: "hunter2-secret",
      passwordHash: "$2b$10$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQ",
    });
    expect(payload(fragment)).toEqual({ chartVersion: "3.8.0", releaseName: "gw" });
    expect(fragment).toMatch(/^s1\.[A-Za-z0-9+\-$]+$/);
  });

  it("never carry a password, whatever it is", () => {
    fc.assert(
      fc.property(anyText, (password) => {
        const json = JSON.stringify(payload(encodeShareFragment({ ...DEFAULTS, password, passwordHash: password })));
        for (const field of SECRET_FIELDS) expect(json).not.toContain(`"${field}"`);
      }),
    );
  });

  // A link made by the first format, pinned: a later change must keep it meaning the same.
  it("keep working for a link made by format 1", () => {
    const link = FORMAT_1_LINK;
    expect(decodeShareFragment(link)).toEqual({
      problems: [],
      input: {
        chartVersion: "2.14.0",
        releaseName: "metrics-gw",
        namespace: "batch-jobs",
        nameOverride: "pushgw",
        username: "scraper@example.org",
        serviceMonitorNamespace: "observability",
        prometheusSelector: "release=prom,team=platform",
        serviceMonitorMode: "patch",
        interval: "1m",
        scrapeTimeout: "45s",
        prometheusNamespace: "observability",
        networkPolicyEnabled: true,
        networkPolicyPusherPods: "role=batch",
      },
    });
  });

  it("freeze each format's defaults: changing DEFAULTS needs a new format and a migration", () => {
    // An empty format-1 link means format 1's defaults; it decodes to nothing but the pinned
    // chart version only while those equal today's DEFAULTS.
    expect(decodeShareFragment(compress("{}"))).toEqual({
      input: { chartVersion: DEFAULTS.chartVersion },
      problems: [],
    });
    expect(encodeShareFragment(DEFAULTS)).toBe(compress(JSON.stringify({ chartVersion: DEFAULTS.chartVersion })));
  });
});

describe("malformed, truncated or tampered links", () => {
  it.each(NASTY_LINKS)("%s", (link, problem) => {
    const decoded = decodeShareFragment(link);
    expectUsable(decoded);
    if (problem.source === "^$") expect(decoded.problems).toEqual([]);
    else expect(decoded.problems.join(" ")).toMatch(problem);
  });

  it("never throw and only ever give usable settings (generated corpus)", () => {
    let count = 0;
    fc.assert(
      fc.property(malformedLink, (link) => {
        count++;
        expectUsable(decodeShareFragment(link));
      }),
      { numRuns: 600 },
    );
    expect(count + NASTY_LINKS.length).toBeGreaterThanOrEqual(200);
  });
});

describe("Secrets as in links", () => {
  const sealed = { ...DEFAULTS, secretsAs: "sealed" as const, sealingScope: "cluster-wide" as const };
  let small: TestCertificate;
  let large: TestCertificate;
  beforeAll(() => {
    small = makeCertificate(["-newkey", "rsa:2048"]);
    // kubeseal's default key size.
    large = makeCertificate(["-newkey", "rsa:4096"]);
  });
  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, "");

  it("carry the choice and its settings, store fields and the SOPS recipient included", () => {
    for (const input of [
      sealed,
      {
        ...DEFAULTS,
        secretsAs: "external" as const,
        secretStore: "vault",
        secretStoreKind: "SecretStore" as const,
        remoteKey: "kv/pgw",
      },
      { ...DEFAULTS, sopsAge: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p" },
    ]) {
      const decoded = decodeShareFragment(encodeShareFragment(input));
      expect(decoded.problems).toEqual([]);
      expect({ ...DEFAULTS, ...decoded.input }).toEqual(input);
      expect(decoded.sealingCertificate).toBeUndefined();
    }
  });

  it(`carry the public certificate only while the link stays within ${MAX_LINK_WITH_CERTIFICATE} characters`, () => {
    const baseUrl = "https://example.github.io/pushgateway-auth/";
    const withSmall = encodeShareFragment(sealed, { sealingCertificate: small.certPem, baseUrl });
    expect(baseUrl.length + 1 + withSmall.length).toBeLessThanOrEqual(MAX_LINK_WITH_CERTIFICATE);
    const decoded = decodeShareFragment(`${baseUrl}#${withSmall}`);
    expect(decoded.problems).toEqual([]);
    expect(decoded.input).toMatchObject({ secretsAs: "sealed", sealingScope: "cluster-wide" });
    expect(decoded.sealingCertificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(body(decoded.sealingCertificate!)).toBe(body(small.certPem));
    // The same base64 lines as openssl writes: the pasted certificate comes back as it was.
    expect(decoded.sealingCertificate).toBe(small.certPem);

    // Too long for a link: the settings travel, the page asks for the certificate again.
    const withLarge = encodeShareFragment(sealed, { sealingCertificate: large.certPem, baseUrl });
    expect(withLarge).toBe(encodeShareFragment(sealed));
    expect(decodeShareFragment(withLarge).sealingCertificate).toBeUndefined();
    // A long address leaves no room for even the small one.
    expect(encodeShareFragment(sealed, { sealingCertificate: small.certPem, baseUrl: baseUrl.repeat(20) })).toBe(
      encodeShareFragment(sealed),
    );
  });

  it("never carry a private key, nor a certificate without Sealed Secrets", () => {
    for (const sealingCertificate of [small.keyPem, `${small.keyPem}\n${small.certPem}`.replace(/CERTIFICATE/g, "X")])
      expect(encodeShareFragment(sealed, { sealingCertificate })).toBe(encodeShareFragment(sealed));
    expect(encodeShareFragment(DEFAULTS, { sealingCertificate: small.certPem })).toBe(encodeShareFragment(DEFAULTS));
    expect(
      JSON.stringify(payload(encodeShareFragment(sealed, { sealingCertificate: `${small.keyPem}${small.certPem}` }))),
    ).not.toContain(body(small.keyPem).slice(0, 40));
  });

  it("leave out a damaged certificate or one without Sealed Secrets, and say so", () => {
    const damaged = decodeShareFragment(
      compress(JSON.stringify({ chartVersion: "3.8.0", secretsAs: "sealed", cert: "not base64!" })),
    );
    expect(damaged.sealingCertificate).toBeUndefined();
    expect(damaged.input.secretsAs).toBe("sealed");
    expect(damaged.problems).toEqual(["The link's sealing certificate is damaged: it was left out."]);
    const plain = decodeShareFragment(compress(JSON.stringify({ chartVersion: "3.8.0", cert: body(small.certPem) })));
    expect(plain.sealingCertificate).toBeUndefined();
    expect(plain.problems).toEqual(["The link carried a sealing certificate without Sealed Secrets: it was ignored."]);
  });
});

describe("share links with pushers", () => {
  const config = () => {
    const result = validateConfig({
      password: "scrape-Secret-1",
      pushers: [
        { name: "backup", namespace: "batch", password: "Backup-Secret-2" },
        {
          name: "etl",
          namespace: "data",
          password: "Etl-Secret-3",
          passwordHash: "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
        },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.config;
  };

  it("carry each pusher's name and namespace, never its password or hash", () => {
    const fragment = encodeShareFragment(config());
    const json = JSON.stringify(payload(fragment));
    expect(payload(fragment).pushers).toEqual([
      ["backup", "batch"],
      ["etl", "data"],
    ]);
    for (const secret of ["Backup-Secret-2", "Etl-Secret-3", "$2b$10$", "scrape-Secret-1"]) {
      expect(json).not.toContain(secret);
      expect(fragment).not.toContain(secret);
    }
  });

  it("restore the pushers with empty passwords, for the user to give", () => {
    const decoded = decodeShareFragment(`#${encodeShareFragment(config())}`);
    expect(decoded.problems).toEqual([]);
    expect(decoded.input.pushers).toEqual([
      { name: "backup", namespace: "batch", password: "", passwordHash: "" },
      { name: "etl", namespace: "data", password: "", passwordHash: "" },
    ]);
  });

  it("ignore passwords a tampered link carries for its pushers", () => {
    const decoded = decodeShareFragment(compress(JSON.stringify({ pushers: [["backup", "batch", "backup", "leak"]] })));
    expect(decoded.input.pushers).toBeUndefined();
    expect(decoded.problems).toEqual(["The link's pushers are damaged: they were left out."]);
  });
});
