/**
 * Golden files: the exact bytes of every profile and strategy. Set UPDATE_GOLDEN=1 to rewrite
 * them after an intended change, then review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, validateConfig } from "../../lib/index";
import { CASES, GITOPS_CASES, SCRAPER_CASES, SECRET_SOURCE_CASES } from "../support/cases";

const ROOT = new URL("./files/", import.meta.url).pathname;
const update = process.env.UPDATE_GOLDEN === "1";

describe.each([...CASES, ...SCRAPER_CASES, ...GITOPS_CASES, ...SECRET_SOURCE_CASES])("$name", ({ name, input }) => {
  it("matches its golden files byte for byte", () => {
    const result = validateConfig(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { files } = generate(result.config);
    const dir = join(ROOT, name);
    if (update) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), content);
      }
    }
    expect(existsSync(dir), `${dir} missing: run UPDATE_GOLDEN=1`).toBe(true);
    const onDisk = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) =>
      statSync(join(dir, f)).isFile(),
    );
    expect(Object.keys(files).sort()).toEqual(onDisk.sort());
    for (const [file, content] of Object.entries(files)) {
      expect(content, `${name}/${file}`).toBe(readFileSync(join(dir, file), "utf8"));
    }
  });
});

it("has a golden case for every strategy each profile allows", async () => {
  const { CHART_PROFILES, profileFor } = await import("../../lib/index");
  const covered = new Set(
    CASES.map(({ input }) => {
      const r = validateConfig(input);
      if (!r.ok) return "";
      const p = profileFor(r.config.chartVersion).profile!;
      return `${p.id}/${r.config.serviceMonitorMode === "auto" ? p.defaultMode : r.config.serviceMonitorMode}`;
    }),
  );
  for (const p of CHART_PROFILES) {
    for (const [mode, support] of Object.entries(p.modes)) {
      if (support.allowed) expect(covered, `${p.id}/${mode}`).toContain(`${p.id}/${mode}`);
    }
  }
});
