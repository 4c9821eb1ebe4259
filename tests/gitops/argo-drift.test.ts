/**
 * Whether ignoreDifferences entries cover what changes between renders, matched the way Argo CD
 * matches them (argo-cd util/argo/normalizers): group and kind glob-matched (an unset group is
 * the core group), name and namespace equal or unset, a JSON pointer covering what is under it,
 * and jq path expressions of plain steps read as the pointer they name.
 */
import { describe, expect, it } from "vitest";
import { profileFor } from "../../lib/index";
import { ignoreCovers, jqPathPointer, renderDrift } from "../../lib/gitops/argo-drift";

const profile = (v: string) => profileFor(v).profile!;
const [secret, deployment] = renderDrift(profile("3.6.1"), "pgw", "monitoring", 3);
const PROBES = [
  "/spec/template/spec/containers/0/livenessProbe/httpGet/httpHeaders",
  "/spec/template/spec/containers/0/readinessProbe/httpGet/httpHeaders",
];

describe("renderDrift", () => {
  it("is the Secret's data, and with several users the probe headers too, where the chart hashes", () => {
    expect(renderDrift(profile("3.6.1"), "pgw", "monitoring", 1).map((d) => d.kind)).toEqual(["Secret"]);
    expect([secret!.kind, deployment!.kind, deployment!.group]).toEqual(["Secret", "Deployment", "apps"]);
    expect(deployment!.jsonPointers).toEqual(PROBES);
    expect(renderDrift(profile("3.8.0"), "pgw", "monitoring", 3)).toEqual([]);
  });
});

describe("ignoreCovers", () => {
  const entry = { group: "", kind: "Secret", name: "pgw", namespace: "monitoring", jsonPointers: ["/data"] };
  it.each([
    ["the generated entry", entry],
    ["no group (the core group)", { kind: "Secret", jsonPointers: ["/data"] }],
    ["no name or namespace", { group: "", kind: "Secret", jsonPointers: ["/data/web-config.yaml"] }],
    ["a kind glob", { group: "", kind: "Sec*", name: "pgw", jsonPointers: ["/data"] }],
    ["a jq path", { kind: "Secret", name: "pgw", jqPathExpressions: [".data"] }],
    ["the whole object", { kind: "Secret", name: "pgw", jsonPointers: [""] }],
  ])("covers the Secret with %s", (_, e) => expect(ignoreCovers([e], secret!)).toBe(true));

  it.each([
    ["another namespace", { ...entry, namespace: "other" }],
    ["another group", { ...entry, group: "apps" }],
    ["another name", { ...entry, name: "other" }],
    ["another kind", { ...entry, kind: "ConfigMap" }],
    ["a path beside it", { ...entry, jsonPointers: ["/metadata"] }],
    ["a jq expression it cannot read", { kind: "Secret", jqPathExpressions: [".data | keys"] }],
  ])("does not cover the Secret with %s", (_, e) => expect(ignoreCovers([e], secret!)).toBe(false));

  it("needs every probe header covered", () => {
    const probes = { group: "apps", kind: "Deployment", name: "pgw", namespace: "monitoring" };
    expect(ignoreCovers([{ ...probes, jsonPointers: PROBES }], deployment!)).toBe(true);
    expect(ignoreCovers([{ ...probes, jsonPointers: PROBES.slice(0, 1) }], deployment!)).toBe(false);
    expect(ignoreCovers([{ ...probes, group: "", jsonPointers: PROBES }], deployment!)).toBe(false);
    expect(ignoreCovers([{ ...probes, jqPathExpressions: [".spec.template.spec.containers[0]"] }], deployment!)).toBe(
      true,
    );
  });

  it("reads plain jq paths as pointers", () => {
    expect(jqPathPointer('.metadata.annotations["a/b~c"]')).toBe("/metadata/annotations/a~1b~0c");
    expect(jqPathPointer(".spec.containers[1].env")).toBe("/spec/containers/1/env");
    expect(jqPathPointer('.spec.containers[] | select(.name == "x")')).toBeNull();
    expect(jqPathPointer("")).toBeNull();
  });
});
