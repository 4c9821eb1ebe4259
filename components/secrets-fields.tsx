"use client";
import { useState, type ChangeEvent, type DragEvent } from "react";
import { describedBy, Field } from "./field";
import { SEALING_CERTIFICATE_FIELD } from "../lib/form";

// A PEM certificate is a few kilobytes; anything much larger is the wrong file.
const MAX_CERTIFICATE_FILE = 64 * 1024;

/**
 * The sealing certificate: pasted, dropped or chosen as a file. It is read here only; the
 * form's other fields are config fields, this one is the page's (see SEALING_CERTIFICATE_FIELD).
 */
export function SealingCertificateField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (pem: string) => void;
  /** The certificate's problem, or what the page asks for it. */
  error: string | undefined;
}) {
  const [fileError, setFileError] = useState<string>();
  const shownError = fileError ?? error;
  const invalid = Boolean(shownError);
  const { label, hint } = SEALING_CERTIFICATE_FIELD;

  const take = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_CERTIFICATE_FILE) {
      setFileError(`${label}: ${file.name} is ${Math.round(file.size / 1024)} KB, too large to be a certificate`);
      return;
    }
    setFileError(undefined);
    onChange(await file.text());
  };

  return (
    <Field id={id} label={label} hint={hint} error={shownError}>
      <textarea
        id={id}
        className="certificate"
        value={value}
        rows={6}
        placeholder="-----BEGIN CERTIFICATE-----"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        autoComplete="off"
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy(id, true, invalid)}
        onChange={(e) => {
          setFileError(undefined);
          onChange(e.target.value);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e: DragEvent) => {
          if (!e.dataTransfer.files.length) return;
          e.preventDefault();
          void take(e.dataTransfer.files[0]);
        }}
      />
      <input
        type="file"
        aria-label={`${label} file`}
        accept=".pem,.crt,.cer,.cert,application/x-pem-file"
        onChange={(e: ChangeEvent<HTMLInputElement>) => {
          void take(e.target.files?.[0]);
          e.target.value = "";
        }}
      />
    </Field>
  );
}
