/**
 * Measurements taken inside the page, so Playwright's own work never counts: keystroke to
 * preview (keydown to the DOM showing the new text, seen by a MutationObserver), keystroke to
 * next paint (to the first animation frame after that DOM change: the moment the user can see
 * it) and main-thread blocking while a password is typed (Long Tasks API).
 */
import type { Page } from "@playwright/test";

/**
 * tsx compiles with esbuild's keepNames, which wraps the functions below in `__name(...)` calls;
 * the page has no such helper unless given one.
 */
async function allowNamedFunctions(page: Page): Promise<void> {
  await page.evaluate("globalThis.__name ??= (fn) => fn");
}

export interface KeystrokeOptions {
  /** Label of the field to type into. */
  label: string;
  /** Characters to type, one at a time. */
  text: string;
  /**
   * Text the preview must show, with `{Label}` standing for the current value of the input
   * with that label, e.g. `release {Release name} in namespace {Namespace}.`
   */
  expected: string;
  /** Selector of the element whose text is the preview. */
  preview: string;
  /** Pause between keys, so each keystroke is measured on its own. */
  delayMs?: number;
}

export interface Keystrokes {
  /** Milliseconds from each keydown to the preview's DOM showing that key's effect, in key order. */
  toDom: number[];
  /** Milliseconds from each keydown to the first animation frame after that DOM change. */
  toPaint: number[];
}

/** Keystroke to preview, and to the next paint of it, for each key typed. */
export async function measureKeystrokes(page: Page, options: KeystrokeOptions): Promise<Keystrokes> {
  const input = page.getByLabel(options.label, { exact: true });
  await input.fill("");
  await input.focus();
  await allowNamedFunctions(page);
  // Installed (and awaited) before the first key, so no keystroke goes unseen.
  await page.evaluate(
    ({ expected, preview, count }) => {
      const field = (label: string) =>
        ([...document.querySelectorAll("label")].find((l) => l.textContent === label)?.control as HTMLInputElement)
          ?.value ?? "";
      const expectation = () => expected.replace(/\{([^}]+)\}/g, (_, label: string) => field(label));
      const pending: { t0: number; text: string }[] = [];
      const toDom: number[] = [];
      const toPaint: number[] = [];
      let painting = 0;
      let lastKeydown = 0;
      const onKeydown = () => (lastKeydown = performance.now());
      const onInput = () => pending.push({ t0: lastKeydown, text: expectation() });
      document.addEventListener("keydown", onKeydown, true);
      document.addEventListener("input", onInput, true);
      const state = window as unknown as { keystrokes: Promise<Keystrokes> };
      state.keystrokes = new Promise<Keystrokes>((resolve, reject) => {
        const finish = () => {
          if (toPaint.length < count || painting > 0) return;
          observer.disconnect();
          document.removeEventListener("keydown", onKeydown, true);
          document.removeEventListener("input", onInput, true);
          resolve({ toDom, toPaint });
        };
        const observer = new MutationObserver(() => {
          const shown = document.querySelector(preview)?.textContent ?? "";
          // Keystrokes rendered in one commit all show with the last of them.
          let last = -1;
          pending.forEach((p, i) => shown.includes(p.text) && (last = i));
          if (last < 0) return;
          const now = performance.now();
          const done = pending.splice(0, last + 1);
          for (const { t0 } of done) toDom.push(now - t0);
          // The frame that shows them: its animation frame callbacks run right before it paints.
          painting++;
          requestAnimationFrame(() => {
            const paint = performance.now();
            for (const { t0 } of done) toPaint.push(paint - t0);
            painting--;
            finish();
          });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        setTimeout(
          () => reject(new Error(`only ${toPaint.length} of ${count} keystrokes reached the preview and painted`)),
          60_000,
        );
      });
    },
    { expected: options.expected, preview: options.preview, count: options.text.length },
  );
  await page.keyboard.type(options.text, { delay: options.delayMs ?? 60 });
  return page.evaluate(() => (window as unknown as { keystrokes: Promise<Keystrokes> }).keystrokes);
}

export interface PasswordTyping {
  longTasks: number[];
  /** From the last keystroke to the hash of the typed password showing in the preview. */
  hashVisibleMs: number;
}

/** Types a password into "Password" and measures blocking and time to the hash. */
export async function measurePasswordTyping(page: Page, password: string, delayMs = 60): Promise<PasswordTyping> {
  const input = page.getByLabel("Password", { exact: true });
  await input.fill("");
  await input.focus();
  await allowNamedFunctions(page);
  await page.evaluate((password) => {
    const longTasks: number[] = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    }).observe({ type: "longtask" });
    let lastKey = 0;
    document.addEventListener("keydown", () => (lastKey = performance.now()), true);
    const input = document.activeElement as HTMLInputElement;
    const secret = () =>
      [...document.querySelectorAll("section.file")].find((s) => s.querySelector("h3")?.textContent === "secret.yaml");
    (window as unknown as { passwordTyping: Promise<PasswordTyping> }).passwordTyping = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const text = secret()?.querySelector("pre")?.textContent ?? "";
        if (input.value === password && /\$2b\$10\$/.test(text)) {
          const hashVisibleMs = performance.now() - lastKey;
          observer.disconnect();
          // Let the Long Tasks observer deliver the last frames' entries.
          setTimeout(() => resolve({ longTasks, hashVisibleMs }), 200);
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }, password);
  await page.keyboard.type(password, { delay: delayMs });
  return page.evaluate(() => (window as unknown as { passwordTyping: Promise<PasswordTyping> }).passwordTyping);
}
