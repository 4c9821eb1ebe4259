/**
 * Rules about push users and rotation: every user its own name, each pusher's Secret in its
 * job's namespace with credentials the web config accepts, the NetworkPolicy admitting the
 * pushers' namespaces, and, during a rotation, the credentials Prometheus may still send.
 * Which pushers there should be is known for a generated bundle (its config).
 */
import type { Config } from "../config/schema";
import { compareCredentials, secretKeyPath, secretValue, type Placed } from "../engine/cluster-view";
import { BASIC_AUTH_PASSWORD_KEY, BASIC_AUTH_USERNAME_KEY } from "../engine/build-manifests";
import { pusherSecretName } from "../engine/pushers";
import type { NetworkPolicyPeer, Secret } from "../k8s/types";
import { isFile, os, q, vs } from "./common";
import { showValue, type Source } from "./evidence";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { ChartSetup } from "./setup";

/** The pusher namespaces the peers admit, when they admit every pusher's; else null. */
export function admittedPusherNamespaces(config: Config | null, peers: readonly NetworkPolicyPeer[]): string[] | null {
  const namespaces = [...new Set((config?.pushers ?? []).map((p) => p.namespace))];
  if (namespaces.length === 0) return null;
  const admitted = (ns: string) =>
    peers.some((p) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === ns);
  return namespaces.every(admitted) ? namespaces : null;
}

interface FoundPusher {
  name: string;
  namespace: string;
  secretName: string;
  /** The Secret in the pusher's namespace. */
  secret: Placed<Secret> | undefined;
  /** A Secret of that name in another namespace, when none is in the pusher's. */
  elsewhere: Placed<Secret> | undefined;
}

function pushersOf(s: ChartSetup): FoundPusher[] {
  const config = s.generatedFrom;
  if (!config) return [];
  const names = { fullname: s.view.chart.fullname };
  return config.pushers.map((p) => {
    const secretName = pusherSecretName(names as never, p.name);
    const named = s.view.secrets.filter((x) => x.object.metadata?.name === secretName);
    const secret = named.find((x) => x.object.metadata?.namespace === p.namespace);
    return { name: p.name, namespace: p.namespace, secretName, secret, elsewhere: secret ? undefined : named[0] };
  });
}

const userOf = (secret: Placed<Secret>) => secretValue(secret.object, BASIC_AUTH_USERNAME_KEY);
const passwordOf = (secret: Placed<Secret>) => secretValue(secret.object, BASIC_AUTH_PASSWORD_KEY);

export const duplicateUsers: Rule = {
  id: "duplicate-users",
  title: "Two parties share one user",
  passTitle: "Every user has its own name",
  severity: "fail",
  reads: "the usernames of the scrape Secret and of each pusher's Secret",
  scope: "chart",
  judge: (s) => {
    const config = s.generatedFrom;
    if (!config || config.pushers.length === 0) return [];
    const seen = new Map<string, string>([[config.username, "the scrape user"]]);
    const verdicts: Verdict[] = [];
    for (const p of pushersOf(s)) {
      const placed = p.secret ?? p.elsewhere;
      const user = placed ? userOf(placed) : undefined;
      if (!placed || user === undefined) continue;
      const other = seen.get(user);
      if (other) {
        verdicts.push(
          problem(
            `Pusher ${q(p.name)} pushes as user ${q(user)}, which ${other} also uses: its access cannot be revoked without revoking the other's.`,
            [os(s, placed, secretKeyPath(placed.object, BASIC_AUTH_USERNAME_KEY), user)],
            "Give every pusher its own user (its name) and password.",
          ),
        );
      }
      seen.set(user, `pusher ${q(p.name)}`);
    }
    return verdicts.length
      ? verdicts
      : [
          pass(
            `The scrape user and ${config.pushers.length} pusher${config.pushers.length === 1 ? "" : "s"} each have their own user.`,
          ),
        ];
  },
};

