/**
 * What scrapers themselves say, as the rules read it: a Prometheus or VMAgent `/api/v1/targets`
 * answer, a Prometheus config (or kube-prometheus-stack values) holding scrape jobs, and an
 * Alloy configuration block. Pasted files and a generated bundle's files are sorted into these
 * next to values and objects (lib/rules/input.ts).
 */
import { getPath, isMap } from "../values/values";
import type { YamlPath } from "../yaml/path";
import type { FileOrigin } from "./input";

/** One target as Prometheus and VMAgent list it under data.activeTargets or data.droppedTargets. */
export interface TargetEntry {
  /** Index in its list. */
  index: number;
  scrapePool: string;
  scrapeUrl: string;
  health: string;
  lastError: string;
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
}

/** A `/api/v1/targets` answer. */
export interface TargetList {
  origin: FileOrigin;
  active: TargetEntry[];
  dropped: TargetEntry[];
}

/** Scrape jobs as Prometheus reads them, from prometheus.yml or kube-prometheus-stack values. */
export interface PrometheusJobs {
  kind: "prometheus-jobs";
  origin: FileOrigin;
  /** Where the list of jobs is in the document. */
  jobsPath: YamlPath;
  jobs: unknown[];
  /** kube-prometheus-stack's prometheus.prometheusSpec.secrets (mounted at /etc/prometheus/secrets/NAME/), or null. */
  mountedSecrets: string[] | null;
}

/** An Alloy configuration block (Alloy syntax, not YAML). */
export interface AlloyConfig {
  kind: "alloy";
  file: string;
  text: string;
}

export type ScraperConfig = PrometheusJobs | AlloyConfig;

export const KPS_JOBS_PATH = ["prometheus", "prometheusSpec", "additionalScrapeConfigs"];
const KPS_SECRETS_PATH = "prometheus.prometheusSpec.secrets";

const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isMap(v) ? v : {}).filter((e): e is [string, string] => typeof e[1] === "string"));

function entries(list: unknown): TargetEntry[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((t, index) =>
    isMap(t)
      ? [
          {
            index,
            scrapePool: String(t.scrapePool ?? ""),
            scrapeUrl: String(t.scrapeUrl ?? ""),
            health: String(t.health ?? ""),
            lastError: String(t.lastError ?? ""),
            labels: strings(t.labels),
            discoveredLabels: strings(t.discoveredLabels),
          },
        ]
      : [],
  );
}

/** A `/api/v1/targets` answer (`{status, data: {activeTargets, droppedTargets}}`), or null. */
export function readTargetList(doc: unknown, origin: FileOrigin): TargetList | null {
  const data = getPath(doc, "data");
  if (!isMap(data) || !Array.isArray(data.activeTargets)) return null;
  return { origin, active: entries(data.activeTargets), dropped: entries(data.droppedTargets) };
}

/** Scrape jobs in a Prometheus config or in kube-prometheus-stack values, or null. */
export function readPrometheusJobs(doc: unknown, origin: FileOrigin): PrometheusJobs | null {
  if (!isMap(doc)) return null;
  if (Array.isArray(doc.scrape_configs)) {
    return {
      kind: "prometheus-jobs",
      origin,
      jobsPath: ["scrape_configs"],
      jobs: doc.scrape_configs,
      mountedSecrets: null,
    };
  }
  const jobs = getPath(doc, KPS_JOBS_PATH.join("."));
  if (Array.isArray(jobs)) {
    const secrets = getPath(doc, KPS_SECRETS_PATH);
    return {
      kind: "prometheus-jobs",
      origin,
      jobsPath: KPS_JOBS_PATH,
      jobs,
      mountedSecrets: Array.isArray(secrets) ? secrets.map(String) : [],
    };
  }
  return null;
}

/** The Secret keys Alloy's basic_auth reads with `remote.kubernetes.secret.LABEL.data["KEY"]`, or its literal username. */
export function alloyBasicAuth(text: string): {
  username: { key?: string; literal?: string };
  password: { key?: string };
} {
  const block = /basic_auth\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  const line = (field: "username" | "password") => new RegExp(`\\b${field}\\s*=\\s*([^\\n]*)`).exec(block)?.[1] ?? "";
  const key = (field: "username" | "password") =>
    /remote\.kubernetes\.secret\.\w+\.data\[\s*"([^"]*)"\s*\]/.exec(line(field))?.[1];
  const literal = /^"([^"]*)"\s*$/.exec(line("username").trim())?.[1];
  return { username: { key: key("username"), literal }, password: { key: key("password") } };
}
