/**
 * `next start` adds the security headers here (Next.js 16 proxy, Node.js runtime). The file
 * name's `.server.ts` extension is listed in next.config.ts only for the server build, so the
 * static export, which cannot have a proxy, does not see it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NextResponse } from "next/server";
import { contentSecurityPolicy, inlineScripts, SECURITY_HEADERS } from "./lib/security/headers";

let headers: Record<string, string> | null = null;

/** The headers for the built page: its inline scripts are hashed once, on the first request. */
function securityHeaders(): Record<string, string> {
  if (headers) return headers;
  const html = readFileSync(join(process.cwd(), ".next", "server", "app", "index.html"), "utf8");
  const hashes = inlineScripts(html).map((s) => `sha256-${createHash("sha256").update(s, "utf8").digest("base64")}`);
  headers = { ...SECURITY_HEADERS, "Content-Security-Policy": contentSecurityPolicy(hashes, "header") };
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
