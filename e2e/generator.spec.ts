import { expect, test, type Page } from "@playwright/test";
import { hashSync } from "bcryptjs";
import { field, fileNames, fileRegion, setPassword, shownText, unzipDownload, runCli } from "./helpers";

const PASSWORD = "s3cret: 'pass' #1";

const pageErrors: Error[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors.length = 0;
  page.on("pageerror", (error) => pageErrors.push(error));
  await page.goto("/");
});
test.afterEach(() => expect(pageErrors).toEqual([]));

test("shows the files with placeholders until a password is typed or generated", async ({ page }) => {
  await expect(page.getByText(/^Placeholders stand where the password and its hash go\./)).toBeVisible();
  await expect(fileRegion(page, "values.yaml")).toBeVisible();
  await expect(page.getByRole("button", { name: "Download all" })).toBeDisabled();
  await page.getByRole("button", { name: "Generate strong password" }).click();
  await expect(field(page, "Password")).toHaveValue(/^[A-Za-z0-9]{24}$/);
  await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
});

test("typing a release name updates the values and ServiceMonitor previews", async ({ page }) => {
  await setPassword(page, PASSWORD);
  await page.getByRole("radio", { name: /standalone/ }).check();
  await expect.poll(() => fileNames(page)).toEqual(["values.yaml", "secret.yaml", "servicemonitor.yaml", "README.md"]);
  const release = field(page, "Release name");
  await release.fill("");
  await release.pressSequentially("metrics-gw");
  await expect(fileRegion(page, "values.yaml")).toContainText("name: metrics-gw-prometheus-pushgateway-web-config");
  const sm = fileRegion(page, "servicemonitor.yaml");
  await expect(sm).toContainText("name: metrics-gw-prometheus-pushgateway\n");
  await expect(sm).toContainText("app.kubernetes.io/instance: metrics-gw");
  await expect(sm).toContainText("name: metrics-gw-prometheus-pushgateway-scrape-auth");
});

test("shows the default settings before the page's scripts run", async ({ page }) => {
  await page.route("**/_next/static/chunks/**/*.js", (route) => route.abort());
  // Not "load": the aborted scripts never settle it.
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await expect(field(page, "Chart version")).toHaveValue("3.8.0");
  await expect(field(page, "Release name")).toHaveValue("pushgateway");
  await expect(field(page, "Prometheus selector label")).toHaveValue("release=kube-prometheus-stack");
  await expect(page.getByRole("checkbox", { name: /Only let Prometheus/ })).not.toBeChecked();
});

/** Holds the page's scripts until the returned function is called. */
async function holdScripts(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**/*.js", async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Resolves once React owns the field (it hydrated). */
async function hydrated(page: Page, label: string) {
  await expect
    .poll(() => field(page, label).evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))))
    .toBe(true);
}

test("keeps what was typed and ticked before the page's scripts ran", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await field(page, "Release name").fill("early-gw");
  await field(page, "ServiceMonitor namespace").fill("batch");
  await page.getByRole("checkbox", { name: /Only let Prometheus/ }).check();
  await field(page, "Password").fill(PASSWORD);
  release();
  // Nothing is typed after hydration: the files follow from the early input alone.
  await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
  await expect(field(page, "Release name")).toHaveValue("early-gw");
  const values = fileRegion(page, "values.yaml");
  await expect(values).toContainText("name: early-gw-prometheus-pushgateway-web-config");
  await expect(values).toContainText("networkPolicy:\n  customSelectors:");
  await expect(fileRegion(page, "secret.yaml")).toContainText("namespace: batch\n");
});

test("keeps a strategy picked before the page's scripts ran", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await page.getByRole("radio", { name: /^standalone/ }).check();
  release();
  await hydrated(page, "Release name");
  await setPassword(page, PASSWORD);
  await expect(page.getByRole("radio", { name: /^standalone/ })).toBeChecked();
  expect(await fileNames(page)).toEqual(["values.yaml", "secret.yaml", "servicemonitor.yaml", "README.md"]);
});

test("typing across the moment the page hydrates loses no keystroke", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  const version = field(page, "Chart version");
  await version.fill("");
  await version.pressSequentially("2.1");
  release();
  await hydrated(page, "Chart version");
  await version.pressSequentially("4.0");
  await expect(version).toHaveValue("2.14.0");
  await expect(version).not.toHaveAttribute("aria-invalid");
  await expect(page.getByRole("radio", { name: /^standalone/ })).toBeChecked();
});

