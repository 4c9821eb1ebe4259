/**
 * Rotating the scrape password with no 401 window. Pushgateway re-reads its web config on every
 * request, and the chart mounts it without subPath (the kubelet updates it in place), so:
 *   1. add a second scrape user with the new password to the web config;
 *   2. switch the scrape Secret (what the ServiceMonitor reads) to it;
 *   3. remove the old user.
 * Each phase is a whole bundle with its commands and the check that must pass before the next.
 * Pure: the new password's hash arrives in the request.
 */
import type { Config } from "../config/schema";
import { usernameRule, passwordRule, bcryptHashRule, rawUsernameRule } from "../config/field-rules";
import { pusherNameRule, pusherUsername } from "../config/pushers";
import { buildGuide } from "../guide/guide";
import { helmInstallCommand } from "../guide/helm-command";
import { applyCommand, buildFiles, FILE_NAMES } from "../outputs/registry";
import { shareLink } from "./generate";
import { needsPasswordHash, planBundle, type Plan } from "./plan";
import type { WebUser } from "./pushers";

export interface RotationRequest {
  /** The new scrape user (a second user must exist while both passwords are valid). */
  newUsername: string;
  newPassword: string;
  /** bcrypt hash of newPassword where the bundle embeds hashes; else empty. */
  newPasswordHash: string;
}

export interface RotationPhase {
  id: "add-user" | "switch-secret" | "remove-old-user";
  title: string;
  /** What this phase changes and why it is safe. */
  text: string;
  files: Record<string, string>;
  /** The files that differ from the previous phase (or from the current bundle). */
  changed: string[];
  commands: string;
  /** What must hold before the next phase. */
  check: string;
  checkCommand: string;
  /** Credentials Prometheus may still send from the previous phase (for the rulebook). */
  stillSending: { username: string; password: string }[];
  /** Who the web config lists in this phase. */
  webUsers: string[];
  /** Who Prometheus scrapes as once this phase is applied. */
  scrapeUser: string;
  /** The config this phase's files are generated from (what its checks compare against). */
  config: Config;
}

export interface RotationPlan {
  /** The config after the rotation: re-generate from it from now on. */
  finalConfig: Config;
  phases: RotationPhase[];
}

/** The next scrape username: `name-2`, or the number after the one it ends with. */
export function nextUsername(username: string): string {
  const m = /^(.*)-([0-9]+)$/.exec(username);
  return m ? `${m[1]}-${Number(m[2]) + 1}` : `${username}-2`;
}

/** Problems with a rotation request, each a sentence naming what to change. */
export function rotationProblems(config: Config, r: RotationRequest): string[] {
  const problems: string[] = [];
  const user = usernameRule(r.newUsername);
  if (user) problems.push(`New username ${user}`);
  if (r.newUsername === config.username)
    problems.push("New username must differ from the current one: both are in the web config during the switch");
  if (config.pushers.some((p) => p.name === r.newUsername || pusherUsername(p) === r.newUsername))
    problems.push(`New username "${r.newUsername}" is a pusher's name`);
  const plan = planBundle(config);
  if (plan.profile.webConfig === "chart" && !user) {
    const raw = rawUsernameRule(r.newUsername);
    if (raw) problems.push(`New username ${raw}`);
  }
  const password = passwordRule(r.newPassword);
  if (password) problems.push(`New password ${password}`);
  if (r.newPassword === config.password) problems.push("New password must differ from the current one");
  if (needsPasswordHash(config) && bcryptHashRule(r.newPasswordHash))
    problems.push("New password's bcrypt hash is missing or not a bcrypt hash");
  return problems;
}

function phaseFiles(config: Config, webUsers: WebUser[], shareBaseUrl?: string): Record<string, string> {
  const plan: Plan = { ...planBundle(config), webUsers };
  return buildFiles({
    plan,
    passwordHash: config.passwordHash || null,
    shareLink: shareLink(config, shareBaseUrl),
    guide: () => buildGuide(plan),
  });
}

