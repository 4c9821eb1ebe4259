/** Bundled for Chromium by bench/run.ts: the engine timing, run in the page. */
import { variedConfigs } from "./configs";
import { timeGenerate } from "./engine-timing";

(window as unknown as { benchEngine: (count: number) => number[] }).benchEngine = (count) =>
  timeGenerate(variedConfigs(count), () => performance.now());
