/**
 * Rules about Prometheus finding the ServiceMonitor and reaching Pushgateway: its
 * serviceMonitorSelector and serviceMonitorNamespaceSelector (from a pasted Prometheus object,
 * or the label the user gives), and the NetworkPolicy in front of Pushgateway.
 */
import { admittedPusherNamespaces } from "./pusher-rules";
import { parseLabelList } from "../config/field-rules";
import { FIELD_CLI } from "../config/field-cli";
import { unmatchedLabels, type Placed } from "../engine/cluster-view";
import type { ServiceMonitor } from "../k8s/types";
import { getPath, isMap } from "../values/values";
import { chartMade, nameOf, os, q, smSources, vs } from "./common";
import { inputSource, type Source } from "./evidence";
import { metadataOf } from "./facts";
import type { KubeObject } from "./input";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { ChartSetup } from "./setup";

interface PrometheusVerdict {
  selectsNothing: boolean;
  /** `k=v` requirements the ServiceMonitor's labels fail. */
  labels: string[];
  labelKeys: string[];
  /** Whether the namespace selector admits the ServiceMonitor's namespace; null when unknown. */
  namespace: boolean | null;
  namespaceNote: string;
}

/** How a Prometheus object's serviceMonitorSelector and serviceMonitorNamespaceSelector treat `sm`. */
function prometheusSelects(prometheus: KubeObject, sm: ServiceMonitor): PrometheusVerdict {
  const selector = getPath(prometheus, "spec.serviceMonitorSelector");
  const labels: Record<string, unknown> = isMap(sm.metadata?.labels) ? sm.metadata.labels : {};
  const failed: [string, string][] = [];
  // A null selector selects nothing; an empty one selects everything (Prometheus Operator API).
  const selectsNothing = !isMap(selector);
  if (isMap(selector)) {
    failed.push(...unmatchedLabels(isMap(selector.matchLabels) ? selector.matchLabels : {}, labels));
    for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
      if (!isMap(e) || typeof e.key !== "string") continue;
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = Object.hasOwn(labels, e.key);
      const value = String(labels[e.key]);
      const ok =
        e.operator === "In"
          ? has && values.includes(value)
          : e.operator === "NotIn"
            ? !has || !values.includes(value)
            : e.operator === "Exists"
              ? has
              : e.operator === "DoesNotExist"
                ? !has
                : true;
      if (!ok) failed.push([e.key, `${String(e.operator)} ${q(values)}`]);
    }
  }
  const nsSelector = getPath(prometheus, "spec.serviceMonitorNamespaceSelector");
  const own = metadataOf(prometheus).namespace;
  const smNamespace = sm.metadata?.namespace;
  let namespace: boolean | null;
  let namespaceNote = "";
  if (!isMap(nsSelector)) {
    // A null namespace selector means the Prometheus object's own namespace only.
    namespace = smNamespace === own;
    namespaceNote = `its own namespace ${own}`;
  } else if (Object.keys(nsSelector).length === 0) namespace = true;
  else {
    const match = isMap(nsSelector.matchLabels) ? nsSelector.matchLabels : {};
    const onlyName =
      Object.keys(nsSelector).every((k) => k === "matchLabels") &&
      Object.keys(match).every((k) => k === "kubernetes.io/metadata.name");
    namespace = onlyName ? match["kubernetes.io/metadata.name"] === smNamespace : null;
    namespaceNote = `namespace ${String(match["kubernetes.io/metadata.name"])}`;
  }
  return {
    selectsNothing,
    labels: failed.map(([k, v]) => (v.includes(" ") ? `${k} ${v}` : `${k}=${v}`)),
    labelKeys: failed.map(([k]) => k),
    namespace,
    namespaceNote,
  };
}

type Selection = { kind: "selected"; pass: Verdict } | { kind: "ignored"; problem: Verdict } | { kind: "unknown" };

// Both rules here ask, for each ServiceMonitor; the checks run on each keystroke.
const selections = new WeakMap<Placed<ServiceMonitor>, Selection>();

