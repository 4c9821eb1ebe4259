import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../lib/archive/zip";
import { bundleZip, generate, validateConfig } from "../../lib/index";

describe("bundleZip", () => {
  it("computes CRC-32 like zlib", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it("holds the bundle's files byte for byte with their permissions, readable by Python's zipfile", () => {
    const result = validateConfig({ chartVersion: "2.14.0", serviceMonitorMode: "patch", password: "pässwörd 😀" });
    if (!result.ok) throw new Error("invalid");
    const { files } = generate(result.config);
    const dir = mkdtempSync(join(tmpdir(), "pga-zip-"));
    writeFileSync(join(dir, "bundle.zip"), bundleZip(files));
    const unzip = spawnSync(
      "python3",
      [
        "-c",
        "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2]); [print(i.filename, oct(i.external_attr >> 16)) for i in z.infolist()]",
        join(dir, "bundle.zip"),
        join(dir, "out"),
      ],
      { encoding: "utf8" },
    );
    expect(unzip.stderr).toBe("");
    expect(unzip.stdout.trim().split("\n")).toEqual(
      Object.keys(files).map(
        (name) =>
          `${name} ${name.endsWith(".sh") ? "0o100755" : /^(secret|values)\.yaml$/.test(name) ? "0o100600" : "0o100644"}`,
      ),
    );
    const extracted = readdirSync(join(dir, "out"), { recursive: true, encoding: "utf8" });
    expect(extracted.filter((f) => statSync(join(dir, "out", f)).isFile()).sort()).toEqual(Object.keys(files).sort());
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(join(dir, "out", name), "utf8")).toBe(content);
    }
    expect(statSync(join(dir, "out", "values.yaml")).size).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    const files = { "a.yaml": "x: 1\n", "b.sh": "#!/bin/sh\n" };
    expect(bundleZip(files)).toEqual(bundleZip({ ...files }));
  });
});
