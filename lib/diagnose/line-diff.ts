/** A line diff (Myers' O(ND) algorithm) between what a user had and what the fix gives them. */

export interface DiffLine {
  kind: "kept" | "removed" | "added";
  text: string;
  /** 1-based line in the old text (kept and removed lines). */
  oldLine: number | null;
  /** 1-based line in the new text (kept and added lines). */
  newLine: number | null;
}

// Beyond this many edit steps the trace would get large; the files then share little anyway.
const MAX_EDIT_COST = 4_000_000;

function lines(text: string): string[] {
  if (text === "") return [];
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

/** The shortest edit script from `a` to `b` as kept, removed and added lines, in order. */
function myers(a: readonly string[], b: readonly string[]): ("kept" | "removed" | "added")[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    if (d * (2 * max + 3) > MAX_EDIT_COST)
      return [...a.map(() => "removed" as const), ...b.map(() => "added" as const)];
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  const ops: ("kept" | "removed" | "added")[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const t = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (t[offset + k - 1] as number) < (t[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = t[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push("kept");
      x--;
      y--;
    }
    if (d > 0) ops.push(x === prevX ? "added" : "removed");
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** Line diff of two texts; a final newline does not count as a line. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  // Most fixes touch a few lines: trim the common head and tail before the real work.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops = [
    ...Array<"kept">(head).fill("kept"),
    ...myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...Array<"kept">(tail).fill("kept"),
  ];
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === "kept") out.push({ kind: op, text: a[i] as string, oldLine: ++i, newLine: ++j });
    else if (op === "removed") out.push({ kind: op, text: a[i] as string, oldLine: ++i, newLine: null });
    else out.push({ kind: op, text: b[j] as string, oldLine: null, newLine: ++j });
  }
  return out;
}
