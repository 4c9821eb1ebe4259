/**
 * The CLI's words, byte for byte: each command's --help and the report `generate` prints for
 * the README's documented command. Set UPDATE_GOLDEN=1 to rewrite them after an intended change,
 * then review the diff.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSync } from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../support/cli";

const ROOT = new URL("./cli/", import.meta.url).pathname;
const update = process.env.UPDATE_GOLDEN === "1";
const work = mkdtempSync(join(tmpdir(), "pga-cli-golden-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PASSWORD = "s3cret pass";
writeFileSync(join(work, "password.txt"), `${PASSWORD}\n`);

/** `stream`: where the command prints it (the top-level usage goes to standard error). */
const CASES: { name: string; argv: string[]; stream?: "stdout" | "stderr" }[] = [
  { name: "help", argv: ["--help"], stream: "stderr" },
  { name: "generate-help", argv: ["generate", "--help"] },
  { name: "diagnose-help", argv: ["diagnose", "--help"] },
  { name: "rotate-help", argv: ["rotate", "--help"] },
  {
    name: "generate-stdout",
    argv: [
      "generate",
      "--chart-version",
      "3.8.0",
      "--release",
      "pushgateway",
      "--namespace",
      "monitoring",
      "--username",
      "prometheus",
      "--password-file",
      "./password.txt",
      // A fixed hash: the report stays the same from run to run.
      "--password-hash",
      hashSync(PASSWORD, 4),
      "--servicemonitor-namespace",
      "monitoring",
      "--prometheus-selector",
      "release=kube-prometheus-stack",
      "--servicemonitor-mode",
      "values",
      "--out",
      "./bundle",
    ],
  },
];

describe.each(CASES)("$name", ({ name, argv, stream = "stdout" }) => {
  it("prints its golden text byte for byte", async () => {
    const result = await runMain(argv, work, "");
    const text = result[stream];
    expect(result[stream === "stdout" ? "stderr" : "stdout"]).toBe("");
    const file = join(ROOT, `${name}.txt`);
    if (update) writeFileSync(file, text);
    expect(existsSync(file), `${file} missing: run UPDATE_GOLDEN=1`).toBe(true);
    expect(text).toBe(readFileSync(file, "utf8"));
  });
});
