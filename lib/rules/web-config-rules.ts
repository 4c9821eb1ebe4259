/**
 * Rules about Pushgateway's side: whether it requires a password, and the web config it loads
 * (what the chart makes of the users, or the Secret the user provides).
 */
import { readRawUsername, WEB_CONFIG_FLAG } from "../chart/web-config";
import { rawUsernameRule } from "../config/field-rules";
import { secretKeyPath, valueUnknown } from "../engine/cluster-view";
import { getPath, truthy } from "../values/values";
import {
  basicAuthUsersOf,
  EXISTING_SECRET_SINCE,
  isFile,
  os,
  q,
  requiresPassword,
  secretDataRoot,
  secretKeys,
  vs,
} from "./common";
import type { Source } from "./evidence";
import { pass, problem, type Rule } from "./rule";
import type { ChartSetup } from "./setup";

export const existingSecretIgnored: Rule = {
  id: "existing-secret-ignored",
  title: "webConfiguration.existingSecret is ignored",
  severity: "fail",
  reads: "webConfiguration.existingSecret and basicAuthUsers, and whether the chart version reads existingSecret",
  scope: "chart",
  judge: (s) => {
    if (s.profile.webConfig !== "chart" || !truthy(getPath(s.values, "webConfiguration.existingSecret"))) return [];
    const users = Object.keys(basicAuthUsersOf(s.values));
    // With users listed, the chart's own web config still requires them: a surprise, not a 401.
    return [
      problem(
        `Chart ${s.chartVersion.value} does not read webConfiguration.existingSecret (chart ${EXISTING_SECRET_SINCE} added it): it renders its own web config from webConfiguration.basicAuthUsers${users.length ? ", so the Secret named there is not what Pushgateway checks" : ", which is empty, so Pushgateway asks for no password at all"}.`,
        [vs(s, "webConfiguration.existingSecret"), s.chartVersion.source],
        `Upgrade to chart ${EXISTING_SECRET_SINCE} or later to use existingSecret, or remove it and list the user in webConfiguration.basicAuthUsers.`,
        users.length ? "warn" : "fail",
      ),
    ];
  },
};

export const webConfigFlagRepeated: Rule = {
  id: "web-config-flag-repeated",
  title: "--web.config.file is given twice",
  severity: "fail",
  reads: "extraArgs beside webConfiguration",
  scope: "chart",
  judge: (s) =>
    s.extraArgs && (s.auth.kind === "chart" || s.auth.kind === "existing-secret")
      ? [
          problem(
            `extraArgs passes ${WEB_CONFIG_FLAG} and so does the chart, because webConfiguration is set: Pushgateway exits with "flag 'web.config.file' cannot be repeated" and nothing can be scraped.`,
            [vs(s, ["extraArgs", s.extraArgs.argIndex]), vs(s, "webConfiguration")],
            `Remove the ${WEB_CONFIG_FLAG} entry from extraArgs; the chart mounts its own web config.`,
          ),
        ]
      : [],
};

export const authOff: Rule = {
  id: "auth-off",
  title: "Basic auth is off",
  severity: "warn",
  reads: "how Pushgateway is told to require a password (webConfiguration, extraArgs, a pasted Deployment)",
  scope: "chart",
  judge: (s) => {
    if (s.auth.kind === "none") {
      return [
        problem(
          s.auth.evidence
            ? `Pushgateway runs without basic auth: its Deployment passes no ${WEB_CONFIG_FLAG}. Prometheus gets no 401, but anyone who can reach Pushgateway can push or delete metrics.`
            : `Pushgateway runs without basic auth: webConfiguration is empty and extraArgs has no ${WEB_CONFIG_FLAG}. Prometheus gets no 401, but anyone who can reach Pushgateway can push or delete metrics.`,
          [s.auth.evidence ?? vs(s, "webConfiguration")],
          `Turn basic auth on: pushgateway-auth generates the values and Secrets for chart ${s.chartVersion.value}.`,
        ),
      ];
    }
    if (
      s.auth.kind === "chart" &&
      !requiresPassword(s) &&
      !truthy(getPath(s.values, "webConfiguration.existingSecret"))
    ) {
      return [
        problem(
          "webConfiguration is set but webConfiguration.basicAuthUsers is empty: the chart renders a web config without users and Pushgateway asks for no password.",
          [vs(s, "webConfiguration")],
          "List the scrape user in webConfiguration.basicAuthUsers (pushgateway-auth writes it for you).",
        ),
      ];
    }
    return [];
  },
};