const changedFiles = (before: Record<string, string>, after: Record<string, string>) =>
  Object.keys(after).filter((f) => before[f] !== after[f] && f !== FILE_NAMES.readme);

/** The phases of a scrape password rotation; call {@link rotationProblems} first. */
export function planRotation(config: Config, r: RotationRequest, shareBaseUrl?: string): RotationPlan {
  const before = planBundle(config);
  const oldUser: WebUser = before.webUsers[0] as WebUser;
  const pushers = before.webUsers.slice(1);
  const newUser: WebUser = {
    username: r.newUsername,
    password: r.newPassword,
    hash: r.newPasswordHash || null,
    role: "scrape",
  };
  const finalConfig: Config = {
    ...config,
    username: r.newUsername,
    password: r.newPassword,
    passwordHash: r.newPasswordHash,
  };
  const current = phaseFiles(config, before.webUsers, shareBaseUrl);
  const ns = before.releaseNamespace;
  const smNs = before.serviceMonitorNamespace;
  const chartHashes = before.profile.webConfig === "chart";
  const helm = helmInstallCommand(before);
  const commandsFor = (changed: string[]) => changed.map((f) => applyCommand(f, helm)).join("\n");
  const waitWeb = chartHashes
    ? "Helm rolls the chart's web config Secret; the kubelet updates the mounted file within about a minute (no restart: Pushgateway re-reads it on every request)."
    : "The kubelet updates the mounted web config within about a minute; Pushgateway re-reads it on every request, no restart.";
  const curlAs = (user: string, secretHint: string) =>
    `curl -s -o /dev/null -w '%{http_code}\\n' -u "${user}:$${secretHint}" http://127.0.0.1:9091/metrics`;
  const targets = `curl -s http://127.0.0.1:9090/api/v1/targets | jq '.data.activeTargets[] | select(.scrapePool | startswith("serviceMonitor/${before.serviceMonitorNamespace}/${before.names.fullname}/")) | {health, lastError}'`;

  const p1Files = phaseFiles(config, [oldUser, newUser, ...pushers], shareBaseUrl);
  const p2Files = phaseFiles(finalConfig, [oldUser, newUser, ...pushers], shareBaseUrl);
  const p3Files = phaseFiles(finalConfig, [newUser, ...pushers], shareBaseUrl);
  const old = { username: config.username, password: config.password };
  const fresh = { username: r.newUsername, password: r.newPassword };
  return {
    finalConfig,
    phases: [
      {
        id: "add-user",
        title: `1. Add user ${r.newUsername} to the web config`,
        text: `Both ${config.username} (old password) and ${r.newUsername} (new password) are accepted. Prometheus keeps scraping as ${config.username}.`,
        files: p1Files,
        changed: changedFiles(current, p1Files),
        commands: commandsFor(changedFiles(current, p1Files)),
        check: `${waitWeb} Then the new user gets 200 and the target stays up.`,
        checkCommand: [
          `kubectl -n ${ns} port-forward svc/${before.names.fullname} 9091:9091 &`,
          `${curlAs(r.newUsername, "NEW_PASSWORD")}  # 200`,
          targets + "  # health: up",
        ].join("\n"),
        stillSending: [old],
        webUsers: [config.username, r.newUsername, ...pushers.map((u) => u.username)],
        scrapeUser: config.username,
        config,
      },
      {
        id: "switch-secret",
        title: `2. Switch the scrape Secret to ${r.newUsername}`,
        text: `The ServiceMonitor's Secret ${smNs}/${before.scrapeSecretName} now holds the new user and password; the Operator reloads Prometheus with them. Until it does, Prometheus sends the old user, which still works.`,
        files: p2Files,
        changed: changedFiles(p1Files, p2Files),
        commands: commandsFor(changedFiles(p1Files, p2Files)),
        check: `Prometheus scrapes the target up with ${r.newUsername}: the Operator has reloaded (the config's basic_auth username is ${r.newUsername}).`,
        checkCommand: targets + "  # health: up, lastError empty",
        stillSending: [old],
        webUsers: [config.username, r.newUsername, ...pushers.map((u) => u.username)],
        scrapeUser: r.newUsername,
        config: finalConfig,
      },
      {
        id: "remove-old-user",
        title: `3. Remove the old user ${config.username}`,
        text: `Only ${r.newUsername} remains for scraping; the old password stops working.`,
        files: p3Files,
        changed: changedFiles(p2Files, p3Files),
        commands: commandsFor(changedFiles(p2Files, p3Files)),
        check: `${waitWeb} Then the old user gets 401 and the target stays up.`,
        checkCommand: [`${curlAs(config.username, "OLD_PASSWORD")}  # 401`, targets + "  # health: up"].join("\n"),
        stillSending: [fresh],
        webUsers: [r.newUsername, ...pushers.map((u) => u.username)],
        scrapeUser: r.newUsername,
        config: finalConfig,
      },
    ],
  };
}

