"use client";
import { lazy, memo, Suspense, useState } from "react";
import type { Config } from "../lib/index";

// Rarely used: its code (and the rotation planner) loads when first opened.
const RotationPanel = lazy(() => import("./rotation-panel").then((m) => ({ default: m.RotationPanel })));

/**
 * "Rotate the scrape password" (or a pusher's): a heading and a button until first opened,
 * then the panel that plans the rotation from the current files (`config`, null while they
 * are not ready).
 */
export const RotationSection = memo(function RotationSection({
  config,
  shareBaseUrl,
}: {
  config: Config | null;
  shareBaseUrl: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <section className="rotation" aria-labelledby="rotation-heading">
      <h2 id="rotation-heading">Rotate the scrape password</h2>
      <p className="hint">
        Or a pusher&apos;s: three phases with no failed scrape, each with its files, commands and check.
      </p>
      {open ? (
        <Suspense fallback={null}>
          <RotationPanel config={config} shareBaseUrl={shareBaseUrl} />
        </Suspense>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Plan a rotation
        </button>
      )}
    </section>
  );
});
