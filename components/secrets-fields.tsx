"use client";
import { useState, useSyncExternalStore, type ChangeEvent, type DragEvent } from "react";
import { describedBy, Field } from "./field";
import { certificateField, getVersion, setCertificate, subscribe } from "./seal-preview";
import { fieldShown } from "../lib/form";
import { SEALING_CERTIFICATE_FIELD } from "../lib/secrets/index";
import type { ConfigInput } from "../lib/index";

// The sealing code comes in the same chunk: both are needed as soon as Sealed Secrets is chosen.
export * from "./seal-preview";

// A PEM certificate is a few kilobytes; anything much larger is the wrong file.
const MAX_CERTIFICATE_FILE = 64 * 1024;

/**
 * The sealing certificate: pasted, dropped or chosen as a file. Not a config field (see
 * SEALING_CERTIFICATE_FIELD): it is held by the sealing code (./seal-preview), in this page only.
 */
export function SealingCertificateField({ id }: { id: string }) {
  useSyncExternalStore(subscribe, getVersion, getVersion);
  const { pem, error, askedByLink } = certificateField();
  const [fileError, setFileError] = useState<string>();
  const { label, hint } = SEALING_CERTIFICATE_FIELD;
  const shownError =
    fileError ??
    error ??
    (askedByLink
      ? `${label}: the link could not carry it (it would make the link too long): paste it again`
      : undefined);
  const invalid = Boolean(shownError);

  const take = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_CERTIFICATE_FILE) {
      setFileError(`${label}: ${file.name} is ${Math.round(file.size / 1024)} KB, too large to be a certificate`);
      return;
    }
    setFileError(undefined);
    setCertificate(await file.text());
  };

  return (
    <Field id={id} label={label} hint={hint} error={shownError}>
      <textarea
        id={id}
        className="certificate"
        value={pem}
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
          setCertificate(e.target.value);
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

const AFTER = {
  [SEALING_CERTIFICATE_FIELD.after]: <SealingCertificateField key="certificate" id="sealing-certificate" />,
};

/** The form's controls that come with the sealing code, by the field they follow, where they apply. */
export const certificateAfter = (values: Partial<ConfigInput>) =>
  fieldShown(SEALING_CERTIFICATE_FIELD, values) ? AFTER : undefined;
