/**
 * externalsecrets.yaml (`--secrets external`, replacing secret.yaml and pusher-secrets.yaml) and
 * .sops.yaml (`--sops-age`, with plain Secrets): the two other ways issue 15 keeps the bundle's
 * Secrets committable. The guide steps say what to store where, and how to check it synced.
 */
import type { Plan } from "../engine/plan";
import { buildExternalSecrets, storedProperties } from "../secrets/external";
import { toYaml, toYamlFile } from "../yaml/serialize";
import { SECRET_FILE } from "./manifest-files";
import type { Output } from "./output";
import { PUSHER_SECRETS_FILE } from "./pusher-files";

export const EXTERNAL_SECRETS_FILE = "externalsecrets.yaml";
export const SOPS_CONFIG_FILE = ".sops.yaml";

const isExternal = (plan: Plan) => plan.config.secretsAs === "external";

/** The properties to store, in order: [property, what it holds]. */
export function propertiesToStore(plan: Plan): [string, string][] {
  const stored = storedProperties(plan);
  const all = [stored.scrape.password, ...(plan.webConfigSecretName ? [stored.scrape.hash] : [])];
  for (const p of stored.pushers) all.push(p.password, ...(plan.webConfigSecretName ? [p.hash] : []));
  return all.map((p) => [p.property, p.holds]);
}

