/**
 * Rules about the scrapers other than the Operator's ServiceMonitor ("Scraped by"): a
 * ScrapeConfig, a VMServiceScrape, Alloy, or a Prometheus job. Each must find the scrape Secret
 * where it looks, and point at Pushgateway. How Alloy and Prometheus get at the Secret (RBAC, a
 * mounted file) is judged in scraper-wiring-rules.ts.
 */
import { SERVICE_PORT } from "../chart/names";
import { secretValue, valueUnknown, type Placed } from "../engine/cluster-view";
import type { Secret } from "../k8s/types";
import { getPath, isMap } from "../values/values";
import { nameOf, os, q, secretKeys } from "./common";
import { fileSource, type Source } from "./evidence";
import type { KubeObject } from "./input";
import { pass, problem, type Rule, type Verdict } from "./rule";
import { alloyBasicAuth, type AlloyConfig, type PrometheusJobs } from "./scraper-input";
import type { ChartSetup, ResolvedSetup } from "./setup";
import { isPushgatewayTarget } from "./target-rules";

/** Kinds of the scrape objects these rules read, by apiVersion group. */
export const SCRAPE_OBJECT_KINDS: readonly { kind: string; group: RegExp }[] = [
  { kind: "ScrapeConfig", group: /^monitoring\.coreos\.com\// },
  { kind: "VMServiceScrape", group: /^operator\.victoriametrics\.com\// },
  { kind: "Role", group: /^rbac\.authorization\.k8s\.io\// },
  { kind: "RoleBinding", group: /^rbac\.authorization\.k8s\.io\// },
];

export function isScraperObject(o: KubeObject): boolean {
  return SCRAPE_OBJECT_KINDS.some((k) => k.kind === o.kind && k.group.test(o.apiVersion));
}

export const objectsOf = (s: ResolvedSetup, kind: string) =>
  s.setup.objects.filter((p) => p.object.kind === kind && isScraperObject(p.object));

export const alloyConfigs = (s: ResolvedSetup) =>
  (s.setup.scraperConfigs ?? []).filter((c): c is AlloyConfig => c.kind === "alloy");
export const prometheusJobs = (s: ResolvedSetup) =>
  (s.setup.scraperConfigs ?? []).filter((c): c is PrometheusJobs => c.kind === "prometheus-jobs");

/** Whether something other than a ServiceMonitor is set up to scrape Pushgateway. */
export function hasOtherScraper(s: ResolvedSetup): boolean {
  if (s.generatedFrom) return s.generatedFrom.scraper !== "operator";
  // The scraper's own target list says so too: Pushgateway's target in a pool no ServiceMonitor makes.
  const scrapedOtherwise =
    s.view !== null &&
    (s.setup.targetLists ?? []).some((list) =>
      list.active.some((t) => isPushgatewayTarget(s as ChartSetup, t) && !t.scrapePool.startsWith("serviceMonitor/")),
    );
  return (
    scrapedOtherwise ||
    objectsOf(s, "ScrapeConfig").length > 0 ||
    objectsOf(s, "VMServiceScrape").length > 0 ||
    alloyConfigs(s).length > 0 ||
    prometheusJobs(s).length > 0
  );
}

/** Addresses that reach the Service from inside the cluster. */
function serviceAddresses(s: ChartSetup): string[] {
  const name = s.view.service.object.metadata?.name;
  const ns = s.view.chart.namespace;
  return [
    `${name}.${ns}.svc:${SERVICE_PORT}`,
    `${name}.${ns}:${SERVICE_PORT}`,
    `${name}.${ns}.svc.cluster.local:${SERVICE_PORT}`,
  ];
}

interface SecretRef {
  /** Who reads it, for messages: `ScrapeConfig ns/name`. */
  reader: string;
  namespace: string;
  name: string;
  keys: string[];
  evidence: Source[];
}

/** The Secrets each scrape object reads its credentials from, in the namespace it reads them in. */
function secretRefs(s: ChartSetup): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const kind of ["ScrapeConfig", "VMServiceScrape"]) {
    for (const p of objectsOf(s, kind)) {
      const path = kind === "ScrapeConfig" ? ["spec", "basicAuth"] : ["spec", "endpoints", 0, "basicAuth"];
      const auth = path.reduce<unknown>(
        (node, key) => (Array.isArray(node) ? node[key as number] : getPath(node, String(key))),
        p.object,
      );
      if (!isMap(auth)) continue;
      const byName = new Map<string, string[]>();
      for (const field of ["username", "password"]) {
        const sel = auth[field];
        if (isMap(sel) && typeof sel.name === "string" && typeof sel.key === "string")
          byName.set(sel.name, [...(byName.get(sel.name) ?? []), sel.key]);
      }
      for (const [name, keys] of byName) {
        refs.push({
          reader: `${kind} ${nameOf(p.object as never)}`,
          namespace: String(getPath(p.object, "metadata.namespace")),
          name,
          keys,
          evidence: [os(s, p, [...path], auth)],
        });
      }
    }
  }
  for (const alloy of alloyConfigs(s)) {
    const ref = alloySecretRef(alloy.text);
    if (ref)
      refs.push({
        reader: `Alloy (${alloy.file})`,
        ...ref,
        keys: alloyKeys(alloy.text),
        evidence: [
          {
            kind: "file",
            file: alloy.file,
            document: 0,
            path: "remote.kubernetes.secret",
            line: ref.line,
            value: `${ref.namespace}/${ref.name}`,
          },
        ],
      });
  }
  return refs;
}

/** The keys of the Secret Alloy's basic_auth reads, as its `.data["KEY"]` references name them. */
function alloyKeys(text: string): string[] {
  const auth = alloyBasicAuth(text);
  return [...new Set([auth.username.key, auth.password.key].filter((k): k is string => k !== undefined))];
}

/** The Secret a `remote.kubernetes.secret` block reads, with the block's line. */
export function alloySecretRef(text: string): { namespace: string; name: string; line: number } | null {
  const block = /remote\.kubernetes\.secret\s+"[^"]*"\s*\{([^}]*)\}/.exec(text);
  if (!block) return null;
  const arg = (key: string) => new RegExp(`\\b${key}\\s*=\\s*"([^"]*)"`).exec(block[1] as string)?.[1];
  const namespace = arg("namespace");
  const name = arg("name");
  if (!namespace || !name) return null;
  return { namespace, name, line: text.slice(0, block.index).split("\n").length };
}

export const secretsNamed = (s: ChartSetup, name: string) =>
  s.view.secrets.filter((x) => x.object.metadata?.name === name);

export const scrapeObjectSecret: Rule = {
  id: "scrape-object-secret",
  title: "The scraper's Secret is not where it reads it",
  passTitle: "The scraper's Secret resolves",
  severity: "fail",
  reads:
    "the Secret a ScrapeConfig, VMServiceScrape or Alloy reads the credentials from, in the namespace it reads it in",
  scope: "chart",
  judge: (s) =>
    secretRefs(s).flatMap((ref): Verdict[] => {
      const named = secretsNamed(s, ref.name);
      const here = named.find((x) => x.object.metadata?.namespace === ref.namespace);
      if (!here) {
        if (!named.length && !s.generatedFrom) return [];
        const elsewhere = named.map((x) => x.object.metadata?.namespace);
        return [
          problem(
            `${ref.reader} reads Secret ${ref.name} in namespace ${ref.namespace}, ${elsewhere.length ? `but that Secret is in ${elsewhere.join(", ")}` : "but there is no such Secret"}: it has no credentials and the scrape gets 401 (or is skipped).`,
            [
              ...ref.evidence,
              ...named
                .filter((x) => x.origin.kind === "file")
                .map((x) => os(s, x, ["metadata", "namespace"], x.object.metadata?.namespace)),
            ],
            `Create Secret ${ref.name} in namespace ${ref.namespace}, where ${ref.reader} reads it.`,
          ),
        ];
      }
      const missing = ref.keys.filter(
        (k) =>
          secretValue((here as Placed<Secret>).object, k) === undefined &&
          !valueUnknown((here as Placed<Secret>).object, k),
      );
      if (missing.length) {
        return [
          problem(
            `Secret ${nameOf(here.object)} has no key ${missing.map(q).join(" or ")}, which ${ref.reader} reads (its keys: ${q(secretKeys(here.object))}).`,
            ref.evidence,
            `Add ${missing.map(q).join(" and ")} to Secret ${nameOf(here.object)}, or point ${ref.reader} at the keys it has.`,
          ),
        ];
      }
      return [
        pass(`${ref.reader} reads ${ref.name} in ${ref.namespace}, where it is, with keys ${ref.keys.join(" and ")}.`),
      ];
    }),
};

/** Where each scrape object sends its scrapes, and whether that is Pushgateway's Service. */
function targetVerdicts(s: ChartSetup): Verdict[] {
  const service = s.view.service.object;
  const addresses = serviceAddresses(s);
  const out: Verdict[] = [];
  const wrong = (who: string, what: string, evidence: Source[]) =>
    out.push(
      problem(
        `${who} ${what}, not Pushgateway's Service ${s.view.chart.namespace}/${service.metadata?.name}: Pushgateway is not scraped.`,
        evidence,
        `Scrape ${addresses[0]} (or select the Service's labels and port ${service.spec?.ports?.[0]?.name ?? "http"}).`,
      ),
    );
  for (const p of objectsOf(s, "ScrapeConfig")) {
    const statics = getPath(p.object, "spec.staticConfigs");
    const targets = Array.isArray(statics)
      ? statics.flatMap((c) => (Array.isArray(getPath(c, "targets")) ? (getPath(c, "targets") as unknown[]) : []))
      : [];
    if (targets.some((t) => addresses.includes(String(t))))
      out.push(pass(`ScrapeConfig ${nameOf(p.object as never)} scrapes ${addresses[0]}.`));
    else
      wrong(`ScrapeConfig ${nameOf(p.object as never)}`, `scrapes ${q(targets)}`, [
        os(s, p, ["spec", "staticConfigs"], statics),
      ]);
  }
  for (const p of objectsOf(s, "VMServiceScrape")) {
    const labels = service.metadata?.labels ?? {};
    const wanted = getPath(p.object, "spec.selector.matchLabels");
    const names = getPath(p.object, "spec.namespaceSelector.matchNames");
    const ns = Array.isArray(names) ? names.map(String) : [String(getPath(p.object, "metadata.namespace"))];
    const endpoints = getPath(p.object, "spec.endpoints");
    const port = Array.isArray(endpoints) ? getPath(endpoints[0], "port") : undefined;
    const labelsOk = isMap(wanted) && Object.entries(wanted).every(([k, v]) => labels[k] === v);
    const portOk = (service.spec?.ports ?? []).some((x) => x.name === port);
    if (labelsOk && ns.includes(s.view.chart.namespace) && portOk)
      out.push(
        pass(
          `VMServiceScrape ${nameOf(p.object as never)} selects Service ${s.view.chart.namespace}/${service.metadata?.name}, port ${String(port)}.`,
        ),
      );
    else
      wrong(`VMServiceScrape ${nameOf(p.object as never)}`, `selects ${q(wanted)} in ${q(ns)} on port ${q(port)}`, [
        os(s, p, ["spec"], {
          selector: getPath(p.object, "spec.selector"),
          namespaceSelector: getPath(p.object, "spec.namespaceSelector"),
          port,
        }),
      ]);
  }
  for (const alloy of alloyConfigs(s)) {
    const address = /"__address__"\s*=\s*"([^"]*)"/.exec(alloy.text)?.[1];
    const source: Source = {
      kind: "file",
      file: alloy.file,
      document: 0,
      path: "prometheus.scrape.targets",
      line: null,
      value: String(address),
    };
    if (address && addresses.includes(address)) out.push(pass(`Alloy scrapes ${address}.`));
    else wrong(`Alloy (${alloy.file})`, `scrapes ${q(address ?? "no __address__")}`, [source]);
  }
  for (const doc of prometheusJobs(s)) {
    doc.jobs.forEach((job, i) => {
      const statics = getPath(job, "static_configs");
      const targets = Array.isArray(statics)
        ? statics.flatMap((c) => (Array.isArray(getPath(c, "targets")) ? (getPath(c, "targets") as unknown[]) : []))
        : [];
      if (!getPath(job, "basic_auth") && !targets.some((t) => addresses.includes(String(t)))) return; // another app's job
      if (targets.some((t) => addresses.includes(String(t))))
        out.push(pass(`Job ${q(getPath(job, "job_name"))} scrapes ${addresses[0]}.`));
      else
        wrong(`Job ${q(getPath(job, "job_name"))}`, `scrapes ${q(targets)}`, [
          fileSource(s.setup, doc.origin, [...doc.jobsPath, i, "static_configs"], statics),
        ]);
    });
  }
  return out;
}

export const scrapeObjectTarget: Rule = {
  id: "scrape-object-target",
  title: "The scraper does not point at Pushgateway's Service",
  passTitle: "The scraper points at Pushgateway's Service",
  severity: "fail",
  reads:
    "the targets of a ScrapeConfig, Alloy block or Prometheus job, and a VMServiceScrape's selector, namespace and port",
  scope: "chart",
  judge: targetVerdicts,
};
