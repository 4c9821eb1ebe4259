"use client";
import { useEffect, useRef, useState } from "react";
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

/**
 * The bcrypt hash for `password`, computed in a Web Worker once per password value and kept
 * while other fields change. With `givenHash`, checks that it matches instead of hashing.
 * `password` null means no hash is needed (or the password is not valid yet).
 */
export function usePasswordHash(
  password: string | null,
  givenHash: string,
  /** Loaded whenever `password` is not null: the password was validated with it. */
  engine: Pick<Engine, "bcryptCost" | "MAX_VERIFIED_BCRYPT_COST"> | null,
): HashState {
  // Loaded with the first interaction, not with the page: the worker and its loader with it.
  const client = useRef<Promise<HashClient> | null>(null);
  const getClient = () => (client.current ??= import("./hash-client").then((m) => new m.HashClient()));
  const [result, setResult] = useState<{ key: string; state: HashState } | null>(null);
  const key = password === null ? null : `${givenHash}\u0000${password}`;

  useEffect(() => {
    if (password === null || result?.key === key) return;
    let current = true;
    const start = () => {
      if (givenHash && engine) {
        const { bcryptCost, MAX_VERIFIED_BCRYPT_COST } = engine;
        const cost = bcryptCost(givenHash);
        if (cost !== null && cost > MAX_VERIFIED_BCRYPT_COST) {
          // A cost-31 hash would keep the worker busy for days.
          const message = `has cost ${cost}; this page checks hashes of cost ${MAX_VERIFIED_BCRYPT_COST} or less`;
          setResult({ key: key as string, state: { status: "error", message } });
          return;
        }
      }
      const request: HashRequest = givenHash
        ? { type: "verify", password, hash: givenHash }
        : { type: "hash", password };
      getClient()
        .then((c) => c.run(request))
        .then(
          (response) => {
            if (!current) return;
            const state: HashState =
              "hash" in response
                ? { status: "ready", hash: response.hash }
                : response.matches
                  ? { status: "ready", hash: givenHash }
                  : { status: "mismatch" };
            setResult({ key: key as string, state });
          },
          (error: Error) => {
            if (current) setResult({ key: key as string, state: { status: "error", message: error.message } });
          },
        );
    };
    const timer = setTimeout(start, givenHash ? 0 : DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [password, givenHash, key, result?.key, engine]);

  // The worker starts with the first interaction, so the first hash does not wait for it (the
  // interaction may come first: it may be what hydrated the form).
  useEffect(() => {
    const warm = () => void getClient().then((c) => c.warm());
    if (document.activeElement?.closest("form")) warm();
    document.addEventListener("focusin", warm, { once: true, capture: true });
    return () => {
      document.removeEventListener("focusin", warm, { capture: true });
      void client.current?.then((c) => c.terminate());
    };
    // Once: getClient only reads a ref.
  }, []);

  if (key === null) return IDLE;
  return result?.key === key ? result.state : COMPUTING;
}
