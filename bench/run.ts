/**
 * `npm run bench`: builds the production app, serves it on 127.0.0.1, measures in Debian's
 * Chromium and in Node, prints each figure next to its budget and writes bench/results.json.
 * Timings are the median of several runs. `--no-build` reuses the current build. Lighthouse also
 * scores bench/floor, the smallest Next.js page, to show what the framework alone costs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "@playwright/test";
import { CHROMIUM } from "../playwright.config";
import { evaluate, formatTable, median, percentile, type Figures } from "./budgets";
import { variedConfigs } from "./configs";
import { timeGenerate } from "./engine-timing";
import { firstLoad } from "./first-load";
import { runLighthouse } from "./lighthouse";
import { measureKeystrokes, measurePasswordTyping } from "./page-measures";
import { freePort, waitFor } from "../tests/support/servers";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ENGINE_CONFIGS = 10_000;
const ROOT = process.cwd();
const FLOOR = join(ROOT, "bench/floor");
// 40 characters that keep both fields valid after every keystroke (a trailing "-" would not).
const KEYS = "metricsgatewayforthenightlybatchjobs2026";

function log(message: string) {
  process.stderr.write(`bench: ${message}\n`);
}

async function serve(command: string, args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  await waitFor(
    `${command} on ${port}`,
    async () => ((await fetch(`http://127.0.0.1:${port}/`)).ok ? true : undefined),
    60_000,
  );
  return child;
}

const medianOf = <T>(runs: T[], pick: (run: T) => number) => median(runs.map(pick));

async function enginesInBrowser(browser: Browser): Promise<number[][]> {
  const bundle = await build({
    entryPoints: [join(ROOT, "bench/browser-entry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    minify: true,
  });
  const runs: number[][] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    runs.push(
      await page.evaluate(
        (n) => (window as unknown as { benchEngine: (n: number) => number[] }).benchEngine(n),
        ENGINE_CONFIGS,
      ),
    );
    await page.close();
  }
  return runs;
}

async function main() {
  if (!process.argv.includes("--no-build")) {
    log("building the production app and the static export");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  if (!process.argv.includes("--no-build") || !existsSync(join(FLOOR, "out"))) {
    log("building the Next.js floor page (bench/floor)");
    const built = spawnSync("npx", ["next", "build"], {
      cwd: FLOOR,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (built.status !== 0) throw new Error("building bench/floor failed");
    // The static server reads a host headers file; the floor needs none.
    writeFileSync(join(FLOOR, "out/_headers"), "/*\n");
  }
  const figures: Figures = {};

  log("first-load JavaScript");
  const load = firstLoad(join(ROOT, "out"));
  figures.firstLoadKb = load.totalKb;
  figures.appOwnKb = load.appOwnKb;

  log(`engine in Node: ${RUNS} runs of ${ENGINE_CONFIGS} configs`);
  const configs = variedConfigs(ENGINE_CONFIGS);
  const nodeRuns = Array.from({ length: RUNS }, () => timeGenerate(configs, () => performance.now()));
  figures.engineNodeP50 = medianOf(nodeRuns, (r) => percentile(r, 50));
  figures.engineNodeP95 = medianOf(nodeRuns, (r) => percentile(r, 95));

  const nextPort = await freePort();
  const staticPort = await freePort();
  const floorPort = await freePort();
  const servers: ChildProcess[] = [];
  const staticServer = (dir: string, port: number) =>
    serve("npx", ["tsx", "tests/support/static-server.ts", dir, String(port)], port);
  try {
    servers.push(await serve("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(nextPort)], nextPort));
    servers.push(await staticServer("out", staticPort));
    servers.push(await staticServer(join(FLOOR, "out"), floorPort));
    await measurePages(figures, nextPort);
    // Alone on the machine: a loaded machine drops the score.
    servers[0]!.kill();
    log(`Lighthouse (mobile) on the static export and on the floor page: ${RUNS} runs each`);
    const lighthouseRuns = [];
    const floorRuns = [];
    // Interleaved, so both see the same machine: its load moves the scores by several points.
    for (let i = 0; i < RUNS; i++) {
      lighthouseRuns.push(await runLighthouse(`http://127.0.0.1:${staticPort}/`));
      floorRuns.push(await runLighthouse(`http://127.0.0.1:${floorPort}/`));
    }
    figures.floorPerformance = medianOf(floorRuns, (r) => r.performance);
    figures.floorTbt = medianOf(floorRuns, (r) => r.tbtMs);
    figures.lighthousePerformance = medianOf(lighthouseRuns, (r) => r.performance);
    figures.lighthouseAccessibility = medianOf(lighthouseRuns, (r) => r.accessibility);
    figures.lighthouseBestPractices = medianOf(lighthouseRuns, (r) => r.bestPractices);
    figures.lighthouseSeo = medianOf(lighthouseRuns, (r) => r.seo);
    figures.lighthouseTbt = medianOf(lighthouseRuns, (r) => r.tbtMs);
    figures.lighthouseLcp = medianOf(lighthouseRuns, (r) => r.lcpMs);
    figures.lighthouseCls = medianOf(lighthouseRuns, (r) => r.cls);
    figures.benchmarkIndex = medianOf([...lighthouseRuns, ...floorRuns], (r) => r.benchmarkIndex);
  } finally {
    for (const server of servers) server.kill();
  }

  const rows = evaluate(figures);
  console.log(formatTable(rows));
  writeFileSync(
    join(ROOT, "bench/results.json"),
    `${JSON.stringify({ runs: RUNS, figures, overBudget: rows.filter((r) => r.over).map((r) => r.budget.id), scripts: load.scripts }, null, 2)}\n`,
  );
  log("wrote bench/results.json");
}

/** Engine timing in Chromium, keystroke to preview and password typing, on `next start`. */
async function measurePages(figures: Figures, nextPort: number) {
  const browser = await chromium.launch(CHROMIUM);
  try {
    log("engine in Chromium");
    const browserRuns = await enginesInBrowser(browser);
    figures.engineBrowserP50 = medianOf(browserRuns, (r) => percentile(r, 50));
    figures.engineBrowserP95 = medianOf(browserRuns, (r) => percentile(r, 95));

    log("keystroke to preview and password typing");
    const typing: {
      release: number[];
      namespace: number[];
      password: Awaited<ReturnType<typeof measurePasswordTyping>>;
    }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${nextPort}/`);
      // A user reads the page before typing: measure typing, not loading.
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(1000);
      // Typing the password first also makes the preview appear for the keystroke figures.
      const password = await measurePasswordTyping(page, `Bench-passw0rd-${i}`);
      const expected = "release {Release name} in namespace {Namespace}.";
      const preview = "section.preview";
      const release = await measureKeystrokes(page, { label: "Release name", text: KEYS, expected, preview });
      const namespace = await measureKeystrokes(page, { label: "Namespace", text: KEYS, expected, preview });
      typing.push({ release, namespace, password });
      await page.close();
    }
    for (const field of ["release", "namespace"] as const) {
      figures[`${field}KeyP50`] = medianOf(typing, (t) => percentile(t[field], 50));
      figures[`${field}KeyP95`] = medianOf(typing, (t) => percentile(t[field], 95));
      figures[`${field}KeyMax`] = medianOf(typing, (t) => Math.max(...t[field]));
    }
    figures.passwordLongTasks = medianOf(typing, (t) => t.password.longTasks.length);
    figures.passwordLongTaskMs = medianOf(typing, (t) => t.password.longTasks.reduce((a, b) => a + b, 0));
    figures.hashVisibleMs = medianOf(typing, (t) => t.password.hashVisibleMs);
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
