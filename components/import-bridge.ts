"use client";
import { createContext } from "react";
import type { AppliedImport } from "./import-panel";
import type { ConfigInput } from "../lib/index";

/**
 * What the import panel needs from the form: its values, and a way to fill it. The form
 * provides it once, unchanging, so the panel (an island hydrated later) never receives an
 * update while it still is server HTML.
 */
export interface ImportBridge {
  formValues: () => Partial<ConfigInput>;
  apply: (applied: AppliedImport) => void;
}

export const ImportBridgeContext = createContext<ImportBridge | null>(null);
