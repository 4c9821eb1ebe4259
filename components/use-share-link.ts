"use client";
import { useEffect, useRef, useState } from "react";
import type { ConfigInput } from "../lib/config/schema";
import type { Engine } from "./use-engine";

// Chrome throttles history updates made in quick succession; typing must not hit that.
const URL_UPDATE_DELAY_MS = 250;

export interface ShareLinkState {
  /** The full link for the current settings, or "" before the form holds valid settings. */
  link: string;
  /** The page address without fragment: the base of every share link. */
  baseUrl: string;
  /** What a link just opened could not restore (shown as an alert). */
  problems: string[];
  /** True once settings came from a link: the page asks for the password. */
  restored: boolean;
}

/** The shareable settings of `values`, when they are valid apart from the credentials. */
function fragmentOf(engine: Engine, values: Partial<ConfigInput>): string | null {
  const result = engine.validateConfig({ ...values, password: "placeholder", passwordHash: "" });
  return result.ok ? engine.encodeShareFragment(result.config) : null;
}

/**
 * Keeps the settings in the URL fragment (with replaceState: no history entries, nothing sent to
 * a server) and restores them from a link when the page opens or the fragment changes.
 */
export function useShareLink(
  engine: Engine | null,
  values: ConfigInput,
  restore: (input: Partial<ConfigInput>) => void,
): ShareLinkState {
  const [baseUrl, setBaseUrl] = useState("");
  const [problems, setProblems] = useState<string[]>([]);
  const [restored, setRestored] = useState(false);
  // The fragment this page wrote last, to tell our own updates from links the user opens.
  const written = useRef<string | null>(null);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  useEffect(() => {
    setBaseUrl(`${window.location.origin}${window.location.pathname}`);
  }, []);

  useEffect(() => {
    if (!engine) return;
    const open = () => {
      const hash = window.location.hash.slice(1);
      if (hash === "" || hash === written.current) return;
      const decoded = engine.decodeShareFragment(hash);
      written.current = hash;
      setProblems(decoded.problems);
      restoreRef.current(decoded.input);
      setRestored(true);
    };
    open();
    window.addEventListener("hashchange", open);
    return () => window.removeEventListener("hashchange", open);
  }, [engine]);

  const fragment = engine ? fragmentOf(engine, values) : null;
  const lastFragment = useRef<string | null>(null);
  if (fragment) lastFragment.current = fragment;
  const current = fragment ?? lastFragment.current;

  useEffect(() => {
    if (!current || current === written.current) return;
    // Opening the page plainly leaves its address alone until the user changes something.
    if (!engine || (written.current === null && current === defaultFragment(engine))) return;
    const timer = setTimeout(() => {
      written.current = current;
      window.history.replaceState(window.history.state, "", `#${current}`);
    }, URL_UPDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [engine, current]);

  return { link: current && baseUrl ? `${baseUrl}#${current}` : "", baseUrl, problems, restored };
}

let cachedDefaultFragment: string | null = null;
function defaultFragment(engine: Engine): string | null {
  cachedDefaultFragment ??= fragmentOf(engine, {});
  return cachedDefaultFragment;
}
