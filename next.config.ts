import type { NextConfig } from "next";

// Two builds, each with its own script: `npm run build` for `next start` (the server, with the
// security headers of proxy.server.ts), and `npm run build:static` (PGA_STATIC_EXPORT=1), a
// static export in out/ that any static file server or CDN can host. Both use .next as their
// build directory: run them one after the other, the one to serve with `next start` last.
const staticExport = process.env.PGA_STATIC_EXPORT === "1";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm start` builds first, and on a fresh clone that build is all the wait: `npm test`
  // type-checks everything (tsc --noEmit), so the build does not check again, and it writes no
  // Turbopack cache (a fresh clone has none to read; writing it took seconds here).
  typescript: { ignoreBuildErrors: true },
  experimental: { turbopackFileSystemCacheForBuild: false },
  ...(staticExport
    ? { output: "export", distDir: "out" }
    : // Lets proxy.server.ts (the security headers) exist in this build only.
      { pageExtensions: ["tsx", "ts", "server.ts"] }),
};

export default config;
