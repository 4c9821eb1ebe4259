"use client";
import { useEffect, useState } from "react";

export type Engine = typeof import("../lib/core");

let loading: Promise<Engine> | null = null;

/**
 * Loads the engine once; the page paints and hydrates without it. The form's resolver comes
 * along, so the first keystroke does not wait for a module.
 */
export function loadEngine(): Promise<Engine> {
  loading ??= Promise.all([import("../lib/core"), import("@hookform/resolvers/zod")]).then(([core]) => core);
  return loading;
}

/**
 * The engine, or null while it loads. Until the user touches the page (or opens a share link,
 * which needs it to restore the settings) nothing needs it: the server-rendered page is
 * complete, so it never competes with the first paint and hydration.
 */
export function useEngine(): Engine | null {
  const [engine, setEngine] = useState<Engine | null>(null);
  useEffect(() => {
    let current = true;
    const load = () => void loadEngine().then((loaded) => current && setEngine(() => loaded));
    if (window.location.hash) load();
    window.addEventListener("hashchange", load, { once: true });
    const events = ["focusin", "pointerdown", "keydown"] as const;
    for (const event of events) document.addEventListener(event, load, { once: true, capture: true });
    return () => {
      current = false;
      window.removeEventListener("hashchange", load);
      for (const event of events) document.removeEventListener(event, load, { capture: true });
    };
  }, []);
  return engine;
}
