import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { hashSync } from "bcryptjs";
import { NASTY_LINKS, sampleMalformedLinks } from "../tests/support/malformed-links";
import { field, fileRegion, runCli, setPassword, unzipDownload } from "./helpers";

const PASSWORD = "Uniq-Sh4re-Passw0rd";

/** The page's own alert about a link (Next.js adds a route announcer with role alert too). */
const linkAlert = (page: Page) => page.getByRole("form", { name: "Configuration" }).getByRole("alert");

const SETTINGS: [label: string, value: string][] = [
  ["Chart version", "2.14.0"],
  ["Release name", "metrics-gw"],
  ["Namespace", "batch-jobs"],
  ["Username", "scraper"],
  ["ServiceMonitor namespace", "observability"],
  ["Prometheus selector label", "release=prom,team=platform"],
  ["Prometheus namespace", "observability"],
  ["Scrape interval", "1m"],
  ["Scrape timeout", "45s"],
];

async function fillSettings(page: Page) {
  for (const [label, value] of SETTINGS) await field(page, label).fill(value);
  await page.getByRole("radio", { name: /^patch/ }).check();
  await page.getByRole("checkbox", { name: /Only let Prometheus and the pushing jobs/ }).check();
  await field(page, "Pusher pod labels").fill("role=batch");
}

/** Everything a browser context keeps or shows that a password could leak into. */
async function traces(page: Page, context: BrowserContext): Promise<string> {
  const stored = await page.evaluate(async () => {
    const dbs = "databases" in indexedDB ? await indexedDB.databases() : [];
    return JSON.stringify({
      url: location.href,
      history: history.state,
      local: { ...localStorage },
      session: { ...sessionStorage },
      indexedDB: dbs,
      cookies: document.cookie,
    });
  });
  return stored + JSON.stringify(await context.cookies());
}

test("a copied link restores every setting in a fresh browser, asks for the password, and leaks it nowhere", async ({
  browser,
}) => {
  const seen: string[] = [];
  const first = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await first.newPage();
  page.on("request", (r) => seen.push(r.url(), r.postData() ?? "", JSON.stringify(r.headers())));
  page.on("console", (m) => seen.push(m.text()));
  await page.goto("/");
  const historyLength = await page.evaluate(() => history.length);
  await fillSettings(page);
  await setPassword(page, PASSWORD);
  await page.getByRole("button", { name: "Copy share link" }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(await field(page, "Share link").inputValue());
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#s1\.[A-Za-z0-9+\-$]+$/);
  await expect(page.getByText("The link holds no password and no hash")).toBeVisible();
  // The address bar follows the settings without adding history entries.
  await expect.poll(() => page.url()).toBe(link);
  expect(await page.evaluate(() => history.length)).toBe(historyLength);
  seen.push(await traces(page, first));

  const second = await browser.newContext();
  const fresh = await second.newPage();
  fresh.on("request", (r) => seen.push(r.url(), r.postData() ?? "", JSON.stringify(r.headers())));
  fresh.on("console", (m) => seen.push(m.text()));
  await fresh.goto(link);
  for (const [label, value] of SETTINGS) await expect(field(fresh, label)).toHaveValue(value);
  await expect(fresh.getByRole("radio", { name: /^patch/ })).toBeChecked();
  await expect(fresh.getByRole("checkbox", { name: /Only let Prometheus and the pushing jobs/ })).toBeChecked();
  await expect(field(fresh, "Pusher pod labels")).toHaveValue("role=batch");
  await expect(field(fresh, "Password")).toHaveValue("");
  await expect(fresh.getByText("Settings restored from a share link. Enter the password")).toBeVisible();
  await expect(linkAlert(fresh)).toHaveCount(0);
  await setPassword(fresh, PASSWORD);
  await expect(field(fresh, "Share link")).toHaveValue(link);
  seen.push(await traces(fresh, second));

  for (const trace of seen) expect(trace).not.toContain(PASSWORD);
  await first.close();
  await second.close();
});

test("the CLI given the same link writes exactly the page's download", async ({ page }) => {
  const hash = hashSync(PASSWORD, 10);
  await page.goto("/");
  await fillSettings(page);
  await field(page, "Chart version").fill("3.8.0");
  await page.getByText("Reuse an existing bcrypt hash").click();
  await field(page, "Password hash").fill(hash);
  await setPassword(page, PASSWORD);
  const link = await field(page, "Share link").inputValue();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download all" }).click(),
  ]);
  const zipped = await unzipDownload(download);
  expect(zipped["README.md"]).toContain(`Reopen these settings (the link holds no password): ${link}\n`);
  expect(runCli(["--from-url", link, "--password-hash", hash], PASSWORD)).toEqual(zipped);
});

