/** bcrypt runs in a Web Worker: typing a password never blocks the page. */
import { expect, test } from "@playwright/test";
import { field, setPassword } from "./helpers";

const PASSPHRASE = "a long passphrase, typed key by key";

test("typing a password causes no long task over 50 ms", async ({ page }) => {
  await page.goto("/");
  // Warm up: the first render of the preview and the worker's start-up are not typing.
  await setPassword(page, "warm-up");
  await field(page, "Password").fill("");
  await field(page, "Password").focus();
  // Observed in the page, and waited for in the page, so that Playwright's own polling of the
  // DOM does not run on the main thread inside the measured window.
  const done = page.evaluate((passphrase) => {
    const longTasks: number[] = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
    }).observe({ type: "longtask" });
    const input = document.activeElement as HTMLInputElement;
    return new Promise<number[]>((resolve) => {
      const check = () => {
        const secret = [...document.querySelectorAll("section.file")].find(
          (s) => s.querySelector("h3")?.textContent === "secret.yaml",
        );
        if (input.value === passphrase && secret?.querySelector("pre")?.textContent?.includes("$2b$10$")) {
          observer.disconnect();
          // Let the observer deliver the entries of the last frames.
          setTimeout(() => resolve(longTasks), 200);
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }, PASSPHRASE);
  // Pauses longer than the hash debounce (100 ms), so hashes run in the worker while typing.
  await page.keyboard.type(PASSPHRASE, { delay: 180 });
  expect(await done).toEqual([]);
});

test("the hash really is computed in a worker", async ({ page }) => {
  // Record what the page asks its workers to do.
  await page.addInitScript(() => {
    const sent: string[] = [];
    (window as unknown as { workerRequests: string[] }).workerRequests = sent;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: { type?: string }, ...rest: never[]) {
      sent.push(String(message?.type));
      return post.call(this, message, ...rest);
    } as typeof Worker.prototype.postMessage;
  });
  await page.goto("/");
  await setPassword(page, "s3cret");
  await expect(page.getByRole("region", { name: "secret.yaml", exact: true })).toContainText("prometheus: $2");
  expect(await page.evaluate(() => (window as unknown as { workerRequests: string[] }).workerRequests)).toContain(
    "hash",
  );
});
