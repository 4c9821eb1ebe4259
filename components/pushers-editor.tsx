"use client";
/** The pushers' rows: loaded with the first pusher (./pushers-field). */
import { useEffect, useId } from "react";
import { useFieldArray, useWatch, type FieldError } from "react-hook-form";
import { describedBy, Field } from "./field";
import { NEW_PUSHER, type PushersFieldProps } from "./pushers-field";
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
 */
export function PushersEditor({ form, reveal, restoredFromLink }: Omit<PushersFieldProps, "count">) {
  const ids = useId();
  const { fields, append, remove } = useFieldArray({ control: form.control, name: "pushers" });
  const pushers = useWatch({ control: form.control, name: "pushers" }) ?? [];
  const errors = form.formState.errors.pushers;
  const { register, setValue } = form;

  // The "Add pusher" that loaded this editor is gone: its new row takes the focus.
  useEffect(() => {
    if (document.activeElement === document.body && fields.length === 1 && !pushers[0]?.name)
      form.setFocus("pushers.0.name");
    // On mount only.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const row = (index: number, key: Key) => {
    const id = `${ids}-${index}-${key}`;
    const error = (errors?.[index] as Partial<Record<Key, FieldError>> | undefined)?.[key]?.message;
    const input = (
      <input
        id={id}
        {...register(`pushers.${index}.${key}`, { deps: ["pushers"] })}
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
              onClick={() =>
                setValue(`pushers.${index}.password`, strongPassword(), { shouldValidate: true, shouldDirty: true })
              }
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
      {fields.map((f, index) => (
        <div key={f.id} className="pusher" role="group" aria-label={`Pusher ${index + 1}`}>
          <div className="pair">
            {row(index, "name")}
            {row(index, "namespace")}
          </div>
          {row(index, "password")}
          <button type="button" onClick={() => remove(index)}>
            Remove pusher {index + 1}
          </button>
        </div>
      ))}
      {listError && <p className="error">{listError}</p>}
      <button type="button" onClick={() => append({ ...NEW_PUSHER })}>
        Add pusher
      </button>
    </>
  );
}
