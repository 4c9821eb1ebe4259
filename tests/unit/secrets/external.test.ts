/**
 * External Secrets and SOPS (issue 15). Each ExternalSecret validates against the vendored CRD
 * (external-secrets.io/v1); then the test does what the ESO controller does: it renders each
 * target.template with Go-template semantics (a small evaluator written here, sharing no code
 * with the generator's escaping) from a made-up store holding the properties the guide says to
 * store, and the Secrets it makes go through the same real-stack proof as plain bundles.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { checkBundle, generate, validateConfig, type Config, type ConfigInput } from "../../../lib/index";
import { planBundle } from "../../../lib/engine/plan";
import { propertiesToStore, sopsPathRegex } from "../../../lib/outputs/external-secret-files";
import { filesWithSecrets } from "../../../lib/secrets/seal-bundle";
import { parseYamlDocuments, toYamlFile } from "../../../lib/yaml/serialize";
import { problemsOnRealStack } from "../../support/real-stack";
import { validateManifest } from "../../support/schemas";

const PASSWORD = "Ext-pa55{{word}}";
const PUSHER_PASSWORD = "pusher-{{ .x }}-pw";

/**
 * Go text/template for what the templates use: text, `{{ .name }}` (a field of the data map),
 * and string-literal actions `{{ "..." }}` / `{{ `...` }}` (how `{{` is printed literally).
 * Anything else is an error, as an unknown field is with ESO's templating.
 */
