/**
 * Every Flux and Argo CD bundle the tool generates passes its own checks (no "fail"): each chart
 * profile and strategy the deploy target allows, with and without pushers, and every phase of a
 * scrape or pusher rotation. A GitOps bundle that loses a user (Flux's valuesFrom once carried
 * only the scrape user, so every push got 401) fails here.
 */
import { compareSync, hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import {
  checkBundle,
  generate,
  modeSupport,
  profileFor,
  SERVICE_MONITOR_MODES,
  validateConfig,
  type Config,
  type ConfigInput,
} from "../../lib/index";
import { planPusherRotation, planRotation } from "../../lib/engine/rotation";
import { CASES, GITOPS_CASES } from "../support/cases";

const PUSHERS = [
  { name: "backup", namespace: "batch", password: "backup, {pw}\\" },
  { name: "etl", namespace: "data", password: "etl-pass" },
];

function withHashes(input: ConfigInput): Config | null {
  const result = validateConfig(input);
  if (!result.ok) return null;
  const c = result.config;
  return {
    ...c,
    passwordHash: c.passwordHash || hashSync(c.password, 4),
    pushers: c.pushers.map((p) => ({ ...p, passwordHash: hashSync(p.password, 4) })),
  };
}

const fails = (config: Config, files: Record<string, string>, options = {}) =>
  checkBundle(config, files, { passwordMatchesHash: compareSync, ...options })
    .filter((c) => c.status === "fail")
    .map((c) => `${c.id}: ${c.message}`);

const VERSIONS = ["2.12.0", "2.14.0", "3.0.0", "3.1.0", "3.6.1", "3.7.0", "3.8.0"];
const matrix = VERSIONS.flatMap((chartVersion) =>
  (["flux", "argocd"] as const).flatMap((deploy) =>
    SERVICE_MONITOR_MODES.filter(
      (mode) => modeSupport(profileFor(chartVersion).profile!, deploy, mode).allowed,
    ).flatMap((mode) =>
      [false, true].map((pushers) => ({
        name: `${deploy} ${chartVersion} ${mode}${pushers ? " with pushers" : ""}`,
        input: {
          chartVersion,
          deploy,
          serviceMonitorMode: mode,
          password: "scrape-pass",
          ...(pushers ? { pushers: PUSHERS } : {}),
        } as ConfigInput,
      })),
    ),
  ),
);
const cases = [
  ...matrix,
  ...[...CASES, ...GITOPS_CASES].flatMap(({ name, input }) =>
    (["flux", "argocd"] as const).map((deploy) => ({ name: `${name} ${deploy}`, input: { ...input, deploy } })),
  ),
];

describe("every GitOps bundle passes its own checks", () => {
  it.each(cases.map((c) => [c.name, c.input] as const))("%s", (_, input) => {
    const config = withHashes(input);
    if (!config) return; // a strategy the deploy target refuses (the schema test covers it)
    expect(fails(config, generate(config).files)).toEqual([]);
  });

  it("covers a Flux pusher on a chart that hashes the passwords itself", () => {
    expect(cases.some((c) => c.name === "flux 3.6.1 values with pushers")).toBe(true);
  });

  it.each(["flux", "argocd"] as const)("%s: every phase of a scrape and a pusher rotation", (deploy) => {
    for (const chartVersion of ["2.14.0", "3.1.0", "3.8.0"]) {
      const config = withHashes({ chartVersion, deploy, password: "scrape-old", pushers: PUSHERS })!;
      const scrape = { newUsername: "prometheus-2", newPassword: "s2", newPasswordHash: hashSync("s2", 4) };
      const pusher = { newUsername: "backup-2", newPassword: "b2", newPasswordHash: hashSync("b2", 4) };
      for (const plan of [planRotation(config, scrape), planPusherRotation(config, "backup", pusher)])
        for (const phase of plan.phases)
          expect(
            fails(phase.config, phase.files, { stillSending: phase.stillSending }),
            `${chartVersion} ${phase.id}`,
          ).toEqual([]);
    }
  });
});
