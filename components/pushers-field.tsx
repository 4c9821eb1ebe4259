"use client";
import { lazy, Suspense } from "react";
import type { UseFormReturn } from "react-hook-form";
import { FIELDS } from "../lib/form";
import type { Config, ConfigInput } from "../lib/index";

// Most visits add no pusher: the editor's code loads with the first one (or a link's).
const PushersEditor = lazy(() => import("./pushers-editor").then((m) => ({ default: m.PushersEditor })));

/** A new pusher's row: the user names it and gives its namespace and password. */
export const NEW_PUSHER = { name: "", namespace: "", password: "", passwordHash: "" };

export interface PushersFieldProps {
  form: UseFormReturn<ConfigInput, unknown, Config>;
  /** How many pushers the form holds. */
  count: number;
  reveal: boolean;
  /** Settings came from a share link: ask for the pushers' passwords. */
  restoredFromLink: boolean;
}

/**
 * The pushers (lib/config/pushers.ts): one user per job that pushes. Until there is one, only
 * the "Add pusher" button; the editor loads with the first.
 */
export function PushersField({ form, count, reveal, restoredFromLink }: PushersFieldProps) {
  const { label, hint } = FIELDS.pushers;
  const add = (
    <button
      type="button"
      onClick={() => form.setValue("pushers", [{ ...NEW_PUSHER }], { shouldValidate: true, shouldDirty: true })}
    >
      Add pusher
    </button>
  );
  return (
    <fieldset className="pushers" aria-describedby="pushers-hint">
      <legend>{label}</legend>
      <p id="pushers-hint" className="hint">
        {hint}
      </p>
      {count === 0 ? (
        add
      ) : (
        <Suspense fallback={null}>
          <PushersEditor form={form} reveal={reveal} restoredFromLink={restoredFromLink} />
        </Suspense>
      )}
    </fieldset>
  );
}
