/**
 * Properties over arbitrary configs: valid ones give bundles that parse back to the objects the
 * engine built, resolve every reference, pass every check and validate against the schemas;
 * anything else gives field-specific errors and never an exception.
 */
import { hashSync } from "bcryptjs";
import fc from "fast-check";
import { load } from "js-yaml";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { readWebConfig, WEB_CONFIG_KEY } from "../../lib/chart/web-config";
import { buildSecrets, buildServiceMonitor, buildServiceMonitorPatch } from "../../lib/engine/build-manifests";
import { buildKustomization } from "../../lib/outputs/post-renderer-files";
import { buildValues } from "../../lib/engine/build-values";
import { planBundle } from "../../lib/engine/plan";
import {
  checkBundle,
  FIELDS,
  FILE_NAMES,
  fileMode,
  generate,
  generateCredentialFiles,
  needsPasswordHash,
  validateConfig,
  type Config,
  type FieldName,
} from "../../lib/index";
import { DEPLOY_TARGETS } from "../../lib/gitops/deploy";
import { SCRAPER_IDS } from "../../lib/scrapers/scrapers";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { buildScrapeConfig, buildVMServiceScrape } from "../../lib/engine/build-scrapers";
import { hostileConfigInput, validConfigInput } from "../support/arbitraries";
import { validateManifest } from "../support/schemas";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
// Cost 4 keeps hashing cheap; the engine does not care about the cost.
const hashes = new Map<string, string>();
const hashOf = (password: string) =>
  hashes.get(password) ?? (hashes.set(password, hashSync(password, 4)), hashes.get(password)!);

function validated(input: unknown): Config {
  const result = validateConfig(input);
  if (!result.ok) throw new Error(`the schema refused a valid config: ${JSON.stringify(result.errors)}`);
  const config = result.config;
  return needsPasswordHash(config) ? { ...config, passwordHash: hashOf(config.password) } : config;
}

// Checks that may warn for a valid config, and why.
const EXPECTED_WARNINGS = new Set([
  "chart-version-newer", // later 3.x than the newest known
  "prometheus-selector-unknown", // no selector label chosen
  "plaintext-password-in-values", // charts before 3.7.0 need the plaintext
  "stable-output", // charts before 3.7.0 hash with a random salt
]);

