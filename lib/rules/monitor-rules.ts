/**
 * Rules about the ServiceMonitor: that exactly one selects Pushgateway's Service, on a port the
 * Service has, keeping the pushers' labels, with a timeout that fits the interval.
 */
import { durationMs, durationRule } from "../config/field-rules";
import { namespaceSelected, unmatchedLabels, type Placed } from "../engine/cluster-view";
import type { ServiceMonitor } from "../k8s/types";
import { getPath, isMap, truthy } from "../values/values";
import { chartMade, isFile, nameOf, os, pushgatewayMonitors, q, smSources, vs } from "./common";
import { fileSource, type Source } from "./evidence";
import { INSTANCE_LABEL, NAME_LABEL } from "./facts";
import { pass, problem, type Rule, type Verdict } from "./rule";
import { alloyConfigs, hasOtherScraper, objectsOf, prometheusJobs } from "./scraper-rules";
import type { ChartSetup } from "./setup";

function selectorMismatch(s: ChartSetup, sm: Placed<ServiceMonitor>): Verdict {
  const { view } = s;
  const o = sm.object;
  const service = view.service.object;
  const evidence: Source[] = [];
  const reasons: string[] = [];
  if (!namespaceSelected(o, view.chart.namespace)) {
    const names = o.spec?.namespaceSelector?.matchNames;
    reasons.push(
      Array.isArray(names) && names.length
        ? `it looks in namespaces ${q(names)}, but the Service is in ${view.chart.namespace}`
        : `without a namespaceSelector it looks only in its own namespace ${o.metadata?.namespace}, but the Service is in ${view.chart.namespace}`,
    );
    evidence.push(
      isFile(sm)
        ? os(s, sm, ["spec", "namespaceSelector"], o.spec?.namespaceSelector)
        : vs(s, "serviceMonitor.namespace"),
      s.namespace.source,
    );
  }
  const missing = unmatchedLabels(o.spec?.selector?.matchLabels, service.metadata?.labels);
  if (missing.length) {
    const has = (k: string) => service.metadata?.labels?.[k];
    reasons.push(
      `it selects ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}, but the Service is labelled ${missing.map(([k]) => (has(k) === undefined ? `without ${k}` : `${k}=${has(k)}`)).join(", ")}`,
    );
    for (const [k, v] of missing) {
      evidence.push(
        isFile(sm) ? os(s, sm, ["spec", "selector", "matchLabels", k], v) : vs(s, "serviceMonitor.enabled"),
      );
      if (isFile(view.service)) evidence.push(os(s, view.service, ["metadata", "labels", k], has(k)));
      else if (k === INSTANCE_LABEL) evidence.push(s.releaseName.source);
      else if (k === NAME_LABEL) evidence.push(vs(s, "nameOverride"));
    }
  }
  const chartLabels = `${NAME_LABEL}=${service.metadata?.labels?.[NAME_LABEL]}, ${INSTANCE_LABEL}=${service.metadata?.labels?.[INSTANCE_LABEL]}`;
  return problem(
    `ServiceMonitor ${nameOf(o)} does not select Service ${view.chart.namespace}/${service.metadata?.name}: ${reasons.join("; ")}. Prometheus does not scrape Pushgateway.`,
    evidence,
    `Select the chart's labels (${chartLabels}) and set namespaceSelector.matchNames: [${view.chart.namespace}].`,
  );
}

const serviceName = (s: ChartSetup) => `${s.view.chart.namespace}/${s.view.service.object.metadata?.name}`;

export const serviceSelectorMismatch: Rule = {
  id: "service-selector-mismatch",
  title: "ServiceMonitor does not select the Service",
  passTitle: "ServiceMonitor selects the Service",
  severity: "fail",
  reads: "each ServiceMonitor meant for Pushgateway: its selector and namespaceSelector against the Service",
  scope: "chart",
  judge: (s) =>
    s.targeting.length
      ? [pass(`Selects Service ${serviceName(s)} by its labels and namespace.`)]
      : pushgatewayMonitors(s).map((sm) => selectorMismatch(s, sm)),
};

export const noServiceMonitor: Rule = {
  id: "no-servicemonitor",
  title: "No ServiceMonitor for Pushgateway",
  severity: "fail",
  reads: "the ServiceMonitors, and serviceMonitor.enabled",
  scope: "chart",
  judge: (s) => {
    // A ScrapeConfig, VMServiceScrape, Alloy or a Prometheus job scrapes it instead.
    if (pushgatewayMonitors(s).length || hasOtherScraper(s)) return [];
    const enabled = truthy(getPath(s.values, "serviceMonitor.enabled"));
    const disabled = enabled
      ? ""
      : s.valuesKnown
        ? "the chart's own is disabled (serviceMonitor.enabled is not true) and "
        : "no values are pasted to say whether the chart makes one, and ";
    const none = s.generatedFrom ? "the bundle holds none for it" : "none of the pasted files holds one for it";
    return [
      problem(
        `No ServiceMonitor selects Service ${serviceName(s)}: ${disabled}${none}. The Prometheus Operator will not scrape Pushgateway.`,
        [vs(s, "serviceMonitor.enabled")],
        s.profile.serviceMonitorBasicAuth
          ? "Set serviceMonitor.enabled: true with serviceMonitor.basicAuth; if you already have a ServiceMonitor, paste it too (kubectl get servicemonitor -A -o yaml)."
          : "Apply a ServiceMonitor with basicAuth (pushgateway-auth generates one); if you already have one, paste it too (kubectl get servicemonitor -A -o yaml).",
      ),
    ];
  },
};

