/**
 * Who scrapes Pushgateway, as data: the "Scraped by" choice. Each scraper gets its own objects
 * (lib/outputs/scraper-files.ts), its rules (lib/rules/scraper-rules.ts) and guide steps.
 * Kept free of imports so the form can show the choice before the engine loads.
 */

export type Scraper = "operator" | "scrapeconfig" | "victoriametrics" | "alloy" | "prometheus";

export interface ScraperSpec {
  id: Scraper;
  /** Short name in the form's choice. */
  label: string;
  /** One line: what the bundle ships for it. */
  summary: string;
}

export const SCRAPERS: readonly ScraperSpec[] = [
  {
    id: "operator",
    label: "Prometheus Operator (ServiceMonitor)",
    summary: "A ServiceMonitor with basicAuth, labelled for your Prometheus's serviceMonitorSelector.",
  },
  {
    id: "scrapeconfig",
    label: "Prometheus Operator (ScrapeConfig)",
    summary:
      "A monitoring.coreos.com/v1alpha1 ScrapeConfig with basicAuth from the Secret; the chart's ServiceMonitor is disabled.",
  },
  {
    id: "victoriametrics",
    label: "VictoriaMetrics operator (VMServiceScrape)",
    summary:
      "An operator.victoriametrics.com/v1beta1 VMServiceScrape with basicAuth from the Secret, labelled for your VMAgent; the chart's ServiceMonitor is disabled.",
  },
  {
    id: "alloy",
    label: "Grafana Alloy",
    summary:
      "A prometheus.scrape block whose password Alloy reads with remote.kubernetes.secret, and RBAC that lets Alloy get that one Secret and nothing else; the chart's ServiceMonitor is disabled.",
  },
  {
    id: "prometheus",
    label: "Prometheus without the Operator",
    summary:
      "A scrape_config job with basic_auth.password_file, the Secret to mount, and the kube-prometheus-stack additionalScrapeConfigs wiring; the chart's ServiceMonitor is disabled.",
  },
];

export const SCRAPER_IDS: readonly Scraper[] = SCRAPERS.map((s) => s.id);

/** The scraper's spec. */
export function scraperSpec(id: Scraper): ScraperSpec {
  return SCRAPERS.find((s) => s.id === id) as ScraperSpec;
}
