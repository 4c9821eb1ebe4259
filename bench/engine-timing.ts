/** Times one full `generate` (config to every file as text) over many configs. */
import { generate, type Config } from "../lib/core";

/**
 * Milliseconds per `generate`, measured with `now` over batches of `batch` configs: one figure
 * per batch, its mean. Browsers coarsen `performance.now()` to 0.1 ms outside isolated pages,
 * too coarse for single calls of a few tenths of a millisecond.
 */
export function timeGenerate(configs: readonly Config[], now: () => number, batch = 1): number[] {
  // Warm the JIT first so the figures are about steady state, as a user typing sees it.
  for (const config of configs.slice(0, 200)) generate(config);
  const times: number[] = [];
  for (let i = 0; i + batch <= configs.length; i += batch) {
    const start = now();
    for (const config of configs.slice(i, i + batch)) generate(config);
    times.push((now() - start) / batch);
  }
  return times;
}
