/**
 * The diagnosis piece by piece: reading what users paste, the facts and their sources, and the
 * findings the corpus in tests/fixtures/setups does not already cover.
 */
import { describe, expect, it } from "vitest";
import { readSetupFiles } from "../../lib/diagnose/read-setup";
import { formatSource, showValue, sourceKey } from "../../lib/rules/evidence";
import { diagnoseSetup, importSetup, RULES, type DiagnoseOptions, type InputFile, type Source } from "../../lib/index";
import { toYaml, toYamlFile } from "../../lib/yaml/serialize";
import { loadSetups } from "../support/setups";

const FACTS = { chartVersion: "3.8.0", releaseName: "pg", namespace: "monitoring", prometheusSelector: "" };
const HASH = `$2b$10$${"a".repeat(53)}`;

const values = (v: unknown, name = "values.yaml"): InputFile => ({ name, text: toYaml(v) });
const cluster = (...docs: unknown[]): InputFile => ({ name: "cluster.yaml", text: toYamlFile(docs) });

function secret(name: string, data: Record<string, string>, namespace = "monitoring") {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, stringData: data };
}

const HEALTHY_VALUES = {
  webConfiguration: { existingSecret: { name: "wc" } },
  serviceMonitor: {
    enabled: true,
    basicAuth: { username: { name: "s", key: "username" }, password: { name: "s", key: "password" } },
  },
};
const WEB_CONFIG = secret("wc", { "web-config.yaml": `basic_auth_users:\n  prometheus: ${HASH}\n` });
const SCRAPE = secret("s", { username: "prometheus", password: "pw" });

function report(files: InputFile[], options: DiagnoseOptions = {}) {
  const result = diagnoseSetup(files, { given: FACTS, passwordMatchesHash: () => true, ...options });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.report;
}

const ids = (files: InputFile[], options: DiagnoseOptions = {}) => report(files, options).findings.map((f) => f.id);

function withValues(patch: (v: typeof HEALTHY_VALUES & Record<string, unknown>) => void) {
  const v = structuredClone(HEALTHY_VALUES) as typeof HEALTHY_VALUES & Record<string, unknown>;
  patch(v);
  return values(v);
}

