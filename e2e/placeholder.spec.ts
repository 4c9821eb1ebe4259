/**
 * The files are on screen from the first paint: the server-rendered page already holds every
 * file for the default settings, with marked placeholders where the password and its hash go,
 * and the checks that already hold. Nothing with a placeholder can be copied or downloaded;
 * once a password is typed or generated, the real files take the placeholders' place without
 * moving anything on the page.
 */
import { expect, test, type Page } from "@playwright/test";
import { field, fileRegion, setPassword, shownText } from "./helpers";

const PASSWORD_PLACEHOLDER = "<PLACEHOLDER: the password>";
const HASH_PLACEHOLDER = "<PLACEHOLDER: its bcrypt hash>";
const PASSWORD = "Pl4ceholder-gone";

/** The placeholder state of the default settings, as the page shows it before or without scripts. */
async function expectPlaceholderFiles(page: Page) {
  const files = page.getByRole("region", { name: "Files", exact: true });
  for (const name of ["values.yaml", "secret.yaml", "README.md"]) await expect(fileRegion(page, name)).toBeVisible();
  // The placeholders are marked, and no valid-looking value stands in for them.
  const secret = fileRegion(page, "secret.yaml");
  await expect(secret.locator("mark", { hasText: PASSWORD_PLACEHOLDER })).toBeVisible();
  await expect(secret.locator("mark", { hasText: HASH_PLACEHOLDER })).toBeVisible();
  expect(await shownText(page, "secret.yaml")).not.toMatch(/\$2[aby]\$/);
  await expect(fileRegion(page, "values.yaml")).toContainText("name: pushgateway-prometheus-pushgateway-scrape-auth");

  // Copy and Download of a file with placeholders are impossible, and say why.
  for (const action of ["Copy", "Download"]) {
    const button = page.getByRole("button", { name: `${action} secret.yaml` });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(
      "Holds placeholders where the password goes: Copy and Download work once you type or generate one.",
    );
  }
  const all = page.getByRole("button", { name: "Download all" });
  await expect(all).toBeDisabled();
  await expect(all).toHaveAccessibleDescription(/^Placeholders stand where the password and its hash go\./);
  await expect(files.getByText(/^Placeholders stand where the password and its hash go\./)).toBeVisible();

  // The checks say which hold already, and that the password is the one thing missing.
  const checks = page.getByRole("region", { name: "Consistency checks" });
  await expect(checks).toContainText(/\d+ of \d+ checks pass; the password is the one thing missing/);
  await expect(
    checks.getByRole("listitem").filter({ hasText: "Pass: ServiceMonitor selects the Service" }),
  ).toHaveCount(1);
  await expect(checks.getByRole("listitem").filter({ hasText: "Waiting: Credentials agree" })).toContainText(
    "is checked once the password is there",
  );
  await expect(checks.getByRole("alert")).toHaveCount(0);
}

test("the server-rendered page shows every file with placeholders, without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expectPlaceholderFiles(page);
  // The islands are in the server HTML too.
  await expect(page.getByRole("region", { name: "Deploy and verify" })).toContainText(
    "kubectl create namespace monitoring",
  );
  await expect(field(page, "Existing setup")).toBeVisible();
  await context.close();
});

test("before the page's scripts run, the files are there, placeholders marked", async ({ page }) => {
  await page.route("**/_next/static/chunks/**/*.js", (route) => route.abort());
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await expectPlaceholderFiles(page);
});

test("once hydrated, a file without placeholders can already be copied", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/");
  await page.getByRole("button", { name: "Copy values.yaml" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied values.yaml" })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await shownText(page, "values.yaml"));
  await expect(page.getByRole("button", { name: "Copy secret.yaml" })).toBeDisabled();
});

/** Position and size of what the switch to real files could move. */
async function layout(page: Page) {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll("section.checks, section.preview .note, section.file, section.share, section.guide"),
    ].map((el) => {
      const box = el.getBoundingClientRect();
      return `${el.className} ${el.getAttribute("aria-labelledby") ?? el.id}: ${box.top + scrollY} ${box.height}`;
    }),
  );
}

/**
 * Watches layout shifts of the results (checks, files, share link, guide) from now on,
 * including those right after input: the hash arrives a moment after the last keystroke.
 */
async function watchShifts(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { shifts: string[] };
    w.shifts = [];
    const results = document.querySelector(".results") as Element;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { value, sources } = entry as unknown as { value: number; sources: { node?: Node }[] };
        for (const { node } of sources) {
          if (node && results.contains(node)) w.shifts.push(`${value} ${(node as Element).outerHTML?.slice(0, 80)}`);
        }
      }
    }).observe({ type: "layout-shift" });
  });
  return () => page.evaluate(() => (window as unknown as { shifts: string[] }).shifts);
}

for (const how of ["typed", "generated"] as const) {
  test(`a ${how} password replaces the placeholders with the real files, moving nothing`, async ({ page }) => {
    await page.goto("/");
    // The engine has loaded and made the placeholder files itself: the page is settled.
    await field(page, "Release name").focus();
    await expect(field(page, "Share link")).not.toHaveValue("");
    // Off-screen sections are laid out at a stand-in size until first seen (content-visibility):
    // measure the real layout.
    await page.evaluate(() =>
      document
        .querySelectorAll<HTMLElement>(".results > section, .preview > .file")
        .forEach((el) => (el.style.contentVisibility = "visible")),
    );
    const before = await layout(page);
    const shifts = await watchShifts(page);

    if (how === "typed") await setPassword(page, PASSWORD);
    else {
      await page.getByRole("button", { name: "Generate strong password" }).click();
      await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
    }
    const secret = await shownText(page, "secret.yaml");
    expect(secret).not.toContain("PLACEHOLDER");
    expect(secret).toContain("password: ••••••••");
    expect(secret).toMatch(/prometheus: \$2b\$10\$[./A-Za-z0-9]{53}\n/);
    await expect(fileRegion(page, "secret.yaml").locator("mark")).toHaveCount(0);
    for (const action of ["Copy", "Download"]) {
      await expect(page.getByRole("button", { name: `${action} secret.yaml` })).toBeEnabled();
    }
    const checks = page.getByRole("region", { name: "Consistency checks" });
    await expect(checks).toContainText(/(\d+) of \1 checks pass\./);
    await expect(checks).toContainText("Pass: Credentials agree");
    await expect(checks).not.toContainText("Waiting:");

    expect(await layout(page)).toEqual(before);
    expect(await shifts()).toEqual([]);
  });
}

test("placeholders follow the settings before any password: chart 3.1.0 puts one in values.yaml", async ({ page }) => {
  await page.goto("/");
  await field(page, "Chart version").fill("3.1.0");
  const values = fileRegion(page, "values.yaml");
  await expect(values).toContainText(`prometheus: "${PASSWORD_PLACEHOLDER}"`);
  await expect(page.getByRole("button", { name: "Copy values.yaml" })).toBeDisabled();
  await expect(fileRegion(page, "secret.yaml")).not.toContainText(HASH_PLACEHOLDER);
  await setPassword(page, PASSWORD);
  await expect(values).toContainText("prometheus: ••••••••");
  await expect(page.getByRole("button", { name: "Copy values.yaml" })).toBeEnabled();
});
