/**
 * What each prometheus-pushgateway chart version can do for basic auth, as data. Everything
 * version-dependent in the engine reads this table; nothing else compares versions.
 * Facts from the chart's values.yaml and templates (prometheus-community/helm-charts).
 */

export type ServiceMonitorMode = "values" | "patch" | "standalone";
export const SERVICE_MONITOR_MODES: readonly ServiceMonitorMode[] = ["values", "patch", "standalone"];

export interface ModeSupport {
  allowed: boolean;
  /** One line for the UI and for error messages. */
  reason: string;
}

export interface ChartProfile {
  /** Stable id, pinned into share links and golden files. */
  id: "2.12" | "3.1" | "3.7";
  /** Inclusive lower bound. */
  from: string;
  /** Exclusive upper bound. */
  below: string;
  /** Pushgateway versions shipped by charts in this range. */
  appVersions: string;
  /**
   * Who writes the web config: `chart` renders it from `webConfiguration.basicAuthUsers`
   * (plaintext in values, hashed with a random salt on every render, username unquoted);
   * `existing-secret` mounts a Secret we generate with a bcrypt hash.
   */
  webConfig: "chart" | "existing-secret";
  /** Whether `serviceMonitor.basicAuth` (SecretKeySelectors) exists. */
  serviceMonitorBasicAuth: boolean;
  /** With basicAuthUsers set and serviceMonitor.basicAuth empty, the chart creates `<fullname>-basic-auth`. */
  chartCreatesScrapeSecret: boolean;
  /** How the liveness and readiness probes get past basic auth. */
  probes: "authorization-header" | "tcp-socket";
  defaultMode: ServiceMonitorMode;
  modes: Record<ServiceMonitorMode, ModeSupport>;
  /** Every values path the engine may write for this version (all read by its templates). */
  valuesPaths: readonly string[];
}

const COMMON_VALUES_PATHS = [
  "nameOverride",
  "fullnameOverride",
  "serviceMonitor.enabled",
  "serviceMonitor.namespace",
  "serviceMonitor.additionalLabels",
  "serviceMonitor.interval",
  "serviceMonitor.scrapeTimeout",
  "serviceMonitor.honorLabels",
  "networkPolicy.customSelectors",
] as const;

export const CHART_PROFILES: readonly ChartProfile[] = [
  {
    id: "2.12",
    from: "2.12.0",
    below: "3.1.0",
    appVersions: "v1.8.0 to v1.11.0",
    webConfig: "chart",
    serviceMonitorBasicAuth: false,
    chartCreatesScrapeSecret: false,
    probes: "authorization-header",
    defaultMode: "standalone",
    modes: {
      values: {
        allowed: false,
        reason:
          "Charts before 3.1.0 have no serviceMonitor.basicAuth, so values alone cannot give Prometheus credentials.",
      },
      patch: {
        allowed: true,
        reason: "Keeps the chart's ServiceMonitor and adds basicAuth with kustomize (Helm post-renderer).",
      },
      standalone: {
        allowed: true,
        reason: "Disables the chart's ServiceMonitor and ships one that carries basicAuth.",
      },
    },
    valuesPaths: [...COMMON_VALUES_PATHS, "webConfiguration.basicAuthUsers"],
  },
  {
    id: "3.1",
    from: "3.1.0",
    below: "3.7.0",
    appVersions: "v1.11.0 to v1.11.3",
    webConfig: "chart",
    serviceMonitorBasicAuth: true,
    chartCreatesScrapeSecret: true,
    probes: "authorization-header",
    defaultMode: "values",
    modes: {
      values: {
        allowed: true,
        reason: "serviceMonitor.basicAuth points the chart's ServiceMonitor at the generated Secret.",
      },
      patch: {
        allowed: false,
        reason: "These charts already write basicAuth into their ServiceMonitor; a patch would fight it.",
      },
      standalone: {
        allowed: true,
        reason: "Disables the chart's ServiceMonitor and ships one that carries basicAuth.",
      },
    },
    valuesPaths: [...COMMON_VALUES_PATHS, "webConfiguration.basicAuthUsers", "serviceMonitor.basicAuth"],
  },
  {
    id: "3.7",
    from: "3.7.0",
    below: "4.0.0",
    appVersions: "v1.11.3",
    webConfig: "existing-secret",
    serviceMonitorBasicAuth: true,
    chartCreatesScrapeSecret: true,
    probes: "tcp-socket",
    defaultMode: "values",
    modes: {
      values: {
        allowed: true,
        reason: "serviceMonitor.basicAuth points the chart's ServiceMonitor at the generated Secret.",
      },
      patch: {
        allowed: true,
        reason: "Works, but values mode does the same without a post-renderer.",
      },
      standalone: {
        allowed: true,
        reason: "Disables the chart's ServiceMonitor and ships one that carries basicAuth.",
      },
    },
    valuesPaths: [...COMMON_VALUES_PATHS, "webConfiguration.existingSecret.name", "serviceMonitor.basicAuth"],
  },
];

