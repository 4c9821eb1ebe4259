"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import type { HashClient, HashRequest } from "./hash-client";
import type { Engine } from "./use-engine";

// The same objects every time: what depends on the state is recomputed only when it changes.
const IDLE: HashState = { status: "idle" };
const COMPUTING: HashState = { status: "computing" };

/** Wait after the last keystroke before hashing, so typing does not queue hashes. */
const DEBOUNCE_MS = 100;

export type HashState =
  | { status: "idle" }
  | { status: "computing" }
  | { status: "ready"; hash: string }
  | { status: "mismatch" }
  /** The hash cannot be checked here (too costly) or the worker failed: the message says which. */
  | { status: "error"; message: string };

/** A password to hash, or, with `givenHash`, to check against that hash. */
export interface HashWanted {
  password: string;
  givenHash: string;
}

type HashEngine = Pick<Engine, "bcryptCost" | "MAX_VERIFIED_BCRYPT_COST"> | null;

// One worker for the page, loaded with the first interaction, not with the page.
let shared: Promise<HashClient> | null = null;
/** The page's bcrypt worker client (the rotation panel hashes its new password with it too). */
export function hashClient(): Promise<HashClient> {
  return (shared ??= import("./hash-client").then((m) => new m.HashClient()));
}

const keyOf = (w: HashWanted | null) => (w === null ? null : `${w.givenHash}\u0000${w.password}`);

/**
 * The bcrypt hash of each password in `wanted`, computed in the Web Worker once per password
 * value and kept while it is in use: changing one password (or any other field) never hashes
 * another again, so the files do not churn. With `givenHash`, checks that it matches instead of
 * hashing. A null entry needs no hash (or its password is not valid yet). `slot` names this
 * list's requests in the worker's queue.
 */
export function usePasswordHashes(
  wanted: readonly (HashWanted | null)[],
  /** Loaded whenever an entry is not null: the passwords were validated with it. */
  engine: HashEngine,
  slot: string,
): HashState[] {
  const [results, setResults] = useState<ReadonlyMap<string, HashState>>(() => new Map());
  const keys = wanted.map(keyOf);
  const keysKey = JSON.stringify(keys);
  // Per entry: the key being hashed (debounced or in the worker).
  const pending = useRef(new Map<number, { key: string; timer: ReturnType<typeof setTimeout> }>());
  const live = useRef<(string | null)[]>([]);
  live.current = keys;
  const latest = useRef({ wanted, engine });
  latest.current = { wanted, engine };

  useEffect(() => {
    const settle = (index: number, key: string, state: HashState) => {
      if (pending.current.get(index)?.key === key) pending.current.delete(index);
      if (!live.current.includes(key)) return;
      // Only the hashes of passwords still in use are kept.
      setResults((prev) => new Map([...prev].filter(([k]) => live.current.includes(k)).concat([[key, state]])));
    };
    const start = (index: number, w: HashWanted, key: string) => {
      const { engine } = latest.current;
      if (w.givenHash && engine) {
        const cost = engine.bcryptCost(w.givenHash);
        if (cost !== null && cost > engine.MAX_VERIFIED_BCRYPT_COST) {
          // A cost-31 hash would keep the worker busy for days.
          const message = `has cost ${cost}; this page checks hashes of cost ${engine.MAX_VERIFIED_BCRYPT_COST} or less`;
          settle(index, key, { status: "error", message });
          return;
        }
      }
      const request: HashRequest = w.givenHash
        ? { type: "verify", password: w.password, hash: w.givenHash }
        : { type: "hash", password: w.password };
      hashClient()
        .then((c) => c.run(request, `${slot}-${index}`))
        .then(
          (response) =>
            settle(
              index,
              key,
              "hash" in response
                ? { status: "ready", hash: response.hash }
                : response.matches
                  ? { status: "ready", hash: w.givenHash }
                  : { status: "mismatch" },
            ),
          (error: Error) => {
            // A newer request for this entry replaced it: that one settles it.
            if (error.name !== "SupersededError") settle(index, key, { status: "error", message: error.message });
          },
        );
    };
    const { wanted } = latest.current;
    for (const [index, p] of pending.current) {
      if (index >= wanted.length) {
        clearTimeout(p.timer);
        pending.current.delete(index);
      }
    }
    wanted.forEach((w, index) => {
      const key = keyOf(w);
      const p = pending.current.get(index);
      if (p?.key === key) return;
      if (p) {
        clearTimeout(p.timer);
        pending.current.delete(index);
      }
      if (w === null || key === null || results.has(key)) return;
      const timer = setTimeout(() => start(index, w, key), w.givenHash ? 0 : DEBOUNCE_MS);
      pending.current.set(index, { key, timer });
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
    () =>
      (JSON.parse(keysKey) as (string | null)[]).map((key) => (key === null ? IDLE : (results.get(key) ?? COMPUTING))),
    [keysKey, results],
  );
}

/**
 * The bcrypt hash for the scrape `password` ({@link usePasswordHashes} for one password).
 * `password` null means no hash is needed (or the password is not valid yet).
 */
export function usePasswordHash(password: string | null, givenHash: string, engine: HashEngine): HashState {
  return usePasswordHashes(password === null ? [] : [{ password, givenHash }], engine, "password")[0] ?? IDLE;
}