function selection(s: ChartSetup, sm: Placed<ServiceMonitor>): Selection {
  let found = selections.get(sm);
  if (!found) selections.set(sm, (found = selectionOf(s, sm)));
  return found;
}

/** Whether Prometheus selects `sm`: by the pasted Prometheus objects, else by the label given. */
function selectionOf(s: ChartSetup, sm: Placed<ServiceMonitor>): Selection {
  const labels = isMap(sm.object.metadata?.labels) ? sm.object.metadata.labels : {};
  // The label in question when the ServiceMonitor has it (with another value), else all of them.
  const labelsSources = (keys: string[]) => {
    const one = keys.length === 1 && Object.hasOwn(labels, keys[0] as string) ? (keys[0] as string) : null;
    return smSources(
      s,
      sm,
      one ? ["metadata", "labels", one] : ["metadata", "labels"],
      one ? labels[one] : labels,
      one ? ["serviceMonitor", "additionalLabels", one] : "serviceMonitor.additionalLabels",
    );
  };
  const where = chartMade(sm) ? " (serviceMonitor.additionalLabels in values.yaml)" : "";
  if (s.prometheuses.length) {
    const verdicts = s.prometheuses.map((p) => prometheusSelects(p.object, sm.object));
    const selecting = verdicts.findIndex((v) => v.labels.length === 0 && v.namespace === true && !v.selectsNothing);
    if (selecting >= 0) {
      const by = nameOf(s.prometheuses[selecting]?.object as { metadata?: { name?: unknown; namespace?: unknown } });
      return { kind: "selected", pass: pass(`Prometheus ${by} selects ServiceMonitor ${nameOf(sm.object)}.`) };
    }
    if (verdicts.some((v) => v.labels.length === 0 && v.namespace === null && !v.selectsNothing))
      return { kind: "unknown" };
    const p = s.prometheuses[0] as Placed<KubeObject>;
    const v = verdicts[0] as PrometheusVerdict;
    const reasons: string[] = [];
    const evidence: Source[] = [];
    if (v.selectsNothing) {
      reasons.push("its serviceMonitorSelector is not set, which selects no ServiceMonitor at all");
      evidence.push(os(s, p, ["spec"], "serviceMonitorSelector not set"));
    } else if (v.labels.length) {
      reasons.push(`it selects ServiceMonitors with ${v.labels.join(", ")}, which ${nameOf(sm.object)} lacks`);
      evidence.push(os(s, p, ["spec", "serviceMonitorSelector"], getPath(p.object, "spec.serviceMonitorSelector")));
      evidence.push(...labelsSources(v.labelKeys));
    }
    if (v.namespace === false) {
      reasons.push(`it only looks for ServiceMonitors in ${v.namespaceNote}, not in ${sm.object.metadata?.namespace}`);
      evidence.push(
        os(
          s,
          p,
          ["spec", "serviceMonitorNamespaceSelector"],
          getPath(p.object, "spec.serviceMonitorNamespaceSelector") ?? null,
        ),
      );
    }
    return {
      kind: "ignored",
      problem: problem(
        `Prometheus ${nameOf(p.object as { metadata?: { name?: unknown; namespace?: unknown } })} ignores ServiceMonitor ${nameOf(sm.object)}: ${reasons.join("; ")}. Pushgateway is never scraped.`,
        evidence,
        v.labels.length
          ? `Label the ServiceMonitor ${v.labels.join(", ")}${where}.`
          : "Widen the Prometheus's serviceMonitorSelector or serviceMonitorNamespaceSelector, or move the ServiceMonitor.",
      ),
    };
  }
  const given = s.given.prometheusSelector;
  if (typeof given !== "string") return { kind: "unknown" };
  const { pairs, error } = parseLabelList(given);
  if (error) return { kind: "unknown" };
  const missing = pairs.filter(([k, v]) => labels[k] !== v);
  const list = (of: [string, string][]) => of.map(([k, v]) => `${k}=${v}`).join(", ");
  if (!missing.length) {
    return {
      kind: "selected",
      pass: pass(
        pairs.length
          ? `Labelled ${list(pairs)}, the label your Prometheus selects by.`
          : "Your Prometheus selects ServiceMonitors whatever their labels.",
      ),
    };
  }
  return {
    kind: "ignored",
    problem: problem(
      `Prometheus selects ServiceMonitors labelled ${list(missing)}, which ${nameOf(sm.object)} lacks: Pushgateway is never scraped.`,
      [inputSource("prometheusSelector", given), ...labelsSources(missing.map(([k]) => k))],
      `Label the ServiceMonitor ${list(missing)}${where}.`,
    ),
  };
}