describe("valid configs", () => {
  it("give files that parse back to exactly the objects the engine built", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const config = validated(input);
        const plan = planBundle(config);
        const { files } = generate(config);
        const back = (name: string) => parseYamlDocuments(files[name] as string);
        expect(back(FILE_NAMES.values)).toEqual([buildValues(plan)]);
        expect(back(FILE_NAMES.secret)).toEqual(buildSecrets(plan, config.passwordHash || null));
        // Another scraper ships its own object in place of the ServiceMonitor.
        if (plan.scraper !== "operator") expect(files[FILE_NAMES.serviceMonitor]).toBeUndefined();
        else if (plan.mode === "standalone")
          expect(back(FILE_NAMES.serviceMonitor)).toEqual([buildServiceMonitor(plan)]);
        if (plan.scraper === "scrapeconfig") expect(back(FILE_NAMES.scrapeConfig)).toEqual([buildScrapeConfig(plan)]);
        if (plan.scraper === "victoriametrics")
          expect(back(FILE_NAMES.vmServiceScrape)).toEqual([buildVMServiceScrape(plan)]);
        if (plan.mode === "patch") {
          expect(back(FILE_NAMES.patch)).toEqual([buildServiceMonitorPatch(plan)]);
          expect(back(FILE_NAMES.kustomization)).toEqual([buildKustomization(plan)]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("carry the user's exact values through every reader: YAML 1.1, two YAML 1.2 parsers, Go's web config decoder", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const config = validated(input);
        const { files } = generate(config);
        for (const [name, text] of Object.entries(files)) {
          if (!name.endsWith(".yaml")) continue;
          const core = text.split(/^---$/m).map((doc) => load(doc));
          const eemeli = parseAllDocuments(text).map((d) => d.toJS());
          expect(eemeli, name).toEqual(parseYamlDocuments(text));
          expect(core, name).toEqual(parseYamlDocuments(text));
        }
        const secrets = parseYamlDocuments(files[FILE_NAMES.secret] as string) as {
          type: string;
          stringData: Record<string, string>;
        }[];
        const scrape = secrets.find((s) => s.type === "kubernetes.io/basic-auth")!;
        expect(scrape.stringData).toEqual({ username: config.username, password: config.password });
        const webConfig = secrets.find((s) => s.stringData[WEB_CONFIG_KEY] !== undefined);
        if (webConfig) {
          const users = readWebConfig(webConfig.stringData[WEB_CONFIG_KEY] as string).users;
          expect(users).toEqual(new Map([[config.username, config.passwordHash]]));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("pass every consistency check, with warnings only where the chart forces them", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const config = validated(input);
        const { files } = generate(config);
        const checks = checkBundle(config, files, { passwordMatchesHash: (p, h) => hashOf(p) === h });
        for (const check of checks) {
          if (check.status === "fail") throw new Error(`${check.id}: ${check.message}`);
          if (check.status === "warn") expect(EXPECTED_WARNINGS, check.id).toContain(check.id);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("ship manifests that validate against the Kubernetes and CRD schemas", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const config = validated(input);
        const { files } = generate(config);
        for (const name of [FILE_NAMES.secret, FILE_NAMES.serviceMonitor]) {
          if (files[name]) for (const doc of parseYamlDocuments(files[name])) validateManifest(doc);
        }
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it("hold credentials only in the files declared secret: those alone change with the passwords", () => {
    // The page masks passwords by building only these files again (generateCredentialFiles).
    const pusher = fc.record({
      name: fc.constantFrom("backup", "nightly-batch"),
      namespace: fc.constantFrom("batch", "monitoring"),
      password: fc.constantFrom("pusher pass#1", "ü:'\"x"),
    });
    const wider = fc.record({
      input: validConfigInput,
      scraper: fc.constantFrom(...SCRAPER_IDS),
      deploy: fc.constantFrom(...DEPLOY_TARGETS),
      external: fc.boolean(),
      pushers: fc.uniqueArray(pusher, { maxLength: 2, selector: (p) => p.name }),
    });
    fc.assert(
      fc.property(wider, ({ input, scraper, deploy, external, pushers }) => {
        const result = validateConfig({
          ...input,
          scraper,
          deploy,
          ...(external ? { secretsAs: "external", secretStore: "vault" } : {}),
          pushers: pushers.map((p) => ({ ...p, passwordHash: "" })),
        });
        fc.pre(result.ok);
        if (!result.ok) return;
        const hashed = (c: Config): Config =>
          needsPasswordHash(c)
            ? {
                ...c,
                passwordHash: hashOf(c.password),
                pushers: c.pushers.map((p) => ({ ...p, passwordHash: hashOf(p.password) })),
              }
            : c;
        const config = hashed(result.config);
        // Other passwords, the hashes kept: what the page's masked display is built from.
        const masked = {
          ...config,
          password: "••••••••",
          pushers: config.pushers.map((p) => ({ ...p, password: "••••••••" })),
        };
        const files = generate(config).files;
        const maskedFiles = generate(masked).files;
        const credentialFiles = generateCredentialFiles(masked);
        expect(Object.keys(credentialFiles)).toEqual(Object.keys(files).filter((name) => fileMode(name) === 0o600));
        expect({ ...files, ...credentialFiles }).toEqual(maskedFiles);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it("give the same bytes for the same input", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const config = validated(input);
        expect(generate(structuredClone(config)).files).toEqual(generate(config).files);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("invalid input", () => {
  it("gives errors that each name a field, and never throws", () => {
    fc.assert(
      fc.property(hostileConfigInput, (input) => {
        const result = validateConfig(input);
        if (result.ok) return;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const error of result.errors) {
          expect(error.field).not.toBeNull();
          expect(error.message.startsWith(FIELDS[error.field as FieldName].label)).toBe(true);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it("answers anything that is not an object with one general error", () => {
    fc.assert(
      fc.property(
        fc.anything().filter((x) => typeof x !== "object" || x === null || Array.isArray(x)),
        (input) => {
          expect(validateConfig(input)).toEqual({
            ok: false,
            errors: [{ field: null, message: "The config must be an object" }],
          });
        },
      ),
    );
  });
});