describe("reading pasted files", () => {
  it("tells helm get values output, values files, Lists and multi-document manifests apart", () => {
    const read = readSetupFiles([
      { name: "helm.txt", text: "USER-SUPPLIED VALUES:\nserviceMonitor:\n  enabled: true\n" },
      { name: "all.yaml", text: "COMPUTED VALUES:\nnameOverride: x\n" },
      { name: "empty-release.txt", text: "USER-SUPPLIED VALUES:\nnull\n" },
      cluster(
        { apiVersion: "v1", kind: "SecretList", items: [SCRAPE, "junk"] },
        { apiVersion: "v1", kind: "List", items: [WEB_CONFIG] },
        ["not", "a", "map"],
      ),
    ]);
    if (!read.ok) throw new Error("unreadable");
    // A release without values is values too: the chart's defaults, said explicitly.
    expect(read.setup.values.map((v) => [v.file, v.format, v.values])).toEqual([
      ["helm.txt", "helm-get-values", { serviceMonitor: { enabled: true } }],
      ["all.yaml", "helm-get-values", { nameOverride: "x" }],
      ["empty-release.txt", "helm-get-values", {}],
    ]);
    expect(read.setup.objects.map((o) => [o.object.metadata, o.origin])).toEqual([
      [SCRAPE.metadata, { kind: "file", file: "cluster.yaml", document: 0, path: ["items", 0] }],
      [WEB_CONFIG.metadata, { kind: "file", file: "cluster.yaml", document: 1, path: ["items", 0] }],
    ]);
    expect(read.setup.ignored.map((i) => [i.origin.document, i.origin.path, i.reason])).toEqual([
      [0, ["items", 1], "not a Kubernetes object (no kind or apiVersion)"],
      [2, [], "is neither chart values (a map) nor a Kubernetes object"],
    ]);
  });

  it("keeps line numbers when helm's header line is dropped", () => {
    const result = diagnoseSetup(
      [{ name: "helm.txt", text: "USER-SUPPLIED VALUES:\nwebConfiguration:\n  existingSecret:\n    name: wc\n" }],
      { given: { ...FACTS, chartVersion: "3.6.0" } },
    );
    if (!result.ok) throw new Error("unreadable");
    const evidence = result.report.findings.find((f) => f.id === "existing-secret-ignored")?.evidence[0];
    expect(evidence).toMatchObject({ file: "helm.txt", path: "webConfiguration.existingSecret", line: 3 });
  });

  it.each([
    ["YAML that does not parse", "a: [1,\n", /^bad\.yaml is not valid YAML: .*line \d+/],
    ["duplicate keys", "a: 1\na: 2\n", /^bad\.yaml is not valid YAML: Map keys must be unique/],
    ["a tab for indentation", "a:\n\tb: 1\n", /^bad\.yaml is not valid YAML: /],
    [
      "an alias bomb",
      `a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(",")}]`).join("\n")}\n`,
      /^bad\.yaml is not valid YAML: Excessive alias count/,
    ],
  ])("refuses %s with the file and the reason", (_, text, message) => {
    const result = diagnoseSetup([{ name: "bad.yaml", text }], { given: FACTS });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ file: "bad.yaml", field: null });
      expect(result.problems[0]?.message).toMatch(message);
    }
  });

  it("refuses two files with the same name", () => {
    const result = diagnoseSetup([values({}), values({})], { given: FACTS });
    expect(result).toEqual({
      ok: false,
      problems: [{ file: "values.yaml", field: null, message: "two files are named values.yaml" }],
    });
  });

  it("names each fact the files do not hold", () => {
    const result = diagnoseSetup([values({})]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toEqual(["chartVersion", "releaseName", "namespace"]);
  });

  it("says where an unusable fact came from", () => {
    const labelled = {
      ...SCRAPE,
      metadata: { ...SCRAPE.metadata, labels: { "helm.sh/chart": "prometheus-pushgateway-4.2.0" } },
    };
    const result = diagnoseSetup([cluster(labelled)], { given: { releaseName: "pg", namespace: "monitoring" } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]?.message).toBe(
        'Chart version 4.2.0 is not known to this tool: it supports 2.12.0 to 3.8.0 and later 3.x (from cluster.yaml metadata.labels["helm.sh/chart"])',
      );
    }
  });
});

describe("evidence", () => {
  it("shows values compactly and never a hidden one", () => {
    expect(showValue("")).toBe('""');
    expect(showValue(undefined)).toBe("(not set)");
    expect(showValue({ a: [1] })).toBe('{"a":[1]}');
    expect(showValue("x".repeat(500))).toHaveLength(120);
    const r = report(
      [
        withValues(() => {}),
        cluster(WEB_CONFIG, { ...SCRAPE, stringData: { username: "prometheus", password: "s3cret" } }),
      ],
      {
        passwordMatchesHash: () => false,
      },
    );
    expect(r.findings.map((f) => f.id)).toEqual(["password-mismatch"]);
    expect(JSON.stringify(r)).not.toMatch(/s3cret|\$2b\$/);
    expect(r.findings[0]?.evidence.map((e) => formatSource(e))).toEqual([
      "cluster.yaml:18 stringData.password = (hidden)",
      'cluster.yaml:7 stringData["web-config.yaml"] = (hidden)',
    ]);
  });

  it("cites the chart's default for a value the user did not set, and the flag for a given fact", () => {
    const r = report([
      withValues((v) => delete (v.serviceMonitor as Record<string, unknown>).basicAuth),
      cluster(WEB_CONFIG),
    ]);
    const finding = r.findings.find((f) => f.id === "servicemonitor-no-basicauth");
    expect(finding?.evidence.map((e) => formatSource(e))).toEqual([
      "serviceMonitor.basicAuth = {} (not set: chart 3.8.0's default)",
    ]);
    expect(formatSource(r.chartVersion.source)).toBe("--chart-version = 3.8.0");
    expect(formatSource(r.chartVersion.source, (f) => `the ${f} field`)).toBe("the chartVersion field = 3.8.0");
  });
});

describe("findings", () => {
  const healthy = () => [withValues(() => {}), cluster(WEB_CONFIG, SCRAPE)];

  it("finds nothing wrong with a consistent setup", () => {
    expect(ids(healthy())).toEqual([]);
  });

  it("reports findings of the rulebook's rules, each with a severity and a title", () => {
    for (const { id, severity, title } of RULES) {
      expect(["fail", "warn", "info"], id).toContain(severity);
      expect(title.length, id).toBeGreaterThan(5);
    }
  });

  it("says when the password was not compared with the hash", () => {
    expect(ids(healthy(), { passwordMatchesHash: undefined })).toEqual(["password-not-verified"]);
    expect(ids(healthy(), { passwordMatchesHash: () => undefined })).toEqual(["password-not-verified"]);
  });

  it("says what it could not check when a Secret is not pasted", () => {
    expect(ids([withValues(() => {}), cluster(SCRAPE)])).toEqual(["web-config-not-verified"]);
    expect(ids([withValues(() => {}), cluster(WEB_CONFIG)])).toEqual(["secret-not-verified"]);
  });

  it("finds a web config Secret in another namespace, without its key, or unreadable", () => {
    expect(ids([withValues(() => {}), cluster(secret("wc", WEB_CONFIG.stringData, "other"), SCRAPE)])).toEqual([
      "web-config-missing",
    ]);
    expect(ids([withValues(() => {}), cluster(secret("wc", { "web.yml": "x" }), SCRAPE)])).toEqual([
      "web-config-missing",
    ]);
    const invalid = secret("wc", { "web-config.yaml": `basic_auth_users:\n  prometheus: ${HASH}\nusers: {}\n` });
    const r = report([withValues(() => {}), cluster(invalid, SCRAPE)]);
    expect(r.findings.map((f) => [f.id, f.message])).toEqual([
      [
        "web-config-invalid",
        "Pushgateway refuses the web config in Secret monitoring/wc: the web config has keys Pushgateway rejects: users; it does not start.",
      ],
    ]);
  });

  it("finds a username the chart turns into null", () => {
    const r = report(
      [values({ webConfiguration: { basicAuthUsers: { null: "pw" } }, serviceMonitor: { enabled: true } })],
      { given: { ...FACTS, chartVersion: "3.1.0" } },
    );
    const finding = r.findings.find((f) => f.id === "raw-username-breaks");
    expect(finding?.message).toMatch(
      /username "null" unquoted into its web config, where it reads back as "": Prometheus/,
    );
    expect(finding?.fix).toMatch(/^Pick a username that is a plain YAML word/);
  });

  it("finds basic auth turned off, and an empty user list", () => {
    expect(ids([values({ serviceMonitor: { enabled: true } })])).toEqual(["auth-off"]);
    expect(
      ids([values({ webConfiguration: { basicAuthUsers: {} }, serviceMonitor: { enabled: true } })], {
        given: { ...FACTS, chartVersion: "3.1.0" },
      }),
    ).toEqual(["auth-off"]);
  });

  it("finds --web.config.file given by extraArgs and by the chart", () => {
    const r = report([
      withValues((v) => (v.extraArgs = ["--log.level=debug", "--web.config.file", "/x.yml"])),
      cluster(WEB_CONFIG, SCRAPE),
    ]);
    expect(r.findings.map((f) => [f.id, f.evidence.map(sourceKey)])).toEqual([
      ["web-config-flag-repeated", ["values.yaml:extraArgs[1]", "values.yaml:webConfiguration"]],
    ]);
  });

  it("reports the chart's render errors", () => {
    expect(ids([withValues((v) => (v.networkPolicy = { enabled: true })), cluster(WEB_CONFIG, SCRAPE)])).toEqual([
      "render-error",
    ]);
  });

  it("stops at a chart too old for basic auth", () => {
    const r = report([values({})], { given: { ...FACTS, chartVersion: "2.4.0" } });
    expect(r.findings.map((f) => f.id)).toEqual(["chart-version-unsupported"]);
    expect(r.healthy).toBe(false);
  });

  it("warns about honorLabels: false", () => {
    const r = report([
      withValues((v) => ((v.serviceMonitor as Record<string, unknown>).honorLabels = false)),
      cluster(WEB_CONFIG, SCRAPE),
    ]);
    expect(r.findings.map((f) => [f.id, f.severity, f.evidence.map(sourceKey)])).toEqual([
      ["honor-labels", "warn", ["values.yaml:serviceMonitor.honorLabels"]],
    ]);
    expect(r.healthy).toBe(true);
  });

  it("says when it does not know what Prometheus selects", () => {
    const { prometheusSelector: _, ...facts } = FACTS;
    const r = report(healthy(), { given: facts });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([["prometheus-selector-unknown", "info"]]);
  });

  it("flags files that disagree on a fact or a value", () => {
    const chartSecret = (version: string, name: string) =>
      secret(name, {}, "monitoring") && {
        ...secret(name, { x: "y" }),
        metadata: { name, namespace: "monitoring", labels: { "helm.sh/chart": `prometheus-pushgateway-${version}` } },
      };
    const { chartVersion: _, ...facts } = FACTS;
    const r = report(
      [withValues(() => {}), cluster(WEB_CONFIG, SCRAPE, chartSecret("3.8.0", "a"), chartSecret("3.7.0", "b"))],
      {
        given: facts,
      },
    );
    expect(r.findings.map((f) => [f.id, f.evidence.map(sourceKey)])).toEqual([
      [
        "conflicting-sources",
        ['cluster.yaml:metadata.labels["helm.sh/chart"]', 'cluster.yaml:metadata.labels["helm.sh/chart"]'],
      ],
    ]);
    expect(r.findings[0]?.evidence.map((e) => (e.kind === "file" ? e.document : -1))).toEqual([2, 3]);
    const two = report([
      withValues((v) => ((v.serviceMonitor as Record<string, unknown>).namespace = "monitoring")),
      values({ serviceMonitor: { namespace: "other" } }, "helm-values.yaml"),
      cluster(WEB_CONFIG, SCRAPE),
    ]);
    // The later file wins, as with helm -f: the ServiceMonitor moves away from its Secret.
    expect(two.findings.map((f) => f.id)).toEqual(["secret-not-in-servicemonitor-namespace", "conflicting-sources"]);
    expect(two.findings[1]?.message).toMatch(
      /helm-values\.yaml and values\.yaml set serviceMonitor\.namespace differently/,
    );
    expect(two.findings[1]?.evidence.map(sourceKey)).toEqual([
      "helm-values.yaml:serviceMonitor.namespace",
      "values.yaml:serviceMonitor.namespace",
    ]);
  });

  describe("Prometheus objects", () => {
    const prometheus = (spec: Record<string, unknown>, namespace = "monitoring") => ({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Prometheus",
      metadata: { name: "k8s", namespace },
      spec,
    });
    const { prometheusSelector: _, ...facts } = FACTS;
    const run = (spec: Record<string, unknown>, namespace?: string) =>
      report([...healthy(), { name: "prom.yaml", text: toYaml(prometheus(spec, namespace)) }], { given: facts });

    it.each([
      [{ serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {} }, []],
      [{ serviceMonitorSelector: {} }, []],
      [{ serviceMonitorSelector: {} }, ["prometheus-selector-mismatch"], "elsewhere"],
      [{ serviceMonitorNamespaceSelector: {} }, ["prometheus-selector-mismatch"]],
      [
        { serviceMonitorSelector: { matchLabels: { release: "kps" } }, serviceMonitorNamespaceSelector: {} },
        ["prometheus-selector-mismatch"],
      ],
      [
        {
          serviceMonitorSelector: { matchExpressions: [{ key: "release", operator: "DoesNotExist" }] },
          serviceMonitorNamespaceSelector: {},
        },
        [],
      ],
      [
        {
          serviceMonitorSelector: { matchExpressions: [{ key: "release", operator: "In", values: ["a"] }] },
          serviceMonitorNamespaceSelector: {},
        },
        ["prometheus-selector-mismatch"],
      ],
      [
        {
          serviceMonitorSelector: {},
          serviceMonitorNamespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
        },
        [],
      ],
      [
        { serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: { matchLabels: { team: "x" } } },
        ["prometheus-selector-unknown"],
      ],
    ])("%j selects as expected", (spec, expected, namespace?: string) => {
      expect(run(spec, namespace).findings.map((f) => f.id)).toEqual(expected);
    });

    it("explains a selector that is not set", () => {
      const finding = run({ serviceMonitorNamespaceSelector: {} }).findings[0];
      expect(finding?.message).toMatch(/its serviceMonitorSelector is not set, which selects no ServiceMonitor at all/);
    });
  });
});

describe("setups the corpus does not show", () => {
  it("warns, not fails, about existingSecret on a chart that ignores it while basicAuthUsers keeps auth on", () => {
    const chart36 = { given: { ...FACTS, chartVersion: "3.6.0" } };
    const users = { basicAuthUsers: { prometheus: "pw" }, existingSecret: { name: "wc" } };
    const withUsers = report([values({ webConfiguration: users, serviceMonitor: { enabled: true } })], chart36);
    expect(withUsers.findings.map((f) => [f.id, f.severity])).toEqual([["existing-secret-ignored", "warn"]]);
    expect(withUsers.healthy).toBe(true);
    const without = report([values({ webConfiguration: { existingSecret: { name: "wc" } } })], chart36);
    expect(without.findings.find((f) => f.id === "existing-secret-ignored")?.severity).toBe("fail");
  });

  it.each([
    ["a subPath mount of one key", { mountPath: "/etc/pg/web.yml", subPath: "web.yml" }, undefined, "web.yml"],
    [
      "a subPath mount of an items path",
      { mountPath: "/etc/pg/web.yml", subPath: "web.yml" },
      [{ key: "web-config.yaml", path: "web.yml" }],
      "web-config.yaml",
    ],
    ["a directory mount", { mountPath: "/etc/pg" }, undefined, "web.yml"],
  ])("finds the web config behind %s", (_, mount, items, key) => {
    const webConfig = secret("pg-web", { [key]: `basic_auth_users:\n  prometheus: ${HASH}\n` });
    const r = report(
      [
        values({
          extraArgs: ["--web.config.file", "/etc/pg/web.yml"],
          extraVolumes: [{ name: "auth", secret: { secretName: "pg-web", ...(items ? { items } : {}) } }],
          extraVolumeMounts: [{ name: "auth", readOnly: true, ...mount }],
          serviceMonitor: HEALTHY_VALUES.serviceMonitor,
          liveness: { enabled: false },
          readiness: { enabled: false },
        }),
        cluster(webConfig, SCRAPE),
      ],
      { passwordMatchesHash: () => false },
    );
    expect(r.findings.map((f) => [f.id, f.evidence.map(sourceKey)])).toEqual([
      ["password-mismatch", ["cluster.yaml:stringData.password", `cluster.yaml:stringData["${key}"]`]],
    ]);
  });

  it("takes the release from a hand-written ServiceMonitor only when it selects the chart's name", () => {
    const handWritten = (name: string, instance: string) => ({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: instance, namespace: "monitoring" },
      spec: {
        endpoints: [{ port: "http" }],
        namespaceSelector: { matchNames: ["monitoring"] },
        selector: { matchLabels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance } },
      },
    });
    const { releaseName: _, ...facts } = FACTS;
    const releaseOf = (files: InputFile[]) => report(files, { given: facts }).releaseName;
    const others = cluster(handWritten("loki", "loki"), handWritten("prometheus-pushgateway", "pg"));
    expect(releaseOf([values({}), others])).toMatchObject({ value: "pg", alternatives: [] });
    // With nameOverride the chart's name label is the override.
    const renamed = cluster(handWritten("prometheus-pushgateway", "loki"), handWritten("pgw", "pg"));
    expect(releaseOf([values({ nameOverride: "pgw" }), renamed])).toMatchObject({ value: "pg", alternatives: [] });
  });
});

describe("without a values file", () => {
  const chartLabels = {
    "helm.sh/chart": "prometheus-pushgateway-3.8.0",
    "app.kubernetes.io/name": "prometheus-pushgateway",
    "app.kubernetes.io/instance": "pg",
  };
  const monitor = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "pg-prometheus-pushgateway", namespace: "monitoring", labels: chartLabels },
    spec: {
      endpoints: [{ port: "http", honorLabels: true, basicAuth: HEALTHY_VALUES.serviceMonitor.basicAuth }],
      namespaceSelector: { matchNames: ["monitoring"] },
      selector: {
        matchLabels: { "app.kubernetes.io/name": "prometheus-pushgateway", "app.kubernetes.io/instance": "pg" },
      },
    },
  };
  const deployment = (args: string[]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "pg-prometheus-pushgateway", namespace: "monitoring", labels: chartLabels },
    spec: {
      template: {
        spec: {
          containers: [{ name: "pushgateway", args, volumeMounts: [{ name: "web-config", mountPath: "/etc/config" }] }],
          volumes: [{ name: "web-config", secret: { secretName: "wc" } }],
        },
      },
    },
  });

  it("does not take the chart's defaults (basic auth off) for a setup that only shows kubectl output", () => {
    // password-mismatch-bcrypt without its values.yaml.
    const setup = loadSetups().find((s) => s.name === "password-mismatch-bcrypt")!;
    const r = report(
      setup.files.filter((f) => f.name !== "values.yaml"),
      { given: {} },
    );
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([["web-config-not-verified", "info"]]);
    expect(r.findings[0]?.message).toMatch(/^No values file is pasted/);
    expect(r.findings[0]?.fix).toMatch(/helm get values pushgateway -n monitoring/);
  });

  it("reads the web config from the chart's own Secret, named fullname, when no values say otherwise", () => {
    const own = secret("pg-prometheus-pushgateway", {
      "web-config.yaml": `basic_auth_users:\n  prometheus: ${HASH}\n`,
    });
    expect(ids([cluster(own, SCRAPE, monitor)], { passwordMatchesHash: () => false })).toEqual(["password-mismatch"]);
    expect(ids([cluster(own, SCRAPE, monitor)])).toEqual([]);
  });

  it("reads the Secret the chart's Deployment mounts, and basic auth off from its args", () => {
    expect(
      ids([cluster(deployment(["--web.config.file=/etc/config/web-config.yaml"]), WEB_CONFIG, SCRAPE, monitor)]),
    ).toEqual([]);
    const off = report([cluster(deployment(["--log.level=info"]), WEB_CONFIG, SCRAPE, monitor)]);
    expect(off.findings.map((f) => [f.id, f.evidence.map(sourceKey)])).toEqual([
      ["auth-off", ["cluster.yaml:spec.template.spec.containers[0].args"]],
    ]);
  });

  it("takes an empty values file, or helm get values of a release without values, as the chart's defaults", () => {
    for (const text of ["", "USER-SUPPLIED VALUES:\nnull\n"]) {
      expect(ids([{ name: "values.yaml", text }, cluster(WEB_CONFIG, SCRAPE, monitor)])).toEqual(["auth-off"]);
    }
  });
});

describe("YAML that refers to itself", () => {
  const cyclic = { name: "values.yaml", text: "a: &x {b: *x}\nserviceMonitor:\n  enabled: true\n" };
  const message =
    "values.yaml cannot be used: the alias at a.b points back into the anchor that holds it, so the value never ends (a YAML cycle)";

  it.each([
    ["alone", [cyclic]],
    ["after another values file, where the values files are merged", [values({ a: { c: 1 } }, "base.yaml"), cyclic]],
    [
      "in a List",
      [
        {
          name: "values.yaml",
          text: "apiVersion: v1\nkind: List\nitems:\n- &i {kind: Secret, apiVersion: v1, metadata: {x: [*i]}}\n",
        },
      ],
    ],
  ])("is refused with the file and the reason, %s", (_, files) => {
    const result = diagnoseSetup(files as InputFile[], { given: FACTS });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ file: "values.yaml", field: null });
      expect(result.problems[0]?.message).toMatch(/^values\.yaml cannot be used: the alias at .* \(a YAML cycle\)$/);
    }
    const imported = importSetup(files as InputFile[], FACTS);
    expect(imported.ok).toBe(false);
  });

  it("names the alias that closes the cycle", () => {
    const result = diagnoseSetup([cyclic], { given: FACTS });
    expect(!result.ok && result.problems[0]?.message).toBe(message);
  });
});

describe("the scrape password as Prometheus sends it", () => {
  const plaintext = (password: string, secretPassword: string) =>
    ids(
      [
        values({
          webConfiguration: { basicAuthUsers: { prometheus: password } },
          serviceMonitor: HEALTHY_VALUES.serviceMonitor,
        }),
        cluster(secret("s", { username: "prometheus", password: secretPassword })),
      ],
      { given: { ...FACTS, chartVersion: "3.1.0" } },
    );

  it("is trimmed (Go's strings.TrimSpace) before it is compared: a padded plaintext password never matches", () => {
    // The chart hashes "pw " as written; Prometheus sends "pw": 401, even with the same text in the Secret.
    expect(plaintext("pw ", "pw ")).toEqual(["password-mismatch"]);
    expect(plaintext("pw", "pw\n")).toEqual([]);
    expect(plaintext("pw", "\u00a0pw\u3000")).toEqual([]);
  });

  it("is trimmed before the bcrypt comparison", () => {
    const asked: string[] = [];
    const scrape = secret("s", { username: "prometheus", password: "pw\r\n" });
    report([withValues(() => {}), cluster(WEB_CONFIG, scrape)], {
      passwordMatchesHash: (password) => (asked.push(password), true),
    });
    expect(asked).toEqual(["pw"]);
  });
});

describe("import", () => {
  it("prefills what the files hold even when facts are missing, and lists the missing ones", () => {
    const result = importSetup([
      values({
        nameOverride: "pgw",
        webConfiguration: { basicAuthUsers: { scraper: "pw" } },
        serviceMonitor: { interval: "1m" },
      }),
    ]);
    if (!result.ok) throw new Error("import failed");
    expect(result.import.missing).toEqual(["chartVersion", "releaseName", "namespace"]);
    expect(result.import.prefill).toEqual({ nameOverride: "pgw", username: "scraper", password: "pw", interval: "1m" });
    expect(result.import.provenance.password?.source).toMatchObject({
      path: "webConfiguration.basicAuthUsers.scraper",
      value: "(hidden)",
    });
    expect(result.import.valuesFile?.name).toBe("values.yaml");
  });

  it("prefills the hash only when the callback says it is the password's", () => {
    const files = [withValues(() => {}), cluster(WEB_CONFIG, SCRAPE)];
    const hashOf = (options?: Parameters<typeof importSetup>[2]) => {
      const result = options ? importSetup(files, FACTS, options) : importSetup(files, FACTS);
      if (!result.ok) throw new Error("import failed");
      return [
        result.import.prefill.password,
        result.import.prefill.passwordHash,
        result.import.provenance.passwordHash,
      ];
    };
    expect(hashOf()).toEqual(["pw", undefined, undefined]);
    expect(hashOf({ passwordMatchesHash: () => false })).toEqual(["pw", undefined, undefined]);
    expect(hashOf({ passwordMatchesHash: () => undefined })).toEqual(["pw", undefined, undefined]);
    const asked: [string, string][] = [];
    const kept = hashOf({ passwordMatchesHash: (password, hash) => (asked.push([password, hash]), true) });
    expect(kept.slice(0, 2)).toEqual(["pw", HASH]);
    expect(sourceKey((kept[2] as { source: Source }).source)).toBe('cluster.yaml:stringData["web-config.yaml"]');
    expect(asked).toEqual([["pw", HASH]]);
  });

  it("prefills the scrape password as Prometheus sends it, trimmed", () => {
    const result = importSetup(
      [withValues(() => {}), cluster(WEB_CONFIG, secret("s", { username: "prometheus", password: "pw\n" }))],
      FACTS,
    );
    expect(result.ok && result.import.prefill.password).toBe("pw");
  });

  it("prefills the NetworkPolicy fields only from selectors in the shape this tool writes", () => {
    const peers = [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "obs" } },
        podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
      },
      { namespaceSelector: {}, podSelector: { matchLabels: { pusher: "true" } } },
    ];
    const result = importSetup([values({ networkPolicy: { customSelectors: peers } })], FACTS);
    if (!result.ok) throw new Error("import failed");
    expect(result.import.prefill).toMatchObject({
      networkPolicyEnabled: true,
      prometheusNamespace: "obs",
      networkPolicyPrometheusPods: "app.kubernetes.io/name=prometheus",
      networkPolicyPusherPods: "pusher=true",
    });
    const other = importSetup([values({ networkPolicy: { customSelectors: [peers[0]] } })], FACTS);
    expect(other.ok && other.import.prefill.networkPolicyEnabled).toBeUndefined();
  });

  it("reads name overrides from the chart's labels and object names", () => {
    const labels = {
      "helm.sh/chart": "prometheus-pushgateway-3.8.0",
      "app.kubernetes.io/name": "pgw",
      "app.kubernetes.io/instance": "pg",
    };
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "gateway", namespace: "monitoring", labels },
      spec: { ports: [{ name: "http", port: 9091 }] },
    };
    const result = importSetup([cluster(service)], { releaseName: "pg" });
    if (!result.ok) throw new Error("import failed");
    expect(result.import.prefill).toMatchObject({
      chartVersion: "3.8.0",
      nameOverride: "pgw",
      fullnameOverride: "gateway",
    });
    expect(sourceKey(result.import.provenance.fullnameOverride!.source)).toBe("cluster.yaml:metadata.name");
  });
});