export const pusherSecretNamespace: Rule = {
  id: "pusher-secret-namespace",
  title: "A pusher's Secret is not in its job's namespace",
  passTitle: "Each pusher's Secret is in its job's namespace",
  severity: "fail",
  reads: "where each pusher's kubernetes.io/basic-auth Secret is, against the namespace its job runs in",
  scope: "chart",
  judge: (s) => {
    const found = pushersOf(s);
    if (found.length === 0) return [];
    const verdicts = found
      .filter((p) => !p.secret)
      .map((p) =>
        problem(
          p.elsewhere
            ? `Secret ${p.secretName} of pusher ${q(p.name)} is in namespace ${p.elsewhere.object.metadata.namespace}, but its job runs in ${p.namespace}: a Pod can only read Secrets of its own namespace, so the job cannot start.`
            : `Pusher ${q(p.name)} has no Secret ${p.secretName} in namespace ${p.namespace}: its job cannot read its credentials.`,
          p.elsewhere ? [os(s, p.elsewhere, ["metadata", "namespace"], p.elsewhere.object.metadata.namespace)] : [],
          `Put Secret ${p.secretName} in namespace ${p.namespace}, where the job runs.`,
        ),
      );
    return verdicts.length ? verdicts : [pass(`Each pusher's Secret is in the namespace its job runs in.`)];
  },
};

export const pusherCredentials: Rule = {
  id: "pusher-credentials",
  title: "Pushgateway refuses a pusher's credentials",
  passTitle: "Each pusher's credentials are accepted",
  severity: "fail",
  reads: "each pusher Secret's username and password against the web config's users",
  scope: "chart",
  judge: (s, options) => {
    const users = s.webConfig?.users ?? null;
    if (!users) return [];
    const verdicts: Verdict[] = [];
    let checked = 0;
    for (const p of pushersOf(s)) {
      const placed = p.secret ?? p.elsewhere;
      if (!placed) continue;
      const user = userOf(placed);
      const verdict = compareCredentials(s.view, users, user, passwordOf(placed), options.passwordMatchesHash);
      if (verdict.status === "unknown-user" || verdict.status === "mismatch") {
        verdicts.push(
          problem(
            verdict.status === "unknown-user"
              ? `Pusher ${q(p.name)} pushes as user ${q(user)}, which the web config does not list: every push gets 401.`
              : `The password in Secret ${p.namespace}/${p.secretName} does not match the web config's entry for user ${q(user)}: every push gets 401.`,
            [
              os(
                s,
                placed,
                secretKeyPath(
                  placed.object,
                  verdict.status === "unknown-user" ? BASIC_AUTH_USERNAME_KEY : BASIC_AUTH_PASSWORD_KEY,
                ),
                verdict.status === "unknown-user" ? user : undefined,
                verdict.status !== "unknown-user",
              ),
            ],
            "Generate the pusher's Secret and the web config from the same password (pushgateway-auth does).",
          ),
        );
      } else if (verdict.status === "match") checked++;
    }
    return verdicts.length || checked === 0
      ? verdicts
      : [pass("Each pusher's Secret holds a user and password the web config accepts.")];
  },
};

export const rotationContinuity: Rule = {
  id: "rotation-continuity",
  title: "This phase leaves Prometheus without a valid user",
  passTitle: "Prometheus keeps a valid user through this phase",
  severity: "fail",
  reads: "the credentials Prometheus may still send from the previous phase, against this phase's web config",
  scope: "chart",
  judge: (s, options) => {
    const previous = options.stillSending ?? [];
    const users = s.webConfig?.users ?? null;
    if (previous.length === 0 || !users) return [];
    // This phase's web config users: the list the old credentials are missing from.
    const web = s.webConfig;
    const listed = showValue([...users.keys()]);
    const evidence: Source[] = [
      s.auth.kind === "chart" || !web?.secret || !isFile(web.secret)
        ? { ...vs(s, "webConfiguration.basicAuthUsers", true), value: listed }
        : { ...os(s, web.secret, secretKeyPath(web.secret.object, web.key), undefined, true), value: listed },
    ];
    const verdicts: Verdict[] = [];
    for (const { username, password, who } of previous) {
      const verdict = compareCredentials(s.view, users, username, password, options.passwordMatchesHash);
      if (verdict.status === "unknown-user" || verdict.status === "mismatch") {
        const refused = verdict.status === "unknown-user" ? "no longer lists it" : "no longer accepts its password";
        verdicts.push(
          who
            ? problem(
                `Until its next run reads the switched Secret, ${who} still pushes as user ${q(username)} from the previous phase, and this phase's web config ${refused}: every push in between gets 401.`,
                evidence,
                "Remove the old user only in a phase after the pusher's Secret has switched and its job has pushed with the new one.",
              )
            : problem(
                `Until the Operator reloads Prometheus's configuration, Prometheus still sends user ${q(username)} from the previous phase, and this phase's web config ${refused}: every scrape in between gets 401.`,
                evidence,
                "Remove the old user only in a phase after the scrape Secret has switched and Prometheus scrapes `up` with the new one.",
              ),
        );
      }
    }
    return verdicts.length ? verdicts : [pass("The credentials still in use from the previous phase keep working.")];
  },
};
