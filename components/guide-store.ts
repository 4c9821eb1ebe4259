"use client";
import type { GuideStep } from "../lib/index";

/** The guide for the current settings, with the share fragment of those settings as its key. */
export interface GuideState {
  key: string;
  steps: GuideStep[];
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
