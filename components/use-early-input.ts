"use client";
import { useCallback, useEffect, useRef, type RefCallback } from "react";
import type { UseFormReturn } from "react-hook-form";
import { DEFAULTS } from "../lib/form";
import type { Config, ConfigInput, FieldName } from "../lib/index";

/** Makes a ref for a controlled radio: `choose` runs on mount if the user picked that radio early. */
export type KeepEarlyPick = (choose: () => void) => RefCallback<HTMLInputElement>;

/**
 * Hands the form what the user typed, ticked or picked while the page's scripts were loading.
 *
 * React 19 leaves such input in the DOM when it hydrates, and react-hook-form takes an edited
 * field's DOM value when its `register()` ref attaches, but tells no watcher: the preview went
 * on showing the defaults (or "Type a password") until the next keystroke. Controlled radios
 * lose an early pick outright. Once the form is mounted (call this after `useForm`, whose
 * mount effect must run first; its watchers subscribed in layout effects, earlier still) the
 * early values go through the form like a change would, which also validates them and so
 * loads the engine.
 */
export function useEarlyInput(form: UseFormReturn<ConfigInput, unknown, Config>): KeepEarlyPick {
  const mounted = useRef(false);
  const picked = useRef(new Map<string, () => void>());
  useEffect(() => {
    if (mounted.current) return;
    mounted.current = true;
    const values = form.getValues();
    // By value: a list field (pushers) is a new, equal array once the form holds it.
    const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
    const edited = (Object.keys(DEFAULTS) as FieldName[]).some((f) => !same(values[f], DEFAULTS[f]));
    if (edited) form.setValues(values, { shouldDirty: true, shouldValidate: true });
    for (const choose of picked.current.values()) choose();
    picked.current.clear();
  }, [form]);

  // The same function at every render, so the form can skip renders that change nothing.
  return useCallback(
    (choose) => (el) => {
      if (el && !mounted.current && el.checked && !el.defaultChecked) picked.current.set(el.name, choose);
    },
    [],
  );
}
