/**
 * `--secrets external`: one external-secrets.io/v1 ExternalSecret per Secret of the bundle (the
 * web config, the scrape Secret, each pusher's), producing exactly that Secret (name, namespace,
 * labels, type, keys) through spec.target.template, from properties of one key in the user's
 * store. The web config is templated from each user's STORED bcrypt hash: hashing at sync time
 * would give a new hash on every refresh and churn the Secret. User text in a template (the
 * usernames) has its Go-template braces escaped, as the ESO controller renders template.data
 * with Go's text/template.
 */
import { WEB_CONFIG_KEY } from "../chart/web-config";
import { BASIC_AUTH_PASSWORD_KEY, BASIC_AUTH_USERNAME_KEY } from "../engine/build-manifests";
import type { Plan } from "../engine/plan";
import { webConfigForUsers } from "../engine/pushers";

/** A store property and the name the template reads it by (a Go identifier). */
export interface StoredProperty {
  property: string;
  secretKey: string;
  /** What the user stores there, in words. */
  holds: string;
}

/** Where each credential is stored: properties of the one remote key. */
export function storedProperties(plan: Plan): {
  scrape: { password: StoredProperty; hash: StoredProperty };
  pushers: { name: string; password: StoredProperty; hash: StoredProperty }[];
} {
  return {
    scrape: {
      password: {
        property: "password",
        secretKey: "password",
        holds: `the scrape password of user ${plan.config.username}`,
      },
      hash: { property: "hash", secretKey: "hash", holds: `the bcrypt hash of that password` },
    },
    pushers: plan.pushers.map((p, i) => ({
      name: p.name,
      password: {
        property: `${p.name}-password`,
        secretKey: `pusher${i}_password`,
        holds: `pusher ${p.name}'s password`,
      },
      hash: {
        property: `${p.name}-hash`,
        secretKey: `pusher${i}_hash`,
        holds: `the bcrypt hash of pusher ${p.name}'s password`,
      },
    })),
  };
}

/**
 * Text as a Go template that prints it as is: each `{{` becomes the action `{{ "{{" }}`.
 * A lone `}}` outside an action is already literal text.
 */
export function escapeGoTemplate(text: string): string {
  return text.replaceAll("{{", '{{ "{{" }}');
}

const ref = (p: StoredProperty) => `{{ .${p.secretKey} }}`;

interface SecretShape {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  type: string;
  data: Record<string, string>;
  from: StoredProperty[];
}

function externalSecret(plan: Plan, s: SecretShape): Record<string, unknown> {
  const c = plan.config;
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels } },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { name: c.secretStore, kind: c.secretStoreKind },
      target: {
        name: s.name,
        creationPolicy: "Owner",
        template: { engineVersion: "v2", type: s.type, metadata: { labels: { ...s.labels } }, data: s.data },
      },
      data: s.from.map((p) => ({ secretKey: p.secretKey, remoteRef: { key: c.remoteKey, property: p.property } })),
    },
  };
}

/** The ExternalSecrets of the bundle, in the order of its Secrets. */
export function buildExternalSecrets(plan: Plan): Record<string, unknown>[] {
  const labels = { ...plan.names.selectorLabels };
  const stored = storedProperties(plan);
  const out: Record<string, unknown>[] = [];
  if (plan.webConfigSecretName) {
    // Each user's hash as a token first, so that escaping the usernames leaves the references whole.
    const hashes = [stored.scrape.hash, ...stored.pushers.map((p) => p.hash)];
    const token = (i: number) => `PUSHGATEWAYAUTHHASHREF${i}X`;
    const users = plan.webUsers.map((u, i) => ({ ...u, hash: token(i) }));
    let text = escapeGoTemplate(webConfigForUsers(users));
    hashes.forEach((h, i) => {
      text = text.replaceAll(token(i), ref(h));
    });
    out.push(
      externalSecret(plan, {
        name: plan.webConfigSecretName,
        namespace: plan.releaseNamespace,
        labels,
        type: "Opaque",
        data: { [WEB_CONFIG_KEY]: text },
        from: hashes,
      }),
    );
  }
  out.push(
    externalSecret(plan, {
      name: plan.scrapeSecretName,
      namespace: plan.scrapeSecretNamespace,
      labels,
      type: "kubernetes.io/basic-auth",
      data: {
        [BASIC_AUTH_USERNAME_KEY]: escapeGoTemplate(plan.config.username),
        [BASIC_AUTH_PASSWORD_KEY]: ref(stored.scrape.password),
      },
      from: [stored.scrape.password],
    }),
  );
  plan.pushers.forEach((p, i) => {
    const props = stored.pushers[i]!;
    out.push(
      externalSecret(plan, {
        name: p.secretName,
        namespace: p.namespace,
        labels,
        type: "kubernetes.io/basic-auth",
        data: {
          [BASIC_AUTH_USERNAME_KEY]: escapeGoTemplate(p.username),
          [BASIC_AUTH_PASSWORD_KEY]: ref(props.password),
        },
        from: [props.password],
      }),
    );
  });
  return out;
}
