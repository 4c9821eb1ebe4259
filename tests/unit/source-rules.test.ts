/**
 * Two codebase rules held by a test rather than by review: bundle file names are written only
 * by their entries in lib/outputs (everything else takes them from there), and no source file
 * grows past what a newcomer can hold in their head.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { ALL_FILE_NAMES } from "../../lib/index";

const ROOT = resolve(import.meta.dirname, "../..");
/** The ~400-line limit of ARCHITECTURE.md, with a little room. */
const MAX_LINES = 420;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(dir, f));
}

/** Lines where a bundle file's name means something else. */
const NOT_OUR_FILE = [
  // Flux's default spec.valuesFrom[].valuesKey, read from a user's HelmRelease.
  'getPath(ref, "valuesKey") ?? "values.yaml"',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

it("names bundle files only in lib/outputs: no quoted file name, no `-f name`, elsewhere in lib/ or bin/", () => {
  // Whole string literals (a lookup, a name field) and command arguments; prose may mention a file.
  const patterns = ALL_FILE_NAMES.flatMap((name) => [
    new RegExp(`["'\`]${escape(name)}["'\`]`),
    new RegExp(`-f ${escape(name)}(?![\\w.-])`),
  ]);
  const offending = [...sources("lib"), ...sources("bin")]
    .filter((file) => !file.startsWith("lib/outputs/"))
    .flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((line, i) =>
          patterns.some((p) => p.test(line)) && !NOT_OUR_FILE.some((n) => line.includes(n))
            ? [`${file}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
  expect(offending).toEqual([]);
});

/** Version literals outside lib/chart that are not knowledge of the chart's templates. */
const PINNED_VERSIONS = [
  // The form's default chart version.
  ["lib/config/fields.ts", 'chartVersion: "3.8.0",'],
  // The share-link format's defaults: old links must keep their meaning when the table grows.
  ["lib/share/share-link.ts", 'chartVersion: "3.8.0",'],
  // The post-renderer plugin's own version, not the chart's.
  ["lib/outputs/post-renderer-files.ts", 'version: "1.0.0",'],
];

it("knows chart versions only in lib/chart: no version literal or version comparison elsewhere in lib/", () => {
  const offending = sources("lib")
    .filter((file) => !file.startsWith("lib/chart/"))
    .flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((line, i) => {
          const code = line.trim();
          if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) return [];
          // A quoted version, or one written after "chart" in a message (not IPs or image tags).
          const version = /["'`]\d+\.\d+\.\d+["'`]|\bchart\s+(v?\d+\.\d+\.\d+|>=)/i.test(code);
          const literal = version && !PINNED_VERSIONS.some(([f, l]) => f === file && code === l);
          const compares = /\b(compareVersions|parseVersion)\(/.test(code);
          return literal || compares ? [`${file}:${i + 1}: ${code}`] : [];
        }),
    );
  expect(offending).toEqual([]);
});

it(`keeps every source file in lib/, components/, app/ and bin/ under ${MAX_LINES} lines`, () => {
  const long = ["lib", "components", "app", "bin"]
    .flatMap(sources)
    .map((file) => [file, readFileSync(join(ROOT, file), "utf8").split("\n").length] as const)
    .filter(([, lines]) => lines > MAX_LINES)
    .map(([file, lines]) => `${file}: ${lines} lines`);
  expect(long).toEqual([]);
});

it("applies a changed file as its output's role says: Helm for the values, kubectl for the rest", async () => {
  const { OUTPUTS, applyCommand } = await import("../../lib/outputs/registry");
  for (const o of OUTPUTS) {
    expect(applyCommand(o.name, "HELM"), o.name).toBe(o.role === "values" ? "HELM" : `kubectl apply -f ${o.name}`);
  }
});

it("reads values at a path only through lib/values (one place for the path helpers)", () => {
  // A function walking a values path declared anywhere else in lib/.
  const declaration = /\bfunction (lookup|getPath|readPath|valueAt|getIn)\b/;
  const offending = sources("lib")
    .filter((file) => file !== "lib/values/values.ts")
    .filter((file) => declaration.test(readFileSync(join(ROOT, file), "utf8")));
  expect(offending).toEqual([]);
});
