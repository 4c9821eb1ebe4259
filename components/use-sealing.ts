"use client";
import { useEffect, useMemo, useRef, useState } from "react";
import type { PreviewBundle } from "./bundle-preview";
import type { Sealer } from "./seal-preview";
import type { Engine } from "./use-engine";
import { SEALING_CERTIFICATE_FIELD } from "../lib/form";

type SealingModule = typeof import("./seal-preview");

let loading: Promise<SealingModule> | null = null;
/** The sealing code, loaded once, on first use: most visits never choose Sealed Secrets. */
const loadSealing = () => (loading ??= import("./seal-preview"));

export interface SealingView {
  /** Sealed Secrets is chosen. */
  active: boolean;
  /**
   * What the preview shows: the bundle as it is with other Secrets; with Sealed Secrets, that
   * bundle sealed, or null until it is (never the plain files).
   */
  bundle: PreviewBundle | null;
  /** The last sealed bundle shown, to show as outdated while the next one is not ready. */
  last: PreviewBundle | null;
  /** Why no sealed bundle is shown, when it is the certificate or the sealing itself. */
  reason: string | null;
  /** The certificate field's error. */
  certificateError: string | undefined;
  /** The certificate when it can be sealed to: what a share link may carry. */
  validCertificate: string;
}

const NO_SEALING = { active: false, last: null, reason: null, certificateError: undefined, validCertificate: "" };

/**
 * With Sealed Secrets (`active`), `bundle` sealed in the page to the certificate `pem`. The
 * certificate is checked against the clock here (the engine has none), when it changes.
 * Sealing is asynchronous (WebCrypto): until a bundle is sealed, none is shown.
 */
export function useSealing(
  engine: Pick<Engine, "checkBundle"> | null,
  active: boolean,
  pem: string,
  bundle: PreviewBundle | null,
): SealingView {
  const [module, setModule] = useState<SealingModule | null>(null);
  useEffect(() => {
    if (!active || module) return;
    let current = true;
    void loadSealing().then((m) => current && setModule(() => m));
    return () => {
      current = false;
    };
  }, [active, module]);

  const certificate = useMemo(
    () => (module && pem.trim() ? module.readSealingCertificate(pem, Date.now()) : null),
    [module, pem],
  );
  const sealer = useMemo(
    () => (engine && module && certificate?.ok ? module.makeSealer(certificate.cert, engine.checkBundle) : null),
    [engine, module, certificate],
  );
  const cached = useMemo(
    () => (active && sealer && bundle?.config ? sealer.cached(bundle) : null),
    [active, sealer, bundle],
  );
  const [result, setResult] = useState<{
    source: PreviewBundle;
    sealer: Sealer;
    sealed: PreviewBundle | null;
    error?: string;
  } | null>(null);
  const done = result?.source === bundle && result.sealer === sealer ? result : null;

  useEffect(() => {
    if (!active || !sealer || !bundle?.config || cached || done) return;
    let current = true;
    sealer.seal(bundle).then(
      (sealed) => current && setResult({ source: bundle, sealer, sealed }),
      (error: unknown) =>
        current && setResult({ source: bundle, sealer, sealed: null, error: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [active, sealer, bundle, cached, done]);

  const sealed = cached ?? done?.sealed ?? null;
  const last = useRef<PreviewBundle | null>(null);
  if (sealed) last.current = sealed;

  if (!active) return { ...NO_SEALING, bundle };
  const label = SEALING_CERTIFICATE_FIELD.label;
  const certificateError = certificate && !certificate.ok ? `${label} ${certificate.message}` : undefined;
  const reason = !pem.trim()
    ? `Paste the sealed-secrets controller's certificate (${label}) to see the sealed files.`
    : certificateError
      ? `${certificateError}.`
      : done?.error
        ? `The Secrets could not be sealed: ${done.error}.`
        : "Sealing the Secrets in this page…";
  return {
    active,
    bundle: sealed,
    last: last.current,
    reason: sealed ? null : reason,
    certificateError,
    validCertificate: certificate?.ok ? pem : "",
  };
}
