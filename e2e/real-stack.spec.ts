/**
 * The files the page downloads work for real: Debian's Pushgateway and Prometheus scrape with
 * them, `up`, exactly as the engine tests prove for the CLI's files.
 */
import { expect, test } from "@playwright/test";
import { validateConfig } from "../lib/index";
import { problemsOnRealStack } from "../tests/support/real-stack";
import { field, setPassword, unzipDownload } from "./helpers";

const PASSWORD = `Zq9 "pw": #ü`;

for (const { chartVersion, strategy } of [
  { chartVersion: "3.8.0", strategy: "values" },
  { chartVersion: "2.14.0", strategy: "patch" },
]) {
  test(`the downloaded ${chartVersion} ${strategy} bundle is scraped up by Prometheus`, async ({ page }) => {
    await page.goto("/");
    await field(page, "Chart version").fill(chartVersion);
    await field(page, "Release name").fill("pgw");
    await field(page, "Scrape interval").fill("2s");
    await field(page, "Scrape timeout").fill("1s");
    await page.getByRole("radio", { name: new RegExp(`^${strategy}`) }).check();
    await setPassword(page, PASSWORD);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download all" }).click(),
    ]);
    const files = await unzipDownload(download);

    const config = validateConfig({
      chartVersion,
      releaseName: "pgw",
      interval: "2s",
      scrapeTimeout: "1s",
      serviceMonitorMode: strategy,
      password: PASSWORD,
    });
    if (!config.ok) throw new Error(JSON.stringify(config.errors));
    expect(await problemsOnRealStack(config.config, files)).toEqual([]);
  });
}
