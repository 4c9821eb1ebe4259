/** Times one full `generate` (config to every file as text) over many configs. */
import { generate, type Config } from "../lib/core";

/** Durations in milliseconds, one per config, measured with `now`. */
export function timeGenerate(configs: readonly Config[], now: () => number): number[] {
  // Warm the JIT first so the figures are about steady state, as a user typing sees it.
  for (const config of configs.slice(0, 200)) generate(config);
  return configs.map((config) => {
    const start = now();
    generate(config);
    return now() - start;
  });
}
