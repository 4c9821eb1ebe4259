/**
 * Breaking and passing inputs for the scraper rules (lib/rules/scraper-rules.ts) and the
 * diagnosis from the scraper's own reports (lib/rules/target-rules.ts), appended to
 * BUNDLE_CASES and SETUP_CASES in cases.ts.
 */
import { FILE_NAMES, type InputFile } from "../../../lib/index";
import { parseYamlDocuments, toYaml, toYamlFile } from "../../../lib/yaml/serialize";

interface Bundle {
  files: Record<string, string>;
}

// Documents are edited as plain data; `any` keeps the edits short.
type Doc = any;

function edit(b: Bundle, name: string, change: (docs: Doc[]) => void): void {
  const docs = parseYamlDocuments(b.files[name] as string) as Doc[];
  change(docs);
  b.files[name] = toYamlFile(docs);
}

const scrapeSecret = (b: Bundle, change: (secret: Doc) => void) =>
  edit(b, FILE_NAMES.secret, (docs) => change(docs.find((d) => d.type === "kubernetes.io/basic-auth")));
const wrongPassword = (b: Bundle) => scrapeSecret(b, (x) => (x.stringData.password = "Old-passw0rd"));
const noChange = () => {};

/** The credential rules, for every scraper that reads the scrape Secret other than a ServiceMonitor. */
const CREDENTIAL_CASES = (["scrapeconfig", "victoriametrics", "alloy", "prometheus"] as const).flatMap((scraper) => [
  {
    rule: "password-mismatch",
    config: { scraper },
    breaks: wrongPassword,
    status: "fail" as const,
    passes: noChange,
    diagnosed: scraper === "scrapeconfig" || scraper === "victoriametrics",
  },
  {
    rule: "unknown-user",
    config: { scraper },
    breaks: (b: Bundle) =>
      scraper === "prometheus"
        ? // The job carries the username itself; the Secret only the password it mounts.
          edit(b, FILE_NAMES.kubePrometheusStackValues, ([v]) => {
            v.prometheus.prometheusSpec.additionalScrapeConfigs[0].basic_auth.username = "someone";
          })
        : scrapeSecret(b, (x) => (x.stringData.username = "someone")),
    status: "fail" as const,
  },
]);

export const SCRAPER_BUNDLE_CASES = [
  ...CREDENTIAL_CASES,
  {
    rule: "scrape-timing",
    config: { scraper: "scrapeconfig" as const },
    breaks: (b: Bundle) => edit(b, FILE_NAMES.scrapeConfig, ([o]) => (o.spec.scrapeTimeout = "1m")),
    status: "fail" as const,
    passes: noChange,
    diagnosed: true,
  },
  {
    rule: "scrape-timing",
    config: { scraper: "victoriametrics" as const },
    breaks: (b: Bundle) => edit(b, FILE_NAMES.vmServiceScrape, ([o]) => (o.spec.endpoints[0].scrapeTimeout = "1m")),
    status: "fail" as const,
    passes: noChange,
  },
  {
    rule: "scrape-timing",
    config: { scraper: "prometheus" as const },
    breaks: (b: Bundle) => edit(b, FILE_NAMES.prometheusJob, ([v]) => (v.scrape_configs[0].scrape_timeout = "1m")),
    status: "fail" as const,
    passes: noChange,
  },
  {
    rule: "scrape-timing",
    config: { scraper: "alloy" as const },
    breaks: (b: Bundle) =>
      void (b.files[FILE_NAMES.alloyConfig] = (b.files[FILE_NAMES.alloyConfig] as string).replace(
        'scrape_timeout  = "10s"',
        'scrape_timeout  = "1m"',
      )),
    status: "fail" as const,
    passes: noChange,
  },
  {
    rule: "scrape-object-secret",
    config: { scraper: "alloy" as const },
    // Alloy reads a key the Secret lacks.
    breaks: (b: Bundle) =>
      void (b.files[FILE_NAMES.alloyConfig] = (b.files[FILE_NAMES.alloyConfig] as string).replace(
        '.data["password"]',
        '.data["pass"]',
      )),
    status: "fail" as const,
  },
  {
    rule: "scrape-object-secret",
    config: { scraper: "scrapeconfig" as const },
    breaks: (b: Bundle) =>
      edit(b, FILE_NAMES.secret, (docs) => {
        docs.find((d) => d.type === "kubernetes.io/basic-auth").metadata.namespace = "elsewhere";
      }),
    status: "fail" as const,
  },
  {
    rule: "scrape-object-secret",
    config: { scraper: "victoriametrics" as const },
    breaks: (b: Bundle) =>
      edit(b, FILE_NAMES.vmServiceScrape, ([o]) => (o.spec.endpoints[0].basicAuth.password.key = "pass")),
    status: "fail" as const,
  },
  {
    rule: "scrape-object-target",
    config: { scraper: "victoriametrics" as const },
    breaks: (b: Bundle) => edit(b, FILE_NAMES.vmServiceScrape, ([o]) => (o.spec.endpoints[0].port = "metrics")),
    status: "fail" as const,
  },
  {
    rule: "scrape-object-target",
    config: { scraper: "scrapeconfig" as const },
    breaks: (b: Bundle) =>
      edit(b, FILE_NAMES.scrapeConfig, ([o]) => (o.spec.staticConfigs[0].targets = ["pushgateway.default.svc:9091"])),
    status: "fail" as const,
  },
  {
    rule: "alloy-rbac-secret",
    config: { scraper: "alloy" as const },
    breaks: (b: Bundle) =>
      edit(b, FILE_NAMES.alloyRbac, ([role]) => (role.rules[0].resourceNames = ["another-secret"])),
    status: "fail" as const,
  },
  {
    rule: "alloy-rbac-secret",
    config: { scraper: "alloy" as const },
    breaks: (b: Bundle) => edit(b, FILE_NAMES.alloyRbac, ([role]) => delete role.rules[0].resourceNames),
    status: "warn" as const,
  },
  {
    rule: "prometheus-password-file",
    config: { scraper: "prometheus" as const },
    breaks: (b: Bundle) =>
      edit(b, FILE_NAMES.kubePrometheusStackValues, ([v]) => (v.prometheus.prometheusSpec.secrets = ["other"])),
    status: "fail" as const,
  },
  {
    rule: "prometheus-password-file",
    config: { scraper: "prometheus" as const },
    breaks: (b: Bundle) =>
      edit(b, FILE_NAMES.secret, (docs) => {
        docs.find((d) => d.type === "kubernetes.io/basic-auth").metadata.namespace = "monitoring-other";
      }),
    status: "fail" as const,
  },
];

