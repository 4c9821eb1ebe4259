"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Engine } from "./use-engine";
import { DEFAULTS } from "../lib/form";
import type { Config, ConfigInput } from "../lib/index";

// Chrome throttles history updates made in quick succession; typing must not hit that.
const URL_UPDATE_DELAY_MS = 250;

export interface ShareLinkState {
  /** The full link for the current settings, or "" while they are not valid. */
  link: string;
  /** The fragment of the settings alone (no certificate), or null while they are not valid. */
  settingsFragment: string | null;
  /** The page address without fragment: the base of every share link. */
  baseUrl: string;
  /** What the link last opened could not restore (shown as an alert). */
  problems: string[];
  /** True once settings came from a link: the page asks for the password. */
  restored: boolean;
}

/**
 * Keeps the settings in the URL fragment (with replaceState: no history entries, nothing sent to
 * a server) and restores them from a link when the page opens or the fragment changes.
 * `settings` is the form's config when valid apart from the credentials, else null.
 */
export function useShareLink(
  engine: Engine | null,
  settings: Config | null,
  restore: (input: Partial<ConfigInput>, sealingCertificate: string | undefined) => void,
  /** With Sealed Secrets, the certificate; the link carries it if it stays short enough. */
  sealingCertificate = "",
): ShareLinkState {
  // Only needed once the engine is there (before, no link is made): no state, no extra render.
  const baseUrl = engine ? `${window.location.origin}${window.location.pathname}` : "";
  const [problems, setProblems] = useState<string[]>([]);
  const [restored, setRestored] = useState(false);
  // The fragment this page wrote last, to tell our own updates from links the user opens.
  const written = useRef<string | null>(null);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  useEffect(() => {
    if (!engine) return;
    const open = () => {
      const hash = window.location.hash.slice(1);
      if (hash === "" || hash === written.current) return;
      const decoded = engine.decodeShareFragment(hash);
      written.current = hash;
      setProblems(decoded.problems);
      restoreRef.current(decoded.input, decoded.sealingCertificate);
      setRestored(true);
    };
    open();
    window.addEventListener("hashchange", open);
    return () => window.removeEventListener("hashchange", open);
  }, [engine]);

  // The settings alone (the guide's key too), and the link's fragment: the same unless a
  // certificate rides along.
  const settingsFragment = useMemo(
    () => (engine && settings ? engine.encodeShareFragment(settings) : null),
    [engine, settings],
  );
  const fragment = useMemo(
    () =>
      engine && settings && sealingCertificate
        ? engine.encodeShareFragment(settings, { sealingCertificate, baseUrl })
        : settingsFragment,
    [engine, settings, sealingCertificate, baseUrl, settingsFragment],
  );
  const defaultsFragment = useMemo(() => engine?.encodeShareFragment(DEFAULTS), [engine]);

  // The address keeps the last valid settings while the form is being fixed.
  useEffect(() => {
    if (!engine || !fragment || fragment === written.current) return;
    // Opening the page plainly leaves its address alone until the user changes something.
    if (written.current === null && fragment === defaultsFragment) return;
    const timer = setTimeout(() => {
      written.current = fragment;
      window.history.replaceState(window.history.state, "", `#${fragment}`);
    }, URL_UPDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [engine, fragment, defaultsFragment]);

  return {
    link: fragment && baseUrl ? `${baseUrl}#${fragment}` : "",
    settingsFragment,
    baseUrl,
    problems,
    restored,
  };
}
