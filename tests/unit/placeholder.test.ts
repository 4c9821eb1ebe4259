/** The bundle before the password is known (lib/engine/placeholder.ts) and the preview's markup. */
import { describe, expect, it } from "vitest";
import { escapeHtml, yamlHtml } from "../../components/yaml-code";
import { validateConfig, type Config } from "../../lib/config/schema";
import {
  HASH_PLACEHOLDER,
  holdsPlaceholder,
  PASSWORD_PLACEHOLDER,
  placeholderBundle,
  withPlaceholders,
} from "../../lib/engine/placeholder";
import { bcryptHashRule } from "../../lib/config/field-rules";

function settings(input: Record<string, unknown>): Config {
  const result = validateConfig({ password: "x", ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.config, password: "" };
}

describe("placeholderBundle", () => {
  it("marks the password and its hash where they go, with values no rule accepts", () => {
    const bundle = placeholderBundle(settings({ chartVersion: "3.8.0" }));
    expect(bundle.placeholders).toEqual(["secret.yaml"]);
    expect(bundle.files["secret.yaml"]).toContain(PASSWORD_PLACEHOLDER);
    expect(bundle.files["secret.yaml"]).toContain(HASH_PLACEHOLDER);
    expect(bundle.files["values.yaml"]).not.toMatch(/PLACEHOLDER/);
    expect(bcryptHashRule(HASH_PLACEHOLDER)).not.toBeNull();
    expect(holdsPlaceholder(bundle.files["README.md"] as string)).toBe(false);
  });

  it("says which checks hold already and which wait for the password", () => {
    const bundle = placeholderBundle(settings({ chartVersion: "3.8.0" }));
    expect(bundle.waiting).toEqual(["password-mismatch"]);
    expect(bundle.checks.every((c) => c.status === "pass")).toBe(true);
    expect(bundle.checks.find((c) => c.id === "password-mismatch")?.title).toBe("Credentials agree");
  });

  it("puts the placeholder in values.yaml where the chart reads the plaintext password (3.1.0)", () => {
    const bundle = placeholderBundle(settings({ chartVersion: "3.1.0" }));
    expect(bundle.placeholders).toEqual(["values.yaml", "secret.yaml"]);
    expect(bundle.files["values.yaml"]).toContain(PASSWORD_PLACEHOLDER);
    expect(bundle.files["secret.yaml"]).not.toContain(HASH_PLACEHOLDER);
  });

  it("keeps a password it is given: only the hash is a placeholder then", () => {
    const config = withPlaceholders({ ...settings({}), password: "real-password", passwordHash: "" });
    expect(config.password).toBe("real-password");
    expect(config.passwordHash).toBe(HASH_PLACEHOLDER);
  });

  it("gives the same bytes for the same settings", () => {
    expect(placeholderBundle(settings({ releaseName: "gw" }))).toEqual(
      placeholderBundle(settings({ releaseName: "gw" })),
    );
  });
});

describe("placeholders for pushers", () => {
  const pushers = [
    { name: "backup", namespace: "batch", password: "x" },
    { name: "etl", namespace: "data", password: "x" },
  ];
  const withPushers = (chartVersion: string, passwords: string[]) => {
    const config = settings({ chartVersion, pushers });
    return { ...config, pushers: config.pushers.map((p, i) => ({ ...p, password: passwords[i] as string })) };
  };

  it("stand where a pusher's password and hash go, and only there", () => {
    const bundle = placeholderBundle(withPushers("3.8.0", ["", "etl-password"]));
    expect(bundle.config.pushers.map((p) => [p.password, p.passwordHash])).toEqual([
      [PASSWORD_PLACEHOLDER, HASH_PLACEHOLDER],
      ["etl-password", HASH_PLACEHOLDER],
    ]);
    expect(bundle.placeholders).toEqual(expect.arrayContaining(["secret.yaml", "pusher-secrets.yaml"]));
    const secrets = bundle.files["pusher-secrets.yaml"] as string;
    expect(secrets).toContain(PASSWORD_PLACEHOLDER);
    expect(secrets).toContain("etl-password");
    expect(bundle.files["secret.yaml"]?.split(HASH_PLACEHOLDER).length).toBe(4);
    expect(bundle.checks.length).toBeGreaterThan(0);
    expect(bundle.checks.filter((c) => c.status !== "pass")).toEqual([]);
  });

  it("keep a pusher's given hash, and need none where the chart hashes the passwords (3.1.0)", () => {
    const config = withPushers("3.8.0", ["backup-password", "etl-password"]);
    const given = "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
    const filled = withPlaceholders({
      ...config,
      pushers: [{ ...config.pushers[0]!, passwordHash: given }, config.pushers[1]!],
    });
    expect(filled.pushers.map((p) => p.passwordHash)).toEqual([given, HASH_PLACEHOLDER]);
    const old = placeholderBundle(withPushers("3.1.0", ["", ""]));
    expect(old.config.pushers.map((p) => p.passwordHash)).toEqual(["", ""]);
    expect(old.files["values.yaml"]).toContain(PASSWORD_PLACEHOLDER);
    expect(old.files["values.yaml"]).not.toContain(HASH_PLACEHOLDER);
  });

  it("say the checks that read a pusher's password wait for it, the others hold", () => {
    const bundle = placeholderBundle({ ...withPushers("3.8.0", ["", ""]), password: "scrape-password" });
    expect(bundle.waiting.length).toBeGreaterThan(0);
    expect(bundle.checks.every((c) => c.status === "pass")).toBe(true);
  });
});

describe("yamlHtml", () => {
  it("escapes what the input holds, so no value becomes markup, and keeps the text as it was", () => {
    const text = `name: "</code><img src=x onerror=alert(1)>"\n# a & b <c>\nplain: x\n`;
    const html = yamlHtml(text);
    expect(html).not.toMatch(/<img|<\/code>/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(
      html
        .replace(/<[^>]+>/g, "")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&"),
    ).toBe(text);
    expect(escapeHtml("<&>")).toBe("&lt;&amp;&gt;");
  });

  it("marks the placeholders", () => {
    const html = yamlHtml(`password: "${PASSWORD_PLACEHOLDER}"\n`, false, [PASSWORD_PLACEHOLDER, HASH_PLACEHOLDER]);
    expect(html).toContain(`<mark class="placeholder">${escapeHtml(PASSWORD_PLACEHOLDER)}</mark>`);
  });
});
