/** Bundled for Chromium by bench/run.ts: the engine timing, run in the page. */
import { variedConfigs } from "./configs";
import { timeGenerate } from "./engine-timing";

// Ten calls take a few milliseconds: well above the browser's 0.1 ms timer resolution.
const BROWSER_BATCH = 10;

(window as unknown as { benchEngine: (count: number) => number[] }).benchEngine = (count) =>
  timeGenerate(variedConfigs(count), () => performance.now(), BROWSER_BATCH);
