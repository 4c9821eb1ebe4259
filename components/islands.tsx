"use client";
/**
 * The islands hydrated when needed (./island): the import panel, and the guide's Copy buttons
 * and live steps. Their code loads when they come near the viewport, when the user interacts
 * inside them, or (the guide) when the settings change what it says.
 */
import { island } from "./island";
import { GUIDE_ID, IMPORT_ID } from "./island-ids";

export const ImportIsland = island(() => import("./import-panel").then((m) => m.ImportPanel), {
  id: IMPORT_ID,
  acceptDrops: true,
});

export const GuideIsland = island<{ initialKey: string }>(() => import("./guide-live").then((m) => m.GuideLive), {
  id: GUIDE_ID,
});
