"use client";
/** The pushers' rows: loaded with the first pusher (./pushers-field). */
import { useEffect, useId, useRef } from "react";
import { useWatch, type FieldError } from "react-hook-form";
import { describedBy, Field } from "./field";
import { NEW_PUSHER, type PushersFieldProps } from "./pushers-field";
import type { ConfigInput } from "../lib/index";
import { strongPassword } from "./strong-password";

type Key = "name" | "namespace" | "password";

const HINTS: Record<Key, string> = {
  name: "Its username, and part of its Secret's name.",
  namespace: "Where its job runs: its Secret goes there.",
  password: "Stays in this page, like the scrape password.",
};

/**
 * One row per pusher: name, namespace and password (typed or generated in the browser), each
 * labelled with its row, with the schema's message next to it; "Add pusher" and "Remove".
 * Controlled inputs on the form's `pushers` list (the form library's field-array hook would
 * weigh on the page's first load: the library is one module).
 */
export function PushersEditor({ form, reveal, restoredFromLink }: Omit<PushersFieldProps, "count">) {
  const ids = useId();
  const pushers = useWatch({ control: form.control, name: "pushers" }) ?? [];
  const errors = form.formState.errors.pushers;
  // Every row is judged again: a name may clash with another row's.
  const change = (value: ConfigInput["pushers"]) => {
    form.setValue("pushers", value, { shouldDirty: true });
    void form.trigger("pushers");
  };
  const set = (index: number, key: Key, value: string) =>
    change(pushers.map((p, i) => (i === index ? { ...p, [key]: value } : p)));

  // A new row takes the focus; on mount, only when the "Add pusher" that loaded this editor
  // has gone (a link's rows do not).
  const rows = useRef(-1);
  useEffect(() => {
    const added = rows.current >= 0 ? pushers.length > rows.current : document.activeElement === document.body;
    if (added && pushers.length) document.getElementById(`${ids}-${pushers.length - 1}-name`)?.focus();
    rows.current = pushers.length;
  }, [pushers.length, ids]);

  const row = (index: number, key: Key) => {
    const id = `${ids}-${index}-${key}`;
    const error = (errors?.[index] as Partial<Record<Key, FieldError>> | undefined)?.[key]?.message;
    const input = (
      <input
        id={id}
        name={`pushers.${index}.${key}`}
        value={pushers[index]?.[key] ?? ""}
        onChange={(e) => set(index, key, e.target.value)}
        type={key === "password" && !reveal ? "password" : "text"}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, true, Boolean(error))}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        autoComplete={key === "password" ? "new-password" : "off"}
      />
    );
    return (
      <Field id={id} label={`Pusher ${index + 1} ${key}`} hint={HINTS[key]} error={error}>
        {key === "password" ? (
          <div className="with-buttons">
            {input}
            <button
              type="button"
              aria-label={`Generate a password for pusher ${index + 1}`}
              onClick={() => set(index, "password", strongPassword())}
            >
              Generate
            </button>
          </div>
        ) : (
          input
        )}
      </Field>
    );
  };

  const listError = errors?.message ?? errors?.root?.message;
  return (
    <>
      {restoredFromLink && pushers.some((p) => !p?.password) && (
        <p className="banner banner-outdated">
          Pushers restored from a share link. Enter each pusher&apos;s password: links never hold them.
        </p>
      )}
      {pushers.map((_, index) => (
        <div key={index} className="pusher" role="group" aria-label={`Pusher ${index + 1}`}>
          <div className="pair">
            {row(index, "name")}
            {row(index, "namespace")}
          </div>
          {row(index, "password")}
          <button type="button" onClick={() => change(pushers.filter((_, i) => i !== index))}>
            Remove pusher {index + 1}
          </button>
        </div>
      ))}
      {listError && <p className="error">{listError}</p>}
      <button type="button" onClick={() => change([...pushers, { ...NEW_PUSHER }])}>
        Add pusher
      </button>
    </>
  );
}