function renderGoTemplate(template: string, data: Record<string, string>): string {
  let out = "";
  let rest = template;
  for (;;) {
    const open = rest.indexOf("{{");
    if (open < 0) return out + rest;
    out += rest.slice(0, open);
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) throw new Error(`unclosed action in ${template}`);
    const action = rest.slice(open + 2, close).trim();
    let m: RegExpMatchArray | null;
    if ((m = action.match(/^\.([A-Za-z_][A-Za-z0-9_]*)$/))) {
      if (!(m[1]! in data)) throw new Error(`map has no entry for key "${m[1]}"`);
      out += data[m[1]!];
    } else if ((m = action.match(/^"((?:[^"\\]|\\.)*)"$/))) out += JSON.parse(`"${m[1]}"`);
    else if ((m = action.match(/^`([^`]*)`$/))) out += m[1];
    else throw new Error(`unsupported action {{${action}}}`);
    rest = rest.slice(close + 2);
  }
}

type Doc = any;

/** What the ESO controller makes of each ExternalSecret, given the store's key -> property -> value. */
function syncExternalSecrets(docs: Doc[], store: Record<string, Record<string, string>>): Doc[] {
  return docs.map((es) => {
    expect(es.apiVersion).toBe("external-secrets.io/v1");
    const data: Record<string, string> = {};
    for (const d of es.spec.data) {
      const value = store[d.remoteRef.key]?.[d.remoteRef.property];
      if (value === undefined) throw new Error(`store has no ${d.remoteRef.key} ${d.remoteRef.property}`);
      data[d.secretKey] = value;
    }
    const t = es.spec.target.template;
    return {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: es.spec.target.name ?? es.metadata.name,
        namespace: es.metadata.namespace,
        labels: t.metadata?.labels,
      },
      type: t.type,
      stringData: Object.fromEntries(
        Object.entries(t.data as Record<string, string>).map(([k, v]) => [k, renderGoTemplate(v, data)]),
      ),
    };
  });
}

function externalBundle(input: Partial<ConfigInput>) {
  const validated = validateConfig({
    password: PASSWORD,
    secretsAs: "external",
    secretStore: "vault-backend",
    ...input,
  });
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  const config: Config = validated.config;
  return { config, files: generate(config).files };
}

describe("--secrets external", () => {
  it("evaluates Go templates as Go does for the forms used", () => {
    expect(renderGoTemplate('a{{ "{{" }}b}}{{ .x }}', { x: "$2b$" })).toBe("a{{b}}$2b$");
    expect(() => renderGoTemplate("{{ .y }}", {})).toThrow(/no entry/);
  });

  for (const input of [
    { username: "pro{{me}}" },
    { chartVersion: "3.7.0", secretStoreKind: "SecretStore", remoteKey: "team/pushgateway" },
    { pushers: [{ name: "backup", namespace: "batch", password: PUSHER_PASSWORD }], serviceMonitorMode: "standalone" },
  ] as Partial<ConfigInput>[]) {
    it(`makes exactly the bundle's Secrets from the stored properties: ${JSON.stringify(input)}`, async () => {
      const { config, files } = externalBundle(input);
      expect(files["secret.yaml"]).toBeUndefined();
      expect(files["pusher-secrets.yaml"]).toBeUndefined();
      for (const text of Object.values(files)) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(PUSHER_PASSWORD);
        expect(text).not.toMatch(/\$2[aby]\$/);
      }
      const docs = parseYamlDocuments(files["externalsecrets.yaml"]!) as Doc[];
      for (const doc of docs) validateManifest(doc);

      // The store, holding what the guide says: passwords and their bcrypt hashes.
      const plan = planBundle(config);
      const props = propertiesToStore(plan).map(([p]) => p);
      const readme = files["README.md"]!;
      for (const p of props) expect(readme).toContain(p);
      expect(readme).toContain(`json | vault kv put -mount=secret ${config.remoteKey} -`);
      expect(readme).toContain(`--secret-string file:///dev/stdin`);
      // Values reach the stores on stdin, never as arguments other users could read with ps.
      for (const line of readme.split("\n").filter((l) => /vault kv put|secretsmanager|jq -n/.test(l))) {
        expect(line).not.toMatch(/"\$[A-Z0-9_]+"|--arg/);
      }
      expect(readme).toContain("kubectl get externalsecret -n");
      const store: Record<string, string> = {
        password: PASSWORD,
        hash: hashSync(PASSWORD, 4),
        ...Object.fromEntries(
          config.pushers.flatMap((p) => [
            [`${p.name}-password`, p.password],
            [`${p.name}-hash`, hashSync(p.password, 4)],
          ]),
        ),
      };
      expect(Object.keys(store).sort()).toEqual([...props].sort());
      const secrets = syncExternalSecrets(docs, { [config.remoteKey]: store });

      // Exactly the Secrets of the plain bundle: names, namespaces, types, keys.
      const plain = generate({
        ...config,
        secretsAs: "plain",
        secretStore: "",
        passwordHash: store.hash!,
        pushers: config.pushers.map((p) => ({ ...p, passwordHash: store[`${p.name}-hash`]! })),
      }).files;
      const plainSecrets = filesWithSecrets(plain)
        .flatMap((f) => parseYamlDocuments(plain[f]!) as Doc[])
        .filter((d) => d.kind === "Secret");
      const shape = (s: Doc) => [s.metadata.namespace, s.metadata.name, s.type, Object.keys(s.stringData).sort()];
      expect(secrets.map(shape).sort()).toEqual(plainSecrets.map(shape).sort());
      for (const s of secrets)
        if (s.type === "kubernetes.io/basic-auth") {
          expect(plainSecrets.find((p) => p.metadata.name === s.metadata.name)?.stringData.username).toBe(
            s.stringData.username,
          );
        }

      // The checks read the ExternalSecrets as the Secrets they make: nothing fails.
      const checks = checkBundle(config, files);
      expect(checks.filter((c) => c.status === "fail")).toEqual([]);
      expect(checks.find((c) => c.id === "external-secret-produces")?.status).toBe("pass");
      expect(checks.find((c) => c.id === "password-not-verified")?.status).toBe("warn");

      // The synced Secrets on the real stack: real Pushgateway with the templated web config.
      const synced = { ...files };
      delete synced["externalsecrets.yaml"];
      synced["secret.yaml"] = toYamlFile(secrets);
      expect(await problemsOnRealStack(config, synced)).toEqual([]);
    }, 120_000);
  }

  it("needs a store, and its flags only with external", () => {
    const none = validateConfig({ password: "x", secretsAs: "external" });
    expect(!none.ok && none.errors.map((e) => e.field)).toContain("secretStore");
    const stray = validateConfig({ password: "x", secretStore: "vault" });
    expect(!stray.ok && stray.errors[0]?.message).toMatch(/only used with/);
    const bad = validateConfig({ password: "x", secretsAs: "external", secretStore: "Vault Store", remoteKey: "a b" });
    expect(!bad.ok && bad.errors.map((e) => e.field).sort()).toEqual(["remoteKey", "secretStore"]);
  });
});

