/** The performance budgets (issue: "Benchmarks and performance budgets"), as data. */
export interface Budget {
  id: string;
  label: string;
  unit: "KB" | "ms" | "s" | "count" | "score" | "";
  /** The figure must be at most (max) or at least (min) this. */
  max?: number;
  min?: number;
}

/**
 * Keystroke latency typing into one field: to the preview's DOM showing it, and to the next
 * frame after that (when the user sees it), each as p50, p95 and max.
 */
function keystrokeBudgets(id: string, field: string): Budget[] {
  const stages = [
    { key: "Key", label: "Keystroke to preview DOM", p95: 16 },
    { key: "Paint", label: "Keystroke to next paint", p95: 17 },
  ];
  return stages.flatMap(({ key, label, p95 }) => [
    { id: `${id}${key}P50`, label: `${label}, ${field} p50`, unit: "ms" as const },
    { id: `${id}${key}P95`, label: `${label}, ${field} p95`, unit: "ms" as const, max: p95 },
    { id: `${id}${key}Max`, label: `${label}, ${field} max`, unit: "ms" as const, max: 50 },
  ]);
}

export const BUDGETS: readonly Budget[] = [
  // No larger than before the page showed its files at first paint (issue 18).
  { id: "firstLoadKb", label: "First-load JS of / (gzip)", unit: "KB", max: 156.7 },
  { id: "appOwnKb", label: "  of which the app's own code", unit: "KB", max: 40 },
  { id: "serverHtmlFilesMissing", label: "Default files missing from the server HTML", unit: "count", max: 0 },
  { id: "startSeconds", label: "npm start, clean .next to / answering", unit: "s", max: 20 },
  { id: "engineNodeP50", label: "Engine generate, Node p50", unit: "ms" },
  { id: "engineNodeP95", label: "Engine generate, Node p95", unit: "ms", max: 1 },
  { id: "engineBrowserP50", label: "Engine generate, Chromium p50 (batches of 10)", unit: "ms" },
  { id: "engineBrowserP95", label: "Engine generate, Chromium p95 (batches of 10)", unit: "ms" },
  ...keystrokeBudgets("release", "Release name"),
  ...keystrokeBudgets("namespace", "Namespace"),
  { id: "passwordLongTasks", label: "Long tasks while typing a password", unit: "count", max: 0 },
  { id: "passwordLongTaskMs", label: "  their total duration", unit: "ms", max: 0 },
  { id: "hashVisibleMs", label: "Last keystroke to hash in the preview", unit: "ms", max: 300 },
  { id: "lighthousePerformance", label: "Lighthouse performance", unit: "score" },
  { id: "floorPerformance", label: "Lighthouse performance, Next.js floor page", unit: "score" },
  // The floor page is scored in the same run, interleaved: the host's load moves both alike.
  { id: "performanceVsFloor", label: "  app minus floor, same run", unit: "score", min: -2 },
  { id: "lighthouseTbt", label: "Lighthouse TBT", unit: "ms" },
  { id: "floorTbt", label: "Lighthouse TBT, Next.js floor page", unit: "ms" },
  { id: "tbtVsFloor", label: "  app minus floor, same run", unit: "ms", max: 100 },
  { id: "lighthouseAccessibility", label: "Lighthouse accessibility", unit: "score", min: 100 },
  { id: "lighthouseBestPractices", label: "Lighthouse best practices", unit: "score", min: 100 },
  { id: "lighthouseSeo", label: "Lighthouse SEO", unit: "score", min: 100 },
  { id: "lighthouseLcp", label: "Lighthouse LCP", unit: "ms" },
  { id: "lighthouseCls", label: "Lighthouse CLS", unit: "", max: 0 },
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
      : `${Number.isInteger(v) ? v : v.toFixed(unit === "KB" || unit === "s" ? 1 : unit === "" ? 3 : 2)}${unit && unit !== "score" && unit !== "count" ? ` ${unit}` : ""}`;
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
