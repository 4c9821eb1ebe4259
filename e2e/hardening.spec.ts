/**
 * What a security review checks: the policy the page is served with, that a whole session
 * leaks the password nowhere and talks to no other host, hostile input, accessibility and
 * keyboard use. Runs against `next start` and the static export alike.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { field, fileRegion, setPassword, unzipDownload, watchCsp } from "./helpers";

const PASSWORD = "Hyg1ene-Secret-7781";

test("is served with a strict Content-Security-Policy and no-referrer, and cannot be framed", async ({
  page,
  browser,
}, testInfo) => {
  const response = await page.goto("/");
  const headers = response?.headers() ?? {};
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/unsafe-(eval|inline)|https?:|\*/);
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  // A static host may not send headers at all: the export carries its policy in the page too.
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveCount(testInfo.project.name === "static" ? 1 : 0);

  const framer = await (await browser.newContext()).newPage();
  await framer.setContent(`<iframe src="${page.url()}" title="framed"></iframe>`);
  await framer.waitForTimeout(1000);
  const framed = framer.frames().find((f) => f !== framer.mainFrame());
  expect(framed).toBeDefined();
  await expect.poll(() => framed?.url()).toMatch(/^chrome-error:/);
  // Chrome shows its own error page in the frame instead of the app.
  expect(await framed?.getByRole("heading", { name: "pushgateway-auth" }).count()).toBe(0);
  expect(await framed?.getByLabel("Password", { exact: true }).count()).toBe(0);
});