test("keeps a setup pasted before the page's scripts ran", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await field(page, "Existing setup").fill("webConfiguration:\n  basicAuthUsers:\n    prometheus: hunter2-hunter2\n");
  release();
  await hydrated(page, "Existing setup");
  await page.getByRole("button", { name: "Diagnose", exact: true }).click();
  await expect(page.getByRole("region", { name: "Diagnosis" })).toContainText("pasted text");
});

test("switching the chart version to 2.14.0 switches the strategy and the files", async ({ page }) => {
  await setPassword(page, PASSWORD);
  await expect(page.getByRole("radio", { name: /^values/ })).toBeChecked();
  expect(await fileNames(page)).toEqual(["values.yaml", "secret.yaml", "README.md"]);

  await field(page, "Chart version").fill("2.14.0");
  const strategy = page.getByRole("group", { name: "ServiceMonitor strategy" });
  await expect(strategy.getByRole("radio", { name: /^standalone/ })).toBeChecked();
  await expect(strategy.getByRole("radio")).toHaveCount(2);
  await expect(strategy).toContainText("Disables the chart's ServiceMonitor and ships one that carries basicAuth.");
  await expect.poll(() => fileNames(page)).toEqual(["values.yaml", "secret.yaml", "servicemonitor.yaml", "README.md"]);
  await expect(fileRegion(page, "values.yaml")).toContainText("basicAuthUsers:");
  await expect(fileRegion(page, "values.yaml")).toContainText("enabled: false");

  await strategy.getByRole("radio", { name: /^patch/ }).check();
  await expect
    .poll(() => fileNames(page))
    .toEqual([
      "values.yaml",
      "secret.yaml",
      "post-renderer/servicemonitor-patch.yaml",
      "post-renderer/kustomization.yaml",
      "post-renderer/post-renderer.sh",
      "post-renderer/plugin.yaml",
      "README.md",
    ]);
});

test("the form column stays put when scrolled to its end, so a click there lands where it was aimed", async ({
  page,
}) => {
  // The strategy radios sit near the end of the form, which scrolls on its own on a wide screen.
  // A click scrolls its target into view, then presses and releases in later tasks: whatever
  // moves the target in the frames after the scroll turns the click into one on whatever is
  // there then (the pick was lost).
  const standalone = page.getByRole("radio", { name: /^standalone/ });
  const positions = await standalone.evaluate(async (radio) => {
    radio.scrollIntoView({ block: "center" });
    const ys = [radio.getBoundingClientRect().y];
    // The browser lays out what a scroll brings into view over the next frames.
    for (let frame = 0; frame < 5; frame++) {
      await new Promise(requestAnimationFrame);
      ys.push(radio.getBoundingClientRect().y);
    }
    return ys;
  });
  expect(new Set(positions).size, `positions after the scroll: ${positions.join(", ")}`).toBe(1);
  await standalone.check();
  await expect(standalone).toBeChecked();
});

test("an invalid namespace shows its error next to the field and marks the preview outdated", async ({ page }) => {
  await setPassword(page, PASSWORD);
  const namespace = field(page, "Namespace");
  await namespace.fill("Not Valid");
  await expect(namespace).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await namespace.getAttribute("aria-describedby")) ?? "";
  const error = page.locator(`[id="${describedBy.split(" ").at(-1)}"]`);
  await expect(error).toHaveText(/^Namespace must be a DNS-1123 label/);
  await expect(page.getByText("Outdated.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Download all" })).toBeDisabled();
  // The last valid files stay, never broken YAML.
  await expect(fileRegion(page, "values.yaml")).toContainText("namespace: monitoring");

  await namespace.fill("batch");
  await expect(namespace).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Outdated.")).toHaveCount(0);
  await expect(fileRegion(page, "values.yaml")).toContainText("namespace: batch");
});

