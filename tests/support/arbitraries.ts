/** fast-check generators for configs: valid ones (any the schema should accept) and hostile ones. */
import fc from "fast-check";
import { CHART_DEFAULT_LABEL_KEYS } from "../../lib/chart/names";
import { profileFor, SERVICE_MONITOR_MODES, type ServiceMonitorMode } from "../../lib/chart/versions";
import { passwordRule, rawUsernameRule, usernameRule } from "../../lib/config/field-rules";
import type { ConfigInput } from "../../lib/config/schema";
import { DEPLOY_TARGETS, modeSupport } from "../../lib/gitops/deploy";
import { SCRAPER_IDS } from "../../lib/scrapers/scrapers";

// Hand-built rather than fc.stringMatching, which is slow to sample and shrink.
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const UPPER = LOWER.toUpperCase();

/** `first`, then up to max-2 of `middle`, then one of `last` (or just `first`). */
function word(first: string, middle: string, last: string, max: number) {
  return fc
    .tuple(
      fc.constantFrom(...first),
      fc.string({ unit: fc.constantFrom(...middle), maxLength: Math.max(0, max - 2) }),
      fc.option(fc.constantFrom(...last), { nil: "" }),
    )
    .map(([a, b, c]) => (c === "" ? a : a + b + c));
}
const dnsLabel = (max: number) => word(LOWER + DIGITS, `${LOWER}${DIGITS}-`, LOWER + DIGITS, max);
const letterLabel = (max: number) => word(LOWER, `${LOWER}${DIGITS}-`, LOWER + DIGITS, max);
const labelName = word(LOWER + UPPER + DIGITS, `${LOWER}${UPPER}${DIGITS}-_.`, LOWER + UPPER + DIGITS, 22);
const labelKey = fc
  .tuple(fc.option(fc.tuple(dnsLabel(12), fc.constantFrom("", ".io", ".example.com")), { nil: undefined }), labelName)
  .map(([prefix, name]) => (prefix ? `${prefix.join("")}/${name}` : name))
  .filter((k) => !CHART_DEFAULT_LABEL_KEYS.includes(k));
const labelValue = fc.oneof(fc.constant(""), labelName);
const labelList = (minLength: number) =>
  fc
    .uniqueArray(fc.tuple(labelKey, labelValue), { minLength, maxLength: 3, selector: ([k]) => k })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(","));

export const chartVersion = fc.oneof(
  fc.constantFrom("2.12.0", "2.14.0", "3.0.0", "3.1.0", "3.6.0", "3.7.0", "3.8.0"),
  fc.tuple(fc.constant(2), fc.integer({ min: 12, max: 30 }), fc.nat(20)).map((v) => v.join(".")),
  fc.tuple(fc.constant(3), fc.nat(30), fc.nat(20)).map((v) => v.join(".")),
);

const DURATIONS = ["5s", "10s", "15s", "30s", "45s", "1m", "1m30s", "2m", "5m", "1h"];
const timing = fc
  .tuple(fc.integer({ min: 0, max: DURATIONS.length - 1 }), fc.integer({ min: 0, max: DURATIONS.length - 1 }))
  .map(([a, b]) => ({
    interval: DURATIONS[Math.max(a, b)] as string,
    scrapeTimeout: DURATIONS[Math.min(a, b)] as string,
  }));

/** Any text: full Unicode, YAML and template specials, whitespace and control characters. */
export const anyText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    ": # - [ ] { } & * ! | > ' \" % @ `",
    "{{ .Values.x }}",
    "</script><img src=x onerror=alert(1)>",
    " leading",
    "trailing ",
    "null",
    "~",
    "yes",
    "0x1F",
    "1_000",
    "12:30",
    "مرحبا",
    "😀👍🏽",
    "tab\there",
    "nul\u0000",
    "line\nbreak",
  ),
);

const username = anyText.filter((u) => usernameRule(u) === null);
const password = anyText.filter((p) => passwordRule(p) === null);

/** Configs the schema must accept, covering every profile, strategy and field. */
export const validConfigInput: fc.Arbitrary<ConfigInput> = chartVersion.chain((version) => {
  const profile = profileFor(version).profile!;
  const modes = ["auto" as const, ...SERVICE_MONITOR_MODES.filter((m) => profile.modes[m].allowed)];
  const plainWord = fc
    .stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,15}$/)
    .filter((u) => rawUsernameRule(u) === null);
  const user =
    profile.webConfig === "chart"
      ? fc.oneof(
          plainWord,
          username.filter((u) => rawUsernameRule(u) === null),
        )
      : username;
  return fc
    .record({
      releaseName: letterLabel(53),
      namespace: dnsLabel(63),
      nameOverride: fc.oneof(fc.constant(""), letterLabel(20)),
      fullnameOverride: fc.oneof(fc.constant(""), letterLabel(63)),
      username: user,
      password,
      serviceMonitorNamespace: fc.oneof(fc.constant(""), dnsLabel(63)),
      prometheusSelector: labelList(0),
      serviceMonitorMode: fc.constantFrom(...modes),
      scraper: fc.constantFrom(...SCRAPER_IDS),
      timing,
      networkPolicyEnabled: fc.boolean(),
      prometheusNamespace: dnsLabel(63),
      networkPolicyPrometheusPods: labelList(1),
      networkPolicyPusherPods: labelList(1),
    })
    .map(({ timing: t, ...rest }) => ({ chartVersion: version, ...rest, ...t }));
});

/**
 * Valid configs with a deploy target too (Helm CLI, Argo CD, Flux), keeping only strategies the
 * target allows for the chart version ("auto" always is).
 */
export const deployedConfigInput: fc.Arbitrary<ConfigInput> = validConfigInput.chain((input) =>
  fc
    .constantFrom(...DEPLOY_TARGETS)
    .filter(
      (deploy) =>
        input.serviceMonitorMode === "auto" ||
        modeSupport(
          profileFor(input.chartVersion as string).profile!,
          deploy,
          input.serviceMonitorMode as ServiceMonitorMode,
        ).allowed,
    )
    .map((deploy) => ({ ...input, deploy })),
);

/** Objects with any value in any field: the schema must answer, never throw. */
export const hostileConfigInput = fc.dictionary(
  fc.constantFrom(
    "chartVersion",
    "releaseName",
    "namespace",
    "nameOverride",
    "fullnameOverride",
    "username",
    "password",
    "passwordHash",
    "serviceMonitorNamespace",
    "prometheusSelector",
    "serviceMonitorMode",
    "interval",
    "scrapeTimeout",
    "networkPolicyEnabled",
    "prometheusNamespace",
    "networkPolicyPrometheusPods",
    "networkPolicyPusherPods",
    "__proto__",
    "constructor",
    "unknownField",
  ),
  fc.oneof(anyText, fc.anything()),
);