test("a whole session reports no CSP violation, leaks the password nowhere and talks only to its origin", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const violations = await watchCsp(page);
  const traffic: string[] = [];
  const console: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) =>
    traffic.push(`${r.method()} ${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ""}`),
  );
  page.on("console", (m) => console.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("worker", (w) => w.on("console", (m) => console.push(m.text())));
  await page.goto("/");
  const origin = new URL(page.url()).origin;

  await expect(field(page, "Password")).toHaveAttribute("autocomplete", "new-password");
  await expect(field(page, "Password")).toHaveAttribute("type", "password");
  await field(page, "Release name").fill("gw");
  await field(page, "Password").pressSequentially(PASSWORD, { delay: 20 });
  await setPassword(page, PASSWORD);
  // The Secret preview masks the password until the user reveals it.
  expect(await page.content()).not.toContain(PASSWORD);
  await expect(fileRegion(page, "secret.yaml")).toContainText("password: ••••••••");
  for (const version of ["3.1.0", "2.14.0", "3.0.0", "3.8.0"]) {
    await field(page, "Chart version").fill(version);
    await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
    // Charts before 3.7.0 put the plaintext in values.yaml: still masked.
    expect(await page.content(), version).not.toContain(PASSWORD);
  }
  await page.getByRole("radio", { name: /^standalone/ }).check();
  await page.getByRole("button", { name: "Copy secret.yaml" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(PASSWORD);
  await page.getByRole("button", { name: "Copy share link" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download all" }).click(),
  ]);
  // The password really was in play: the bundle holds it, where it belongs.
  expect((await unzipDownload(download))["secret.yaml"]).toContain(PASSWORD);
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(fileRegion(page, "secret.yaml")).toContainText(PASSWORD);
  await page.getByRole("button", { name: "Hide password" }).click();
  await page.getByRole("button", { name: "Generate strong password" }).click();
  await field(page, "Password").fill(PASSWORD);
  await page.waitForTimeout(600);

  const kept = await page.evaluate(async () => ({
    url: location.href,
    history: JSON.stringify(history.state),
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    indexedDB: JSON.stringify(await indexedDB.databases()),
    caches: JSON.stringify("caches" in window ? await caches.keys() : []),
    resources: JSON.stringify(performance.getEntriesByType("resource").map((e) => e.name)),
  }));
  const cookies = JSON.stringify(await context.cookies());
  for (const [where, text] of Object.entries({
    ...kept,
    cookies,
    traffic: traffic.join("\n"),
    console: console.join("\n"),
  })) {
    expect(text, where).not.toContain(PASSWORD);
  }
  expect(kept.local).toBe("{}");
  expect(kept.session).toBe("{}");
  expect(kept.indexedDB).toBe("[]");
  expect(traffic.filter((t) => !t.split(" ")[1]?.startsWith(origin) && !t.split(" ")[1]?.startsWith("blob:"))).toEqual(
    [],
  );
  expect(await violations()).toEqual([]);
  expect(errors).toEqual([]);
});

const HOSTILE = [
  ": # - [ ] { } & * ! | > ' \" % @ `",
  "  leading and trailing  ",
  "line\nbreak\ttab",
  "nul\u0000and\u0007bell",
  "😀 emoji and مرحبا right-to-left",
  "{{ .Release.Name }}{{ end }}",
  "</script><script>window.xss=1</script>",
  '"><img src=x onerror="window.xss=2">',
  "x".repeat(10_000),
];
const TEXT_FIELDS = [
  "Chart version",
  "Release name",
  "Namespace",
  "Username",
  "Password",
  "ServiceMonitor namespace",
  "Prometheus selector label",
  "Prometheus namespace",
  "Scrape interval",
  "Scrape timeout",
];

test("hostile input in any field gives a field error or a valid bundle, never a crash or markup", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  await setPassword(page, PASSWORD);
  for (const label of TEXT_FIELDS) {
    const input = field(page, label);
    const original = await input.inputValue();
    for (const value of HOSTILE) {
      await input.fill(value);
      const invalid = (await input.getAttribute("aria-invalid")) === "true";
      if (invalid) {
        // The field's own message sits next to it.
        const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
        await expect(page.locator(`[id="${describedBy.split(" ").at(-1)}"]`)).toContainText(
          label.split(" ")[0] as string,
        );
        await expect(page.getByText("Outdated.")).toBeVisible();
      }
    }
    await input.fill(original);
  }
  expect(await page.evaluate(() => (window as unknown as { xss?: number }).xss)).toBeUndefined();
  expect(await page.locator("img, iframe, [onerror]").count()).toBe(0);
  expect(errors).toEqual([]);
  await expect(page.getByText("Outdated.")).toHaveCount(0);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`has no WCAG 2.1 AA violations in ${colorScheme} mode: empty, filled and with errors`, async ({ page }) => {
    // Three full audits of a long page: over a minute when the suite loads both cores.
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    await page.goto("/");
    const audit = async (state: string) => {
      const { violations } = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(violations.map((v) => `${state}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual(
        [],
      );
    };
    await audit("empty");
    await setPassword(page, PASSWORD);
    await page.getByRole("checkbox", { name: /Only let Prometheus/ }).check();
    await page.locator("details summary").first().click();
    await audit("filled");
    await field(page, "Namespace").fill("Not Valid");
    await field(page, "Scrape timeout").fill("5m");
    await expect(page.getByText("Outdated.")).toBeVisible();
    await audit("errors");
  });
}

test("the whole flow works by keyboard alone, with a visible focus indicator on every stop", async ({ page }) => {
  await page.goto("/");
  const stops: string[] = [];
  // Tab from the top to "Download all", typing where a field needs a value.
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return {
        name:
          el.getAttribute("aria-label") ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? "",
        tag: el.tagName,
        visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      };
    });
    stops.push(focus.name);
    expect(focus.visible, `focus ring on ${focus.tag} "${focus.name}"`).toBe(true);
    if (focus.name === "Password") {
      await page.keyboard.type(PASSWORD);
      // Download all waits for the bcrypt hash.
      await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
    }
    if (focus.name === "Download all") break;
  }
  expect(stops).toContain("Release name");
  expect(stops.at(-1)).toBe("Download all");
  await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
  // Arrow keys move between strategies; Enter downloads.
  await page.getByRole("radio", { name: /^values/ }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: /^patch/ })).toBeChecked();
  await page.getByRole("button", { name: "Download all" }).focus();
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  expect(Object.keys(await unzipDownload(download))).toContain("post-renderer/servicemonitor-patch.yaml");
});
