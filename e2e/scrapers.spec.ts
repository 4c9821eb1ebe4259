/**
 * "Scraped by" in the page: choosing a scraper changes the files, the checks, the guide and the
 * share link; and a scraper's own target list, captured from a real Prometheus, is diagnosed
 * through the import panel.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { parseYamlDocuments, toYamlFile } from "../lib/yaml/serialize";
import { field, fileNames, fileRegion, runCli, setPassword } from "./helpers";

const PASSWORD = "Scr4pe-me-pls";
const WRONG = "Old-passw0rd";
const checks = (page: import("@playwright/test").Page) => page.getByRole("region", { name: "Consistency checks" });
const guide = (page: import("@playwright/test").Page) => page.getByRole("region", { name: "Deploy and verify" });

test("choosing a scraper changes the files, the checks, the guide and the share link", async ({ page, browser }) => {
  await page.goto("/");
  await setPassword(page, PASSWORD);
  expect(await fileNames(page)).not.toContain("scrapeconfig.yaml");
  await field(page, "Scraped by").selectOption({ label: "Prometheus Operator (ScrapeConfig)" });

  await expect.poll(() => fileNames(page)).toContain("scrapeconfig.yaml");
  expect(await fileNames(page)).not.toContain("servicemonitor.yaml");
  await expect(fileRegion(page, "scrapeconfig.yaml")).toContainText("kind: ScrapeConfig");
  await expect(fileRegion(page, "values.yaml")).toContainText("enabled: false");
  // The checks judge the ScrapeConfig: its Secret and its target.
  await expect(checks(page)).toContainText("The scraper's Secret resolves");
  await expect(checks(page)).toContainText("The scraper points at Pushgateway's Service");
  await expect(checks(page)).not.toContainText("Fail:");
  // The guide collects the ScrapeConfig for diagnose, and checks the ScrapeConfig's pool.
  await expect(guide(page)).toContainText("kubectl get secret,scrapeconfig -n monitoring -o yaml > cluster.yaml");
  await expect(guide(page)).toContainText('startswith("scrapeConfig/monitoring/');

  const link = await field(page, "Share link").inputValue();
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(link);
  await expect(field(fresh, "Scraped by")).toHaveValue("scrapeconfig");
  await setPassword(fresh, PASSWORD);
  expect(await fileNames(fresh)).toContain("scrapeconfig.yaml");
  await fresh.context().close();
});

test("a target list captured from a real Prometheus is diagnosed through the import panel", async ({ page }) => {
  // The scrapeconfig bundle as deployed, its scrape Secret holding another password than the hashed one.
  const bundle = runCli(
    ["--chart-version", "3.8.0", "--release", "pg", "--namespace", "monitoring", "--scraper", "scrapeconfig"],
    PASSWORD,
  );
  const secrets = parseYamlDocuments(bundle["secret.yaml"] as string) as any[];
  secrets.find((s) => s.type === "kubernetes.io/basic-auth").stringData.password = WRONG;
  const dir = mkdtempSync(join(tmpdir(), "pga-e2e-targets-"));
  writeFileSync(join(dir, "values.yaml"), bundle["values.yaml"] as string);
  writeFileSync(
    join(dir, "cluster.yaml"),
    toYamlFile([...secrets, ...parseYamlDocuments(bundle["scrapeconfig.yaml"] as string)]),
  );
  // Captured from Debian's prometheus scraping Debian's prometheus-pushgateway with that password.
  const targets = join(dir, "targets.json");
  writeFileSync(targets, readFileSync("tests/fixtures/targets/prometheus-scrapeconfig-401.json", "utf8"));

  await page.goto("/");
  const panel = page.getByRole("region", { name: "Already installed and getting 401?" });
  await expect(panel).toContainText("/api/v1/targets");
  await field(page, "Release name").fill("pg");
  await field(page, "Upload files").setInputFiles([join(dir, "values.yaml"), join(dir, "cluster.yaml"), targets]);
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();

  const report = page.getByRole("region", { name: "Diagnosis" });
  await expect(report).toContainText("Fail: The scraper gets 401 from Pushgateway", { timeout: 20_000 });
  await expect(report).toContainText("targets.json:");
  await expect(report).toContainText("data.activeTargets[0].lastError = server returned HTTP status 401 Unauthorized");
  // The cause, from the Secret the ScrapeConfig reads; never its value.
  await expect(report).toContainText("Fail: Scrape password does not match");
  await expect(report).toContainText("which ScrapeConfig monitoring/pg-prometheus-pushgateway reads");
  await expect(report).not.toContainText("No ServiceMonitor for Pushgateway");
  await expect(report).not.toContainText(WRONG);
});
