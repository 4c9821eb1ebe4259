/**
 * What the rules judge: the files (pasted, or a generated bundle) resolved into one picture of
 * the cluster. The facts with where each came from, the values Helm would use, what the chart
 * renders from them (patched by a bundle's post-renderer), the objects beside it, and how
 * Pushgateway is told to require a password.
 */
import { profileFor, type ChartProfile } from "../chart/versions";
import type { Config } from "../config/schema";
import {
  buildClusterView,
  renderChartShape,
  targetingMonitors,
  type ClusterView,
  type Placed,
  type WebConfigState,
} from "../engine/cluster-view";
import type { Secret, Service, ServiceMonitor } from "../k8s/types";
import { isMap, type Values } from "../values/values";
import { authSource, mountedWebConfig, type AuthSource, type MountedWebConfig } from "./auth-source";
import { isChartObject, MONITORING_GROUP, resolveFacts, type GivenFacts, type ReleaseFacts } from "./facts";
import type { FileOrigin, IgnoredDocument, InputProblem, KubeObject, SetupFiles } from "./input";
import { isScraperObject } from "./scraper-rules";
import { isSecretSource, producedSecret } from "./secret-source-rules";

/** Helm's merge of several `-f` files: maps merge, anything else (null included) replaces. */
function mergeUserValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeUserValues(out[key] as Values, value) : value;
  }
  return out;
}

export interface ResolvedSetup extends ReleaseFacts {
  setup: SetupFiles;
  given: GivenFacts;
  /**
   * The config a generated bundle was made from, or null for pasted files. A bundle holds every
   * object there will be and is applied beside what the chart renders; pasted files may leave
   * objects out, and show the live ones (a chart object pasted from the cluster stands in for
   * the rendered one).
   */
  generatedFrom: Config | null;
  /** A generated bundle's files that do not parse, hold unexpected objects or patch nothing. */
  bundleProblems: string[];
  /** Null for a chart older than the first with webConfiguration. */
  profile: ChartProfile | null;
  /** The user's values, all values documents merged in the order given. */
  values: Values;
  /** False when no values document is pasted: the chart's defaults are then not known to apply. */
  valuesKnown: boolean;
  /** The view of the cluster; null when the profile is. */
  view: ClusterView | null;
  /** The ServiceMonitors that select the view's Service (the Operator's targets for it). */
  targeting: Placed<ServiceMonitor>[];
  auth: AuthSource;
  /** A `--web.config.file` in extraArgs, whether or not webConfiguration is set too. */
  extraArgs: MountedWebConfig | null;
  webConfig: WebConfigState | null;
  prometheuses: Placed<KubeObject>[];
  /** Objects of kinds the diagnosis does not read, and documents that are neither values nor objects. */
  ignored: IgnoredDocument[];
}

/** A setup whose chart version renders: what most rules judge. */
export type ChartSetup = ResolvedSetup & { profile: ChartProfile; view: ClusterView };

export type ResolveResult = { ok: true; resolved: ResolvedSetup } | { ok: false; problems: InputProblem[] };

export interface ResolveOptions {
  given: GivenFacts;
  /** For a generated bundle: see {@link ResolvedSetup.generatedFrom}. */
  generatedFrom?: Config;
  bundleProblems?: string[];
  /**
   * What a bundle's post-renderer makes of the chart's ServiceMonitor; the problems it meets
   * (a patch that misses) go to `problems`.
   */
  postRender?: (serviceMonitor: ServiceMonitor, problems: string[]) => ServiceMonitor;
}

function isPlacedKind(kind: string, group: RegExp | null) {
  return (p: Placed<KubeObject>) =>
    p.object.kind === kind && (group ? group.test(p.object.apiVersion) : p.object.apiVersion === "v1");
}

const VIEW_KINDS = [
  isPlacedKind("Secret", null),
  isPlacedKind("Service", null),
  isPlacedKind("ServiceMonitor", MONITORING_GROUP),
];
const isPrometheus = isPlacedKind("Prometheus", MONITORING_GROUP);
/** Resolves the facts, the values and the cluster view of sorted files; never throws. */
export function resolveSetupFiles(setup: SetupFiles, options: ResolveOptions): ResolveResult {
  const { given } = options;
  const values = setup.values.reduce<Values>((acc, doc) => mergeUserValues(acc, doc.values), {});
  const resolvedFacts = resolveFacts(setup, values, given, !options.generatedFrom);
  if (!resolvedFacts.ok) return resolvedFacts;
  const facts = resolvedFacts.facts;
  const { chartVersion, releaseName, namespace } = facts;
  const profile = profileFor(chartVersion.value).profile;
  const prometheuses = setup.objects.filter(isPrometheus);
  const usable = (p: Placed<KubeObject>) => {
    const meta = p.object.metadata;
    return isMap(meta) && typeof meta.name === "string" && typeof meta.namespace === "string";
  };
  const ignored: IgnoredDocument[] = [...setup.ignored];
  const viewObjects: Placed<Secret | ServiceMonitor | Service>[] = [];
  for (const placed of setup.objects) {
    // A SealedSecret or ExternalSecret is read as the Secret its controller makes from it.
    const p = isSecretSource(placed.object)
      ? { ...placed, object: producedSecret(placed.object) as unknown as KubeObject }
      : placed;
    const known = VIEW_KINDS.some((is) => is(p)) || isPrometheus(p);
    // Read by the scraper rules (lib/rules/scraper-rules.ts) from the files as they are.
    if (!known && isScraperObject(p.object)) continue;
    if (!known) {
      if (!isChartObject(p.object))
        ignored.push({ origin: p.origin as FileOrigin, reason: `a ${p.object.kind} is not read by the diagnosis` });
      continue;
    }
    if (!usable(p)) {
      ignored.push({
        origin: p.origin as FileOrigin,
        reason: `the ${p.object.kind} has no metadata.name or metadata.namespace`,
      });
      continue;
    }
    if (!isPrometheus(p)) viewObjects.push(p as unknown as Placed<Secret | ServiceMonitor | Service>);
  }
  const valuesKnown = setup.values.length > 0;
  const bundleProblems = [...(options.bundleProblems ?? [])];
  let view: ClusterView | null = null;
  let auth: AuthSource = { kind: "none", evidence: null };
  let webConfig: WebConfigState | null = null;
  const extraArgs = mountedWebConfig(values.extraArgs, values.extraVolumeMounts, values.extraVolumes);
  if (profile) {
    const chart = renderChartShape({
      profile,
      chartVersion: chartVersion.value,
      releaseName: releaseName.value,
      releaseNamespace: namespace.value,
      values,
    });
    const serviceMonitor =
      chart.serviceMonitor && options.postRender
        ? options.postRender(chart.serviceMonitor, bundleProblems)
        : chart.serviceMonitor;
    view = buildClusterView({
      values,
      chart: { ...chart, serviceMonitor },
      objects: viewObjects,
      live: !options.generatedFrom,
    });
    ({ auth, webConfig } = authSource(setup, valuesKnown ? values : null, profile, view, extraArgs));
  }
  return {
    ok: true,
    resolved: {
      setup,
      given,
      generatedFrom: options.generatedFrom ?? null,
      bundleProblems,
      ...facts,
      profile,
      values,
      valuesKnown,
      view,
      targeting: view ? targetingMonitors(view) : [],
      auth,
      extraArgs,
      webConfig,
      prometheuses,
      ignored,
    },
  };
}
