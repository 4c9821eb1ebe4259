/** `generate --scraper`: each scraper's files, the summary line, and bad values. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, expect, it } from "vitest";
import { readTree, runMain } from "../support/cli";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pga-cli-scraper-"));
});

const written = (out: string): string[] => Object.keys(readTree(join(dir, out))).sort();

it.each([
  ["operator", "values strategy", ["README.md", "secret.yaml", "values.yaml"]],
  ["scrapeconfig", "scraped by scrapeconfig", ["README.md", "scrapeconfig.yaml", "secret.yaml", "values.yaml"]],
  [
    "victoriametrics",
    "scraped by victoriametrics",
    ["README.md", "secret.yaml", "values.yaml", "vmservicescrape.yaml"],
  ],
  [
    "alloy",
    "scraped by alloy",
    ["README.md", "alloy/pushgateway.alloy", "alloy/rbac.yaml", "secret.yaml", "values.yaml"],
  ],
  [
    "prometheus",
    "scraped by prometheus",
    [
      "README.md",
      "prometheus/kube-prometheus-stack-values.yaml",
      "prometheus/scrape-config.yaml",
      "secret.yaml",
      "values.yaml",
    ],
  ],
])("--scraper %s writes its own files and says how Pushgateway is scraped", async (scraper, how, files) => {
  const result = await runMain(
    ["generate", "--chart-version", "3.8.0", "--scraper", scraper, "--password-file", "-", "--out", "b"],
    dir,
    "s3cret\n",
  );
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.code).toBe(0);
  expect(result.stdout.split("\n")[0]).toBe(`b: prometheus-pushgateway 3.8.0, ${how}`);
  expect(written("b")).toEqual(files);
});

it("refuses a scraper it does not know, naming the flag and the choices", async () => {
  const result = await runMain(["generate", "--scraper", "telegraf", "--password-file", "-", "--out", "b"], dir, "x\n");
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^.*--scraper: .*operator.*scrapeconfig.*victoriametrics.*alloy.*prometheus/m);
});
