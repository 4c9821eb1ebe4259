/**
 * The matrix's no-plaintext check (tests/support/plaintext.ts) must see a password however the
 * YAML holds it: a substring search misses one the serializer escaped or base64-encoded.
 */
import { hashSync } from "bcryptjs";
import { describe, expect, it } from "vitest";
import { generate, validateConfig } from "../../lib/index";
import { plaintextLeaks } from "../support/plaintext";

const PASSWORD = `p"a'ss #1: wörd`;
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("plaintextLeaks", () => {
  it("finds the password in a values.yaml that escapes it (chart 3.6.0 hashes at render)", () => {
    const result = validateConfig({ chartVersion: "3.6.0", password: PASSWORD });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const values = generate(result.config).files["values.yaml"] as string;
    // What the old substring check saw: nothing.
    expect(values.includes(PASSWORD)).toBe(false);
    expect(plaintextLeaks(values, PASSWORD)).toEqual(["[0].webConfiguration.basicAuthUsers.prometheus"]);
  });

  it("finds it base64-encoded, alone or inside a word list (a Secret's data, a probe header)", () => {
    const text = [
      "kind: Secret",
      "data:",
      `  password: ${b64(PASSWORD)}`,
      "---",
      "env:",
      `  - value: Basic ${b64(`prometheus:${PASSWORD}`)}`,
      "---",
      `escaped: "p\\"a'ss #1: w\\u00f6rd"`,
    ].join("\n");
    expect(text.includes(PASSWORD)).toBe(false);
    expect(plaintextLeaks(text, PASSWORD)).toEqual(["[0].data.password", "[1].env[0].value", "[2].escaped"]);
  });

  it("finds nothing where the password is not (chart 3.8.0 keeps it out of values.yaml)", () => {
    const result = validateConfig({ chartVersion: "3.8.0", password: PASSWORD, passwordHash: hashSync(PASSWORD, 4) });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const files = generate(result.config).files;
    expect(plaintextLeaks(files["values.yaml"] as string, PASSWORD)).toEqual([]);
    // secret.yaml does hold it, as the scrape Secret must.
    expect(plaintextLeaks(files["secret.yaml"] as string, PASSWORD).length).toBeGreaterThan(0);
  });
});
