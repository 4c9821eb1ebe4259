"use client";
/**
 * What the form shares with the islands (./islands), which hydrate later than it does: never
 * through props or a changing context, which would reach an island while it still is server
 * HTML and make React drop that HTML.
 */
import { createContext } from "react";
import type { ConfigInput, GuideStep } from "../lib/index";
import type { AppliedImport } from "./import-panel";

/**
 * The guide for the current settings, with the share fragment of those settings as its key.
 * Its steps are built by whoever shows them, when it does: not in the keystroke's own frame.
 */
export interface GuideState {
  key: string;
  build: () => GuideStep[];
}

let state: GuideState | null = null;
const listeners = new Set<() => void>();

/**
 * Where the form leaves the guide for the current settings and the guide's island reads it:
 * an external store, so the island, hydrated later than the form, never receives props or
 * context while it still is server HTML.
 */
export const guideStore = {
  get: (): GuideState | null => state,
  set(next: GuideState): void {
    if (state?.key === next.key) return;
    state = next;
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/**
 * What the import panel needs from the form: its values, and a way to fill it. The form
 * provides it once, unchanging, so the panel (an island hydrated later) never receives an
 * update while it still is server HTML.
 */
export interface ImportBridge {
  formValues: () => Partial<ConfigInput>;
  apply: (applied: AppliedImport) => void;
}

export const ImportBridgeContext = createContext<ImportBridge | null>(null);
