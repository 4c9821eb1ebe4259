"use client";
import { useEffect, useId, type Dispatch, type ReactNode, type SetStateAction } from "react";
import type { FieldErrors, UseFormReturn } from "react-hook-form";
import { describedBy, Field } from "./field";
import { PushersField } from "./pushers-field";
import { strongPassword } from "./strong-password";
import type { KeepEarlyPick } from "./use-early-input";
import {
  DEFAULTS,
  DEPLOY_LABELS,
  FIELD_GROUPS,
  FIELD_NAMES,
  fieldShown,
  FIELDS,
  modeSupport,
  refusedModes,
  resolveMode,
  SERVICE_MONITOR_MODES,
  SUGGESTED_CHART_VERSIONS,
} from "../lib/form";
import type { Config, ConfigInput, FieldGroup, FieldName, FieldSpec, ServiceMonitorMode } from "../lib/index";

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
  /** Controls that are not config fields (each with its key), shown right after the field they name. */
  after?: Partial<Record<FieldName, ReactNode>>;
}

const spec = (field: FieldName): FieldSpec => FIELDS[field];

/**
 * The form, built from the field declarations (lib/config/fields.ts): every field labelled,
 * with its hint and the schema's message next to it, in its group, folded or paired as declared.
 */
export function ConfigForm({
  form,
  values,
  reveal,
  setReveal,
  hashError,
  linkProblems,
  restoredFromLink,
  keepEarlyPick,
  after = {},
}: ConfigFormProps) {
  const { register, setValue } = form;
  const errors: FieldErrors<ConfigInput> = form.formState.errors;
  const ids = useId();
  const id = (field: FieldName) => `${ids}-${field}`;
  // The hash's error may come from the worker (it does not match the password), not the schema.
  const error = (field: FieldName) => (field === "passwordHash" ? hashError : errors[field]?.message);
  const { profile, mode: resolvedMode } = resolveMode(values.chartVersion ?? "", values.serviceMonitorMode ?? "auto");
  const mode = values.serviceMonitorMode ?? "auto";
  // What the deploy target allows of the chart's strategies (Argo CD: no post-renderer, no patch).
  const deploy = values.deploy ?? DEFAULTS.deploy;
  const choose = (m: ServiceMonitorMode) => () =>
    setValue("serviceMonitorMode", m === profile?.defaultMode ? "auto" : m, { shouldValidate: true });
  // A strategy the newly chosen chart version or deploy target cannot do falls back to the default.
  useEffect(() => {
    if (profile && mode !== "auto" && !modeSupport(profile, deploy, mode).allowed) {
      setValue("serviceMonitorMode", "auto", { shouldValidate: true });
    }
  }, [profile, mode, deploy, setValue]);

  const textInput = (field: FieldName, extra: Record<string, unknown> = {}) => {
    const s = spec(field);
    const invalid = Boolean(error(field));
    return (
      <input
        id={id(field)}
        // In the server-rendered HTML too, so the page shows the defaults before it hydrates.
        defaultValue={String(DEFAULTS[field])}
        {...register(field, { deps: s.revalidates as FieldName[] | undefined })}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy(id(field), Boolean(s.hint), invalid)}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        autoComplete="off"
        {...extra}
      />
    );
  };

  const control = (field: FieldName): ReactNode => {
    switch (spec(field).control) {
      case "chart-version":
        return (
          <>
            {textInput(field, { list: `${ids}-versions`, inputMode: "decimal" })}
            <datalist id={`${ids}-versions`}>
              {SUGGESTED_CHART_VERSIONS.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          </>
        );
      case "password":
        return (
          <div className="with-buttons">
            {textInput(field, { type: reveal ? "text" : "password", autoComplete: "new-password" })}
            <button type="button" aria-pressed={reveal} onClick={() => setReveal((r) => !r)}>
              {reveal ? "Hide password" : "Show password"}
            </button>
            <button
              type="button"
              onClick={() => setValue(field, strongPassword(), { shouldValidate: true, shouldDirty: true })}
            >
              Generate strong password
            </button>
          </div>
        );
      case "choice": {
        const s = spec(field);
        const invalid = Boolean(error(field));
        return (
          <select
            id={id(field)}
            defaultValue={String(DEFAULTS[field])}
            {...register(field, { deps: s.revalidates as FieldName[] | undefined })}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={describedBy(id(field), Boolean(s.hint), invalid)}
          >
            {(s.options ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        );
      }
      default:
        return textInput(field);
    }
  };

  const labelled = (field: FieldName): ReactNode => {
    const s = spec(field);
    if (s.control === "pushers") {
      const count = values.pushers?.length ?? 0;
      return <PushersField key={field} form={form} count={count} reveal={reveal} restoredFromLink={restoredFromLink} />;
    }
    if (s.control === "checkbox") {
      return (
        <label key={field} className="choice">
          <input type="checkbox" defaultChecked={Boolean(DEFAULTS[field])} {...register(field)} />
          <span>{s.hint}</span>
        </label>
      );
    }
    return (
      <Field key={field} id={id(field)} label={s.label} hint={s.hint} error={error(field)}>
        {control(field)}
      </Field>
    );
  };

  const strategyGroup = () => (
    <fieldset
      key="strategy"
      aria-labelledby={`${ids}-strategy`}
      aria-describedby={error("serviceMonitorMode") ? id("serviceMonitorMode") + "-error" : undefined}
    >
      <legend id={`${ids}-strategy`}>{FIELDS.serviceMonitorMode.label}</legend>
      {values.scraper && values.scraper !== "operator" ? (
        <p className="hint">
          Not used: with this scraper the chart&apos;s ServiceMonitor is disabled and the scraper&apos;s own object
          carries the credentials.
        </p>
      ) : profile ? (
        SERVICE_MONITOR_MODES.filter((m) => modeSupport(profile, deploy, m).allowed).map((m) => (
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
              {m === profile.defaultMode && " (recommended)"}: {modeSupport(profile, deploy, m).reason}
            </span>
          </label>
        ))
      ) : (
        <p className="hint">Choose a valid chart version first.</p>
      )}
      {profile &&
        (!values.scraper || values.scraper === "operator") &&
        refusedModes(profile, deploy).map(({ mode: m, reason }) => (
          <p key={m} className="hint">
            <strong>{m}</strong> is not offered with {DEPLOY_LABELS[deploy]}: {reason}
          </p>
        ))}
      {error("serviceMonitorMode") && (
        <p id={`${id("serviceMonitorMode")}-error`} className="error">
          {error("serviceMonitorMode")}
        </p>
      )}
    </fieldset>
  );

  /** A group's fields: shown ones only, folded runs in a disclosure, pairs side by side. */
  const groupBody = (group: FieldGroup): ReactNode[] => {
    const fields = FIELD_NAMES.filter((f) => {
      const s = spec(f);
      return s.group === group && fieldShown(s, values);
    });
    const out: ReactNode[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as FieldName;
      const s = spec(field);
      if (s.folded) {
        const run = [field];
        while (i + 1 < fields.length && spec(fields[i + 1] as FieldName).folded === s.folded)
          run.push(fields[++i] as FieldName);
        out.push(
          <details key={field}>
            <summary>{s.folded}</summary>
            {run.map(labelled)}
          </details>,
        );
      } else if (s.pairedWithNext && i + 1 < fields.length) {
        const next = fields[++i] as FieldName;
        out.push(
          <div key={field} className="pair">
            {labelled(field)}
            {labelled(next)}
          </div>,
        );
      } else out.push(labelled(field));
      if (after[field]) out.push(after[field]);
    }
    return out;
  };

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
      {(Object.keys(FIELD_GROUPS) as FieldGroup[]).map((group) =>
        group === "strategy" ? (
          strategyGroup()
        ) : (
          <fieldset key={group}>
            <legend>{FIELD_GROUPS[group].legend}</legend>
            {group === "credentials" && restoredFromLink && !values.password && (
              <p className="banner banner-outdated">
                Settings restored from a share link. Enter the password: links never hold it.
              </p>
            )}
            {groupBody(group)}
          </fieldset>
        ),
      )}
    </form>
  );
}
