/**
 * `npm run bench`: builds the static export, times `npm start` from a clean .next to the page
 * answering (one build and the server, as on a fresh clone), measures in Debian's Chromium and
 * in Node, prints each figure next to its budget and writes bench/results.json. Timings are the
 * median of several runs. `--no-build` reuses the current builds. Lighthouse also scores
 * bench/floor, the smallest Next.js page, interleaved with the app, to show what the framework
 * alone costs on the same machine at the same moment.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "@playwright/test";
import { CHROMIUM } from "../playwright.config";
import { evaluate, formatTable, median, percentile, type Figures } from "./budgets";
import { variedConfigs } from "./configs";
import { timeGenerate } from "./engine-timing";
import { firstLoad } from "./first-load";
import { runLighthouse, type LighthouseFigures } from "./lighthouse";
import { measureKeystrokes, measurePasswordTyping, type Keystrokes } from "./page-measures";
import { defaultFiles, missingFiles } from "./server-html";
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

async function serve(command: string, args: string[], port: number, timeoutMs = 60_000): Promise<ChildProcess> {
  // Its own process group, so that stopping it stops what it started (npm runs next).
  const child = spawn(command, args, {
    stdio: "ignore",
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) },
  });
  await waitFor(
    `${command} on ${port}`,
    async () => ((await fetch(`http://127.0.0.1:${port}/`)).ok ? true : undefined),
    timeoutMs,
  );
  return child;
}

function stop(child: ChildProcess) {
  try {
    process.kill(-(child.pid as number), "SIGTERM");
  } catch {
    // already gone
  }
}

/** `npm start` from a clean .next, as on a fresh clone after npm ci: seconds until / answers. */
async function timedStart(port: number): Promise<{ child: ChildProcess; seconds: number }> {
  rmSync(join(ROOT, ".next"), { recursive: true, force: true });
  const started = performance.now();
  const child = await serve("npm", ["start"], port, 300_000);
  return { child, seconds: (performance.now() - started) / 1000 };
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
  const build = !process.argv.includes("--no-build");
  if (build) {
    log("building the static export (npm run build:static)");
    const built = spawnSync("npm", ["run", "build:static"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build:static failed");
  }
  const floorHeaders = join(FLOOR, "out/_headers");
  if (build || !existsSync(floorHeaders) || !readFileSync(floorHeaders, "utf8").includes("Content-Security-Policy")) {
    log("building the Next.js floor page (bench/floor)");
    const built = spawnSync("npx", ["next", "build"], {
      cwd: FLOOR,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (built.status !== 0) throw new Error("building bench/floor failed");
    // Served as the app is: its own CSP meta tag and the same host headers. Served bare, the floor
    // skipped what they cost any page here, about 250 ms of Lighthouse TBT (README.md, Benchmark):
    // mostly Cross-Origin-Opener-Policy, for which Lighthouse's about:blank -> page navigation
    // starts a fresh renderer process.
    const finished = spawnSync("npx", ["tsx", "scripts/finish-static-export.ts", join(FLOOR, "out")], {
      stdio: "inherit",
    });
    if (finished.status !== 0) throw new Error("finishing bench/floor's export failed");
  }
  const figures: Figures = {};

  log("first-load JavaScript, and the files in the server HTML");
  const load = firstLoad(join(ROOT, "out"));
  figures.firstLoadKb = load.totalKb;
  figures.appOwnKb = load.appOwnKb;
  const missing = missingFiles(readFileSync(join(ROOT, "out/index.html"), "utf8"), defaultFiles());
  figures.serverHtmlFilesMissing = missing.length;
  if (missing.length) log(`not in the server HTML: ${missing.join(", ")}`);

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
    if (build) {
      log("npm start from a clean .next");
      const started = await timedStart(nextPort);
      figures.startSeconds = started.seconds;
      servers.push(started.child);
    } else servers.push(await serve("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(nextPort)], nextPort));
    servers.push(await staticServer("out", staticPort));
    servers.push(await staticServer(join(FLOOR, "out"), floorPort));
    await measurePages(figures, nextPort);
    // Alone on the machine: a loaded machine drops the score.
    stop(servers[0]!);
    log(`Lighthouse (mobile) on the static export and on the floor page: ${RUNS} runs each`);
    const runs: { app: LighthouseFigures; floor: LighthouseFigures }[] = [];
    // Interleaved, so both see the same machine: its load moves the scores by several points.
    for (let i = 0; i < RUNS; i++) {
      const app = await runLighthouse(`http://127.0.0.1:${staticPort}/`);
      const floor = await runLighthouse(`http://127.0.0.1:${floorPort}/`);
      log(
        `  run ${i + 1}: app ${app.performance} (TBT ${Math.round(app.tbtMs)} ms), floor ${floor.performance} (TBT ${Math.round(floor.tbtMs)} ms), benchmarkIndex ${app.benchmarkIndex}/${floor.benchmarkIndex}`,
      );
      runs.push({ app, floor });
    }
    figures.lighthousePerformance = medianOf(runs, (r) => r.app.performance);
    figures.floorPerformance = medianOf(runs, (r) => r.floor.performance);
    figures.performanceVsFloor = medianOf(runs, (r) => r.app.performance - r.floor.performance);
    figures.lighthouseTbt = medianOf(runs, (r) => r.app.tbtMs);
    figures.floorTbt = medianOf(runs, (r) => r.floor.tbtMs);
    figures.tbtVsFloor = medianOf(runs, (r) => r.app.tbtMs - r.floor.tbtMs);
    figures.lighthouseAccessibility = medianOf(runs, (r) => r.app.accessibility);
    figures.lighthouseBestPractices = medianOf(runs, (r) => r.app.bestPractices);
    figures.lighthouseSeo = medianOf(runs, (r) => r.app.seo);
    figures.lighthouseLcp = medianOf(runs, (r) => r.app.lcpMs);
    figures.lighthouseCls = medianOf(runs, (r) => r.app.cls);
    figures.benchmarkIndex = median(runs.flatMap((r) => [r.app.benchmarkIndex, r.floor.benchmarkIndex]));
  } finally {
    for (const server of servers) stop(server);
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
      release: Keystrokes;
      namespace: Keystrokes;
      password: Awaited<ReturnType<typeof measurePasswordTyping>>;
    }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${nextPort}/`);
      // A user reads the page, then clicks into the form before typing: that hydrates the form
      // and loads the engine (the share link shows once it has). Measure typing, not loading.
      await page.waitForLoadState("networkidle");
      await page.getByLabel("Release name", { exact: true }).focus();
      await page.waitForFunction(() => (document.getElementById("share-link") as HTMLInputElement | null)?.value);
      await page.waitForTimeout(1000);
      // The password first, so the keystrokes below update real files.
      const password = await measurePasswordTyping(page, `Bench-passw0rd-${i}`);
      const expected = "release {Release name} in namespace {Namespace}.";
      const preview = "section.preview";
      const release = await measureKeystrokes(page, { label: "Release name", text: KEYS, expected, preview });
      const namespace = await measureKeystrokes(page, { label: "Namespace", text: KEYS, expected, preview });
      typing.push({ release, namespace, password });
      await page.close();
    }
    for (const field of ["release", "namespace"] as const) {
      figures[`${field}KeyP50`] = medianOf(typing, (t) => percentile(t[field].toDom, 50));
      figures[`${field}KeyP95`] = medianOf(typing, (t) => percentile(t[field].toDom, 95));
      figures[`${field}KeyMax`] = medianOf(typing, (t) => Math.max(...t[field].toDom));
      figures[`${field}PaintP50`] = medianOf(typing, (t) => percentile(t[field].toPaint, 50));
      figures[`${field}PaintP95`] = medianOf(typing, (t) => percentile(t[field].toPaint, 95));
      figures[`${field}PaintMax`] = medianOf(typing, (t) => Math.max(...t[field].toPaint));
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
