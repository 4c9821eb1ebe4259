/** Rules about the input itself: the files, the facts, the chart version and its rendering. */
import { isNewerThanKnown, NEWEST_KNOWN_CHART_VERSION, OLDEST_SUPPORTED_CHART_VERSION } from "../chart/versions";
import { FIELD_CLI } from "../config/field-cli";
import { FIELDS } from "../config/schema";
import { getPath, isMap, lookup } from "../values/values";
import { EXISTING_SECRET_SINCE, q, vs } from "./common";
import { fileSource } from "./evidence";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { ResolvedSetup } from "./setup";

export const files: Rule = {
  id: "files",
  title: "A file of the bundle cannot be used",
  passTitle: "Files are well-formed",
  severity: "fail",
  reads: "the problems met reading a generated bundle (pasted files that do not read are refused before any rule)",
  scope: "facts",
  judge: (s) =>
    s.bundleProblems.length
      ? [problem(s.bundleProblems.join("; "), [], "Generate the bundle again instead of editing its files.")]
      : [pass("Every file parses and holds only what the bundle needs.")],
};

// Keys that decide whether Prometheus can scrape; disagreements elsewhere are not our business.
const SCRAPE_ROOTS = new Set([
  "nameOverride",
  "fullnameOverride",
  "namespaceOverride",
  "webConfiguration",
  "serviceMonitor",
  "service",
  "extraArgs",
  "liveness",
  "readiness",
  "networkPolicy",
]);

function differingLeaves(a: unknown, b: unknown, prefix: string[] = []): string[][] {
  if (isMap(a) && isMap(b)) {
    return Object.keys(b)
      .filter((k) => prefix.length > 0 || SCRAPE_ROOTS.has(k))
      .filter((k) => Object.hasOwn(a, k))
      .flatMap((k) => differingLeaves(a[k], b[k], [...prefix, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function conflicts(s: ResolvedSetup): Verdict[] {
  const out: Verdict[] = [];
  for (const field of ["chartVersion", "releaseName", "namespace"] as const) {
    const fact = s[field];
    if (!fact.alternatives.length) continue;
    out.push(
      problem(
        `${FIELDS[field].label} is ${q(fact.value)} here, but other places say ${fact.alternatives.map((a) => q(a.value)).join(", ")}; the diagnosis uses ${q(fact.value)}.`,
        [fact.source, ...fact.alternatives],
        `Paste files from one release only, or give the ${FIELDS[field].label.toLowerCase()} explicitly (${FIELD_CLI[field].flag}).`,
      ),
    );
  }
  // Later values documents win, as with `helm -f a -f b`; say so when they disagree.
  const docs = s.setup.values;
  for (let i = 1; i < docs.length; i++) {
    const later = docs[i] as (typeof docs)[number];
    for (let j = 0; j < i; j++) {
      const earlier = docs[j] as (typeof docs)[number];
      for (const path of differingLeaves(earlier.values, later.values).slice(0, 5)) {
        const at = (d: typeof later) =>
          fileSource(
            s.setup,
            { kind: "file", file: d.file, document: d.document, path: [] },
            path,
            lookup(d.values, path).value,
            path[0] === "webConfiguration",
          );
        out.push(
          problem(
            `${later.file} and ${earlier.file} set ${path.join(".")} differently; ${later.file} wins because it comes later (as with helm -f ${earlier.file} -f ${later.file}).`,
            [at(later), at(earlier)],
            `Make sure the values file you edit is the one installed (compare with helm get values ${s.releaseName.value} -n ${s.namespace.value}).`,
          ),
        );
      }
    }
  }
  return out;
}

export const conflictingSources: Rule = {
  id: "conflicting-sources",
  title: "The files disagree",
  severity: "warn",
  reads: "the other values found for each fact, and values documents that set a scrape-relevant key differently",
  scope: "facts",
  judge: conflicts,
};

export const chartVersionUnsupported: Rule = {
  id: "chart-version-unsupported",
  title: "Chart version cannot do basic auth",
  severity: "fail",
  reads: "the chart version",
  scope: "facts",
  judge: (s) =>
    s.profile
      ? []
      : [
          problem(
            `Chart ${s.chartVersion.value} has no webConfiguration (it arrived in chart ${OLDEST_SUPPORTED_CHART_VERSION}), so basic auth cannot be set through its values.`,
            [s.chartVersion.source],
            `Upgrade the chart to ${OLDEST_SUPPORTED_CHART_VERSION} or later; ${EXISTING_SECRET_SINCE} and later keep the password out of values.yaml.`,
          ),
        ],
};

export const chartVersionNewer: Rule = {
  id: "chart-version-newer",
  title: "Chart version newer than the newest known",
  passTitle: "Chart version",
  severity: "warn",
  reads: "the chart version and its profile",
  scope: "chart",
  judge: (s) =>
    isNewerThanKnown(s.chartVersion.value)
      ? [
          problem(
            `Chart ${s.chartVersion.value} is newer than ${NEWEST_KNOWN_CHART_VERSION}, the newest whose templates were read; it is treated like ${NEWEST_KNOWN_CHART_VERSION}.`,
            [s.chartVersion.source],
            `Compare its webConfiguration and serviceMonitor values with chart ${NEWEST_KNOWN_CHART_VERSION}'s, or use chart ${NEWEST_KNOWN_CHART_VERSION}.`,
          ),
        ]
      : [pass(`Chart ${s.chartVersion.value} (Pushgateway ${s.profile.appVersions}).`)],
};

export const renderError: Rule = {
  id: "render-error",
  title: "The chart does not render",
  passTitle: "The chart renders",
  severity: "fail",
  reads: "the errors the chart's templates would fail with (networkPolicy)",
  scope: "chart",
  judge: (s) =>
    s.view.chart.errors.length
      ? s.view.chart.errors.map((error) =>
          problem(
            `helm would fail: ${error}.`,
            [vs(s, "networkPolicy")],
            "Set networkPolicy.allowAll: true or networkPolicy.customSelectors, or remove networkPolicy.",
          ),
        )
      : [pass("helm renders the chart from these values.")],
};

// Values the chart passes through `tpl`: `{{ }}` in them would be executed by Helm.
const TPL_VALUES_PATHS = ["extraManifests", "serviceMonitor.metricRelabelings"];

function deepStrings(node: unknown, out: string[] = []): string[] {
  if (typeof node === "string") out.push(node);
  else if (Array.isArray(node)) for (const item of node) deepStrings(item, out);
  else if (isMap(node)) for (const [k, v] of Object.entries(node)) (out.push(k), deepStrings(v, out));
  return out;
}

export const templates: Rule = {
  id: "templates",
  title: "Template syntax reaches tpl",
  passTitle: "No template syntax reaches tpl",
  severity: "fail",
  reads:
    "the values the chart renders through tpl, in a generated bundle (in a user's own values, templates there are deliberate)",
  scope: "chart",
  judge: (s) => {
    if (!s.generatedFrom) return [];
    const offending = TPL_VALUES_PATHS.filter((path) =>
      deepStrings(getPath(s.values, path)).some((text) => text.includes("{{")),
    );
    return offending.length
      ? [
          problem(
            `${offending.join(", ")} contain "{{", which Helm would execute (the chart renders them through tpl).`,
            offending.map((path) => vs(s, path)),
            "Keep typed text out of values the chart renders through tpl, or escape its braces.",
          ),
        ]
      : [pass("No value the chart renders through tpl holds user text.")];
  },
};