/**
 * Template details that changed within a profile's range: they matter only with values this
 * tool does not write (namespaceOverride, service.portName), so they do not split a profile,
 * but the restatement of the chart (render.ts) and the diagnosis of a user's setup need them.
 */
export interface TemplateFacts {
  /** service.portName names the Service port (2.13.0+); before, the port is always `http`. */
  servicePortNameValue: boolean;
  /** The web-config Secret has a namespace (3.1.3+); before, it lands in the release namespace, not namespaceOverride. */
  webConfigSecretNamespaced: boolean;
}

const TEMPLATE_CHANGES: readonly { since: string; fact: keyof TemplateFacts }[] = [
  { since: "2.13.0", fact: "servicePortNameValue" },
  { since: "3.1.3", fact: "webConfigSecretNamespaced" },
];

/** The template details of a supported chart version. */
export function templateFacts(version: string): TemplateFacts {
  const has = (fact: keyof TemplateFacts) =>
    TEMPLATE_CHANGES.some((c) => c.fact === fact && compareVersions(version, c.since) >= 0);
  return {
    servicePortNameValue: has("servicePortNameValue"),
    webConfigSecretNamespaced: has("webConfigSecretNamespaced"),
  };
}

/** Newest chart version whose templates were read; later 3.x are assumed to behave like it. */
export const NEWEST_KNOWN_CHART_VERSION = "3.8.0";
/** First chart version with `webConfiguration`. */
export const OLDEST_SUPPORTED_CHART_VERSION = "2.12.0";

const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** `[major, minor, patch]`, or null when `version` is not MAJOR.MINOR.PATCH. */
export function parseVersion(version: string): [number, number, number] | null {
  const m = SEMVER.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Negative, zero or positive like a comparator; both must be valid versions. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) as [number, number, number];
  const y = parseVersion(b) as [number, number, number];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * Why a version has no profile: not a version at all, older than webConfiguration (a rule of its
 * own explains that), or newer than a known major.
 */
export type UnsupportedReason = "malformed" | "too-old" | "unknown";
export type ProfileLookup =
  { profile: ChartProfile; error: null } | { profile: null; error: string; reason: UnsupportedReason };

/** The profile for a chart version, or the rule it breaks (completing "Chart version ..."). */
export function profileFor(version: string): ProfileLookup {
  if (!parseVersion(version))
    return { profile: null, error: "must be a version like 3.8.0 (MAJOR.MINOR.PATCH)", reason: "malformed" };
  if (compareVersions(version, OLDEST_SUPPORTED_CHART_VERSION) < 0) {
    return {
      profile: null,
      error: `${version} has no webConfiguration (it arrived in chart ${OLDEST_SUPPORTED_CHART_VERSION}); upgrade the chart to ${OLDEST_SUPPORTED_CHART_VERSION} or later`,
      reason: "too-old",
    };
  }
  const profile = CHART_PROFILES.find(
    (p) => compareVersions(version, p.from) >= 0 && compareVersions(version, p.below) < 0,
  );
  if (!profile) {
    return {
      profile: null,
      error: `${version} is not known to this tool: it supports ${OLDEST_SUPPORTED_CHART_VERSION} to ${NEWEST_KNOWN_CHART_VERSION} and later 3.x`,
      reason: "unknown",
    };
  }
  return { profile, error: null };
}

/**
 * The strategy a choice means for a chart version: "auto" is the profile's default. Null
 * profile and mode for a version the table does not support.
 */
export function resolveMode(
  version: string,
  choice: "auto" | ServiceMonitorMode,
): { profile: ChartProfile; mode: ServiceMonitorMode } | { profile: null; mode: null } {
  const { profile } = profileFor(version);
  if (!profile) return { profile: null, mode: null };
  return { profile, mode: choice === "auto" ? profile.defaultMode : choice };
}

/** The first chart version whose profile has `feature`: the lower bound of that row of the table. */
export function firstVersionWith(feature: (profile: ChartProfile) => boolean): string {
  const profile = CHART_PROFILES.find(feature);
  if (!profile) throw new Error("no known chart version has this feature");
  return profile.from;
}

// Chart versions that brought what messages point to, read from the table.
/** The first chart version that mounts a Secret we generate (no plaintext password in values). */
export const EXISTING_SECRET_SINCE = firstVersionWith((p) => p.webConfig === "existing-secret");

/** True for a 3.x newer than the newest version whose templates were read. */
export function isNewerThanKnown(version: string): boolean {
  return parseVersion(version) !== null && compareVersions(version, NEWEST_KNOWN_CHART_VERSION) > 0;
}

/** Versions offered in the UI: the first and last of each profile plus the well-known ones. */
export const SUGGESTED_CHART_VERSIONS: readonly string[] = [
  "3.8.0",
  "3.7.0",
  "3.6.0",
  "3.1.0",
  "3.0.0",
  "2.14.0",
  "2.12.0",
];
