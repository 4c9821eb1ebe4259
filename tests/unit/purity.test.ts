/**
 * The engine in lib/ is pure TypeScript: no framework, no I/O, no clock, no randomness it did
 * not receive. The web page, the CLI and the tests all depend on that.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const LIB = new URL("../../lib/", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const FORBIDDEN: [string, RegExp][] = [
  ["Node built-ins", /from\s+["']node:|require\(/],
  ["React or Next", /from\s+["'](react|next)(\/|["'])/],
  ["the browser's globals", /\b(window|document|localStorage|sessionStorage|navigator|location)\b\s*[.[]/],
  ["the clock", /\bDate\b|performance\.now/],
  ["randomness", /Math\.random|crypto\.|getRandomValues/],
  ["the network", /\bfetch\(|XMLHttpRequest|WebSocket/],
  ["the process", /\bprocess\./],
];

describe.each(sources(LIB).map((path) => [relative(LIB, path), path]))("lib/%s", (_, path) => {
  const code = readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  it.each(FORBIDDEN)("uses no %s", (_, pattern) => {
    expect(code).not.toMatch(pattern);
  });
});
