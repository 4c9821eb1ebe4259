/** The performance budgets (issue: "Benchmarks and performance budgets"), as data. */
export interface Budget {
  id: string;
  label: string;
  unit: "KB" | "ms" | "count" | "score" | "";
  /** The figure must be at most (max) or at least (min) this. */
  max?: number;
  min?: number;
}

export const BUDGETS: readonly Budget[] = [
  { id: "firstLoadKb", label: "First-load JS of / (gzip)", unit: "KB", max: 175 },
  { id: "appOwnKb", label: "  of which the app's own code", unit: "KB", max: 40 },
  { id: "engineNodeP50", label: "Engine generate, Node p50", unit: "ms" },
  { id: "engineNodeP95", label: "Engine generate, Node p95", unit: "ms", max: 1 },
  { id: "engineBrowserP50", label: "Engine generate, Chromium p50 (batches of 10)", unit: "ms" },
  { id: "engineBrowserP95", label: "Engine generate, Chromium p95 (batches of 10)", unit: "ms" },
  { id: "releaseKeyP50", label: "Keystroke to preview, Release name p50", unit: "ms" },
  { id: "releaseKeyP95", label: "Keystroke to preview, Release name p95", unit: "ms", max: 16 },
  { id: "releaseKeyMax", label: "Keystroke to preview, Release name max", unit: "ms", max: 50 },
  { id: "namespaceKeyP50", label: "Keystroke to preview, Namespace p50", unit: "ms" },
  { id: "namespaceKeyP95", label: "Keystroke to preview, Namespace p95", unit: "ms", max: 16 },
  { id: "namespaceKeyMax", label: "Keystroke to preview, Namespace max", unit: "ms", max: 50 },
  { id: "passwordLongTasks", label: "Long tasks while typing a password", unit: "count", max: 0 },
  { id: "passwordLongTaskMs", label: "  their total duration", unit: "ms", max: 0 },
  { id: "hashVisibleMs", label: "Last keystroke to hash in the preview", unit: "ms", max: 300 },
  { id: "lighthousePerformance", label: "Lighthouse performance", unit: "score", min: 100 },
  { id: "lighthouseAccessibility", label: "Lighthouse accessibility", unit: "score", min: 100 },
  { id: "lighthouseBestPractices", label: "Lighthouse best practices", unit: "score", min: 100 },
  { id: "lighthouseSeo", label: "Lighthouse SEO", unit: "score", min: 100 },
  { id: "lighthouseTbt", label: "Lighthouse TBT", unit: "ms" },
  { id: "lighthouseLcp", label: "Lighthouse LCP", unit: "ms" },
  { id: "lighthouseCls", label: "Lighthouse CLS", unit: "", max: 0 },
  { id: "floorPerformance", label: "Lighthouse performance, Next.js floor page", unit: "score" },
  { id: "floorTbt", label: "Lighthouse TBT, Next.js floor page", unit: "ms" },
  // Lighthouse's 4x CPU slowdown assumes a host of 1500 to 2000 (docs/throttling.md): a lower one scores lower.
  { id: "benchmarkIndex", label: "Lighthouse benchmarkIndex of this host", unit: "" },
];

export type Figures = Partial<Record<string, number>>;

export interface Row {
  budget: Budget;
  value: number | undefined;
  over: boolean;
}

/** Each figure next to its budget; `over` when it breaks it. */
export function evaluate(figures: Figures): Row[] {
  return BUDGETS.map((budget) => {
    const value = figures[budget.id];
    const over =
      value !== undefined &&
      ((budget.max !== undefined && value > budget.max) || (budget.min !== undefined && value < budget.min));
    return { budget, value, over };
  });
}

/** The table printed by `npm run bench`. */
export function formatTable(rows: Row[]): string {
  const fmt = (v: number | undefined, unit: string) =>
    v === undefined
      ? "n/a"
      : `${Number.isInteger(v) ? v : v.toFixed(unit === "KB" ? 1 : unit === "" ? 3 : 2)}${unit && unit !== "score" && unit !== "count" ? ` ${unit}` : ""}`;
  const width = Math.max(...rows.map((r) => r.budget.label.length));
  const lines = rows.map(({ budget, value, over }) => {
    const limit = budget.max !== undefined ? `<= ${budget.max}` : budget.min !== undefined ? `>= ${budget.min}` : "";
    return `${budget.label.padEnd(width)} ${fmt(value, budget.unit).padStart(12)}  ${limit.padEnd(8)} ${over ? "OVER BUDGET" : ""}`.trimEnd();
  });
  return [`${"figure".padEnd(width)} ${"value".padStart(12)}  budget`, ...lines].join("\n");
}

/** Median of numbers (of several runs: timings are noisy on shared machines). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
