/**
 * A plain static file server for the export in out/, as a CDN would serve it: files as they
 * are, gzip-compressed for clients that accept it, the headers listed in out/_headers (the format
 * Netlify and Cloudflare Pages read), and 404.html for anything missing. Usage: tsx tests/support/static-server.ts DIR PORT
 */
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { extname, join, resolve, sep } from "node:path";

const [dir = "out", port = "3101"] = process.argv.slice(2);
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
};

/** `/*` rules only: every header of out/_headers applies to every path. */
function headersFile(): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of readFileSync(join(dir, "_headers"), "utf8").split("\n")) {
    const m = /^\s+([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) headers[m[1] as string] = m[2] as string;
  }
  return headers;
}
const headers = headersFile();

const root = resolve(dir);

/** The file for a URL path, never outside `dir` and never the host's own _headers file. */
function fileFor(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0] as string);
  } catch {
    return null;
  }
  for (const candidate of [decoded, `${decoded}.html`, join(decoded, "index.html")]) {
    const path = resolve(root, `.${candidate.startsWith("/") ? "" : "/"}${candidate}`);
    if (!path.startsWith(root + sep) || path === join(root, "_headers")) continue;
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // try the next form
    }
  }
  return null;
}

// Every static host compresses text; without it Lighthouse would time the page's download
// several times too long (and flag it).
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".txt", ".json", ".map"]);

createServer((req, res) => {
  const path = fileFor(req.url ?? "/");
  const file = path ?? join(dir, "404.html");
  const gzip = COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  res.writeHead(path ? 200 : 404, {
    ...headers,
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    Vary: "Accept-Encoding",
    ...(gzip ? { "Content-Encoding": "gzip" } : {}),
  });
  res.end(gzip ? gzipSync(readFileSync(file)) : readFileSync(file));
}).listen(Number(port), "127.0.0.1");
