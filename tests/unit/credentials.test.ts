/** The page's credential helpers (components/credentials.ts): passwords told apart from the settings. */
import { describe, expect, it } from "vitest";
import { hashesWanted, previewSettings, withoutCredentials } from "../../components/credentials";
import { validateConfig, type ConfigInput } from "../../lib/index";

const settings: ConfigInput = {
  password: "",
  pushers: [
    { name: "backup", namespace: "batch", password: "Backup-Pass-1", passwordHash: "" },
    { name: "etl", namespace: "data", password: "", passwordHash: "" },
  ],
};

describe("credentials", () => {
  it("strip every password and hash, the pushers' too", () => {
    const stripped = withoutCredentials({ ...settings, password: "x", passwordHash: "h" });
    expect(JSON.stringify(stripped)).not.toMatch(/Backup-Pass-1|"x"|"h"/);
    expect(stripped.pushers?.map((p) => p.name)).toEqual(["backup", "etl"]);
  });

  it("preview settings valid but for missing passwords, with those passwords empty", () => {
    const config = previewSettings(validateConfig, validateConfig(settings), settings);
    expect(config?.password).toBe("");
    expect(config?.pushers.map((p) => p.password)).toEqual(["Backup-Pass-1", ""]);
    expect(hashesWanted(config!)).toEqual([null, { password: "Backup-Pass-1", givenHash: "" }, null]);
  });

  it("preview nothing when something else is wrong", () => {
    const bad = { ...settings, pushers: [{ name: "Bad_Name", namespace: "batch", password: "", passwordHash: "" }] };
    expect(previewSettings(validateConfig, validateConfig(bad), bad)).toBeNull();
  });
});
