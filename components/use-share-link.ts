"use client";
import { useEffect, useRef, useState } from "react";
import { decodeShareFragment, encodeShareFragment, validateConfig, type ConfigInput } from "../lib/index";

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
function fragmentOf(values: Partial<ConfigInput>): string | null {
  const result = validateConfig({ ...values, password: "placeholder", passwordHash: "" });
  return result.ok ? encodeShareFragment(result.config) : null;
}

/**
 * Keeps the settings in the URL fragment (with replaceState: no history entries, nothing sent to
 * a server) and restores them from a link when the page opens or the fragment changes.
 */
export function useShareLink(values: ConfigInput, restore: (input: Partial<ConfigInput>) => void): ShareLinkState {
  const [baseUrl, setBaseUrl] = useState("");
  const [problems, setProblems] = useState<string[]>([]);
  const [restored, setRestored] = useState(false);
  // The fragment this page wrote last, to tell our own updates from links the user opens.
  const written = useRef<string | null>(null);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  useEffect(() => {
    setBaseUrl(`${window.location.origin}${window.location.pathname}`);
    const open = () => {
      const hash = window.location.hash.slice(1);
      if (hash === "" || hash === written.current) return;
      const decoded = decodeShareFragment(hash);
      written.current = hash;
      setProblems(decoded.problems);
      restoreRef.current(decoded.input);
      setRestored(true);
    };
    open();
    window.addEventListener("hashchange", open);
    return () => window.removeEventListener("hashchange", open);
  }, []);

  const fragment = fragmentOf(values);
  const lastFragment = useRef<string | null>(null);
  if (fragment) lastFragment.current = fragment;
  const current = fragment ?? lastFragment.current;

  useEffect(() => {
    if (!current || current === written.current) return;
    // Opening the page plainly leaves its address alone until the user changes something.
    if (written.current === null && current === defaultFragment()) return;
    const timer = setTimeout(() => {
      written.current = current;
      window.history.replaceState(window.history.state, "", `#${current}`);
    }, URL_UPDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [current]);

  return { link: current && baseUrl ? `${baseUrl}#${current}` : "", baseUrl, problems, restored };
}

let cachedDefaultFragment: string | null = null;
function defaultFragment(): string | null {
  cachedDefaultFragment ??= fragmentOf({});
  return cachedDefaultFragment;
}
