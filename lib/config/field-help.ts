/**
 * The CLI's `--help` text of each field (and of the further flags that feed it, in order),
 * kept apart from ./fields: the page never shows it, so it stays out of the page's first load.
 * Keyed by field name, so a field without its help does not compile. `{default}` is replaced.
 */
import { OLDEST_SUPPORTED_CHART_VERSION } from "../chart/versions";
import { DEPLOY_TARGETS } from "../gitops/deploy";
import { SCRAPER_IDS } from "../scrapers/scrapers";
import { DEFAULTS, FIELDS, type FieldName, type FieldSpec } from "./fields";

export const FIELD_HELP: Record<FieldName, { help: string; more?: readonly string[] }> = {
  chartVersion: { help: `chart version, ${OLDEST_SUPPORTED_CHART_VERSION} or later (default {default})` },
  releaseName: { help: "Helm release name (default {default})" },
  namespace: { help: "release namespace (default {default})" },
  deploy: { help: `how the chart is deployed: ${DEPLOY_TARGETS.join(", ")} (default {default})` },
  nameOverride: { help: "the chart's nameOverride, if you set one" },
  fullnameOverride: { help: "the chart's fullnameOverride, if you set one" },
  username: { help: "basic auth user (default {default})" },
  password: { help: 'file holding the password; "-" reads standard input' },
  passwordHash: { help: "bcrypt hash of that password to use instead of a new one" },
  pushers: {
    help: "a job that pushes, with its own user NAME and a Secret in namespace NS; repeat for each (default: none)",
    more: ["file holding pusher NAME's password (one trailing newline is stripped); one per --pusher"],
  },
  scraper: { help: `what scrapes Pushgateway: ${SCRAPER_IDS.join(", ")} (default {default})` },
  serviceMonitorNamespace: { help: "where the ServiceMonitor and its Secret live (default: the release namespace)" },
  prometheusSelector: { help: 'labels your Prometheus selects ServiceMonitors by (default {default}; "" for none)' },
  prometheusNamespace: { help: "namespace Prometheus runs in (default {default})" },
  interval: { help: "scrape interval (default {default})" },
  scrapeTimeout: { help: "scrape timeout, at most the interval (default {default})" },
  serviceMonitorMode: { help: "values, patch or standalone (default: the best the chart version supports)" },
  secretsAs: {
    help: "plain (Secrets to keep out of git), sealed (SealedSecrets, safe to commit; needs --sealing-cert) or external (ExternalSecrets from --secret-store) (default {default})",
    more: ["the sealed-secrets controller's public certificate, PEM (kubeseal --fetch-cert > FILE)"],
  },
  sealingScope: {
    help: "where a SealedSecret may be unsealed: strict, namespace-wide or cluster-wide (default {default})",
  },
  secretStore: { help: "with --secrets external: the SecretStore or ClusterSecretStore the ExternalSecrets read from" },
  secretStoreKind: {
    help: "with --secrets external: SecretStore (one per namespace, same name) or ClusterSecretStore (default {default})",
  },
  remoteKey: {
    help: "with --secrets external: the store's key holding the properties password, hash (and NAME-password, NAME-hash per pusher) (default {default})",
  },
  sopsAge: {
    help: "with --secrets plain: an age recipient (age1...); adds .sops.yaml for sops -e -i on each Secret file",
  },
  networkPolicyEnabled: { help: "admit only Prometheus and the pushing jobs" },
  networkPolicyPrometheusPods: { help: "labels of the Prometheus pods (default {default})" },
  networkPolicyPusherPods: { help: "labels of the pods that push (default {default})" },
};

/** A field's CLI help line, with its default filled in. */
export function fieldHelp(field: FieldName): string {
  return FIELD_HELP[field].help.replace("{default}", String(DEFAULTS[field]));
}

/** The further flags that feed a field, each with its help line. */
export function moreFlagsHelp(field: FieldName): { flag: string; arg: string; help: string }[] {
  return ((FIELDS[field] as FieldSpec).moreFlags ?? []).map((m, i) => ({
    ...m,
    help: FIELD_HELP[field].more?.[i] ?? "",
  }));
}
