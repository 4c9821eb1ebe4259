"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import type { HashClient, HashState, HashWanted } from "./hash-client";

export type { HashState, HashWanted } from "./hash-client";

// The same objects every time: what depends on the state is recomputed only when it changes.
const IDLE: HashState = { status: "idle" };
const COMPUTING: HashState = { status: "computing" };

/** Wait after the last keystroke before hashing, so typing does not queue hashes. */
const DEBOUNCE_MS = 100;

// One worker for the page, loaded with the first interaction, not with the page.
let shared: Promise<HashClient> | null = null;
/** The page's bcrypt worker client (the rotation panel hashes its new password with it too). */
export function hashClient(): Promise<HashClient> {
  return (shared ??= import("./hash-client").then((m) => new m.HashClient()));
}

const keyOf = (w: HashWanted | null) => w && `${w.givenHash}\u0000${w.password}`;

/**
 * The bcrypt hash of each password in `wanted`, computed in the Web Worker once per password
 * value and kept while it is in use: changing one password (or any other field) never hashes
 * another again, so the files do not churn. With `givenHash`, checks that it matches instead of
 * hashing. A null entry needs no hash (or its password is not valid yet). `slot` names this
 * list's requests in the worker's queue.
 */
export function usePasswordHashes(wanted: readonly (HashWanted | null)[], slot: string): HashState[] {
  const [results, setResults] = useState<ReadonlyMap<string, HashState>>(() => new Map());
  const keysKey = JSON.stringify(wanted.map(keyOf));
  // Per entry: the key being hashed (debounced or in the worker).
  const pending = useRef(new Map<number, { key: string; timer: ReturnType<typeof setTimeout> }>());
  const live = useRef(wanted);
  live.current = wanted;

  useEffect(() => {
    const wanted = live.current;
    // Only the hashes of passwords still in use are kept.
    const settle = (index: number, key: string, state: HashState) => {
      if (pending.current.get(index)?.key === key) pending.current.delete(index);
      const keys = live.current.map(keyOf);
      if (keys.includes(key))
        setResults((prev) => new Map([...prev].filter(([k]) => keys.includes(k)).concat([[key, state]])));
    };
    for (const [index, p] of pending.current) {
      if (p.key !== keyOf(wanted[index] ?? null)) {
        clearTimeout(p.timer);
        pending.current.delete(index);
      }
    }
    wanted.forEach((w, index) => {
      const key = keyOf(w);
      if (!w || !key || results.has(key) || pending.current.has(index)) return;
      const start = () =>
        hashClient()
          .then((c) => c.hashState(w, `${slot}-${index}`))
          .then(
            (state) => settle(index, key, state),
            // A newer request for this entry replaced it: that one settles it.
            (error: Error) =>
              error.name !== "SupersededError" && settle(index, key, { status: "error", message: error.message }),
          );
      pending.current.set(index, { key, timer: setTimeout(start, w.givenHash ? 0 : DEBOUNCE_MS) });
    });
  }, [keysKey, results, slot]);

  // The worker starts with the first interaction, so the first hash does not wait for it (the
  // interaction may come first: it may be what hydrated the form).
  useEffect(() => {
    const timers = pending.current;
    const warm = () => void hashClient().then((c) => c.warm());
    if (document.activeElement?.closest("form")) warm();
    document.addEventListener("focusin", warm, { once: true, capture: true });
    return () => {
      document.removeEventListener("focusin", warm, { capture: true });
      for (const p of timers.values()) clearTimeout(p.timer);
      timers.clear();
      void shared?.then((c) => c.terminate());
    };
  }, []);

  return useMemo(
    () => (JSON.parse(keysKey) as (string | null)[]).map((key) => (key ? (results.get(key) ?? COMPUTING) : IDLE)),
    [keysKey, results],
  );
}
