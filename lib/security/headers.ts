/**
 * The page's security headers, shared by `next start` (proxy.server.ts) and the static export
 * (a meta tag in each page plus out/_headers for hosts). Hashes, not nonces: the page is static,
 * so its few inline scripts (Next.js bootstrap and payload) are known when it is built.
 */

/** `<script>` bodies without `src`: what a hash must allow. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] as string)
    .filter((body) => body.length > 0);
}

/**
 * Content-Security-Policy: nothing from other hosts, no eval, no inline script but the hashed
 * ones. `frame-ancestors` only works as a header, so the meta-tag form leaves it out.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[], form: "header" | "meta"): string {
  const directives = [
    "default-src 'none'",
    `script-src 'self' ${scriptHashes.map((h) => `'${h}'`).join(" ")}`.trim(),
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    ...(form === "header" ? ["frame-ancestors 'none'"] : []),
  ];
  return directives.join("; ");
}

/** Every other header: no referrer, no framing, no sniffing, no powerful features. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};
