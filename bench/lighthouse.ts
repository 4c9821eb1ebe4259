/** Lighthouse 12.2.3 (pinned: 13 needs Node 22), mobile preset, in Debian's Chromium. */
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM } from "../playwright.config";

export interface LighthouseFigures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  tbtMs: number;
  lcpMs: number;
  cls: number;
  /** How fast Lighthouse found this host's CPU, before its 4x slowdown. */
  benchmarkIndex: number;
}

export async function runLighthouse(url: string): Promise<LighthouseFigures> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM.executablePath,
    chromeFlags: ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", ...CHROMIUM.args],
  });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error" });
    if (!result) throw new Error("Lighthouse returned no result");
    const { categories, audits, environment } = result.lhr;
    const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
    return {
      performance: score("performance"),
      accessibility: score("accessibility"),
      bestPractices: score("best-practices"),
      seo: score("seo"),
      tbtMs: audits["total-blocking-time"]?.numericValue ?? NaN,
      lcpMs: audits["largest-contentful-paint"]?.numericValue ?? NaN,
      cls: audits["cumulative-layout-shift"]?.numericValue ?? NaN,
      benchmarkIndex: Math.round(environment.benchmarkIndex),
    };
  } finally {
    chrome.kill();
  }
}
