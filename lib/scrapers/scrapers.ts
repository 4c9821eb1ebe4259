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
}

export const SCRAPERS: readonly ScraperSpec[] = [
  { id: "operator", label: "Prometheus Operator (ServiceMonitor)" },
  { id: "scrapeconfig", label: "Prometheus Operator (ScrapeConfig)" },
  { id: "victoriametrics", label: "VictoriaMetrics operator (VMServiceScrape)" },
  { id: "alloy", label: "Grafana Alloy" },
  { id: "prometheus", label: "Prometheus without the Operator" },
];

export const SCRAPER_IDS: readonly Scraper[] = SCRAPERS.map((s) => s.id);

/** The scraper's spec. */
export function scraperSpec(id: Scraper): ScraperSpec {
  return SCRAPERS.find((s) => s.id === id) as ScraperSpec;
}