test("Copy puts the exact file on the clipboard, with the password the preview masks", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await setPassword(page, PASSWORD);
  await page.getByRole("button", { name: "Copy values.yaml" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied values.yaml" })).toBeAttached();
  const values = await page.evaluate(() => navigator.clipboard.readText());
  expect(values).toBe(await shownText(page, "values.yaml"));

  await page.getByRole("button", { name: "Copy secret.yaml" }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toContain(`password: "${PASSWORD}"`);
  expect(await shownText(page, "secret.yaml")).not.toContain(PASSWORD);
  expect(await shownText(page, "secret.yaml")).toContain("password: ••••••••");
  await page.getByRole("button", { name: "Show password" }).click();
  expect(await shownText(page, "secret.yaml")).toBe(secret);
});

test("Download all gives a zip byte-identical to the CLI's output for the same input and hash", async ({ page }) => {
  const hash = hashSync(PASSWORD, 10);
  await field(page, "Release name").fill("gw");
  await field(page, "Namespace").fill("jobs");
  await field(page, "ServiceMonitor namespace").fill("observability");
  await field(page, "Prometheus selector label").fill("release=prom");
  await page.getByText("Reuse an existing bcrypt hash").click();
  await field(page, "Password hash").fill(hash);
  await setPassword(page, PASSWORD);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download all" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("pushgateway-auth-gw.zip");
  const zipped = await unzipDownload(download);
  // The page's address goes in README.md's share link; the CLI learns it from --from-url,
  // and the explicit flags (which override the link) carry the same settings.
  const cli = runCli(
    [
      "--from-url",
      await field(page, "Share link").inputValue(),
      "--release",
      "gw",
      "--namespace",
      "jobs",
      "--servicemonitor-namespace",
      "observability",
      "--prometheus-selector",
      "release=prom",
      "--password-hash",
      hash,
    ],
    PASSWORD,
  );
  expect(Object.keys(zipped).sort()).toEqual(Object.keys(cli).sort());
  expect(zipped).toEqual(cli);
});

test("a per-file Download gives that file", async ({ page }) => {
  await setPassword(page, PASSWORD);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download values.yaml" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("values.yaml");
  const { readFileSync } = await import("node:fs");
  expect(readFileSync((await download.path()) as string, "utf8")).toBe(await shownText(page, "values.yaml"));
});

test("a wrong password hash is reported next to its field", async ({ page }) => {
  await page.getByText("Reuse an existing bcrypt hash").click();
  await field(page, "Password hash").fill(hashSync("something else", 4));
  await field(page, "Password").fill(PASSWORD);
  await expect(page.getByText("Password hash does not match the password", { exact: true })).toBeVisible();
  await expect(field(page, "Password hash")).toHaveAttribute("aria-invalid", "true");
  // No files from a hash that does not belong to the password: the placeholders stay.
  await expect(page.getByRole("region", { name: "Files" })).toContainText("Password hash does not match the password.");
  await expect(page.getByRole("button", { name: "Download all" })).toBeDisabled();
  await expect(fileRegion(page, "secret.yaml")).toContainText("<PLACEHOLDER: its bcrypt hash>");
});

test("works with the keyboard alone", async ({ page }) => {
  await field(page, "Chart version").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("3.1.0");
  for (let i = 0; i < 20 && !(await field(page, "Password").evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Show password" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Hide password" })).toBeFocused();
  await expect(fileRegion(page, "values.yaml")).toContainText(`prometheus: "${PASSWORD}"`);
});

test("fits a phone screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await setPassword(page, PASSWORD);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("keeps the hash while other fields change, and hashes again only for a new password", async ({ page }) => {
  await setPassword(page, PASSWORD);
  const hashIn = async () => /\$2b\$10\$[./A-Za-z0-9]{53}/.exec(await shownText(page, "secret.yaml"))?.[0];
  const first = await hashIn();
  expect(first).toBeTruthy();
  await field(page, "Release name").fill("other");
  await field(page, "Chart version").fill("3.7.0");
  await expect(fileRegion(page, "values.yaml")).toContainText("other-prometheus-pushgateway-web-config");
  expect(await hashIn()).toBe(first);
  await setPassword(page, `${PASSWORD}!`);
  expect(await hashIn()).not.toBe(first);
});

test("loads nothing from other hosts", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.reload();
  await setPassword(page, PASSWORD);
  await field(page, "Chart version").fill("2.14.0");
  await expect(fileRegion(page, "servicemonitor.yaml")).toBeVisible();
  const origin = new URL(page.url()).origin;
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
});
