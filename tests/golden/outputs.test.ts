/**
 * Every output in the registry is held byte for byte by some golden case, and that bundle's
 * README.md lists it: an entry added to OUTPUTS without a case (or without a README line) fails.
 */
import { describe, expect, it } from "vitest";
import { generate, validateConfig } from "../../lib/index";
import { OUTPUTS } from "../../lib/outputs/registry";
import { CASES, GITOPS_CASES, SCRAPER_CASES, SECRET_SOURCE_CASES } from "../support/cases";

const bundles = [...CASES, ...SCRAPER_CASES, ...GITOPS_CASES, ...SECRET_SOURCE_CASES].map(({ name, input }) => {
  const result = validateConfig(input);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);
  return { name, files: generate(result.config).files };
});

describe.each(OUTPUTS.map((o) => [o.name, o] as const))("%s", (name) => {
  it("is in a golden case's bundle, and that bundle's README.md lists it", () => {
    const holding = bundles.filter((b) => name in b.files);
    expect(
      holding.map((b) => b.name),
      "no golden case produces it: add one to tests/support/cases.ts",
    ).not.toEqual([]);
    // The README's file list names each file, by its path or on its directory's line by its name.
    const base = name.split("/").at(-1) as string;
    for (const b of holding) {
      if (name === "README.md") continue;
      const list = (b.files["README.md"] ?? "").split("\n## ")[1] ?? "";
      expect(list.includes(`\`${name}\``) || list.includes(`\`${base}\``), `${b.name}/README.md's file list`).toBe(
        true,
      );
    }
  });
});
