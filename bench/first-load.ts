/**
 * First-load JavaScript of a page: the gzip sizes of the scripts its HTML loads (module
 * browsers skip `nomodule` polyfills). The Next.js + React floor is what the framework's own
 * 404 page loads; the app's own code is everything above it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export function loadedScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>/g)]
    .map((m) => m[1] as string)
    .filter((attrs) => !/\bnomodule\b/i.test(attrs))
    .map((attrs) => /\bsrc="([^"]+)"/.exec(attrs)?.[1])
    .filter((src): src is string => src !== undefined);
}

export interface FirstLoad {
  totalKb: number;
  floorKb: number;
  appOwnKb: number;
  scripts: { src: string; gzipKb: number; framework: boolean }[];
}

/** Measures `page` against the floor page, both HTML files of a static export in `dir`. */
export function firstLoad(dir: string, page = "index.html", floorPage = "404.html"): FirstLoad {
  const kb = (src: string) => gzipSync(readFileSync(join(dir, src)), { level: 9 }).length / 1024;
  const floor = new Set(loadedScripts(readFileSync(join(dir, floorPage), "utf8")));
  const scripts = loadedScripts(readFileSync(join(dir, page), "utf8")).map((src) => ({
    src,
    gzipKb: kb(src),
    framework: floor.has(src),
  }));
  const total = scripts.reduce((n, s) => n + s.gzipKb, 0);
  const floorKb = [...floor].reduce((n, src) => n + kb(src), 0);
  return {
    totalKb: total,
    floorKb,
    appOwnKb: scripts.filter((s) => !s.framework).reduce((n, s) => n + s.gzipKb, 0),
    scripts,
  };
}
