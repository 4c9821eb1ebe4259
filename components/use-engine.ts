"use client";
import { useEffect, useState } from "react";

/**
 * The engine, with what the preview builds on it and its highlighter (the server highlighted
 * the page's first files).
 */
export type Engine = typeof import("../lib/core") &
  Pick<typeof import("./yaml-code"), "yamlHtmlLines"> &
  typeof import("./preview-bundle");

let request!: () => void;
/** Starts the imports only once something requests the engine; every `useEngine` waits on it. */
const engine = new Promise<void>((resolve) => (request = resolve)).then(() =>
  Promise.all([
    // On its own: zod then comes in a chunk of its own, so the browser runs the engine's code
    // as two shorter tasks instead of one long one.
    import("zod"),
    import("../lib/core"),
    import("./yaml-code"),
    import("./preview-bundle"),
    import("@hookform/resolvers/zod"),
  ]).then(([, core, { yamlHtmlLines }, preview]): Engine => ({ ...core, yamlHtmlLines, ...preview })),
);

/**
 * Loads the engine once; the page paints and hydrates without it. The form's resolver comes
 * along, so the first keystroke does not wait for a module.
 */
export function loadEngine(): Promise<Engine> {
  request();
  return engine;
}

/**
 * The engine, or null while it loads. Until the user touches the page (or opens a share link,
 * which needs it to restore the settings) nothing needs it: the server-rendered page is
 * complete, so it never competes with the first paint and hydration. Whatever starts the load
 * (these listeners, or the form validating input made before hydration) brings it here.
 */
export function useEngine(): Engine | null {
  const [loaded, setLoaded] = useState<Engine | null>(null);
  useEffect(() => {
    let current = true;
    void engine.then((core) => current && setLoaded(() => core));
    const load = () => void loadEngine();
    // A link to open, or a field the user is already in (the first interaction can be what
    // hydrates the form: its own event came before these listeners).
    if (window.location.hash || document.activeElement?.closest("form")) load();
    window.addEventListener("hashchange", load, { once: true });
    const events = ["focusin", "pointerdown", "keydown"] as const;
    for (const event of events) document.addEventListener(event, load, { once: true, capture: true });
    return () => {
      current = false;
      window.removeEventListener("hashchange", load);
      for (const event of events) document.removeEventListener(event, load, { capture: true });
    };
  }, []);
  return loaded;
}