/**
 * Rotating a pusher's password, the same way: its job may push with the old password until its
 * next run reads the switched Secret, so
 *   1. add the pusher's new user (`backup-2`) with the new password to the web config;
 *   2. switch the pusher's Secret (same name, in its namespace) to the new user and password;
 *   3. remove the old user once the job has pushed with the new one.
 * The pusher keeps its name (its Secret, job and metrics); only its user changes.
 */
export function pusherRotationProblems(config: Config, pusher: string, r: RotationRequest): string[] {
  const found = config.pushers.find((p) => p.name === pusher);
  if (!found) {
    const known = config.pushers.map((p) => p.name);
    return [
      `Pusher "${pusher}" is not in the bundle (${known.length ? `its pushers: ${known.join(", ")}` : "it has no pushers"})`,
    ];
  }
  const problems: string[] = [];
  const user = pusherNameRule(r.newUsername);
  if (user) problems.push(`New username ${user}`);
  if (r.newUsername === pusherUsername(found))
    problems.push("New username must differ from the current one: both are in the web config during the switch");
  else if (
    r.newUsername === config.username ||
    config.pushers.some((p) => p !== found && (p.name === r.newUsername || pusherUsername(p) === r.newUsername))
  )
    problems.push(`New username "${r.newUsername}" is already another user's`);
  const password = passwordRule(r.newPassword);
  if (password) problems.push(`New password ${password}`);
  if (r.newPassword === found.password) problems.push("New password must differ from the current one");
  if (needsPasswordHash(config) && bcryptHashRule(r.newPasswordHash))
    problems.push("New password's bcrypt hash is missing or not a bcrypt hash");
  return problems;
}