export const duplicateServiceMonitors: Rule = {
  id: "duplicate-servicemonitors",
  title: "Several ServiceMonitors scrape Pushgateway",
  passTitle: "Exactly one ServiceMonitor",
  severity: "fail",
  reads: "the ServiceMonitors that select the Service",
  scope: "chart",
  judge: (s) => {
    const { targeting } = s;
    if (targeting.length === 1)
      return [pass(`Only ${nameOf((targeting[0] as Placed<ServiceMonitor>).object)} targets Pushgateway.`)];
    if (targeting.length === 0) return [];
    return [
      problem(
        `${targeting.length} ServiceMonitors select Service ${serviceName(s)}: ${targeting.map((sm) => `${nameOf(sm.object)}${isFile(sm) ? "" : " (rendered by the chart)"}`).join(", ")}. Prometheus scrapes Pushgateway once for each, so every series is duplicated, and one without working credentials is a target that is down with 401.`,
        targeting.flatMap((sm) =>
          smSources(s, sm, ["metadata", "name"], sm.object.metadata?.name, "serviceMonitor.enabled"),
        ),
        "Keep one: set serviceMonitor.enabled: false, or delete the other (kubectl delete servicemonitor -n NAMESPACE NAME).",
      ),
    ];
  },
};

export const portNameMismatch: Rule = {
  id: "port-name-mismatch",
  title: "ServiceMonitor scrapes a port the Service does not have",
  passTitle: "Port name matches",
  severity: "fail",
  reads: "the endpoint's port of each ServiceMonitor that selects the Service, against the Service's port names",
  scope: "chart",
  judge: (s) =>
    s.targeting.flatMap((sm) => {
      const endpoint = sm.object.spec?.endpoints?.[0];
      if (!isMap(endpoint)) return [];
      const service = s.view.service;
      const ports = Array.isArray(service.object.spec?.ports) ? service.object.spec.ports : [];
      const names = ports.map((p) => (isMap(p) ? p.name : undefined));
      const port = endpoint.port;
      const targetPort = endpoint.targetPort;
      // targetPort names the container's port, which the chart calls `metrics` (9091).
      if (port === undefined && (targetPort === 9091 || targetPort === "metrics"))
        return [pass(`Scrapes the container's port ${q(targetPort)}.`)];
      if (typeof port === "string" && names.includes(port)) return [pass(`Scrapes the Service's port ${q(port)}.`)];
      const servicePort = isFile(service) ? os(s, service, ["spec", "ports"], names) : vs(s, "service.portName");
      return [
        problem(
          `ServiceMonitor ${nameOf(sm.object)} scrapes port ${q(port)}, but Service ${serviceName(s)} names its port ${names.map((n) => q(n)).join(", ")}${port === "metrics" ? " (\"metrics\" is the container's port; a ServiceMonitor's port names a Service port)" : ""}. The Operator finds no endpoint to scrape.`,
          [...smSources(s, sm, ["spec", "endpoints", 0, "port"], port, "service.portName"), servicePort],
          `Set spec.endpoints[0].port to ${q(names[0] ?? "http")}.`,
        ),
      ];
    }),
};

export const honorLabels: Rule = {
  id: "honor-labels",
  title: "honorLabels is not true",
  passTitle: "honorLabels",
  severity: "warn",
  reads: "the endpoint's honorLabels of each ServiceMonitor that selects the Service",
  scope: "chart",
  judge: (s) =>
    s.targeting.flatMap((sm) => {
      const endpoint = sm.object.spec?.endpoints?.[0];
      if (!isMap(endpoint)) return [];
      if (endpoint.honorLabels === true) return [pass("honorLabels is true: pushed job and instance labels are kept.")];
      return [
        problem(
          `ServiceMonitor ${nameOf(sm.object)} does not set honorLabels: true, so Prometheus replaces the job and instance labels of pushed metrics with its own.`,
          smSources(s, sm, ["spec", "endpoints", 0, "honorLabels"], endpoint.honorLabels, "serviceMonitor.honorLabels"),
          chartMade(sm) ? "Set serviceMonitor.honorLabels: true." : "Set spec.endpoints[0].honorLabels: true.",
        ),
      ];
    }),
};

