/** Rotation plans: the scrape password's and a pusher's, phase by phase, judged by the rulebook. */
import { compareSync, hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import {
  checkBundle,
  decodeShareFragment,
  encodeShareFragment,
  generate,
  validateConfig,
  type Config,
} from "../../lib/index";
import { planPusherRotation, planRotation, pusherRotationProblems, rotationProblems } from "../../lib/engine/rotation";
import { existingPasswordHash } from "../../lib/engine/read-bundle";
import { planBundle } from "../../lib/engine/plan";
import { helmInstallCommand } from "../../lib/guide/helm-command";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import type { Secret } from "../../lib/k8s/types";

function configFor(chartVersion: string): Config {
  const result = validateConfig({
    chartVersion,
    password: "scrape-old",
    pushers: [
      { name: "backup", namespace: "batch", password: "backup-old" },
      { name: "etl", namespace: "data", password: "etl-pass" },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const c = result.config;
  return {
    ...c,
    passwordHash: hashSync(c.password, 4),
    pushers: c.pushers.map((p) => ({ ...p, passwordHash: hashSync(p.password, 4) })),
  };
}

const request = { newUsername: "backup-2", newPassword: "backup-new", newPasswordHash: hashSync("backup-new", 4) };

const pusherSecret = (files: Record<string, string>, name: string) =>
  (parseYamlDocuments(files["pusher-secrets.yaml"] as string) as Secret[]).find((s) =>
    s.metadata.name.endsWith(`-push-${name}`),
  ) as Secret;

describe.each(["2.14.0", "3.6.0", "3.8.0"])("a pusher's rotation on chart %s", (chartVersion) => {
  const config = configFor(chartVersion);
  const rotation = planPusherRotation(config, "backup", request);

  it("adds the new user, switches the pusher's Secret in place, then removes the old user", () => {
    expect(pusherRotationProblems(config, "backup", request)).toEqual([]);
    expect(rotation.phases.map((p) => [p.id, p.webUsers])).toEqual([
      ["add-user", ["prometheus", "backup", "backup-2", "etl"]],
      ["switch-secret", ["prometheus", "backup", "backup-2", "etl"]],
      ["remove-old-user", ["prometheus", "backup-2", "etl"]],
    ]);
    const before = generate(config).files;
    const [p1, p2, p3] = rotation.phases.map((p) => p.files) as [Record<string, string>, ...Record<string, string>[]];
    const secrets = [before, p1, p2, p3].map((f) => pusherSecret(f!, "backup"));
    // Same Secret (name, namespace) throughout: the job's secretKeyRef never changes.
    expect(new Set(secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).size).toBe(1);
    expect(secrets.map((s) => s.stringData?.username)).toEqual(["backup", "backup", "backup-2", "backup-2"]);
    expect(rotation.phases[1]!.changed).toEqual(["pusher-secrets.yaml"]);
    // The scrape user and the other pusher are untouched.
    expect(pusherSecret(p3!, "etl")).toEqual(pusherSecret(before, "etl"));
    expect(p3!["pusher-cronjob.example.yaml"]).toBe(before["pusher-cronjob.example.yaml"]);
    // The last phase is exactly what the final config generates.
    expect(p3).toEqual(generate(rotation.finalConfig).files);
  });

  it("passes the rulebook in every phase with what the job may still send", () => {
    for (const phase of rotation.phases) {
      const failed = checkBundle(phase.config, phase.files, {
        passwordMatchesHash: compareSync,
        stillSending: phase.stillSending,
      }).filter((c) => c.status === "fail");
      expect(failed, phase.id).toEqual([]);
    }
  });

  it("refuses removing the old user while the job may still push with it", () => {
    const remove = rotation.phases[2]!;
    const checks = checkBundle(remove.config, remove.files, {
      passwordMatchesHash: compareSync,
      stillSending: [{ username: "backup", password: "backup-old", who: `pusher "backup"'s job` }],
    });
    const continuity = checks.find((c) => c.id === "rotation-continuity");
    expect(continuity?.status).toBe("fail");
    expect(continuity?.message).toMatch(/pusher "backup"'s job still pushes as user "backup"/);
  });
});

describe("a pusher's rotation", () => {
  const config = configFor("3.8.0");

  it("embeds each user's hash where the chart reads hashes", () => {
    const [p1] = planPusherRotation(config, "backup", request).phases;
    const secretYaml = p1!.files["secret.yaml"] as string;
    expect(compareSync("backup-old", existingPasswordHash(secretYaml, "backup") as string)).toBe(true);
    expect(compareSync("backup-new", existingPasswordHash(secretYaml, "backup-2") as string)).toBe(true);
  });

  it("keeps the new user in the share link, never the password", () => {
    const { finalConfig } = planPusherRotation(config, "backup", request);
    const fragment = encodeShareFragment(finalConfig);
    expect(fragment).not.toContain("backup-new");
    expect(decodeShareFragment(fragment).input.pushers).toEqual([
      { name: "backup", namespace: "batch", username: "backup-2", password: "", passwordHash: "" },
      { name: "etl", namespace: "data", password: "", passwordHash: "" },
    ]);
    // Rotating again moves on from the new user.
    const again = planPusherRotation(finalConfig, "backup", {
      newUsername: "backup-3",
      newPassword: "third",
      newPasswordHash: hashSync("third", 4),
    });
    expect(again.phases[2]!.webUsers).toEqual(["prometheus", "backup-3", "etl"]);
  });

  it("names what is wrong with a request", () => {
    expect(pusherRotationProblems(config, "nope", request)).toEqual([
      'Pusher "nope" is not in the bundle (its pushers: backup, etl)',
    ]);
    expect(pusherRotationProblems(config, "backup", { ...request, newUsername: "backup" })).toEqual([
      "New username must differ from the current one: both are in the web config during the switch",
    ]);
    expect(pusherRotationProblems(config, "backup", { ...request, newUsername: "etl" })).toEqual([
      'New username "etl" is already another user\'s',
    ]);
    expect(pusherRotationProblems(config, "backup", { ...request, newUsername: "prometheus" })).toEqual([
      'New username "prometheus" is already another user\'s',
    ]);
    expect(pusherRotationProblems(config, "backup", { ...request, newPassword: "backup-old" })).toContain(
      "New password must differ from the current one",
    );
    expect(pusherRotationProblems(config, "backup", { ...request, newPasswordHash: "" })).toContain(
      "New password's bcrypt hash is missing or not a bcrypt hash",
    );
    expect(pusherRotationProblems(config, "backup", { ...request, newUsername: "Bad_User" })[0]).toMatch(
      /^New username /,
    );
  });

  it("leaves the scrape rotation's users to the scrape user", () => {
    const scrape = { newUsername: "prometheus-2", newPassword: "s2", newPasswordHash: hashSync("s2", 4) };
    expect(rotationProblems(config, scrape)).toEqual([]);
    expect(planRotation(config, scrape).phases.map((p) => p.config.username)).toEqual([
      "prometheus",
      "prometheus-2",
      "prometheus-2",
    ]);
  });
});

describe("rotation commands", () => {
  it("upgrade the release with the guide's one install command (OCI), for the scrape user and a pusher", () => {
    const config = configFor("2.14.0");
    const install = helmInstallCommand(planBundle(config));
    expect(install).toContain("oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway");
    const scrape = { newUsername: "prometheus-2", newPassword: "s2", newPasswordHash: "" };
    for (const plan of [planRotation(config, scrape), planPusherRotation(config, "backup", request)]) {
      const commands = plan.phases.flatMap((p) => p.commands.split("\n")).filter((c) => c.startsWith("helm "));
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(command).toBe(install);
    }
  });
});
