/**
 * The merge keeps every byte it does not have to change, whatever the file looks like, and the
 * line diff says exactly what changed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixSetup, lineDiff, mergeValues, validateConfig, type Config, type ConfigInput } from "../../lib/index";
import { parseYaml } from "../../lib/yaml/serialize";

const HASH = `$2b$10$${"a".repeat(53)}`;

function config(input: Partial<ConfigInput> = {}): Config {
  const result = validateConfig({ password: "pw", passwordHash: HASH, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

function merged(text: string, c: Config = config()) {
  const result = mergeValues(text, c);
  if (!result.ok) throw new Error(result.error);
  return result;
}

function changedLines(before: string, after: string) {
  const diff = lineDiff(before, after);
  return {
    removed: diff.filter((l) => l.kind === "removed").map((l) => l.text),
    added: diff.filter((l) => l.kind === "added").map((l) => l.text),
  };
}

const chartValues = (version: string) =>
  readFileSync(new URL(`../fixtures/chart/values-${version}.yaml`, import.meta.url), "utf8");

describe("mergeValues", () => {
  it("changes only the fix's lines in the chart's own values.yaml (3.8.0, values strategy)", () => {
    const text = chartValues("3.8.0");
    const result = merged(text, config({ networkPolicyEnabled: true }));
    expect(result.formattingPreserved).toBe(true);
    expect(changedLines(text, result.text)).toEqual({
      removed: [
        "webConfiguration: {}",
        "  enabled: false",
        '  interval: ""',
        "  basicAuth: {}",
        '  scrapeTimeout: ""',
        "  additionalLabels: {}",
        "networkPolicy: {}",
      ],
      added: [
        "webConfiguration:",
        "  existingSecret:",
        "    name: pushgateway-prometheus-pushgateway-web-config",
        "  enabled: true",
        "  interval: 30s",
        "  basicAuth:",
        "    username:",
        "      name: pushgateway-prometheus-pushgateway-scrape-auth",
        "      key: username",
        "    password:",
        "      name: pushgateway-prometheus-pushgateway-scrape-auth",
        "      key: password",
        "  scrapeTimeout: 10s",
        "  additionalLabels:",
        "    release: kube-prometheus-stack",
        "networkPolicy:",
        "  customSelectors:",
        "    - namespaceSelector:",
        "        matchLabels:",
        "          kubernetes.io/metadata.name: monitoring",
        "      podSelector:",
        "        matchLabels:",
        "          app.kubernetes.io/name: prometheus",
        "    - namespaceSelector: {}",
        "      podSelector:",
        "        matchLabels:",
        '          pushgateway-client: "true"',
      ],
    });
    // The commented-out examples under `webConfiguration: {}` stay where they were.
    expect(result.text).toContain(
      "webConfiguration:\n  existingSecret:\n    name: pushgateway-prometheus-pushgateway-web-config\n  # basicAuthUsers:\n",
    );
  });

  it("changes only the fix's lines in the chart's own values.yaml (2.14.0, patch strategy)", () => {
    const text = chartValues("2.14.0");
    const result = merged(text, config({ chartVersion: "2.14.0", serviceMonitorMode: "patch" }));
    expect(changedLines(text, result.text)).toEqual({
      removed: ["webConfiguration: {}", "  enabled: false", "  additionalLabels: {}"],
      added: [
        "webConfiguration:",
        "  basicAuthUsers:",
        "    prometheus: pw",
        "  enabled: true",
        "  additionalLabels:",
        "    release: kube-prometheus-stack",
        "  interval: 30s",
        "  scrapeTimeout: 10s",
      ],
    });
  });

  it("keeps a file's own indentation, line endings and inline comments", () => {
    const fourSpaces = "serviceMonitor:\n    enabled: true   # yes\n    additionalLabels:\n        team: x\n";
    const result = merged(fourSpaces, config({ chartVersion: "3.1.0" }));
    expect(
      result.text.startsWith("serviceMonitor:\n    enabled: true   # yes\n    additionalLabels:\n        team: x\n"),
    ).toBe(true);
    expect(parseYaml(result.text)).toMatchObject({
      serviceMonitor: { additionalLabels: { team: "x", release: "kube-prometheus-stack" }, interval: "30s" },
    });
    const crlf = "# values\r\nserviceMonitor:\r\n  enabled: false\r\n";
    const out = merged(crlf, config({ chartVersion: "3.1.0" })).text;
    expect(out.startsWith("# values\r\n")).toBe(true);
    expect(out.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("writes the values into an empty file, a comment-only one and helm's empty output", () => {
    for (const text of ["", "# nothing yet\n", "USER-SUPPLIED VALUES:\nnull\n"]) {
      const result = merged(text, config({ chartVersion: "2.14.0" }));
      // serviceMonitor.enabled: false is the chart's default already.
      expect(parseYaml(result.text)).toEqual({ webConfiguration: { basicAuthUsers: { prometheus: "pw" } } });
      if (text.startsWith("#")) expect(result.text.startsWith(text)).toBe(true);
    }
  });

  it("drops helm's USER-SUPPLIED VALUES: line, which is not part of the values", () => {
    const result = merged(
      "USER-SUPPLIED VALUES:\nnameOverride: x\n",
      config({ nameOverride: "x", chartVersion: "2.14.0" }),
    );
    expect(result.text.split("\n")[0]).toBe("nameOverride: x");
  });

  it("rewrites a flow collection it cannot edit in place, and says so", () => {
    const result = merged(
      "serviceMonitor: {enabled: true, interval: 1m}  # flow\nimage: {tag: v1}\n",
      config({ chartVersion: "3.1.0" }),
    );
    expect(result.formattingPreserved).toBe(false);
    expect(result.notes.join(" ")).toMatch(/could not be made in place/);
    expect(parseYaml(result.text)).toMatchObject({
      serviceMonitor: { enabled: true, interval: "30s" },
      image: { tag: "v1" },
    });
  });

  it("follows the fix into aliases and leaves the anchor alone", () => {
    const text = "common: &labels\n  release: prom\nserviceMonitor:\n  enabled: true\n  additionalLabels: *labels\n";
    const result = merged(text, config({ chartVersion: "3.1.0" }));
    const values = parseYaml(result.text) as Record<string, Record<string, unknown>>;
    expect(values.common).toEqual({ release: "prom" });
    expect(values.serviceMonitor?.additionalLabels).toEqual({ release: "kube-prometheus-stack" });
  });

  it("removes --web.config.file from extraArgs in both of its forms, and notes the old mounts", () => {
    const text =
      "extraArgs:\n  - --log.level=debug\n  - --web.config.file\n  - /etc/web.yml\nextraVolumes:\n  - name: web\n    secret: {secretName: old}\n";
    const result = merged(text, config({ chartVersion: "3.1.0" }));
    expect((parseYaml(result.text) as Record<string, unknown>).extraArgs).toEqual(["--log.level=debug"]);
    expect(result.notes).toEqual([
      "extraVolumes and extraVolumeMounts still mount the old web config Secret; remove them once the fix is rolled out.",
    ]);
  });

  it("removes a --web.config.file whose value is another --web.config.file once, and keeps what follows", () => {
    // `--web.config.file --web.config.file=/x` is one flag with the value "--web.config.file=/x".
    const text = "extraArgs:\n  - --web.config.file\n  - --web.config.file=/x\n  - --keep\n";
    const result = merged(text, config({ chartVersion: "3.1.0" }));
    expect((parseYaml(result.text) as Record<string, unknown>).extraArgs).toEqual(["--keep"]);
    expect(result.changes.filter((c) => c.path[0] === "extraArgs").map((c) => c.path)).toEqual([
      ["extraArgs", 1],
      ["extraArgs", 0],
    ]);
  });

  it("removes namespaceOverride, for which the fix is not made, and says that Pushgateway moves", () => {
    const text = "namespaceOverride: observability\nserviceMonitor:\n  enabled: true\n";
    const result = merged(text, config({ chartVersion: "3.1.0", namespace: "monitoring" }));
    expect(changedLines(text, result.text).removed).toEqual(["namespaceOverride: observability"]);
    expect(result.notes.join(" ")).toMatch(
      /^namespaceOverride \(observability\) is removed: the generated Secrets are made for the release namespace monitoring, so Pushgateway now runs there too\./,
    );
    // An override that names the release namespace changes nothing and stays.
    const same = "namespaceOverride: monitoring\n";
    expect(merged(same, config({ chartVersion: "3.1.0", namespace: "monitoring" })).text.startsWith(same)).toBe(true);
  });

  it("keeps a comment that follows an empty last entry of what it replaces", () => {
    const text = "serviceMonitor:\n- \n# keep me\n";
    const result = merged(text, config({ chartVersion: "2.14.0" }));
    expect(result.formattingPreserved).toBe(true);
    expect(result.text).toContain("# keep me");
  });

  it("refuses a values file that refers to itself through an alias", () => {
    const cyclic = "a: &x {b: *x}\nserviceMonitor:\n  enabled: true\n";
    const message =
      "the values file cannot be used: the alias at a.b points back into the anchor that holds it, so the value never ends (a YAML cycle)";
    expect(mergeValues(cyclic, config())).toEqual({ ok: false, error: message });
    expect(fixSetup(config(), { name: "values.yaml", text: cyclic })).toEqual({
      ok: false,
      error: `values.yaml: ${message}`,
    });
  });

  it("keeps the other users on charts that render the web config, and drops the ones it breaks", () => {
    const text =
      "webConfiguration:\n  basicAuthUsers:\n    backup-job: pushes   # the nightly backup\n    '[ops]': x\n";
    const result = merged(text, config({ chartVersion: "3.1.0" }));
    expect(changedLines(text, result.text).removed).toEqual(["    '[ops]': x"]);
    expect((parseYaml(result.text) as { webConfiguration: unknown }).webConfiguration).toEqual({
      basicAuthUsers: { "backup-job": "pushes", prometheus: "pw" },
    });
    expect(result.changes.map((c) => [c.kind, c.path.join("/")])).toContainEqual([
      "delete",
      "webConfiguration/basicAuthUsers/[ops]",
    ]);
  });

  it("warns that users other than the scrape user leave the values on charts with existingSecret", () => {
    const result = merged("webConfiguration:\n  basicAuthUsers:\n    prometheus: pw\n    backup-job: pushes\n");
    expect(result.notes[0]).toMatch(/also had "backup-job"; the generated web config holds only "prometheus"/);
    expect((parseYaml(result.text) as { webConfiguration: unknown }).webConfiguration).toEqual({
      existingSecret: { name: "pushgateway-prometheus-pushgateway-web-config" },
    });
  });

  it("keeps other keys of an anchor the fix goes through", () => {
    const text =
      "common: &labels\n  release: prom\n  team: data\nserviceMonitor:\n  enabled: true\n  additionalLabels: *labels\n";
    const values = parseYaml(merged(text, config({ chartVersion: "3.1.0" })).text) as Record<
      string,
      Record<string, unknown>
    >;
    expect(values.common).toEqual({ release: "prom", team: "data" });
    expect(values.serviceMonitor?.additionalLabels).toEqual({ release: "kube-prometheus-stack", team: "data" });
  });

  it("leaves [] behind when it removes a list's last item", () => {
    const result = merged(
      "extraArgs:\n  - --web.config.file=/x.yml  # old\nimage:\n  tag: v1\n",
      config({ chartVersion: "3.1.0" }),
    );
    expect(result.text.startsWith("extraArgs: []\nimage:\n  tag: v1\n")).toBe(true);
  });

  it("refuses files that are not one YAML map", () => {
    expect(mergeValues("a: 1\n---\nb: 2\n", config())).toEqual({
      ok: false,
      error: "the values file must hold one YAML document",
    });
    expect(mergeValues("- a\n", config())).toEqual({ ok: false, error: "the values file must hold a YAML map" });
    expect(mergeValues("a: [\n", config())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^the values file is not valid YAML: /),
    });
    const bomb = `a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(",")}]`).join("\n")}\n`;
    expect(mergeValues(bomb, config())).toEqual({
      ok: false,
      error: "the values file is not valid YAML: Excessive alias count indicates a resource exhaustion attack",
    });
  });
});

describe("lineDiff", () => {
  it("lists kept, removed and added lines with their line numbers", () => {
    expect(lineDiff("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual([
      { kind: "kept", text: "a", oldLine: 1, newLine: 1 },
      { kind: "removed", text: "b", oldLine: 2, newLine: null },
      { kind: "added", text: "B", oldLine: null, newLine: 2 },
      { kind: "kept", text: "c", oldLine: 3, newLine: 3 },
      { kind: "added", text: "d", oldLine: null, newLine: 4 },
    ]);
  });

  it("handles empty texts and moves", () => {
    expect(lineDiff("", "")).toEqual([]);
    expect(lineDiff("", "x\n").map((l) => l.kind)).toEqual(["added"]);
    expect(lineDiff("x", "").map((l) => l.kind)).toEqual(["removed"]);
    const moved = lineDiff("a\nb\nc\nd\n", "b\nc\nd\na\n");
    expect(moved.filter((l) => l.kind !== "kept").map((l) => `${l.kind} ${l.text}`)).toEqual(["removed a", "added a"]);
  });
});
