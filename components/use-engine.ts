"use client";
import { useEffect, useState } from "react";

export type Engine = typeof import("../lib/core");

let loading: Promise<Engine> | null = null;

/** Loads the engine once; the page paints and hydrates without it. */
export function loadEngine(): Promise<Engine> {
  loading ??= import("../lib/core");
  return loading;
}

/** The engine, or null while it loads (right after the first paint). */
export function useEngine(): Engine | null {
  const [engine, setEngine] = useState<Engine | null>(null);
  useEffect(() => {
    let current = true;
    void loadEngine().then((loaded) => current && setEngine(() => loaded));
    return () => {
      current = false;
    };
  }, []);
  return engine;
}
