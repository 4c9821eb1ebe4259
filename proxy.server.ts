/**
 * `next start` adds the security headers here (Next.js 16 proxy, Node.js runtime). The file
 * name's `.server.ts` extension is listed in next.config.ts only for the server build, so the
 * static export, which cannot have a proxy, does not see it.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NextResponse } from "next/server";
import { contentSecurityPolicy, inlineScripts, SECURITY_HEADERS } from "./lib/security/headers";

let headers: Record<string, string> | null = null;

/**
 * The headers for the built pages: the inline scripts of every prerendered page (the app, its
 * 404 and error pages) are hashed once, on the first request.
 */
function securityHeaders(): Record<string, string> {
  if (headers) return headers;
  const pages = join(process.cwd(), ".next", "server", "app");
  const hashes = new Set<string>();
  for (const page of readdirSync(pages).filter((f) => f.endsWith(".html"))) {
    for (const script of inlineScripts(readFileSync(join(pages, page), "utf8"))) {
      hashes.add(`sha256-${createHash("sha256").update(script, "utf8").digest("base64")}`);
    }
  }
  headers = { ...SECURITY_HEADERS, "Content-Security-Policy": contentSecurityPolicy([...hashes].sort(), "header") };
  return headers;
}

export function proxy() {
  const response = NextResponse.next();
  // `next dev` runs eval-based hot reloading and has no built page to hash.
  if (process.env.NODE_ENV === "production") {
    for (const [name, value] of Object.entries(securityHeaders())) response.headers.set(name, value);
  }
  return response;
}
