/**
 * The vendored chart packages are the real-Helm matrix's inputs: chartVersions() lists the
 * directory, so a lost or renamed package would shrink the matrix without a failure. The set
 * and the checksums tests/fixtures/charts/README.md publishes are held here.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NEWEST_KNOWN_CHART_VERSION, OLDEST_SUPPORTED_CHART_VERSION } from "../../lib/chart/versions";
import { CHARTS_DIR, chartVersions } from "../support/helm";

/** Every prometheus-pushgateway release from the first with webConfiguration to the newest read. */
const RELEASED = [
  "2.12.0",
  "2.13.0",
  "2.14.0",
  "2.15.0",
  "2.16.0",
  "2.17.0",
  "3.0.0",
  "3.1.0",
  "3.1.1",
  "3.1.2",
  "3.1.3",
  "3.2.0",
  "3.3.0",
  "3.4.0",
  "3.4.1",
  "3.4.2",
  "3.5.0",
  "3.6.0",
  "3.6.1",
  "3.7.0",
  "3.8.0",
];

/** The README's table: package file name -> sha256. */
function publishedChecksums(): Map<string, string> {
  const readme = readFileSync(join(CHARTS_DIR, "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `(prometheus-pushgateway-[\d.]+\.tgz)` \|.*\| `([0-9a-f]{64})` \|$/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

describe("the vendored chart packages", () => {
  it("are exactly the 21 releases from the oldest supported to the newest known version", () => {
    expect(chartVersions()).toEqual(RELEASED);
    expect(RELEASED[0]).toBe(OLDEST_SUPPORTED_CHART_VERSION);
    expect(RELEASED.at(-1)).toBe(NEWEST_KNOWN_CHART_VERSION);
  });

  it("match the sha256 the README publishes, one row per package", () => {
    const published = publishedChecksums();
    expect([...published.keys()]).toEqual(RELEASED.map((v) => `prometheus-pushgateway-${v}.tgz`));
    for (const [file, sha256] of published) {
      const actual = createHash("sha256")
        .update(readFileSync(join(CHARTS_DIR, file)))
        .digest("hex");
      expect(actual, file).toBe(sha256);
    }
  });
});