/** Shell-quoted for POSIX sh. */
const sh = (s: string) => (/^[A-Za-z0-9_./:=@+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/** The commands that store every property: Vault KV v2, or AWS Secrets Manager. */
export function storeCommands(plan: Plan): string {
  const key = plan.config.remoteKey;
  const stored = storedProperties(plan);
  const vars = [
    { v: "PASSWORD", who: `user ${plan.config.username}`, p: stored.scrape },
    ...stored.pushers.map((p, i) => ({ v: `PUSHER${i + 1}_PASSWORD`, who: `pusher ${p.name}`, p })),
  ];
  const hashes = Boolean(plan.webConfigSecretName);
  const lines = [
    "# Each password, read without echo (never on the command line), and its bcrypt hash, made once:",
    "# the web config is templated from the stored hash, so syncs never re-hash (no churn).",
    ...vars.flatMap(({ v, who }) => [
      `printf '%s: ' ${sh(`password of ${who}`)}; read -rs ${v}; echo`,
      ...(hashes ? [`${v}_HASH=$(printf '%s' "$${v}" | htpasswd -niBC 10 '' | tr -d ':\\n')`] : []),
    ]),
    "",
    "# The values travel on stdin as JSON built from the environment: never in a process's arguments (ps).",
    `export ${vars.flatMap(({ v }) => [v, ...(hashes ? [`${v}_HASH`] : [])]).join(" ")}`,
    `json() { jq -n '{${vars.flatMap(({ v, p }) => [`"${p.password.property}": env.${v}`, ...(hashes ? [`"${p.hash.property}": env.${v}_HASH`] : [])]).join(", ")}}'; }`,
    "",
    `# Vault KV v2 (mount "secret"; the store's remoteRef.key is the path ${key}):`,
    `json | vault kv put -mount=secret ${sh(key)} -`,
    "",
    `# or AWS Secrets Manager (a JSON secret named ${key}):`,
    `json | aws secretsmanager create-secret --name ${sh(key)} --secret-string file:///dev/stdin`,
  ];
  return lines.join("\n");
}

export const externalSecretsOutput: Output = {
  name: EXTERNAL_SECRETS_FILE,
  role: "manifests",
  applies: isExternal,
  build: ({ plan }) =>
    toYamlFile(buildExternalSecrets(plan), [
      `ExternalSecrets (external-secrets.io/v1): safe to commit, they hold no credentials. The External Secrets`,
      `Operator makes the Secrets from ${plan.config.secretStoreKind} ${plan.config.secretStore}, key ${plan.config.remoteKey}.`,
      `Apply before the chart: kubectl apply -f ${EXTERNAL_SECRETS_FILE}`,
    ]),
  secret: false,
  executable: false,
  describe: (plan) =>
    `\`${EXTERNAL_SECRETS_FILE}\`: ExternalSecrets making the Secrets from ${plan.config.secretStoreKind} ${plan.config.secretStore} (no credentials: safe to commit)`,
  apply: {
    stage: "before-chart",
    step: (plan) => {
      const c = plan.config;
      const made = buildExternalSecrets(plan).map((x) => {
        const meta = x.metadata as { name: string; namespace: string };
        return meta;
      });
      const props = propertiesToStore(plan)
        .map(([p, holds]) => `\`${p}\` (${holds})`)
        .join(", ");
      const namespaces = [...new Set(made.map((m) => m.namespace))];
      return {
        id: "external-secrets",
        title: "Store the credentials and apply the ExternalSecrets",
        text: `Store under key \`${c.remoteKey}\` of ${c.secretStoreKind} ${c.secretStore} the properties ${props}. The web config is templated from the stored hash (basic_auth_users with {{ .hash }}), never hashed at sync time. ${c.secretStoreKind === "SecretStore" ? `A SecretStore serves its own namespace only: create SecretStore ${c.secretStore} in ${namespaces.join(", ")}. ` : ""}Then apply ${EXTERNAL_SECRETS_FILE} and check that each synced (READY True, STATUS SecretSynced): ${made.map((m) => `kubectl get externalsecret -n ${m.namespace} ${m.name}`).join("; ")}.`,
        snippet: {
          language: "sh",
          code: [
            storeCommands(plan),
            "",
            `kubectl apply -f ${EXTERNAL_SECRETS_FILE}`,
            ...made.map(
              (m) => `kubectl wait --for=condition=Ready -n ${m.namespace} externalsecret/${m.name} --timeout=60s`,
            ),
            ...made.map((m) => `kubectl get externalsecret -n ${m.namespace} ${m.name}`),
          ].join("\n"),
        },
      };
    },
  },
};

/** The bundle's files that hold Secrets with --secrets plain. */
export function plainSecretFiles(plan: Plan): string[] {
  return [SECRET_FILE, ...(plan.pushers.length ? [PUSHER_SECRETS_FILE] : [])];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `path_regex` matching exactly the bundle's Secret files, at any depth of the repository. */
export function sopsPathRegex(files: readonly string[]): string {
  return `(^|/)(${files.map(escapeRegex).join("|")})$`;
}

export const sopsConfigOutput: Output = {
  name: SOPS_CONFIG_FILE,
  role: "other",
  applies: (plan) => plan.config.secretsAs === "plain" && plan.config.sopsAge !== "",
  build: ({ plan }) =>
    `# SOPS: encrypt the data and stringData of the bundle's Secret files for this age recipient.\n# Then: ${plainSecretFiles(
      plan,
    )
      .map((f) => `sops -e -i ${f}`)
      .join("; ")}\n${toYaml({
      creation_rules: [
        {
          path_regex: sopsPathRegex(plainSecretFiles(plan)),
          encrypted_regex: "^(data|stringData)$",
          age: plan.config.sopsAge,
        },
      ],
    })}`,
  secret: false,
  executable: false,
  describe: () =>
    `\`${SOPS_CONFIG_FILE}\`: SOPS creation rules encrypting the Secret files' data and stringData for your age recipient`,
  apply: {
    stage: "before-chart",
    step: (plan) => {
      const files = plainSecretFiles(plan);
      const flux = plan.config.deploy === "flux";
      return {
        id: "sops",
        title: "Encrypt the Secret files with SOPS",
        text: `${SOPS_CONFIG_FILE} encrypts data and stringData of ${files.join(" and ")} for ${plan.config.sopsAge}; names, namespaces and types stay readable. Encrypt each file once before committing it (sops -e -i, in the bundle's directory so ${SOPS_CONFIG_FILE} applies); to apply by hand, decrypt on the way: sops -d FILE | kubectl apply -f -.${flux ? " With Flux, the Kustomization that applies this directory decrypts them: add the spec.decryption stanza below and a Secret sops-age in flux-system holding the age private key (kubectl create secret generic sops-age -n flux-system --from-file=age.agekey=key.txt)." : ""}`,
        snippet: {
          language: flux ? "yaml" : "sh",
          code: flux
            ? `# ${files.map((f) => `sops -e -i ${f}`).join("; ")}\n# In the Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) that applies this directory:\nspec:\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age`
            : [...files.map((f) => `sops -e -i ${f}`), ...files.map((f) => `sops -d ${f} | kubectl apply -f -`)].join(
                "\n",
              ),
        },
      };
    },
  },
};