/** What Prometheus's /api/v1/targets answers, with one target for Pushgateway (or none). */
export function targetsJson(pushgateway: { health: string; lastError: string; scrapePool?: string } | null): InputFile {
  const self = {
    discoveredLabels: { __address__: "localhost:9090", job: "prometheus" },
    labels: { instance: "localhost:9090", job: "prometheus" },
    scrapePool: "prometheus",
    scrapeUrl: "http://localhost:9090/metrics",
    health: "up",
    lastError: "",
  };
  const pg = pushgateway && {
    discoveredLabels: { __address__: "10.0.0.7:9091" },
    labels: { instance: "10.0.0.7:9091", job: "pg-prometheus-pushgateway", service: "pg-prometheus-pushgateway" },
    scrapePool: "serviceMonitor/monitoring/pg-prometheus-pushgateway/0",
    scrapeUrl: "http://10.0.0.7:9091/metrics",
    ...pushgateway,
  };
  const body = { status: "success", data: { activeTargets: pg ? [self, pg] : [self], droppedTargets: [] } };
  return { name: "targets.json", text: JSON.stringify(body, null, 2) };
}

/** A ServiceMonitor for the pasted setup, with the Operator's status (Operator 0.80+). */
function rejectedServiceMonitor(): Doc {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "pg-prometheus-pushgateway", namespace: "monitoring" },
    spec: {
      endpoints: [
        {
          port: "http",
          honorLabels: true,
          basicAuth: { username: { name: "s", key: "username" }, password: { name: "s", key: "pass" } },
        },
      ],
      namespaceSelector: { matchNames: ["monitoring"] },
      selector: {
        matchLabels: { "app.kubernetes.io/name": "prometheus-pushgateway", "app.kubernetes.io/instance": "pg" },
      },
    },
    status: {
      bindings: [
        {
          group: "monitoring.coreos.com",
          resource: "prometheuses",
          name: "k8s",
          namespace: "monitoring",
          conditions: [
            {
              type: "Accepted",
              status: "False",
              reason: "InvalidConfiguration",
              message: 'failed to get basic auth password: key "pass" in secret "s" not found',
            },
          ],
        },
      ],
    },
  };
}

/** Setup cases: the healthy paste of cases.ts plus what the scraper reports. */
export function scraperSetupCases(healthy: InputFile[], values: unknown, cluster: (...docs: unknown[]) => InputFile) {
  return [
    {
      rule: "target-unauthorized",
      breaks: [...healthy, targetsJson({ health: "down", lastError: "server returned HTTP status 401 Unauthorized" })],
      status: "fail" as const,
    },
    {
      // VMAgent's wording (lib/promscrape: "unexpected status code returned when scraping %q: %d; expecting %d; response body: %q"), its pool.
      rule: "target-unauthorized",
      breaks: [
        ...healthy,
        targetsJson({
          health: "down",
          scrapePool: "serviceScrape/monitoring/pg-prometheus-pushgateway/0",
          lastError:
            'unexpected status code returned when scraping "http://10.0.0.7:9091/metrics": 401; expecting 200; response body: "Unauthorized\\n"',
        }),
      ],
      status: "fail" as const,
    },
    {
      rule: "target-down",
      breaks: [
        ...healthy,
        targetsJson({
          health: "down",
          scrapePool: "serviceScrape/monitoring/pg-prometheus-pushgateway/0",
          lastError:
            'cannot scrape "http://10.0.0.7:9091/metrics": dial tcp 10.0.0.7:9091: connect: connection refused',
        }),
      ],
      status: "fail" as const,
    },
    { rule: "target-missing", breaks: [...healthy, targetsJson(null)], status: "fail" as const },
    {
      rule: "target-down",
      breaks: [
        ...healthy,
        targetsJson({
          health: "down",
          lastError: 'Get "http://10.0.0.7:9091/metrics": dial tcp 10.0.0.7:9091: connect: connection refused',
        }),
      ],
      status: "fail" as const,
    },
    {
      rule: "servicemonitor-rejected",
      breaks: [
        { name: "values.yaml", text: toYaml({ ...(values as object), serviceMonitor: { enabled: false } }) },
        ...healthy.slice(1),
        cluster(rejectedServiceMonitor()),
      ],
      status: "fail" as const,
    },
  ];
}