/** Whether interval and timeout are durations (or unset: Prometheus's defaults) with the timeout within the interval. */
function timingFits(interval: unknown, timeout: unknown): boolean {
  // Unset, Prometheus's defaults apply (a 10s timeout within any interval it allows).
  const valid = (d: unknown) => d === undefined || (typeof d === "string" && durationRule(d) === null);
  return (
    valid(interval) &&
    valid(timeout) &&
    (interval === undefined || timeout === undefined || durationMs(timeout as string) <= durationMs(interval as string))
  );
}

function timingVerdict(
  interval: unknown,
  timeout: unknown,
  evidence: () => Source[],
  fields: [string, string],
): Verdict {
  if (timingFits(interval, timeout)) {
    return pass(
      interval !== undefined && timeout !== undefined
        ? `Scrapes every ${interval} with a ${timeout} timeout.`
        : "Prometheus's default scrape interval or timeout applies.",
    );
  }
  return problem(
    `${fields[0].split(".").pop()} ${String(interval)} and ${fields[1].split(".").pop()} ${String(timeout)} must be durations with the timeout no longer than the interval.`,
    evidence(),
    `Set ${fields[0]} and ${fields[1]} to durations such as 30s and 10s, the timeout no longer than the interval.`,
  );
}

/** Interval and timeout of the other scrapers: ScrapeConfig, VMServiceScrape, Prometheus jobs and Alloy. */
function otherScraperTimings(s: ChartSetup): Verdict[] {
  const out: Verdict[] = [];
  for (const p of objectsOf(s, "ScrapeConfig")) {
    const [i, t] = [getPath(p.object, "spec.scrapeInterval"), getPath(p.object, "spec.scrapeTimeout")];
    out.push(
      timingVerdict(i, t, () => [os(s, p, ["spec", "scrapeInterval"], i), os(s, p, ["spec", "scrapeTimeout"], t)], [
        "spec.scrapeInterval",
        "spec.scrapeTimeout",
      ]),
    );
  }
  for (const p of objectsOf(s, "VMServiceScrape")) {
    const endpoints = getPath(p.object, "spec.endpoints");
    const e = Array.isArray(endpoints) ? endpoints[0] : undefined;
    const [i, t] = [getPath(e, "interval"), getPath(e, "scrapeTimeout")];
    out.push(
      timingVerdict(
        i,
        t,
        () => [
          os(s, p, ["spec", "endpoints", 0, "interval"], i),
          os(s, p, ["spec", "endpoints", 0, "scrapeTimeout"], t),
        ],
        ["spec.endpoints[0].interval", "spec.endpoints[0].scrapeTimeout"],
      ),
    );
  }
  for (const doc of prometheusJobs(s)) {
    doc.jobs.forEach((job, n) => {
      if (!getPath(job, "basic_auth")) return; // another app's job
      const [i, t] = [getPath(job, "scrape_interval"), getPath(job, "scrape_timeout")];
      const at = (k: string, v: unknown) => fileSource(s.setup, doc.origin, [...doc.jobsPath, n, k], v);
      out.push(
        timingVerdict(i, t, () => [at("scrape_interval", i), at("scrape_timeout", t)], [
          "scrape_interval",
          "scrape_timeout",
        ]),
      );
    });
  }
  for (const alloy of alloyConfigs(s)) {
    const arg = (k: string) => new RegExp(`\\b${k}\\s*=\\s*"([^"]*)"`).exec(alloy.text)?.[1];
    const [i, t] = [arg("scrape_interval"), arg("scrape_timeout")];
    const at = (k: string, v: unknown): Source => ({
      kind: "file",
      file: alloy.file,
      document: 0,
      path: `prometheus.scrape.${k}`,
      line: null,
      value: String(v),
    });
    out.push(
      timingVerdict(i, t, () => [at("scrape_interval", i), at("scrape_timeout", t)], [
        "scrape_interval",
        "scrape_timeout",
      ]),
    );
  }
  return out;
}

export const scrapeTiming: Rule = {
  id: "scrape-timing",
  title: "Scrape timeout not within the interval",
  passTitle: "Scrape timeout within interval",
  severity: "fail",
  reads:
    "the interval and scrape timeout of each ServiceMonitor that selects the Service, and of the ScrapeConfig, VMServiceScrape, Alloy block or Prometheus job",
  scope: "chart",
  judge: (s) => [
    ...s.targeting.flatMap((sm) => {
      const endpoint = sm.object.spec?.endpoints?.[0];
      if (!isMap(endpoint)) return [];
      const { interval, scrapeTimeout: timeout } = endpoint;
      const field = chartMade(sm) ? "serviceMonitor" : "spec.endpoints[0]";
      return [
        timingVerdict(
          interval,
          timeout,
          () => [
            ...smSources(s, sm, ["spec", "endpoints", 0, "interval"], interval, "serviceMonitor.interval"),
            ...smSources(s, sm, ["spec", "endpoints", 0, "scrapeTimeout"], timeout, "serviceMonitor.scrapeTimeout"),
          ],
          [`${field}.interval`, `${field}.scrapeTimeout`],
        ),
      ];
    }),
    ...otherScraperTimings(s),
  ],
};