describe("--sops-age", () => {
  const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

  it("validates the recipient", () => {
    for (const bad of [
      "age1short",
      "AGE1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P",
      `${RECIPIENT}x`,
      "ssh-ed25519 AAAA",
    ]) {
      const r = validateConfig({ password: "x", sopsAge: bad });
      expect(!r.ok && r.errors[0]?.field, bad).toBe("sopsAge");
    }
    expect(validateConfig({ password: "x", sopsAge: RECIPIENT }).ok).toBe(true);
    const sealed = validateConfig({ password: "x", sopsAge: RECIPIENT, secretsAs: "external", secretStore: "v" });
    expect(!sealed.ok && sealed.errors[0]?.field).toBe("sopsAge");
  });

  for (const input of [
    {},
    { pushers: [{ name: "etl", namespace: "data", password: "etl-pw" }], deploy: "flux" },
  ] as Partial<ConfigInput>[]) {
    it(`.sops.yaml matches exactly the Secret files: ${JSON.stringify(input)}`, () => {
      const r = validateConfig({ password: PASSWORD, sopsAge: RECIPIENT, ...input });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const config = {
        ...r.config,
        passwordHash: hashSync(PASSWORD, 4),
        pushers: r.config.pushers.map((p) => ({ ...p, passwordHash: hashSync(p.password, 4) })),
      };
      const files = generate(config).files;
      const sops = parseYamlDocuments(files[".sops.yaml"]!)[0] as Doc;
      const rule = sops.creation_rules[0];
      expect(rule.encrypted_regex).toBe("^(data|stringData)$");
      expect(rule.age).toBe(RECIPIENT);
      const regex = new RegExp(rule.path_regex);
      const secretFiles = filesWithSecrets(files);
      expect(
        Object.keys(files)
          .filter((f) => regex.test(f))
          .sort(),
      ).toEqual([...secretFiles].sort());
      expect(regex.test(`clusters/prod/pushgateway/${secretFiles[0]}`)).toBe(true);
      expect(regex.test(`x${secretFiles[0]}`)).toBe(false);
      expect(sopsPathRegex(["a.yaml"])).toBe("(^|/)(a\\.yaml)$");
      const readme = files["README.md"]!;
      for (const f of secretFiles) expect(readme).toContain(`sops -e -i ${f}`);
      if (config.deploy === "flux") expect(readme).toMatch(/decryption:\s+provider: sops\s+secretRef:/);
    });
  }

  it("encrypts to the recipient with the real age CLI", () => {
    const dir = mkdtempSync(join(tmpdir(), "pga-age-"));
    try {
      execFileSync("age-keygen", ["-o", join(dir, "key.txt")], { stdio: "pipe" });
      const recipient = execFileSync("age-keygen", ["-y", join(dir, "key.txt")], { encoding: "utf8" }).trim();
      const r = validateConfig({ password: PASSWORD, sopsAge: recipient });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const files = generate({ ...r.config, passwordHash: hashSync(PASSWORD, 4) }).files;
      const age = (parseYamlDocuments(files[".sops.yaml"]!)[0] as Doc).creation_rules[0].age;
      writeFileSync(join(dir, "value"), PASSWORD);
      execFileSync("age", ["-r", age, "-o", join(dir, "value.age"), join(dir, "value")]);
      expect(readFileSync(join(dir, "value.age")).includes(Buffer.from(PASSWORD))).toBe(false);
      expect(
        execFileSync("age", ["-d", "-i", join(dir, "key.txt"), join(dir, "value.age")], { encoding: "utf8" }),
      ).toBe(PASSWORD);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
