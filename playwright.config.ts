import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);

/** Debian's Chromium: Playwright cannot download browsers here, and needs no outside host. */
export const CHROMIUM = {
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
  ],
};

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  workers: 2,
  reporter: process.env.CI ? "line" : "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: CHROMIUM,
  },
  projects: [
    { name: "main", testIgnore: /main-thread\.spec\.ts/ },
    // Long-task measurements need a quiet machine: they run alone, after everything else.
    { name: "quiet", testMatch: /main-thread\.spec\.ts/, dependencies: ["main"] },
  ],
  webServer: {
    command: `npm run build && NEXT_TELEMETRY_DISABLED=1 npx next start -H 127.0.0.1 -p ${port}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
