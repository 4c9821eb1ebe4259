"use client";
import { memo, useDeferredValue, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from "react";
import { copyText } from "./clipboard";
import { GuideSteps } from "./guide-steps";
import { guideStore } from "./island-bridges";
import { replayClicks, takeEarlyEvents } from "./island";
import { GUIDE_ID, GUIDE_STATUS_ID } from "./island-ids";

/**
 * The guide's interactive part, loaded when the guide is needed (components/islands.tsx): its
 * Copy buttons, and the steps for the current settings once they differ from those the server
 * rendered (`children`, the steps for the settings whose share fragment is `initialKey`).
 */
// The urgent render that comes before the deferred one gives the same steps: skipped.
const Steps = memo(GuideSteps);

export function GuideLive({ initialKey, children }: { initialKey: string; children: ReactNode }) {
  const latest = useSyncExternalStore(guideStore.subscribe, guideStore.get, () => null);
  // A store update renders at once, in the keystroke's own frame; the guide's steps are built
  // and its long list of snippets rendered a moment later instead (a deferred render, after
  // the paint), so they never delay the preview.
  const current = useDeferredValue(latest);
  const steps = useMemo(() => (current && current.key !== initialKey ? current.build() : null), [current, initialKey]);
  const early = useRef<string[] | null>(null);

  // One listener on the guide for every Copy button, the server's and those rendered here.
  useEffect(() => {
    const guide = document.getElementById(GUIDE_ID);
    const status = document.getElementById(GUIDE_STATUS_ID);
    const onClick = async (event: Event) => {
      const button = (event.target as Element).closest("button[data-copy]");
      const step = button?.closest("li");
      if (!step) return;
      const title = step.querySelector("h3")?.textContent ?? "";
      // The snippet as shown: each line of the block ends with a newline the snippet lacks.
      const code = (step.querySelector("pre")?.textContent ?? "").replace(/\n$/, "");
      const copied = await copyText(code);
      if (status)
        status.textContent = copied ? `Copied: ${title}` : "Could not copy: the browser refused clipboard access";
    };
    guide?.addEventListener("click", onClick);
    return () => guide?.removeEventListener("click", onClick);
  }, []);

  // Copy buttons clicked before this ran are clicked again once the steps shown are current.
  useEffect(() => {
    early.current ??= takeEarlyEvents(GUIDE_ID).clicks;
    if (current !== guideStore.get() || early.current.length === 0) return;
    replayClicks(document.getElementById(GUIDE_ID), early.current.splice(0));
  });

  return steps ? <Steps steps={steps} /> : children;
}
