import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Download, type Locator, type Page } from "@playwright/test";

/** Every file under `root` (subdirectories included), by its path relative to `root`. */
function readTree(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((f) => statSync(join(root, f)).isFile())
      .map((f) => [f, readFileSync(join(root, f), "utf8")]),
  );
}

/** The form control with exactly this label. */
export function field(page: Page, label: string): Locator {
  return page.getByLabel(label, { exact: true });
}

/** The preview region of one file. */
export function fileRegion(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

/** The text a file region shows. */
export async function shownText(page: Page, name: string): Promise<string> {
  return (await fileRegion(page, name).locator("pre").textContent()) ?? "";
}

/** Sets the password and waits until no file waits for its hash any more. */
export async function setPassword(page: Page, password: string): Promise<void> {
  await field(page, "Password").fill(password);
  // Typed key by key, each key restarts the bcrypt worker: on a loaded 2-core machine the last
  // one can take longer than the usual 10 s to start and hash.
  await expect(page.getByText("Computing the bcrypt hash")).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByRole("button", { name: "Download all" })).toBeEnabled();
}

/** The names of the files shown, in order. */
export async function fileNames(page: Page): Promise<string[]> {
  return page.locator("section.file h3").allTextContents();
}

/** Extracts a downloaded zip with Python's zipfile (an independent reader). */
export async function unzipDownload(download: Download): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "pga-e2e-zip-"));
  const path = join(dir, "bundle.zip");
  await download.saveAs(path);
  const run = spawnSync(
    "python3",
    ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", path, join(dir, "out")],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return readTree(join(dir, "out"));
}

/** Runs the CLI as the README shows; returns the files it wrote. */
export function runCli(args: string[], password: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "pga-e2e-cli-"));
  const run = spawnSync("npm", ["run", "--silent", "generate", "--", ...args, "--out", join(dir, "bundle")], {
    input: password,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`CLI exited ${run.status}: ${run.stderr}`);
  return readTree(join(dir, "bundle"));
}

/** Every CSP violation the page reports, from the very first script on. */
export async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}
