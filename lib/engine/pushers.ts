/**
 * Push users in the plan: who is in the web config (the scrape user, every pusher, and during a
 * rotation the incoming user), each pusher's Secret, and the objects built from them.
 */
import { SERVICE_PORT } from "../chart/names";
import { parseLabelList } from "../config/field-rules";
import { pusherUsername } from "../config/pushers";
import type { Config } from "../config/schema";
import type { ChartNames } from "../chart/names";
import type { NetworkPolicyPeer, Secret } from "../k8s/types";
import { toYaml } from "../yaml/serialize";

/** A user of Pushgateway's web config: plaintext (charts that hash it) and bcrypt hash (others). */
export interface WebUser {
  username: string;
  password: string;
  /** bcrypt hash, or null where the bundle embeds none (the chart hashes the plaintext). */
  hash: string | null;
  role: "scrape" | "pusher";
}

export interface PusherPlan {
  name: string;
  /** The basic auth username (the pusher's name, or its user after a rotation). */
  username: string;
  namespace: string;
  password: string;
  /** kubernetes.io/basic-auth Secret in the pusher's namespace. */
  secretName: string;
}

/** The pusher's Secret name: `<fullname>-push-<name>`. */
export function pusherSecretName(names: ChartNames, pusher: string): string {
  return `${names.fullname}-push-${pusher}`;
}

/** Pushers and web config users of a config: the scrape user first, then each pusher. */
export function planUsers(config: Config, names: ChartNames): { pushers: PusherPlan[]; webUsers: WebUser[] } {
  const pushers = config.pushers.map((p) => ({
    name: p.name,
    username: pusherUsername(p),
    namespace: p.namespace,
    password: p.password,
    secretName: pusherSecretName(names, p.name),
  }));
  const webUsers: WebUser[] = [
    { username: config.username, password: config.password, hash: config.passwordHash || null, role: "scrape" },
    ...config.pushers.map((p): WebUser => ({
      username: pusherUsername(p),
      password: p.password,
      hash: p.passwordHash || null,
      role: "pusher",
    })),
  ];
  return { pushers, webUsers };
}

/** webConfiguration.basicAuthUsers for charts that hash the passwords themselves. */
export function basicAuthUsersValue(users: readonly WebUser[]): Record<string, string> {
  return Object.fromEntries(users.map((u) => [u.username, u.password]));
}

/** The web config file with every user's bcrypt hash; throws when one is missing. */
export function webConfigForUsers(users: readonly WebUser[]): string {
  const missing = users.filter((u) => !u.hash).map((u) => u.username);
  if (missing.length) throw new Error(`the web config needs the bcrypt hash of ${missing.join(", ")}`);
  return toYaml({ basic_auth_users: Object.fromEntries(users.map((u) => [u.username, u.hash])) });
}

/** Each pusher's kubernetes.io/basic-auth Secret, in the pusher's own namespace. */
export function buildPusherSecrets(
  pushers: readonly PusherPlan[],
  labels: Record<string, string>,
  keys: { username: string; password: string },
): Secret[] {
  return pushers.map((p) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: p.secretName, namespace: p.namespace, labels: { ...labels } },
    type: "kubernetes.io/basic-auth",
    stringData: { [keys.username]: p.username, [keys.password]: p.password },
  }));
}

/** NetworkPolicy peers for the pushers: their pods, in their namespaces only. */
export function pusherPeers(pushers: readonly PusherPlan[], podLabels: string): NetworkPolicyPeer[] {
  const namespaces = [...new Set(pushers.map((p) => p.namespace))];
  const matchLabels = Object.fromEntries(parseLabelList(podLabels).pairs);
  return namespaces.map((ns) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
    podSelector: { matchLabels: { ...matchLabels } },
  }));
}

/** An example CronJob per pusher reading its Secret through env valueFrom secretKeyRef. */
export function buildPusherCronJobs(
  pushers: readonly PusherPlan[],
  serviceUrl: string,
  podLabels: string,
  keys: { username: string; password: string },
): Record<string, unknown>[] {
  const labels = Object.fromEntries(parseLabelList(podLabels).pairs);
  return pushers.map((p) => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: `${p.name}-push-example`, namespace: p.namespace },
    spec: {
      schedule: "*/15 * * * *",
      concurrencyPolicy: "Forbid",
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { labels: { ...labels } },
            spec: {
              restartPolicy: "OnFailure",
              containers: [
                {
                  name: "push",
                  image: "curlimages/curl:8.11.1",
                  env: [
                    { name: "PGW_USER", valueFrom: { secretKeyRef: { name: p.secretName, key: keys.username } } },
                    {
                      name: "PGW_PASSWORD",
                      valueFrom: { secretKeyRef: { name: p.secretName, key: keys.password } },
                    },
                  ],
                  command: ["/bin/sh", "-c"],
                  args: [
                    `echo "job_last_success_unixtime $(date +%s)" | curl -sf -u "$PGW_USER:$PGW_PASSWORD" --data-binary @- ${serviceUrl}/metrics/job/${p.name}`,
                  ],
                },
              ],
            },
          },
        },
      },
    },
  }));
}

/** The in-cluster address of Pushgateway's Service. */
export function pushgatewayUrl(names: ChartNames, namespace: string): string {
  return `http://${names.fullname}.${namespace}.svc:${SERVICE_PORT}`;
}