/** Whether the web config is in a Secret the user provides (existingSecret, extraArgs and extraVolumes, or pasted objects). */
function userProvidedWebConfig(s: ChartSetup): boolean {
  return s.auth.kind === "existing-secret" || s.auth.kind === "extra-args" || s.auth.kind === "pasted";
}

/** Where the name of the web config Secret shows. */
function webConfigNameSource(s: ChartSetup): Source {
  const mount = s.extraArgs;
  if (s.auth.kind === "existing-secret") return vs(s, "webConfiguration.existingSecret.name");
  if (s.auth.kind === "pasted") return s.auth.evidence;
  return mount?.secret
    ? vs(s, ["extraVolumes", mount.secret.volumeIndex, "secret", "secretName"])
    : vs(s, ["extraArgs", mount?.argIndex ?? 0]);
}

/** Secrets with the web config Secret's name in other namespaces than the pod's. */
function webConfigElsewhere(s: ChartSetup) {
  return s.view.secrets.filter((x) => x.object.metadata?.name === s.webConfig?.secretName);
}

export const webConfigNotVerified: Rule = {
  id: "web-config-not-verified",
  title: "Web config not checked",
  severity: "info",
  reads: "the web config Secret Pushgateway mounts, when the pasted files do not show it",
  scope: "chart",
  judge: (s) => {
    if (s.auth.kind === "unknown") {
      return [
        problem(
          "No values file is pasted, and no pasted object shows which Secret Pushgateway reads its web config from (the chart's defaults are not assumed to apply): the users and the password could not be checked.",
          [],
          `Paste the values too (helm get values ${s.releaseName.value} -n ${s.namespace.value}), or the Deployment (kubectl get deployment ${s.view.chart.fullname} -n ${s.view.chart.namespace} -o yaml).`,
        ),
      ];
    }
    if (!userProvidedWebConfig(s)) return [];
    const state = s.webConfig;
    if (!state?.secretName) {
      return [
        problem(
          `extraArgs passes ${WEB_CONFIG_FLAG}, but no extraVolumes and extraVolumeMounts entry says which Secret holds that file, so the users and the password could not be checked.`,
          [webConfigNameSource(s)],
          "Mount the web config from a Secret through extraVolumes and extraVolumeMounts, or better, use webConfiguration.",
        ),
      ];
    }
    if (state.secret || s.generatedFrom || webConfigElsewhere(s).length) return [];
    return [
      problem(
        `Secret ${state.namespace}/${state.secretName}, which holds Pushgateway's web config, is not among the pasted files, so the users and the password hash could not be checked.`,
        [webConfigNameSource(s)],
        `Paste it too: kubectl get secret ${state.secretName} -n ${state.namespace} -o yaml`,
      ),
    ];
  },
};

export const webConfigMissing: Rule = {
  id: "web-config-missing",
  title: "The web config Secret is missing",
  severity: "fail",
  reads: "the Secret and key Pushgateway mounts as its web config, in its own namespace",
  scope: "chart",
  judge: (s) => {
    const state = s.webConfig;
    if (!userProvidedWebConfig(s) || !state?.secretName) return [];
    const where = `${state.namespace}/${state.secretName}`;
    const nameSource = webConfigNameSource(s);
    if (!state.secret) {
      const elsewhere = webConfigElsewhere(s);
      if (elsewhere.length) {
        return [
          problem(
            `The pod mounts Secret ${state.secretName} as its web config from its own namespace ${state.namespace}, but that Secret is in ${elsewhere.map((x) => x.object.metadata?.namespace).join(", ")}: the pod does not start.`,
            [
              nameSource,
              ...elsewhere.filter(isFile).map((x) => os(s, x, ["metadata", "namespace"], x.object.metadata?.namespace)),
            ],
            `Create the web config Secret in namespace ${state.namespace}.`,
          ),
        ];
      }
      // A bundle holds every object there will be; pasted files may just leave the Secret out.
      if (!s.generatedFrom) return [];
      return [
        problem(
          `Secret ${where}, which holds Pushgateway's web config, is not in the bundle: the pod does not start.`,
          [nameSource],
          `Create the web config Secret in namespace ${state.namespace}.`,
        ),
      ];
    }
    if (state.text !== undefined || valueUnknown(state.secret.object, state.key)) return [];
    const secret = state.secret;
    return [
      problem(
        `Secret ${where} has no key ${q(state.key)} (it has ${q(secretKeys(secret.object))}): Pushgateway finds no web config file and does not start.`,
        [
          nameSource,
          isFile(secret) ? os(s, secret, secretDataRoot(secret.object), secretKeys(secret.object)) : nameSource,
        ],
        `Store the web config under the key ${state.key}.`,
      ),
    ];
  },
};

