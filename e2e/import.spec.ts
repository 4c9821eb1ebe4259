/**
 * Start from what is deployed: paste or drop a broken setup, see why Prometheus gets 401,
 * fill the form from it, and download a fix that keeps the user's values.yaml and works.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { validateConfig } from "../lib/index";
import { problemsOnRealStack } from "../tests/support/real-stack";
import { field, fileRegion, setPassword, unzipDownload } from "./helpers";

const SETUPS = join(process.cwd(), "tests/fixtures/setups");
const setupFiles = (name: string) =>
  readdirSync(join(SETUPS, name))
    .filter((f) => f !== "expected.yaml")
    .map((f) => join(SETUPS, name, f));

const diagnosis = (page: Page) => page.getByRole("region", { name: "Diagnosis" });
// A diagnosis loads its code and compares passwords with bcrypt hashes in the worker.
const DIAGNOSED = { timeout: 20_000 };

test("a broken 2.14.0 setup: diagnosed, filled in, fixed in the user's own values.yaml, and scraped up", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  const dir = join(SETUPS, "chart-2.14.0-servicemonitor-without-basicauth");
  const values = readFileSync(join(dir, "values.yaml"), "utf8");
  // values.yaml pasted, the kubectl output uploaded.
  await field(page, "Existing setup").fill(values);
  await field(page, "Upload files").setInputFiles(join(dir, "kubectl-get-secret-servicemonitor.yaml"));
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();

  const report = diagnosis(page);
  await expect(report.getByRole("alert")).toHaveText(
    "1 problem stops Prometheus from scraping Pushgateway.",
    DIAGNOSED,
  );
  await expect(report).toContainText("Fail: This chart's ServiceMonitor cannot carry credentials");
  // Evidence names the file, the line and the path.
  await expect(report).toContainText("pasted text:12 serviceMonitor.enabled = true");

  await page.getByRole("button", { name: "Fill the form from this setup" }).click();
  await expect(field(page, "Chart version")).toHaveValue("2.14.0");
  await expect(field(page, "Release name")).toHaveValue("pushgateway");
  await expect(field(page, "Username")).toHaveValue("prometheus");
  await expect(field(page, "Password")).toHaveValue("Scr4pe-me-pls");
  const provenance = page.getByRole("region", { name: "Filled in from your setup" });
  await expect(provenance).toContainText("Chart version from kubectl-get-secret-servicemonitor.yaml:17");
  await expect(provenance).toContainText(
    "Password from pasted text:9 webConfiguration.basicAuthUsers.prometheus = (hidden)",
  );

  // Fast scrapes for the real check below; the merge follows the form.
  await field(page, "Scrape interval").fill("2s");
  await field(page, "Scrape timeout").fill("1s");
  await setPassword(page, "Scr4pe-me-pls");
  const diff = page.getByRole("region", { name: "Changes to your pasted text" });
  await expect(diff).toContainText("+   enabled: false");
  await expect(diff).not.toContainText("Scr4pe-me-pls");
  await expect(fileRegion(page, "values.yaml")).toContainText(
    "# Turned on after the security review (SEC-88): everything needs a password now.",
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download all" }).click(),
  ]);
  const files = await unzipDownload(download);
  // Every line of the user's file that the fix does not touch is still there, comments too.
  const kept = values.split("\n").filter((line) => !/enabled: true|interval: 30s/.test(line));
  for (const line of kept) expect(files["values.yaml"]?.split("\n")).toContain(line);

  const config = validateConfig({
    chartVersion: "2.14.0",
    prometheusSelector: "release=kube-prometheus-stack",
    serviceMonitorNamespace: "monitoring",
    interval: "2s",
    scrapeTimeout: "1s",
    password: "Scr4pe-me-pls",
  });
  if (!config.ok) throw new Error(JSON.stringify(config.errors));
  expect(await problemsOnRealStack(config.config, files)).toEqual([]);
  expect(errors).toEqual([]);
});

test("a password that does not match the bcrypt hash is found in the worker", async ({ page }) => {
  await page.goto("/");
  await field(page, "Upload files").setInputFiles(setupFiles("password-mismatch-bcrypt"));
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();
  await expect(diagnosis(page)).toContainText("Fail: Scrape password does not match", DIAGNOSED);
  await expect(diagnosis(page)).toContainText("(hidden)");
});

test("a healthy setup reports nothing that fails", async ({ page }) => {
  await page.goto("/");
  await field(page, "Upload files").setInputFiles(setupFiles("healthy-3.8.0-values"));
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();
  await expect(diagnosis(page).getByRole("status")).toHaveText(
    "Healthy: nothing here would make Prometheus get 401 or skip Pushgateway.",
    DIAGNOSED,
  );
  await expect(diagnosis(page)).not.toContainText("Fail:");
});

test("files can be dropped onto the panel", async ({ page }) => {
  await page.goto("/");
  // Once the page's scripts run: before, a drop is the browser's (it opens the file).
  await page.waitForLoadState("networkidle");
  const text = readFileSync(join(SETUPS, "prometheus-label-missing", "values.yaml"), "utf8");
  const transfer = await page.evaluateHandle((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], "dropped-values.yaml", { type: "application/yaml" }));
    return dt;
  }, text);
  await page.getByRole("region", { name: "Already installed and getting 401?" }).dispatchEvent("drop", {
    dataTransfer: transfer,
  });
  await expect(page.getByRole("list", { name: "Uploaded files" })).toContainText("dropped-values.yaml");
});

test("input that cannot be read is explained, not thrown", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  await field(page, "Existing setup").fill("a: [unclosed\n  - {{ nope");
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "cannot be diagnosed" })).toContainText("pasted text");
  expect(errors).toEqual([]);
});
