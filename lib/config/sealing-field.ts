/**
 * The form's one control that is not a config field, declared as the fields are
 * (./fields.ts), apart from them: only the page's sealing code, loaded when Sealed Secrets is
 * chosen, reads it.
 */
import type { FieldName, FieldSpec } from "./fields";

/**
 * The page's sealing certificate: not a config field (the engine seals with the parsed key, the
 * CLI reads it from `--sealing-cert FILE`), shown after `after` with the Sealed Secrets fields.
 */
export const SEALING_CERTIFICATE_FIELD = {
  label: "Sealing certificate",
  after: "secretsAs",
  shownWhen: { field: "secretsAs", is: "sealed" },
  hint: "The sealed-secrets controller's public certificate (kubeseal --fetch-cert): paste it, or drop or choose its file. The Secrets are sealed in this page; nothing is sent.",
} as const satisfies Pick<FieldSpec, "label" | "hint" | "shownWhen"> & { after: FieldName };