export const webConfigInvalid: Rule = {
  id: "web-config-invalid",
  title: "Pushgateway refuses the web config",
  passTitle: "Pushgateway's web config",
  severity: "fail",
  reads: "the web config file Pushgateway loads, as its strict parser reads it",
  scope: "chart",
  judge: (s) => {
    const state = s.webConfig;
    if (!state) return [];
    if (state.users) {
      const users = [...state.users.keys()].map(q).join(", ");
      return [
        pass(
          `Pushgateway loads ${state.key} from Secret ${state.namespace}/${state.secretName} with ${state.users.size === 1 ? "user" : "users"} ${users}.`,
        ),
      ];
    }
    // The chart writes its own web config; raw-username-breaks says why it would not parse.
    if (!userProvidedWebConfig(s) || !state.secret || state.text === undefined || !state.error) return [];
    return [
      problem(
        `Pushgateway refuses the web config in Secret ${state.namespace}/${state.secretName}: ${state.error}; it does not start.`,
        [
          isFile(state.secret)
            ? os(s, state.secret, secretKeyPath(state.secret.object, state.key), undefined, true)
            : webConfigNameSource(s),
        ],
        "Write a web config with only basic_auth_users (and tls_server_config, http_server_config, rate_limit) and bcrypt hashes.",
      ),
    ];
  },
};

// Each answer parses a web config, and the checks ask on every keystroke for the same few names.
const rawReads = new Map<string, ReturnType<typeof readRawUsername>>();

function rawRead(user: string): ReturnType<typeof readRawUsername> {
  let read = rawReads.get(user);
  if (!read) {
    if (rawReads.size >= 64) rawReads.clear();
    rawReads.set(user, (read = readRawUsername(user)));
  }
  return read;
}

export const rawUsernameBreaks: Rule = {
  id: "raw-username-breaks",
  title: "The chart breaks the username",
  severity: "fail",
  reads: "webConfiguration.basicAuthUsers, which the chart writes unquoted into its web config",
  scope: "chart",
  judge: (s) => {
    if (s.auth.kind !== "chart") return [];
    const users = Object.keys(basicAuthUsersOf(s.values));
    // The chart's own web config, rendered from all of them, already read back name for name.
    const web = s.webConfig;
    if (
      web?.secret?.origin.kind === "chart" &&
      web.users?.size === users.length &&
      users.every((u) => web.users?.has(u))
    )
      return [];
    return users.flatMap((user) => {
      const read = rawRead(user);
      if (read.survives) return [];
      const rule = rawUsernameRule(user);
      return [
        problem(
          read.error
            ? `The chart writes username ${q(user)} unquoted into its web config, where it does not parse (${read.error}): Pushgateway does not start.`
            : `The chart writes username ${q(user)} unquoted into its web config, where it reads back as ${q(read.readsAs ?? "")}: Prometheus, sending ${q(user)}, gets 401.`,
          [vs(s, ["webConfiguration", "basicAuthUsers", user], true)],
          `Pick a username that ${rule ? rule.replace(/^must be /, "is ") : "is a plain YAML word"}, or use chart ${EXISTING_SECRET_SINCE} or later, where pushgateway-auth writes the web config itself and quotes the name.`,
        ),
      ];
    });
  },
};
