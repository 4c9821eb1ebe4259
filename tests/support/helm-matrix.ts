/**
 * The real-Helm matrix: every vendored chart version x every strategy its profile allows, with
 * inputs that vary across the matrix, and the bundle for each cell.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSync } from "bcryptjs";
import { generate, profileFor, SERVICE_MONITOR_MODES, validateConfig } from "../../lib/index";
import type { Config, ConfigInput, ServiceMonitorMode } from "../../lib/index";
import { chartVersions, Helm, installPostRenderer, templateBundle, writeBundle, type HelmMajor } from "./helm";
import { bundleManifests, renderedManifests, selectorLabels, type Expected, type Manifest } from "./helm-proof";

export interface Inputs {
  /** What the inputs exercise, for test names. */
  label: string;
  input: Omit<ConfigInput, "chartVersion" | "serviceMonitorMode" | "passwordHash">;
}

/**
 * Inputs that trip the chart's naming rules and the places credentials travel through: a
 * release containing the chart name (fullname = release), one of 51 characters whose
 * `<release>-prometheus-pushgateway` is cut at 63 right after a dash (trimSuffix), name and
 * fullname overrides, ServiceMonitors in other namespaces, usernames with dots, passwords with
 * spaces, quotes, `#`, `:` and non-ASCII text.
 */
export const INPUTS: readonly Inputs[] = [
  {
    label: "release contains the chart name",
    input: {
      releaseName: "prometheus-pushgateway",
      namespace: "monitoring",
      username: "prometheus",
      password: "correct horse battery staple",
    },
  },
  {
    label: "51-char release cut at a dash, ServiceMonitor elsewhere",
    input: {
      releaseName: "nightly-batch-metrics-gateway-for-data-platform-eu1",
      namespace: "batch-jobs",
      serviceMonitorNamespace: "observability",
      username: "ops.scraper",
      password: `p"a'ss #1: wörd`,
    },
  },
  {
    label: "release around the chart name, two selector labels",
    input: {
      releaseName: "my-prometheus-pushgateway-prod",
      namespace: "default",
      serviceMonitorNamespace: "monitoring",
      username: "team.prom.reader",
      password: `héllo wörld ✓ # : ' " \\ {{ .x }}`,
      prometheusSelector: "release=prom,team=platform",
    },
  },
  {
    label: "nameOverride, ServiceMonitor in the Prometheus namespace",
    input: {
      releaseName: "pushgw",
      namespace: "pushgw",
      nameOverride: "pushgw",
      serviceMonitorNamespace: "kube-prometheus",
      username: "prometheus.k8s",
      password: "with spaces and 'single' and \"double\" quotes",
    },
  },
  {
    label: "fullnameOverride, no selector label",
    input: {
      releaseName: "metrics",
      namespace: "metrics",
      fullnameOverride: "metrics-pushgateway",
      username: "scraper.bot",
      password: "日本語のパスワード #:x",
      prometheusSelector: "",
    },
  },
];

const hashes = new Map<string, string>();
/** bcrypt cost 4: fast, and Pushgateway accepts any cost from 4. */
function hashOf(password: string): string {
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashSync(password, 4)));
  return hash;
}

export interface Cell {
  chartVersion: string;
  mode: ServiceMonitorMode;
  inputs: Inputs;
}

/** Strategies a chart version's profile allows. */
export function allowedModes(chartVersion: string): ServiceMonitorMode[] {
  const { profile } = profileFor(chartVersion);
  if (!profile) throw new Error(`no profile for ${chartVersion}`);
  return SERVICE_MONITOR_MODES.filter((mode) => profile.modes[mode].allowed);
}

/** Every (version, strategy) pair, each with the next inputs in turn. */
export function matrixCells(): Cell[] {
  return chartVersions()
    .flatMap((chartVersion) => allowedModes(chartVersion).map((mode) => ({ chartVersion, mode })))
    .map((pair, i) => ({ ...pair, inputs: INPUTS[i % INPUTS.length] as Inputs }));
}

export function cellConfig(cell: Pick<Cell, "chartVersion" | "mode" | "inputs">): Config {
  const result = validateConfig({
    ...cell.inputs.input,
    chartVersion: cell.chartVersion,
    serviceMonitorMode: cell.mode,
    passwordHash: hashOf(cell.inputs.input.password as string),
  });
  if (!result.ok)
    throw new Error(`invalid config for ${cell.chartVersion} ${cell.mode}: ${JSON.stringify(result.errors)}`);
  return result.config;
}

export function expectedOf(config: Config): Expected {
  return {
    username: config.username,
    password: config.password,
    prometheusSelector: selectorLabels(config.prometheusSelector),
  };
}

export interface Rendered {
  files: Record<string, string>;
  /** `helm template` output. */
  output: string;
  /** A second render with the same inputs, when asked for. */
  again?: string;
  manifests: Manifest[];
}

/**
 * Writes the bundle to a temporary directory and renders the chart with real Helm the way the
 * bundle's README says (values.yaml, and the post-renderer for `patch`).
 */
export async function renderWithHelm(
  major: HelmMajor,
  config: Config,
  files: Record<string, string> = generate(config).files,
  options: { twice?: boolean } = {},
): Promise<Rendered> {
  const dir = mkdtempSync(join(tmpdir(), "pga-bundle-"));
  const helm = new Helm(major);
  try {
    writeBundle(files, dir);
    const postRenderer = await installPostRenderer(helm, dir, files);
    const input = {
      chartVersion: config.chartVersion,
      release: config.releaseName,
      namespace: config.namespace,
      bundleDir: dir,
      postRenderer,
    };
    const output = await templateBundle(helm, input);
    const again = options.twice ? await templateBundle(helm, input) : undefined;
    return {
      files,
      output,
      again,
      manifests: [...renderedManifests(output, config.namespace), ...bundleManifests(files)],
    };
  } finally {
    helm.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
