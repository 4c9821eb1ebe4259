/** Only for the static export (the "static" project): its pages carry their own policy. */
import { expect, test } from "@playwright/test";
import { setPassword, watchCsp } from "./helpers";

const PASSWORD = "Static-only-Passw0rd";

test("the static export's own meta policy blocks injected script when the host sends no headers", async ({ page }) => {
  // A plain static host: the same files, no security headers at all.
  await page.route("**/*", async (route) => {
    const response = await route.fetch();
    const headers = Object.fromEntries(
      Object.entries(response.headers()).filter(([name]) => !/security-policy|frame-options|referrer/i.test(name)),
    );
    await route.fulfill({ response, headers });
  });
  const violations = await watchCsp(page);
  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toBeUndefined();
  await setPassword(page, PASSWORD);
  expect(await violations()).toEqual([]);
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = 1";
    document.body.append(script);
  });
  expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
  expect((await violations()).join("\n")).toMatch(/script-src/);
  await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
});

test("is served compressed, as a static host serves it (what Lighthouse times)", async ({ request }) => {
  const plain = await request.get("/", { headers: { "Accept-Encoding": "identity" } });
  expect(plain.headers()["content-encoding"]).toBeUndefined();
  const script = /<script src="([^"]+\.js)"/.exec(await plain.text())?.[1];
  expect(script).toBeDefined();
  for (const path of ["/", script as string]) {
    const response = await request.get(path, { headers: { "Accept-Encoding": "gzip" } });
    expect(response.headers()["content-encoding"]).toBe("gzip");
  }
});
