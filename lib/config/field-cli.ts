/**
 * The CLI side of each field: its flag, its argument's name (none for a switch), its `--help`
 * line (`{default}` is replaced) and the further flags that feed it. Kept apart from ./fields:
 * the page never shows them, so they stay out of its first load. Keyed by field name, so a
 * field without its flag does not compile.
 */
import { OLDEST_SUPPORTED_CHART_VERSION } from "../chart/versions";
import { DEPLOY_TARGETS } from "../gitops/deploy";
import { SCRAPER_IDS } from "../scrapers/scrapers";
import { DEFAULTS, type FieldName } from "./fields";

export interface FieldCli {
  flag: string;
  arg?: string;
  help: string;
  /** The flag may be given several times (a list field). */
  repeatable?: boolean;
  /** Further flags that feed this field, listed under it in `--help`. */
  more?: readonly { flag: string; arg: string; help: string }[];
}

export const FIELD_CLI = {
  chartVersion: {
    flag: "--chart-version",
    arg: "V",
    help: `chart version, ${OLDEST_SUPPORTED_CHART_VERSION} or later (default {default})`,
  },
  releaseName: { flag: "--release", arg: "NAME", help: "Helm release name (default {default})" },
  namespace: { flag: "--namespace", arg: "NS", help: "release namespace (default {default})" },
  deploy: {
    flag: "--deploy",
    arg: "TOOL",
    help: `how the chart is deployed: ${DEPLOY_TARGETS.join(", ")} (default {default})`,
  },
  nameOverride: { flag: "--name-override", arg: "NAME", help: "the chart's nameOverride, if you set one" },
  fullnameOverride: { flag: "--fullname-override", arg: "NAME", help: "the chart's fullnameOverride, if you set one" },
  username: { flag: "--username", arg: "USER", help: "basic auth user (default {default})" },
  password: { flag: "--password-file", arg: "FILE", help: 'file holding the password; "-" reads standard input' },
  passwordHash: {
    flag: "--password-hash",
    arg: "HASH",
    help: "bcrypt hash of that password to use instead of a new one",
  },
  pushers: {
    flag: "--pusher",
    arg: "NAME@NS",
    help: "a job that pushes, with its own user NAME and a Secret in namespace NS; repeat for each (default: none)",
    repeatable: true,
    more: [
      {
        flag: "--pusher-password-file",
        arg: "NAME=FILE",
        help: "file holding pusher NAME's password (one trailing newline is stripped); one per --pusher",
      },
    ],
  },
  scraper: {
    flag: "--scraper",
    arg: "S",
    help: `what scrapes Pushgateway: ${SCRAPER_IDS.join(", ")} (default {default})`,
  },
  serviceMonitorNamespace: {
    flag: "--servicemonitor-namespace",
    arg: "NS",
    help: "where the ServiceMonitor and its Secret live (default: the release namespace)",
  },
  prometheusSelector: {
    flag: "--prometheus-selector",
    arg: "K=V[,K=V]",
    help: 'labels your Prometheus selects ServiceMonitors by (default {default}; "" for none)',
  },
  prometheusNamespace: {
    flag: "--prometheus-namespace",
    arg: "NS",
    help: "namespace Prometheus runs in (default {default})",
  },
  interval: { flag: "--interval", arg: "D", help: "scrape interval (default {default})" },
  scrapeTimeout: {
    flag: "--scrape-timeout",
    arg: "D",
    help: "scrape timeout, at most the interval (default {default})",
  },
  serviceMonitorMode: {
    flag: "--servicemonitor-mode",
    arg: "MODE",
    help: "values, patch or standalone (default: the best the chart version supports)",
  },
  secretsAs: {
    flag: "--secrets",
    arg: "AS",
    help: "plain (Secrets to keep out of git), sealed (SealedSecrets, safe to commit; needs --sealing-cert) or external (ExternalSecrets from --secret-store) (default {default})",
    more: [
      {
        flag: "--sealing-cert",
        arg: "FILE",
        help: "the sealed-secrets controller's public certificate, PEM (kubeseal --fetch-cert > FILE)",
      },
    ],
  },
  sealingScope: {
    flag: "--sealing-scope",
    arg: "SCOPE",
    help: "where a SealedSecret may be unsealed: strict, namespace-wide or cluster-wide (default {default})",
  },
  secretStore: {
    flag: "--secret-store",
    arg: "NAME",
    help: "with --secrets external: the SecretStore or ClusterSecretStore the ExternalSecrets read from",
  },
  secretStoreKind: {
    flag: "--secret-store-kind",
    arg: "KIND",
    help: "with --secrets external: SecretStore (one per namespace, same name) or ClusterSecretStore (default {default})",
  },
  remoteKey: {
    flag: "--remote-key",
    arg: "KEY",
    help: "with --secrets external: the store's key holding the properties password, hash (and NAME-password, NAME-hash per pusher) (default {default})",
  },
  sopsAge: {
    flag: "--sops-age",
    arg: "RECIPIENT",
    help: "with --secrets plain: an age recipient (age1...); adds .sops.yaml for sops -e -i on each Secret file",
  },
  networkPolicyEnabled: { flag: "--network-policy", help: "admit only Prometheus and the pushing jobs" },
  networkPolicyPrometheusPods: {
    flag: "--prometheus-pod-labels",
    arg: "K=V",
    help: "labels of the Prometheus pods (default {default})",
  },
  networkPolicyPusherPods: {
    flag: "--pusher-pod-labels",
    arg: "K=V",
    help: "labels of the pods that push (default {default})",
  },
} as const satisfies Record<FieldName, FieldCli>;

/** A field's CLI help line, with its default filled in. */
export function fieldHelp(field: FieldName): string {
  return FIELD_CLI[field].help.replace("{default}", String(DEFAULTS[field]));
}
