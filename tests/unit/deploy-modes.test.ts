/** What each deploy target allows of the chart's ServiceMonitor strategies, and why not. */
import { describe, expect, it } from "vitest";
import { DEPLOY_TARGETS, modeSupport, profileFor, refusedModes, SERVICE_MONITOR_MODES } from "../../lib/index";

const profile = (version: string) => {
  const p = profileFor(version).profile;
  if (!p) throw new Error(version);
  return p;
};

describe("refusedModes", () => {
  it("Argo CD refuses patch where the chart could do it, with the reason the form shows", () => {
    expect(refusedModes(profile("2.14.0"), "argocd")).toEqual([
      { mode: "patch", reason: expect.stringMatching(/^Argo CD has no Helm post-renderer.*standalone/) },
    ]);
    expect(modeSupport(profile("2.14.0"), "argocd", "standalone").allowed).toBe(true);
  });

  it("refuses nothing the chart version refuses already, and nothing for the Helm CLI or Flux", () => {
    for (const version of ["2.14.0", "3.1.0", "3.8.0"])
      for (const deploy of DEPLOY_TARGETS) {
        const refused = refusedModes(profile(version), deploy);
        for (const { mode } of refused) expect(profile(version).modes[mode].allowed).toBe(true);
        if (deploy !== "argocd") expect(refused).toEqual([]);
        // What is offered and what is refused are apart, and the default is always offered.
        const offered = SERVICE_MONITOR_MODES.filter((m) => modeSupport(profile(version), deploy, m).allowed);
        expect(offered).toContain(profile(version).defaultMode);
        expect(offered.filter((m) => refused.some((r) => r.mode === m))).toEqual([]);
      }
  });
});
