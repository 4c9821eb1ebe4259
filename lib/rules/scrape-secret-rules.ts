/**
 * Rules about the scrape Secret: each ServiceMonitor that selects the Service must carry
 * basicAuth whose Secret and keys the Operator finds in the ServiceMonitor's own namespace.
 */
import { valueUnknown, type BasicAuthState, type Placed, type SelectorState } from "../engine/cluster-view";
import type { Secret, ServiceMonitor } from "../k8s/types";
import {
  chartMade,
  isFile,
  nameOf,
  os,
  q,
  scrapers,
  secretDataRoot,
  secretKeys,
  selectorSources,
  SM_BASIC_AUTH_SINCE,
  smSources,
  vs,
} from "./common";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { ChartSetup } from "./setup";

/** Whether a ServiceMonitor without basicAuth is one the chart cannot give any (charts before 3.1.0). */
function chartCannot(s: ChartSetup, sm: Placed<ServiceMonitor>): boolean {
  return !s.profile.serviceMonitorBasicAuth && chartMade(sm);
}

/**
 * The username and password selectors grouped by what is wrong with them, so that one missing
 * Secret is one finding: `no-selector`, `no-secret:<name>`, `no-key:<field>`.
 */
function selectorProblems(state: BasicAuthState): Map<string, SelectorState[]> {
  const byProblem = new Map<string, SelectorState[]>();
  for (const f of state.fields) {
    const found = !f.selector
      ? "no-selector"
      : !f.secret
        ? `no-secret:${f.selector.name}`
        : f.value === undefined && !valueUnknown(f.secret.object, String(f.selector.key))
          ? `no-key:${f.field}`
          : null;
    if (found) byProblem.set(found, [...(byProblem.get(found) ?? []), f]);
  }
  return byProblem;
}

/** For each ServiceMonitor with basicAuth, `report` on each group of selectors with a problem of `kind`. */
function eachSelectorProblem(
  s: ChartSetup,
  kind: "no-selector" | "no-secret" | "no-key",
  report: (sm: Placed<ServiceMonitor>, state: BasicAuthState, fields: SelectorState[]) => Verdict[],
): Verdict[] {
  return scrapers(s).flatMap(({ sm, state }) =>
    state.auth
      ? [...selectorProblems(state)]
          .filter(([p]) => p.split(":")[0] === kind)
          .flatMap(([, fields]) => report(sm, state, fields))
      : [],
  );
}

const fieldNames = (fields: SelectorState[]) => fields.map((f) => `basicAuth.${f.field}`).join(" and ");

export const chartServiceMonitorNoBasicAuth: Rule = {
  id: "chart-servicemonitor-no-basicauth",
  title: "This chart's ServiceMonitor cannot carry credentials",
  severity: "fail",
  reads: "the chart's ServiceMonitor endpoint, on chart versions without serviceMonitor.basicAuth",
  scope: "chart",
  judge: (s) =>
    scrapers(s)
      .filter(({ sm, state }) => !state.auth && chartCannot(s, sm))
      .map(({ sm }) =>
        problem(
          `Chart ${s.chartVersion.value}'s ServiceMonitor cannot carry basicAuth (serviceMonitor.basicAuth arrived in chart ${SM_BASIC_AUTH_SINCE}), so Prometheus scrapes ${nameOf(sm.object)} without credentials and gets 401.`,
          [
            s.chartVersion.source,
            ...smSources(s, sm, ["spec", "endpoints", 0], sm.object.spec?.endpoints?.[0], "serviceMonitor.enabled"),
          ],
          `Set serviceMonitor.enabled: false and apply a standalone ServiceMonitor with basicAuth, or add basicAuth with a Helm post-renderer patch (pushgateway-auth generates either), or upgrade to chart ${SM_BASIC_AUTH_SINCE} or later.`,
        ),
      ),
};

export const serviceMonitorNoBasicAuth: Rule = {
  id: "servicemonitor-no-basicauth",
  title: "ServiceMonitor has no basicAuth",
  severity: "fail",
  reads: "the basicAuth of each ServiceMonitor that selects the Service",
  scope: "chart",
  judge: (s) => [
    ...scrapers(s)
      .filter(({ sm, state }) => !state.auth && !chartCannot(s, sm))
      .map(({ sm, state }) =>
        problem(
          !chartMade(sm)
            ? `ServiceMonitor ${nameOf(sm.object)} has no basicAuth on its endpoint, so Prometheus scrapes without credentials and gets 401.`
            : `The chart's ServiceMonitor ${nameOf(sm.object)} has no basicAuth: serviceMonitor.basicAuth is empty${s.profile.chartCreatesScrapeSecret ? " and the chart fills it in by itself only from webConfiguration.basicAuthUsers, which is empty" : ""}. Prometheus gets 401.`,
          smSources(s, sm, ["spec", "endpoints", 0], sm.object.spec?.endpoints?.[0], "serviceMonitor.basicAuth"),
          !chartMade(sm)
            ? `Add spec.endpoints[0].basicAuth naming a kubernetes.io/basic-auth Secret in namespace ${state.namespace}.`
            : `Set serviceMonitor.basicAuth.username and .password to a Secret in namespace ${state.namespace}, the ServiceMonitor's.`,
        ),
      ),
    ...eachSelectorProblem(s, "no-selector", (sm, state, fields) => [
      problem(
        `ServiceMonitor ${nameOf(sm.object)} has basicAuth without ${fieldNames(fields)}: the Operator cannot build credentials and Prometheus gets 401.`,
        smSources(s, sm, ["spec", "endpoints", 0, "basicAuth"], state.auth, "serviceMonitor.basicAuth"),
        "Give both basicAuth.username and basicAuth.password as {name, key} of a Secret.",
      ),
    ]),
  ],
};

