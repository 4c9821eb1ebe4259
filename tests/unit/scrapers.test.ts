/**
 * Every scraper's bundle: its objects validated against their real schemas (the vendored
 * ScrapeConfig and VMServiceScrape CRDs, Kubernetes' RBAC and Secret), the chart's
 * ServiceMonitor disabled, and every name, namespace and key agreeing with the Secret.
 */
import { describe, expect, it } from "vitest";
import { FILE_NAMES, generate, validateConfig, type Config } from "../../lib/index";
import { alloySecretRef } from "../../lib/rules/scraper-rules";
import { SCRAPER_IDS } from "../../lib/scrapers/scrapers";
import { parseYamlDocuments } from "../../lib/yaml/serialize";
import { PASSWORD, PASSWORD_HASH } from "../support/cases";
import { validateManifest } from "../support/schemas";

const configOf = (input: Record<string, unknown>): Config => {
  const r = validateConfig({ password: PASSWORD, passwordHash: PASSWORD_HASH, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
};
const docs = (files: Record<string, string>, name: string) => parseYamlDocuments(files[name] as string) as any[];

describe.each(SCRAPER_IDS.flatMap((scraper) => ["2.14.0", "3.1.0", "3.8.0"].map((v) => [scraper, v] as const)))(
  "scraper %s, chart %s",
  (scraper, chartVersion) => {
    const config = configOf({
      scraper,
      chartVersion,
      serviceMonitorNamespace: "observability",
      prometheusNamespace: "prom",
    });
    const { files } = generate(config);

    it("validates every Kubernetes object against its schema", () => {
      for (const [name, text] of Object.entries(files)) {
        if (!name.endsWith(".yaml") || name === FILE_NAMES.values || name.startsWith("prometheus/")) continue;
        for (const doc of parseYamlDocuments(text)) expect(() => validateManifest(doc), name).not.toThrow();
      }
    });

    it("disables the chart's ServiceMonitor unless the Operator's ServiceMonitor scrapes", () => {
      const [values] = docs(files, FILE_NAMES.values);
      if (scraper === "operator") return;
      expect(values.serviceMonitor).toEqual({ enabled: false });
      expect(files[FILE_NAMES.serviceMonitor]).toBeUndefined();
      expect(files[FILE_NAMES.patch]).toBeUndefined();
    });

    it("reads the scrape Secret where it is, with its keys", () => {
      const secret = docs(files, FILE_NAMES.secret).find((d) => d.type === "kubernetes.io/basic-auth");
      const at = `${secret.metadata.namespace}/${secret.metadata.name}`;
      expect(secret.stringData).toEqual({ username: config.username, password: config.password });
      if (scraper === "scrapeconfig") {
        const [o] = docs(files, FILE_NAMES.scrapeConfig);
        expect(`${o.metadata.namespace}/${o.spec.basicAuth.password.name}`).toBe(at);
        expect(o.spec.staticConfigs[0].targets).toEqual([`pushgateway-prometheus-pushgateway.monitoring.svc:9091`]);
      } else if (scraper === "victoriametrics") {
        const [o] = docs(files, FILE_NAMES.vmServiceScrape);
        expect(`${o.metadata.namespace}/${o.spec.endpoints[0].basicAuth.password.name}`).toBe(at);
        expect(o.metadata.labels.release).toBe("kube-prometheus-stack");
      } else if (scraper === "alloy") {
        const ref = alloySecretRef(files[FILE_NAMES.alloyConfig] as string);
        expect(`${ref?.namespace}/${ref?.name}`).toBe(at);
        const [role, binding] = docs(files, FILE_NAMES.alloyRbac);
        expect(role.metadata.namespace).toBe(secret.metadata.namespace);
        expect(role.rules).toEqual([
          { apiGroups: [""], resources: ["secrets"], resourceNames: [secret.metadata.name], verbs: ["get"] },
        ]);
        expect(binding.roleRef.name).toBe(role.metadata.name);
        expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "alloy", namespace: "prom" }]);
      } else if (scraper === "prometheus") {
        expect(secret.metadata.namespace).toBe("prom");
        const [kps] = docs(files, FILE_NAMES.kubePrometheusStackValues);
        const [plain] = docs(files, FILE_NAMES.prometheusJob);
        expect(kps.prometheus.prometheusSpec.secrets).toEqual([secret.metadata.name]);
        expect(kps.prometheus.prometheusSpec.additionalScrapeConfigs).toEqual(plain.scrape_configs);
        expect(plain.scrape_configs[0].basic_auth).toEqual({
          username: config.username,
          password_file: `/etc/prometheus/secrets/${secret.metadata.name}/password`,
        });
      } else {
        expect(secret.metadata.namespace).toBe("observability");
      }
    });
  },
);

describe("the CRD schemas", () => {
  const { files } = generate(configOf({ scraper: "scrapeconfig" }));
  const [sc] = docs(files, FILE_NAMES.scrapeConfig);
  it("reject a ScrapeConfig that breaks the CRD", () => {
    expect(() => validateManifest({ ...sc, spec: { ...sc.spec, scrapeInterval: "30 seconds" } })).toThrow(
      /scrapeInterval/,
    );
    expect(() => validateManifest({ ...sc, spec: { ...sc.spec, basicAuth: { password: { name: "x" } } } })).toThrow(
      /key/,
    );
    expect(() => validateManifest({ ...sc, spec: { ...sc.spec, honorlabels: true } })).toThrow(
      /unknown field spec.honorlabels/,
    );
  });
  const [vm] = docs(generate(configOf({ scraper: "victoriametrics" })).files, FILE_NAMES.vmServiceScrape);
  it("reject a VMServiceScrape that breaks the CRD", () => {
    expect(() => validateManifest({ ...vm, spec: { ...vm.spec, endpoints: undefined } })).toThrow(/endpoints/);
    expect(() =>
      validateManifest({
        ...vm,
        spec: { ...vm.spec, endpoints: [{ ...vm.spec.endpoints[0], basicAuth: { username: {} } }] },
      }),
    ).toThrow(/key/);
  });
});
