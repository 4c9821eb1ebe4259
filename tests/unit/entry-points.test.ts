/**
 * The app, the components and the CLI reach the engine only through its entry points, so what
 * lib/ exposes is a decision, not an accident: lib/index.ts (the public API), lib/core.ts (what
 * the page loads after its first paint), lib/form.ts (what the form needs before that),
 * lib/diagnose/index.ts (loaded when a setup is pasted), lib/archive/bundle-zip.ts (loaded on
 * the first download) and lib/secrets/index.ts (loaded when Sealed Secrets is chosen).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const ENTRY_POINTS = [
  "lib/index",
  "lib/core",
  "lib/form",
  "lib/diagnose/index",
  "lib/archive/bundle-zip",
  "lib/secrets/index",
];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(dir, f));
}

/** Every module of lib/ a file imports (statically or with import()), relative to the root. */
function libImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1] as string);
  return specifiers
    .map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.tsx?$/, ""))
    .filter((p) => p.startsWith("lib/"));
}

it("app/, components/ and bin/ import lib/ only through its entry points", () => {
  const offending = ["app", "components", "bin"].flatMap(sources).flatMap((file) =>
    libImports(file)
      .filter((m) => !ENTRY_POINTS.includes(m))
      .map((m) => `${file} -> ${m}`),
  );
  expect(offending).toEqual([]);
});

it("notices an import that goes around the entry points", () => {
  expect(libImports("tests/unit/entry-points.test.ts")).toEqual([]);
  const probe = 'import { planBundle } from "../lib/engine/plan";';
  const specifier = /(?:from|import)\s*\(?\s*"(\.[^"]+)"/.exec(probe)?.[1];
  expect(relative(ROOT, resolve(ROOT, "components", specifier as string))).toBe("lib/engine/plan");
});