test("shows the guide for exactly these settings, each step with a Copy button", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/");
  await fillSettings(page);
  const guide = page.getByRole("region", { name: "Deploy and verify" });
  await guide.getByRole("button", { name: "Copy: Install the chart through the post-renderer" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    [
      "chmod +x post-renderer/post-renderer.sh",
      'case "$(helm version --short)" in',
      "  v4*)",
      "    helm plugin list | grep -q '^pushgateway-auth-observability-metrics-gw-prometheus-pushgateway\\s' || helm plugin install ./post-renderer",
      "    helm upgrade --install metrics-gw oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway --version 2.14.0 -n batch-jobs -f values.yaml --post-renderer pushgateway-auth-observability-metrics-gw-prometheus-pushgateway ;;",
      "  *)",
      "    helm upgrade --install metrics-gw oci://ghcr.io/prometheus-community/charts/prometheus-pushgateway --version 2.14.0 -n batch-jobs -f values.yaml --post-renderer ./post-renderer/post-renderer.sh ;;",
      "esac",
      "# Or from the Helm repository:",
      "# helm repo add prometheus-community https://prometheus-community.github.io/helm-charts",
      "# helm repo update prometheus-community",
      "# Helm 4: helm upgrade --install metrics-gw prometheus-community/prometheus-pushgateway --version 2.14.0 -n batch-jobs -f values.yaml --post-renderer pushgateway-auth-observability-metrics-gw-prometheus-pushgateway",
      "# Helm 3: helm upgrade --install metrics-gw prometheus-community/prometheus-pushgateway --version 2.14.0 -n batch-jobs -f values.yaml --post-renderer ./post-renderer/post-renderer.sh",
    ].join("\n"),
  );
  await expect(guide).toContainText("kubectl create namespace observability");
  await expect(guide).toContainText("kubectl -n observability port-forward svc/prometheus-operated 9090:9090");
  await expect(guide).toContainText("only admits pods labelled role=batch");
  await expect(guide.getByRole("button", { name: /^Copy: / })).toHaveCount(10);
});

test("malformed, truncated and tampered links never break the page", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  const links = [...NASTY_LINKS.map(([link]) => link), ...sampleMalformedLinks(220)];
  expect(links.length).toBeGreaterThanOrEqual(200);
  for (const link of links) {
    await page.evaluate((hash) => {
      location.hash = hash.startsWith("#") ? hash.slice(1) : hash;
    }, link);
  }
  await page.waitForTimeout(300);
  expect(errors).toEqual([]);
  // Nothing from a link became markup or ran.
  expect(await page.evaluate(() => (window as unknown as { xss?: number }).xss)).toBeUndefined();
  expect(await page.locator("img, iframe, [onerror]").count()).toBe(0);

  // Each hand-picked problem is announced.
  for (const [link, problem] of NASTY_LINKS.filter(([, p]) => p.source !== "^$").slice(0, 12)) {
    await page.evaluate((hash) => (location.hash = hash.slice(hash.indexOf("#") + 1)), `#${link.replace(/^#/, "")}`);
    await expect(linkAlert(page)).toContainText(problem);
  }
  // And the page still works.
  await setPassword(page, PASSWORD);
  await expect(fileRegion(page, "values.yaml")).toBeVisible();
});

test("a link carrying script-like settings shows them as text, never as HTML", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const { compressToEncodedURIComponent } = (await import("lz-string")).default;
  const payload = JSON.stringify({
    releaseName: '"><img src=x onerror="window.xss=1">',
    prometheusSelector: "<script>window.xss=2</script>",
    username: "{{ .Release.Name }}",
  });
  await page.goto(`/#s1.${compressToEncodedURIComponent(payload)}`);
  const alert = linkAlert(page);
  await expect(alert).toContainText("Release name from the link was replaced by the default");
  await expect(alert).toContainText("Prometheus selector label from the link was replaced by the default");
  await expect(field(page, "Release name")).toHaveValue("pushgateway");
  // Allowed where this tool writes the web config itself (chart 3.7.0 and later).
  await expect(field(page, "Username")).toHaveValue("{{ .Release.Name }}");
  expect(await page.evaluate(() => (window as unknown as { xss?: number }).xss)).toBeUndefined();
  expect(await page.locator("img").count()).toBe(0);
  expect(errors).toEqual([]);
});
