"use client";
import { useEffect, useId, type Dispatch, type SetStateAction } from "react";
import type { FieldErrors, UseFormRegisterReturn, UseFormReturn } from "react-hook-form";
import {
  profileFor,
  SERVICE_MONITOR_MODES,
  SUGGESTED_CHART_VERSIONS,
  type ServiceMonitorMode,
} from "../lib/chart/versions";
import { DEFAULTS, FIELDS, type FieldName } from "../lib/config/fields";
import type { Config, ConfigInput } from "../lib/config/schema";
import { describedBy, Field } from "./field";
import { strongPassword } from "./strong-password";
import type { KeepEarlyPick } from "./use-early-input";

export interface ConfigFormProps {
  form: UseFormReturn<ConfigInput, unknown, Config>;
  values: ConfigInput;
  reveal: boolean;
  setReveal: Dispatch<SetStateAction<boolean>>;
  /** The hash field's error: the schema's, or the worker's "does not match". */
  hashError: string | undefined;
  /** What a share link could not restore. */
  linkProblems: string[];
  /** Settings came from a share link: ask for the password. */
  restoredFromLink: boolean;
  keepEarlyPick: KeepEarlyPick;
}

/** The form: every field labelled, with its hint and the schema's message next to it. */
export function ConfigForm({
  form,
  values,
  reveal,
  setReveal,
  hashError,
  linkProblems,
  restoredFromLink,
  keepEarlyPick,
}: ConfigFormProps) {
  const { register, setValue } = form;
  const errors: FieldErrors<ConfigInput> = form.formState.errors;
  const ids = useId();
  const id = (field: FieldName) => `${ids}-${field}`;
  const error = (field: FieldName) => errors[field]?.message;
  const textProps = (field: FieldName, registration: UseFormRegisterReturn, hint = false) => ({
    id: id(field),
    // In the server-rendered HTML too, so the page shows the defaults before it hydrates.
    defaultValue: String(DEFAULTS[field]),
    ...registration,
    "aria-invalid": errors[field] ? (true as const) : undefined,
    "aria-describedby": describedBy(id(field), hint, Boolean(errors[field])),
    spellCheck: false,
    autoCapitalize: "off",
    autoCorrect: "off",
  });
  const profile = profileFor(values.chartVersion ?? "").profile;
  const mode = values.serviceMonitorMode ?? "auto";
  const resolvedMode = profile ? (mode === "auto" ? profile.defaultMode : mode) : null;
  const choose = (m: ServiceMonitorMode) => () =>
    setValue("serviceMonitorMode", m === profile?.defaultMode ? "auto" : m, { shouldValidate: true });
  // A strategy the newly chosen chart version cannot do falls back to its default.
  useEffect(() => {
    if (profile && mode !== "auto" && !profile.modes[mode].allowed) {
      setValue("serviceMonitorMode", "auto", { shouldValidate: true });
    }
  }, [profile, mode, setValue]);

  return (
    <form className="config" aria-label="Configuration" noValidate onSubmit={(e) => e.preventDefault()}>
      {linkProblems.length > 0 && (
        <div role="alert" className="banner banner-outdated">
          <p>This link could not be used entirely; the rest of its settings are restored:</p>
          <ul>
            {linkProblems.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset>
        <legend>Pushgateway release</legend>
        <Field
          id={id("chartVersion")}
          label={FIELDS.chartVersion.label}
          hint="prometheus-pushgateway chart, 2.12.0 or later"
          error={error("chartVersion")}
        >
          <input
            {...textProps("chartVersion", register("chartVersion", { deps: ["username", "serviceMonitorMode"] }), true)}
            list={`${ids}-versions`}
            inputMode="decimal"
          />
        </Field>
        <datalist id={`${ids}-versions`}>
          {SUGGESTED_CHART_VERSIONS.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
        <Field id={id("releaseName")} label={FIELDS.releaseName.label} error={error("releaseName")}>
          <input {...textProps("releaseName", register("releaseName", { deps: ["fullnameOverride"] }))} />
        </Field>
        <Field id={id("namespace")} label={FIELDS.namespace.label} error={error("namespace")}>
          <input {...textProps("namespace", register("namespace"))} />
        </Field>
        <details>
          <summary>Name overrides</summary>
          <Field
            id={id("nameOverride")}
            label={FIELDS.nameOverride.label}
            hint="Only if your values.yaml sets nameOverride"
            error={error("nameOverride")}
          >
            <input {...textProps("nameOverride", register("nameOverride", { deps: ["releaseName"] }), true)} />
          </Field>
          <Field
            id={id("fullnameOverride")}
            label={FIELDS.fullnameOverride.label}
            hint="Only if your values.yaml sets fullnameOverride"
            error={error("fullnameOverride")}
          >
            <input {...textProps("fullnameOverride", register("fullnameOverride", { deps: ["releaseName"] }), true)} />
          </Field>
        </details>
      </fieldset>

      <fieldset>
        <legend>Credentials</legend>
        {restoredFromLink && !values.password && (
          <p className="banner banner-outdated">
            Settings restored from a share link. Enter the password: links never hold it.
          </p>
        )}
        <Field id={id("username")} label={FIELDS.username.label} error={error("username")}>
          <input {...textProps("username", register("username"))} autoComplete="off" />
        </Field>
        <Field
          id={id("password")}
          label={FIELDS.password.label}
          hint="At most 72 bytes: bcrypt ignores the rest. It stays in this page."
          error={error("password")}
        >
          <div className="with-buttons">
            <input
              {...textProps("password", register("password"), true)}
              type={reveal ? "text" : "password"}
              autoComplete="new-password"
            />
            <button type="button" aria-pressed={reveal} onClick={() => setReveal((r) => !r)}>
              {reveal ? "Hide password" : "Show password"}
            </button>
            <button
              type="button"
              onClick={() => setValue("password", strongPassword(), { shouldValidate: true, shouldDirty: true })}
            >
              Generate strong password
            </button>
          </div>
        </Field>
        <details>
          <summary>Reuse an existing bcrypt hash</summary>
          <Field
            id={id("passwordHash")}
            label={FIELDS.passwordHash.label}
            hint="Paste the hash from a bundle you already deployed to keep its files byte-identical; it is checked against the password."
            error={hashError}
          >
            <input
              {...textProps("passwordHash", register("passwordHash"), true)}
              aria-invalid={hashError ? true : undefined}
              aria-describedby={describedBy(id("passwordHash"), true, Boolean(hashError))}
              autoComplete="off"
            />
          </Field>
        </details>
      </fieldset>

      <fieldset>
        <legend>Prometheus</legend>
        <Field
          id={id("serviceMonitorNamespace")}
          label={FIELDS.serviceMonitorNamespace.label}
          hint="Empty: the release namespace. Its scrape Secret goes there too."
          error={error("serviceMonitorNamespace")}
        >
          <input {...textProps("serviceMonitorNamespace", register("serviceMonitorNamespace"), true)} />
        </Field>
        <Field
          id={id("prometheusSelector")}
          label={FIELDS.prometheusSelector.label}
          hint="The label your Prometheus selects ServiceMonitors by, as key=value (comma-separated for several)"
          error={error("prometheusSelector")}
        >
          <input {...textProps("prometheusSelector", register("prometheusSelector"), true)} />
        </Field>
        <Field
          id={id("prometheusNamespace")}
          label={FIELDS.prometheusNamespace.label}
          hint="Where Prometheus runs: for the NetworkPolicy and the checks in the guide"
          error={error("prometheusNamespace")}
        >
          <input {...textProps("prometheusNamespace", register("prometheusNamespace"), true)} />
        </Field>
        <div className="pair">
          <Field id={id("interval")} label={FIELDS.interval.label} error={error("interval")}>
            <input {...textProps("interval", register("interval", { deps: ["scrapeTimeout"] }))} />
          </Field>
          <Field id={id("scrapeTimeout")} label={FIELDS.scrapeTimeout.label} error={error("scrapeTimeout")}>
            <input {...textProps("scrapeTimeout", register("scrapeTimeout", { deps: ["interval"] }))} />
          </Field>
        </div>
      </fieldset>

      <fieldset
        aria-labelledby={`${ids}-strategy`}
        aria-describedby={error("serviceMonitorMode") ? id("serviceMonitorMode") + "-error" : undefined}
      >
        <legend id={`${ids}-strategy`}>{FIELDS.serviceMonitorMode.label}</legend>
        {profile ? (
          SERVICE_MONITOR_MODES.filter((m) => profile.modes[m].allowed).map((m) => (
            <label key={m} className="choice">
              <input
                type="radio"
                name="serviceMonitorMode"
                value={m}
                checked={resolvedMode === m}
                onChange={choose(m)}
                ref={keepEarlyPick(choose(m))}
              />
              <span>
                <strong>{m}</strong>
                {m === profile.defaultMode && " (recommended)"}: {profile.modes[m].reason}
              </span>
            </label>
          ))
        ) : (
          <p className="hint">Choose a valid chart version first.</p>
        )}
        {error("serviceMonitorMode") && (
          <p id={`${id("serviceMonitorMode")}-error`} className="error">
            {error("serviceMonitorMode")}
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>NetworkPolicy</legend>
        <label className="choice">
          <input type="checkbox" defaultChecked={DEFAULTS.networkPolicyEnabled} {...register("networkPolicyEnabled")} />
          <span>Only let Prometheus and the pushing jobs reach Pushgateway</span>
        </label>
        {values.networkPolicyEnabled && (
          <>
            <Field
              id={id("networkPolicyPrometheusPods")}
              label={FIELDS.networkPolicyPrometheusPods.label}
              error={error("networkPolicyPrometheusPods")}
            >
              <input {...textProps("networkPolicyPrometheusPods", register("networkPolicyPrometheusPods"))} />
            </Field>
            <Field
              id={id("networkPolicyPusherPods")}
              label={FIELDS.networkPolicyPusherPods.label}
              hint="Pods with these labels, in any namespace, may push"
              error={error("networkPolicyPusherPods")}
            >
              <input {...textProps("networkPolicyPusherPods", register("networkPolicyPusherPods"), true)} />
            </Field>
          </>
        )}
      </fieldset>
    </form>
  );
}
