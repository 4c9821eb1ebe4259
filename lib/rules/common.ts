/** What several rules ask of a setup, and how they point at it. */
import { EXISTING_SECRET_SINCE, firstVersionWith } from "../chart/versions";
import { basicAuthState, type BasicAuthState, type Placed, type SelectorState } from "../engine/cluster-view";
import type { Secret, ServiceMonitor } from "../k8s/types";
import { getPath, isMap } from "../values/values";
import { objectSource, valueSource, type Source } from "./evidence";
import { INSTANCE_LABEL, isChartObject, metadataOf, NAME_LABEL } from "./facts";
import type { KubeObject } from "./input";
import type { ChartSetup, ResolvedSetup } from "./setup";

// Chart versions that brought what the messages point to, from the version table.
export const SM_BASIC_AUTH_SINCE = firstVersionWith((p) => p.serviceMonitorBasicAuth);
export { EXISTING_SECRET_SINCE };

export function q(s: unknown): string {
  return JSON.stringify(s);
}

/** `namespace/name` of an object. */
export function nameOf(o: { metadata?: { name?: unknown; namespace?: unknown } }): string {
  return `${String(o.metadata?.namespace ?? "")}/${String(o.metadata?.name ?? "")}`;
}

export function isFile(placed: Placed<unknown>): boolean {
  return placed.origin.kind === "file";
}

/** Rendered by the chart: from values, or pasted from the cluster with the chart's label. */
export function chartMade(placed: Placed<unknown>): boolean {
  return !isFile(placed) || isChartObject(placed.object as KubeObject);
}

/** Evidence for a values path. */
export function vs(s: ResolvedSetup, path: string | readonly (string | number)[], secret = false): Source {
  return valueSource(s, path, secret);
}

/** Evidence inside an object read from a file. */
export function os(
  s: ResolvedSetup,
  placed: Placed<unknown>,
  path: (string | number)[],
  value: unknown,
  secret = false,
): Source {
  return objectSource(s.setup, placed, path, value, secret);
}

export function basicAuthUsersOf(values: unknown): Record<string, unknown> {
  const users = getPath(values, "webConfiguration.basicAuthUsers");
  return isMap(users) ? users : {};
}

/** Whether Pushgateway requires a password (or may: what the files show does not say). */
export function requiresPassword(s: ResolvedSetup): boolean {
  if (s.auth.kind === "none") return false;
  return s.auth.kind !== "chart" || Object.keys(basicAuthUsersOf(s.values)).length > 0;
}

/** ServiceMonitors that look meant for Pushgateway, though they may not select it. */
function meantForPushgateway(s: ChartSetup, sm: Placed<ServiceMonitor>): boolean {
  if (!isFile(sm)) return true;
  const o = sm.object as unknown as KubeObject;
  if (isChartObject(o)) return true;
  const wanted = getPath(o, "spec.selector.matchLabels");
  const labels = s.view.service.object.metadata?.labels ?? {};
  const shares =
    isMap(wanted) &&
    [NAME_LABEL, INSTANCE_LABEL, "app"].some((k) => wanted[k] !== undefined && wanted[k] === labels[k]);
  return shares || /pushgateway/.test(String(metadataOf(o).name)) || /pushgateway/.test(JSON.stringify(wanted ?? ""));
}

/** The ServiceMonitors that select the Service, or look meant to; the others belong to other apps. */
export function pushgatewayMonitors(s: ChartSetup): Placed<ServiceMonitor>[] {
  return s.view.serviceMonitors.filter((sm) => s.targeting.includes(sm) || meantForPushgateway(s, sm));
}

/**
 * Evidence for a field of a ServiceMonitor: in the pasted object, or the values the chart built
 * it from; for a pasted object the chart made, both (the values are what the user edits).
 */
export function smSources(
  s: ResolvedSetup,
  sm: Placed<ServiceMonitor>,
  path: (string | number)[],
  value: unknown,
  valuesPath: string | (string | number)[],
): Source[] {
  if (!isFile(sm)) return [vs(s, valuesPath)];
  const own = os(s, sm, path, value);
  return isChartObject(sm.object as unknown as KubeObject) ? [own, vs(s, valuesPath)] : [own];
}

/** Evidence for the name or key of a basicAuth selector. */
export function selectorSources(
  s: ResolvedSetup,
  sm: Placed<ServiceMonitor>,
  f: SelectorState,
  part: "name" | "key",
): Source[] {
  return smSources(
    s,
    sm,
    ["spec", "endpoints", 0, "basicAuth", f.field, part],
    f.selector?.[part],
    `serviceMonitor.basicAuth.${f.field}.${part}`,
  );
}

export function secretKeys(secret: Secret): string[] {
  return [
    ...Object.keys(isMap(secret.data) ? secret.data : {}),
    ...Object.keys(isMap(secret.stringData) ? secret.stringData : {}),
  ];
}

export function secretDataRoot(secret: Secret): string[] {
  return isMap(secret.stringData) && !isMap(secret.data) ? ["stringData"] : ["data"];
}

type Scraper = { sm: Placed<ServiceMonitor>; state: BasicAuthState };
// The scrape Secret and credential rules all ask, and the checks run on each keystroke.
const scrapersOf = new WeakMap<ChartSetup, Scraper[]>();

/** Each ServiceMonitor that selects the Service with its basicAuth resolved, when a password is required. */
export function scrapers(s: ChartSetup): Scraper[] {
  let found = scrapersOf.get(s);
  if (!found) {
    found = requiresPassword(s) ? s.targeting.map((sm) => ({ sm, state: basicAuthState(s.view, sm.object) })) : [];
    scrapersOf.set(s, found);
  }
  return found;
}
