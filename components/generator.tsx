"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useForm, useWatch, type FieldErrors, type UseFormRegisterReturn } from "react-hook-form";
import { SUGGESTED_CHART_VERSIONS } from "../lib/chart/versions";
import {
  buildGuide,
  checkBundle,
  configSchema,
  DEFAULTS,
  FIELDS,
  generate,
  needsPasswordHash,
  planBundle,
  profileFor,
  SERVICE_MONITOR_MODES,
  validateConfig,
  type Config,
  type ConfigInput,
  type FieldName,
  type GuideStep,
} from "../lib/index";
import { ChecksPanel } from "./checks-panel";
import { Guide } from "./guide";
import { ShareLink } from "./share-link";
import { useShareLink } from "./use-share-link";
import { describedBy, Field } from "./field";
import { BundlePreview, type PreviewBundle, type PreviewState } from "./bundle-preview";
import { strongPassword } from "./strong-password";
import { usePasswordHash } from "./use-password-hash";

// Stands in for the hash while the worker computes it; files holding it are not shown.
const PENDING_HASH = `$2b$10$${"0".repeat(53)}`;
// Shown instead of the password in the preview until the user reveals it.
const MASK = "••••••••";

function buildBundle(config: Config, hash: string | null, shareBaseUrl: string): PreviewBundle {
  const withHash = hash === null ? config : { ...config, passwordHash: hash };
  const files = generate(withHash, { shareBaseUrl }).files;
  const display = generate({ ...withHash, password: MASK }, { shareBaseUrl }).files;
  const pending = hash === PENDING_HASH ? Object.keys(files).filter((f) => files[f]?.includes(PENDING_HASH)) : [];
  // The hash was computed from (or verified against) this very password in the worker.
  const checks = checkBundle(withHash, files, { passwordMatchesHash: () => true });
  return { config: withHash, files, display, pending, checks };
}

type FormErrors = FieldErrors<ConfigInput>;

/** The form, the consistency checks and the live preview. */
export function Generator() {
  const form = useForm<ConfigInput, unknown, Config>({
    resolver: zodResolver(configSchema),
    mode: "onChange",
    defaultValues: DEFAULTS,
  });
  const { register, control, setValue } = form;
  const errors: FormErrors = form.formState.errors;
  const values = useWatch({ control }) as ConfigInput;
  const [reveal, setReveal] = useState(false);
  const ids = useId();
  const id = (field: FieldName) => `${ids}-${field}`;

  const share = useShareLink(values, (input) => form.reset({ ...DEFAULTS, ...input }));
  const validation = useMemo(() => validateConfig(values), [values]);
  const profile = profileFor(values.chartVersion ?? "").profile;
  const needHash = validation.ok && needsPasswordHash(validation.config);
  const hashState = usePasswordHash(
    needHash && validation.ok ? validation.config.password : null,
    validation.ok ? validation.config.passwordHash : "",
  );

  // A strategy the newly chosen chart version cannot do falls back to its default.
  const mode = values.serviceMonitorMode ?? "auto";
  useEffect(() => {
    if (profile && mode !== "auto" && !profile.modes[mode].allowed) {
      setValue("serviceMonitorMode", "auto", { shouldValidate: true });
    }
  }, [profile, mode, setValue]);

  const bundle = useMemo((): PreviewBundle | null => {
    if (!validation.ok) return null;
    if (!needHash) return buildBundle(validation.config, null, share.baseUrl);
    if (hashState.status === "ready") return buildBundle(validation.config, hashState.hash, share.baseUrl);
    if (hashState.status === "computing") return buildBundle(validation.config, PENDING_HASH, share.baseUrl);
    return null;
  }, [validation, needHash, hashState, share.baseUrl]);

  // The guide holds no credentials, so it follows the settings even before a password is typed.
  const guideConfig = useMemo(() => validateConfig({ ...values, password: "placeholder", passwordHash: "" }), [values]);
  const lastGuide = useRef<GuideStep[]>([]);
  const steps = useMemo(
    () => (guideConfig.ok ? buildGuide(planBundle(guideConfig.config)) : lastGuide.current),
    [guideConfig],
  );
  useEffect(() => {
    lastGuide.current = steps;
  }, [steps]);

  const lastComplete = useRef<PreviewBundle | null>(null);
  useEffect(() => {
    if (bundle && bundle.pending.length === 0) lastComplete.current = bundle;
  }, [bundle]);

  const invalidFields = validation.ok ? [] : validation.errors.map((e) => e.field);
  const onlyPasswordMissing = !validation.ok && invalidFields.every((f) => f === "password") && !values.password;
  let preview: PreviewState;
  if (bundle) preview = { kind: "current", ...bundle };
  else if (onlyPasswordMissing && !lastComplete.current) preview = { kind: "waiting-for-password" };
  else {
    const shown = lastComplete.current;
    const count = validation.ok ? 0 : validation.errors.length;
    const reason =
      hashState.status === "mismatch"
        ? "The password hash does not match the password."
        : `Fix ${count === 1 ? "the error" : `the ${count} errors`} in the form to update it.`;
    preview = shown ? { kind: "outdated", reason, ...shown } : { kind: "waiting-for-password" };
  }

  const textProps = (field: FieldName, registration: UseFormRegisterReturn, hint = false) => ({
    id: id(field),
    ...registration,
    "aria-invalid": errors[field] ? (true as const) : undefined,
    "aria-describedby": describedBy(id(field), hint, Boolean(errors[field])),
    spellCheck: false,
    autoCapitalize: "off",
    autoCorrect: "off",
  });
  const error = (field: FieldName) => errors[field]?.message;

  const hashError =
    hashState.status === "mismatch"
      ? `${FIELDS.passwordHash.label} does not match the password`
      : error("passwordHash");
  const resolvedMode = profile ? (mode === "auto" ? profile.defaultMode : mode) : null;

  return (
    <div className="generator">
      <form className="config" aria-label="Configuration" noValidate onSubmit={(e) => e.preventDefault()}>
        {share.problems.length > 0 && (
          <div role="alert" className="banner banner-outdated">
            <p>This link could not be used entirely; the rest of its settings are restored:</p>
            <ul>
              {share.problems.map((problem, i) => (
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
              {...textProps(
                "chartVersion",
                register("chartVersion", { deps: ["username", "serviceMonitorMode"] }),
                true,
              )}
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
              <input
                {...textProps("fullnameOverride", register("fullnameOverride", { deps: ["releaseName"] }), true)}
              />
            </Field>
          </details>
        </fieldset>

        <fieldset>
          <legend>Credentials</legend>
          {share.restored && !values.password && (
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
                  onChange={() =>
                    setValue("serviceMonitorMode", m === profile.defaultMode ? "auto" : m, { shouldValidate: true })
                  }
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
            <input type="checkbox" {...register("networkPolicyEnabled")} />
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

      <div className="results">
        <ChecksPanel
          checks={preview.kind === "waiting-for-password" ? null : preview.checks}
          outdated={preview.kind === "outdated"}
        />
        <BundlePreview state={preview} reveal={reveal} />
        <ShareLink link={share.link} />
        <Guide steps={steps} />
      </div>
    </div>
  );
}
