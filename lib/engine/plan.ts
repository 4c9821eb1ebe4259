/**
 * Stage 1: resolve a validated config into every derived fact the builders share (profile,
 * strategy, names, namespaces, Secret names), so no builder derives a name on its own.
 */
import { chartNames, type ChartNames } from "../chart/names";
import { profileFor, resolveMode, type ChartProfile, type ServiceMonitorMode } from "../chart/versions";
import { parseLabelList } from "../config/field-rules";
import { serviceMonitorNamespaceOf, type Config } from "../config/schema";
import type { Scraper } from "../scrapers/scrapers";
import { planUsers, type PusherPlan, type WebUser } from "./pushers";

export interface Plan {
  config: Config;
  profile: ChartProfile;
  mode: ServiceMonitorMode;
  names: ChartNames;
  releaseNamespace: string;
  serviceMonitorNamespace: string;
  /** Labels Prometheus selects ServiceMonitors by. */
  prometheusSelector: Record<string, string>;
  /** kubernetes.io/basic-auth Secret the ServiceMonitor reads, in the ServiceMonitor's namespace. */
  scrapeSecretName: string;
  /** Secret holding web-config.yaml (charts with existingSecret), in the release namespace. */
  webConfigSecretName: string | null;
  /** What scrapes Pushgateway; every scraper but `operator` has the chart's ServiceMonitor disabled. */
  scraper: Scraper;
  /**
   * Where the scrape Secret lives: the namespace of the object that reads it (ServiceMonitor,
   * ScrapeConfig, VMServiceScrape, Alloy's Role), or Prometheus's own for a mounted password file.
   */
  scrapeSecretNamespace: string;
  /** The jobs that push, each with its own user and Secret (lib/engine/pushers.ts). */
  pushers: PusherPlan[];
  /** Every user of Pushgateway's web config: the scrape user, then the pushers. */
  webUsers: WebUser[];
}

/** Thrown for a config the schema did not accept; callers validate first. */
export class InvalidConfigError extends Error {}

/** Resolves a config that passed {@link validateConfig}. */
export function planBundle(config: Config): Plan {
  const resolved = resolveMode(config.chartVersion, config.serviceMonitorMode);
  const { profile } = resolved;
  if (!profile) throw new InvalidConfigError(`Chart version ${profileFor(config.chartVersion).error}`);
  // Only the Operator's ServiceMonitor has strategies; other scrapers disable the chart's.
  const mode = config.scraper === "operator" ? resolved.mode : "standalone";
  const names = chartNames(config);
  return {
    config,
    profile,
    mode,
    names,
    releaseNamespace: config.namespace,
    serviceMonitorNamespace: serviceMonitorNamespaceOf(config),
    prometheusSelector: Object.fromEntries(parseLabelList(config.prometheusSelector).pairs),
    scrapeSecretName: `${names.fullname}-scrape-auth`,
    webConfigSecretName: profile.webConfig === "existing-secret" ? `${names.fullname}-web-config` : null,
    scraper: config.scraper,
    scrapeSecretNamespace:
      config.scraper === "prometheus" ? config.prometheusNamespace : serviceMonitorNamespaceOf(config),
    ...planUsers(config, names),
  };
}

/** Whether the bundle for this config embeds a bcrypt hash (computed outside the engine). */
export function needsPasswordHash(config: Config): boolean {
  // With External Secrets the hash is stored in the user's store, never in the bundle.
  return profileFor(config.chartVersion).profile?.webConfig === "existing-secret" && config.secretsAs !== "external";
}