/** The phases of a pusher password rotation; call {@link pusherRotationProblems} first. */
export function planPusherRotation(
  config: Config,
  pusher: string,
  r: RotationRequest,
  shareBaseUrl?: string,
): RotationPlan {
  const before = planBundle(config);
  const index = config.pushers.findIndex((p) => p.name === pusher);
  const found = config.pushers[index];
  if (!found) throw new Error(`no pusher ${pusher}`);
  const oldUsername = pusherUsername(found);
  const oldUser = before.webUsers.find((u) => u.role === "pusher" && u.username === oldUsername) as WebUser;
  const newUser: WebUser = {
    username: r.newUsername,
    password: r.newPassword,
    hash: r.newPasswordHash || null,
    role: "pusher",
  };
  const finalConfig: Config = {
    ...config,
    pushers: config.pushers.map((p, i) =>
      i === index ? { ...p, username: r.newUsername, password: r.newPassword, passwordHash: r.newPasswordHash } : p,
    ),
  };
  // Both users, the new one right after the old.
  const bothUsers = before.webUsers.flatMap((u) => (u === oldUser ? [u, newUser] : [u]));
  const current = phaseFiles(config, before.webUsers, shareBaseUrl);
  const p1Files = phaseFiles(config, bothUsers, shareBaseUrl);
  const p2Files = phaseFiles(finalConfig, bothUsers, shareBaseUrl);
  const p3Files = phaseFiles(finalConfig, planBundle(finalConfig).webUsers, shareBaseUrl);
  const ns = before.releaseNamespace;
  const plan = before.pushers[index] as (typeof before.pushers)[number];
  const chartHashes = before.profile.webConfig === "chart";
  const helm = helmInstallCommand(before);
  const commandsFor = (changed: string[]) => changed.map((f) => applyCommand(f, helm)).join("\n");
  const waitWeb = chartHashes
    ? "Helm rolls the chart's web config Secret; the kubelet updates the mounted file within about a minute (no restart: Pushgateway re-reads it on every request)."
    : "The kubelet updates the mounted web config within about a minute; Pushgateway re-reads it on every request, no restart.";
  const portForward = `kubectl -n ${ns} port-forward svc/${before.names.fullname} 9091:9091 &`;
  const authAs = (user: string, secretHint: string) =>
    `curl -s -o /dev/null -w '%{http_code}\\n' -u "${user}:$${secretHint}" http://127.0.0.1:9091/api/v1/status`;
  const lastPush = `curl -s -u "${r.newUsername}:$NEW_PASSWORD" http://127.0.0.1:9091/api/v1/metrics | jq '.data[] | select(.labels.job == "${found.name}") | .push_time_seconds.time_stamp'`;
  const old = { username: oldUsername, password: found.password, who: `pusher "${found.name}"'s job` };
  const fresh = { username: r.newUsername, password: r.newPassword, who: old.who };
  const users = (list: WebUser[]) => list.map((u) => u.username);
  const phase1Changed = changedFiles(current, p1Files);
  const phase2Changed = changedFiles(p1Files, p2Files);
  const phase3Changed = changedFiles(p2Files, p3Files);
  return {
    finalConfig,
    phases: [
      {
        id: "add-user",
        title: `1. Add user ${r.newUsername} for pusher ${found.name} to the web config`,
        text: `Both ${oldUsername} (old password) and ${r.newUsername} (new password) may push. The job keeps pushing as ${oldUsername}.`,
        files: p1Files,
        changed: phase1Changed,
        commands: commandsFor(phase1Changed),
        check: `${waitWeb} Then the new user gets 200.`,
        checkCommand: [portForward, `${authAs(r.newUsername, "NEW_PASSWORD")}  # 200`].join("\n"),
        stillSending: [old],
        webUsers: users(bothUsers),
        scrapeUser: config.username,
        config,
      },
      {
        id: "switch-secret",
        title: `2. Switch Secret ${plan.namespace}/${plan.secretName} to ${r.newUsername}`,
        text: `The pusher's Secret keeps its name and now holds the new user and password; each run of the job started from now on reads them (env valueFrom secretKeyRef is read when the Pod starts). A run already going still pushes as ${oldUsername}, which still works.`,
        files: p2Files,
        changed: phase2Changed,
        commands: commandsFor(phase2Changed),
        check: `The job has run since, and pushed as ${r.newUsername}: its push_time_seconds is newer than the Secret's switch.`,
        checkCommand: [portForward, lastPush + "  # newer than the switch"].join("\n"),
        stillSending: [old],
        webUsers: users(bothUsers),
        scrapeUser: config.username,
        config: finalConfig,
      },
      {
        id: "remove-old-user",
        title: `3. Remove the old user ${oldUsername}`,
        text: `Only ${r.newUsername} remains for pusher ${found.name}; the old password stops working. Re-generate from this bundle's share link from now on: it carries the pusher's new user.`,
        files: p3Files,
        changed: phase3Changed,
        commands: commandsFor(phase3Changed),
        check: `${waitWeb} Then the old user gets 401 and the new one 200.`,
        checkCommand: [
          portForward,
          `${authAs(oldUsername, "OLD_PASSWORD")}  # 401`,
          `${authAs(r.newUsername, "NEW_PASSWORD")}  # 200`,
        ].join("\n"),
        stillSending: [fresh],
        webUsers: users(planBundle(finalConfig).webUsers),
        scrapeUser: config.username,
        config: finalConfig,
      },
    ],
  };
}
