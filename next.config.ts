import type { NextConfig } from "next";

// `npm run build` builds twice: (PGA_STATIC_EXPORT=1) a static export in out/ that any static
// file server or CDN can host, then the build for `next start`. In that order: the export build
// deletes the server build's proxy from .next.
const staticExport = process.env.PGA_STATIC_EXPORT === "1";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  ...(staticExport
    ? { output: "export", distDir: "out" }
    : // Lets proxy.server.ts (the security headers) exist in this build only.
      { pageExtensions: ["tsx", "ts", "server.ts"] }),
};

export default config;
