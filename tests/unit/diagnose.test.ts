/**
 * The diagnosis piece by piece: reading what users paste, the facts and their sources, and the
 * findings the corpus in tests/fixtures/setups does not already cover.
 */
import { describe, expect, it } from "vitest";
import { readSetupFiles } from "../../lib/diagnose/read-setup";
import { formatSource, showValue, sourceKey } from "../../lib/diagnose/evidence";
import { diagnoseSetup, FINDINGS, importSetup, type DiagnoseOptions, type InputFile } from "../../lib/index";
import { toYaml, toYamlFile } from "../../lib/yaml/serialize";

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
    expect(read.setup.values.map((v) => [v.file, v.format, v.values])).toEqual([
      ["helm.txt", "helm-get-values", { serviceMonitor: { enabled: true } }],
      ["all.yaml", "helm-get-values", { nameOverride: "x" }],
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

  it("catalogues every finding with a severity and a title", () => {
    for (const [id, { severity, title }] of Object.entries(FINDINGS)) {
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
