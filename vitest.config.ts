import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Real-stack tests start servers; two cores do not profit from running them side by side.
    fileParallelism: true,
    maxWorkers: 2,
    maxConcurrency: 4,
    testTimeout: 20_000,
    // Stopping real servers (Prometheus flushes its TSDB) can take seconds on a busy machine.
    hookTimeout: 60_000,
  },
});
