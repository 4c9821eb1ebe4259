"use client";
import { useEffect, useState, useSyncExternalStore } from "react";

// The certificate field's module, which carries the sealing code too: one chunk to load.
export type SealingCode = typeof import("./secrets-fields");
export const loadSealingCode = () => import("./secrets-fields");

const none = () => () => {};
const zero = () => 0;

/**
 * The sealing code, loaded once Sealed Secrets is chosen (`active`); the page re-renders when
 * the certificate changes or a bundle is sealed.
 */
export function useSealingCode(active: boolean): SealingCode | null {
  const [code, setCode] = useState<SealingCode | null>(null);
  useEffect(() => {
    if (!active || code) return;
    let current = true;
    void loadSealingCode().then((m) => current && setCode(() => m));
    return () => {
      current = false;
    };
  }, [active, code]);
  useSyncExternalStore(code?.subscribe ?? none, code?.getVersion ?? zero, zero);
  return code;
}