export const prometheusSelectorMismatch: Rule = {
  id: "prometheus-selector-mismatch",
  title: "Prometheus does not select the ServiceMonitor",
  passTitle: "Prometheus selects the ServiceMonitor",
  severity: "fail",
  reads: "the labels and namespace of each ServiceMonitor that selects the Service, against Prometheus's selectors",
  scope: "chart",
  judge: (s) =>
    s.targeting.flatMap((sm) => {
      const found = selection(s, sm);
      return found.kind === "selected" ? [found.pass] : found.kind === "ignored" ? [found.problem] : [];
    }),
};

export const prometheusSelectorUnknown: Rule = {
  id: "prometheus-selector-unknown",
  title: "Prometheus's selector not known",
  severity: "info",
  reads: "whether a Prometheus object or a selector label is given",
  scope: "chart",
  judge: (s) => {
    const unknown = s.targeting.filter((sm) => selection(s, sm).kind === "unknown");
    // The labels a Prometheus would select by: what to compare with its selector.
    const labels = unknown.flatMap((sm) =>
      smSources(s, sm, ["metadata", "labels"], sm.object.metadata?.labels ?? {}, "serviceMonitor.additionalLabels"),
    );
    return unknown.length
      ? [
          problem(
            "Which ServiceMonitors your Prometheus selects is not known: kube-prometheus-stack, for one, ignores those without its release label.",
            labels,
            `Paste your Prometheus object (kubectl get prometheus -A -o yaml) or give the label (${FIELD_CLI.prometheusSelector.flag} release=kube-prometheus-stack).`,
          ),
        ]
      : [];
  },
};

export const networkPolicy: Rule = {
  id: "network-policy",
  title: "NetworkPolicy shuts out Prometheus or the pushers",
  passTitle: "NetworkPolicy admits Prometheus and pushers",
  severity: "fail",
  reads: "the NetworkPolicy the chart renders, against the Prometheus namespace a generated bundle is made for",
  scope: "chart",
  judge: (s) => {
    // Which namespace Prometheus runs in is known only for a bundle generated for it.
    if (!s.generatedFrom) return [];
    const np = s.view.chart.networkPolicy;
    if (!np) return [pass("No NetworkPolicy: any pod may connect, and still needs the password.")];
    const peers = np.spec.ingress[0]?.from ?? [];
    const promNs = s.generatedFrom.prometheusNamespace;
    const admitsPrometheus = peers.some(
      (p) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === promNs,
    );
    const anyNamespace = peers.some(
      (p) => p.namespaceSelector !== undefined && Object.keys(p.namespaceSelector).length === 0,
    );
    const pusherNamespaces = admittedPusherNamespaces(s.generatedFrom, peers);
    const admitsPushers = anyNamespace || pusherNamespaces !== null;
    if (admitsPrometheus && admitsPushers) {
      return [
        pass(
          `Admits Prometheus pods in ${promNs} and pushers in ${anyNamespace ? "any namespace" : `namespace${pusherNamespaces?.length === 1 ? "" : "s"} ${pusherNamespaces?.join(", ")}`} on port ${s.view.chart.service.spec.ports[0]?.targetPort}.`,
        ),
      ];
    }
    return [
      problem(
        "The NetworkPolicy does not admit both Prometheus and the pushing jobs.",
        [vs(s, "networkPolicy")],
        `Admit pods in namespace ${promNs} (Prometheus) and the pushing jobs in networkPolicy.customSelectors.`,
      ),
    ];
  },
};
