import { defineConfig } from "@playwright/test";

const nextPort = Number(process.env.E2E_PORT ?? 3100);
const staticPort = nextPort + 1;

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

const MEASUREMENTS = /main-thread\.spec\.ts/;
const STATIC_ONLY = /static-export\.spec\.ts/;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  // The suite runs two browsers beside Prometheus and Pushgateway on a 2-core machine: a page
  // waiting on its worker (bcrypt) can take longer than the default 5 s there.
  expect: { timeout: 10_000 },
  workers: 2,
  // A timing flake under CI load remains (a bcrypt worker slow to restart); a retry keeps it
  // from failing the run, and the report still lists it as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? "line" : "list",
  use: { browserName: "chromium", launchOptions: CHROMIUM },
  projects: [
    // The whole suite twice: against `next start` and against the static export in out/.
    { name: "next", testIgnore: [MEASUREMENTS, STATIC_ONLY], use: { baseURL: `http://127.0.0.1:${nextPort}` } },
    { name: "static", testIgnore: MEASUREMENTS, use: { baseURL: `http://127.0.0.1:${staticPort}` } },
    // Long-task measurements need a quiet machine: they run alone, after everything else.
    {
      name: "quiet",
      testMatch: MEASUREMENTS,
      dependencies: ["next", "static"],
      use: { baseURL: `http://127.0.0.1:${nextPort}` },
    },
  ],
  // Started one after the other, in this order: both builds use .next as their build directory,
  // and `next start` serves the one built last.
  webServer: [
    {
      // The static export in out/, served as a static host serves it.
      command: `npm run build:static && npx tsx tests/support/static-server.ts out ${staticPort}`,
      url: `http://127.0.0.1:${staticPort}`,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
    {
      command: `npm run build && NEXT_TELEMETRY_DISABLED=1 npx next start -H 127.0.0.1 -p ${nextPort}`,
      url: `http://127.0.0.1:${nextPort}`,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
  ],
});