/** Secrets named like the missing one, in other namespaces. */
function secretsNamed(s: ChartSetup, fields: SelectorState[]): Placed<Secret>[] {
  const name = String(fields[0]?.selector?.name);
  return s.view.secrets.filter((x) => x.object.metadata?.name === name);
}

export const secretNotInServiceMonitorNamespace: Rule = {
  id: "secret-not-in-servicemonitor-namespace",
  title: "Scrape Secret is not in the ServiceMonitor's namespace",
  passTitle: "Secret references resolve",
  severity: "fail",
  reads: "the Secrets basicAuth names, looked up in the ServiceMonitor's own namespace as the Operator does",
  scope: "chart",
  judge: (s) => [
    ...eachSelectorProblem(s, "no-secret", (sm, state, fields) => {
      const name = String(fields[0]?.selector?.name);
      const elsewhere = secretsNamed(s, fields);
      const names = fields.flatMap((f) => selectorSources(s, sm, f, "name"));
      const smNamespace = smSources(s, sm, ["metadata", "namespace"], state.namespace, "serviceMonitor.namespace");
      const skipped = "The Operator skips the ServiceMonitor and Prometheus does not scrape Pushgateway.";
      if (!elsewhere.length) {
        // A bundle holds every object there will be; pasted files may just leave the Secret out.
        if (!s.generatedFrom) return [];
        return [
          problem(
            `ServiceMonitor ${nameOf(sm.object)} reads ${fieldNames(fields)} from Secret ${name} in its own namespace ${state.namespace}, the only one the Operator looks in, but the bundle holds no such Secret. ${skipped}`,
            [...names, ...smNamespace],
            `Create Secret ${name} in namespace ${state.namespace}, where the ServiceMonitor is.`,
          ),
        ];
      }
      const namespaces = elsewhere.map((x) => x.object.metadata?.namespace);
      return [
        problem(
          `ServiceMonitor ${nameOf(sm.object)} reads ${fieldNames(fields)} from Secret ${name} in its own namespace ${state.namespace}, the only one the Operator looks in, but that Secret is in ${namespaces.join(", ")}. ${skipped}`,
          [
            ...names,
            ...smNamespace,
            ...elsewhere.map((x) =>
              isFile(x)
                ? os(s, x, ["metadata", "namespace"], x.object.metadata?.namespace)
                : vs(s, "serviceMonitor.namespace"),
            ),
          ],
          `Create Secret ${name} in namespace ${state.namespace}, where the ServiceMonitor is${!chartMade(sm) ? "" : `, or set serviceMonitor.namespace to ${namespaces[0]}`}.`,
        ),
      ];
    }),
    ...scrapers(s)
      .filter(({ state }) => state.auth && state.fields.every((f) => f.secret))
      .map(({ state }) => {
        const secrets = [...new Set(state.fields.map((f) => f.selector?.name))].join(" and ");
        return pass(`basicAuth reads ${secrets} in ${state.namespace}, the ServiceMonitor's own namespace.`);
      }),
  ],
};

export const secretNotVerified: Rule = {
  id: "secret-not-verified",
  title: "Scrape Secret not checked",
  severity: "info",
  reads: "the Secrets basicAuth names, when the pasted files leave them out",
  scope: "chart",
  judge: (s) =>
    s.generatedFrom
      ? []
      : eachSelectorProblem(s, "no-secret", (sm, state, fields) => {
          if (secretsNamed(s, fields).length) return [];
          const name = String(fields[0]?.selector?.name);
          return [
            problem(
              `Secret ${state.namespace}/${name}, which ServiceMonitor ${nameOf(sm.object)} reads ${fieldNames(fields)} from, is not among the pasted files, so its keys and the password could not be checked.`,
              fields.flatMap((f) => selectorSources(s, sm, f, "name")),
              `Paste it too: kubectl get secret ${name} -n ${state.namespace} -o yaml`,
            ),
          ];
        }),
};

export const secretKeyMissing: Rule = {
  id: "secret-key-missing",
  title: "Scrape Secret lacks the key",
  severity: "fail",
  reads: "the keys basicAuth names, in the Secrets it names",
  scope: "chart",
  judge: (s) =>
    eachSelectorProblem(s, "no-key", (sm, _state, fields) => {
      const first = fields[0] as SelectorState;
      const secret = first.secret as Placed<Secret>;
      const keys = secretKeys(secret.object);
      return [
        problem(
          `Secret ${nameOf(secret.object)} has no key ${q(first.selector?.key)} for ${fieldNames(fields)} (its keys: ${q(keys)}). The Operator skips ServiceMonitor ${nameOf(sm.object)} and Prometheus does not scrape Pushgateway.`,
          [
            ...selectorSources(s, sm, first, "key"),
            isFile(secret) ? os(s, secret, secretDataRoot(secret.object), keys) : vs(s, "serviceMonitor.basicAuth"),
          ],
          `Point basicAuth.${first.field}.key at one of ${q(keys)}, or add the key ${q(first.selector?.key)} to the Secret.`,
        ),
      ];
    }),
};
