/**
 * Finishes a static export (out/, or the directory given): each page gets its
 * Content-Security-Policy as a meta tag (hashes of its own inline scripts), and _headers carries
 * the headers a static host should send (Netlify and Cloudflare Pages read this file; README.md
 * shows the nginx equivalent). The bench finishes bench/floor's export the same way, so that both
 * pages are served alike.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { contentSecurityPolicy, inlineScripts, SECURITY_HEADERS } from "../lib/security/headers";

const OUT = resolve(process.argv[2] ?? "out");

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlFiles(path) : name.endsWith(".html") ? [path] : [];
  });
}

const sha256 = (text: string) => `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
const allHashes = new Set<string>();
const files = htmlFiles(OUT);
if (files.length === 0) throw new Error(`no HTML in ${OUT}: run the static export build first`);

for (const file of files) {
  const html = readFileSync(file, "utf8");
  if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error(`${file} already has a CSP: rebuild out/`);
  const hashes = inlineScripts(html).map(sha256);
  hashes.forEach((h) => allHashes.add(h));
  // Right after the charset, before any script: a meta CSP only governs what follows it.
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(hashes, "meta")}"/>`;
  const charset = /<meta charSet="utf-8"\/>/i;
  if (!charset.test(html)) throw new Error(`${file}: no <meta charSet> to put the CSP after`);
  writeFileSync(
    file,
    html.replace(charset, (m) => m + meta),
  );
}

const headers = {
  ...SECURITY_HEADERS,
  "Content-Security-Policy": contentSecurityPolicy([...allHashes].sort(), "header"),
};
writeFileSync(
  join(OUT, "_headers"),
  `/*\n${Object.entries(headers)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join("\n")}\n`,
);
console.log(`static export: ${files.length} pages with a CSP meta tag; headers in ${join(OUT, "_headers")}`);
