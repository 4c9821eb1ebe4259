/**
 * Diagnosis from what the scraper itself reports: Prometheus' or VMAgent's `/api/v1/targets`
 * answer, and a ServiceMonitor's `status` where the Operator writes one. The target entry (or
 * the condition) is the evidence; the other rules say why.
 */
import { getPath, isMap } from "../values/values";
import { isFile, nameOf, q } from "./common";
import { fileSource, objectSource, type Source } from "./evidence";
import { pass, problem, type Rule, type Verdict } from "./rule";
import type { TargetEntry, TargetList } from "./scraper-input";
import type { ChartSetup } from "./setup";

const lists = (s: ChartSetup): TargetList[] => s.setup.targetLists ?? [];

/** Whether a target is Pushgateway's: by scrape pool, Service label or address. */
export function isPushgatewayTarget(s: ChartSetup, t: TargetEntry): boolean {
  const name = String(s.view.service.object.metadata?.name);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pool = new RegExp(`^(serviceMonitor|serviceScrape|scrapeConfig)/[^/]+/${escaped}(/|$)`);
  const address = t.discoveredLabels.__address__ ?? t.labels.instance ?? "";
  return (
    pool.test(t.scrapePool) ||
    t.labels.service === name ||
    /pushgateway/i.test(t.scrapePool) ||
    address.startsWith(`${name}.`) ||
    address.startsWith(`${name}:`)
  );
}

function entrySource(
  s: ChartSetup,
  list: TargetList,
  which: "activeTargets" | "droppedTargets",
  t: TargetEntry,
  field: string,
  value: unknown,
): Source {
  return fileSource(s.setup, list.origin, ["data", which, t.index, field], value);
}

const describe = (t: TargetEntry) => `target ${t.scrapeUrl || t.labels.instance || "?"} of ${q(t.scrapePool)}`;

/** The pushgateway targets of every pasted list, with their list. */
function pushgatewayTargets(s: ChartSetup): { list: TargetList; t: TargetEntry }[] {
  return lists(s).flatMap((list) => list.active.filter((t) => isPushgatewayTarget(s, t)).map((t) => ({ list, t })));
}

export const targetUnauthorized: Rule = {
  id: "target-unauthorized",
  title: "The scraper gets 401 from Pushgateway",
  passTitle: "The scraper's target is up",
  severity: "fail",
  reads: "Pushgateway's targets in a pasted /api/v1/targets answer: health and lastError",
  scope: "chart",
  judge: (s) =>
    pushgatewayTargets(s).flatMap(({ list, t }): Verdict[] => {
      if (t.health === "up") return [pass(`The scraper reports ${describe(t)} up.`)];
      if (!/\b401\b|unauthori[sz]ed/i.test(t.lastError)) return [];
      return [
        problem(
          `The scraper reports ${describe(t)} down with ${q(t.lastError)}: it sends no credentials, or a username and password that do not match Pushgateway's web config. The other findings say which.`,
          [
            entrySource(s, list, "activeTargets", t, "lastError", t.lastError),
            entrySource(s, list, "activeTargets", t, "health", t.health),
          ],
          "Give the scrape object basicAuth from the scrape Secret (in its own namespace), with the password whose bcrypt hash is in the web config; paste the Secret, the scrape object and the web config Secret to see which part disagrees.",
        ),
      ];
    }),
};

export const targetDown: Rule = {
  id: "target-down",
  title: "The scraper cannot scrape Pushgateway",
  severity: "fail",
  reads: "Pushgateway's targets in a pasted /api/v1/targets answer that are down for another reason than 401",
  scope: "chart",
  judge: (s) =>
    pushgatewayTargets(s)
      .filter(({ t }) => t.health !== "up" && !/\b401\b|unauthori[sz]ed/i.test(t.lastError))
      .map(({ list, t }) => {
        const e = t.lastError;
        const why = /connection refused|no such host|i\/o timeout|context deadline|no route/i.test(e)
          ? "Pushgateway's pod or Service cannot be reached (pod not ready, wrong port, or a NetworkPolicy that does not admit the scraper)"
          : /\b404\b/.test(e)
            ? "the path is wrong (Pushgateway serves /metrics)"
            : /\b403\b/.test(e)
              ? "something in front of Pushgateway refuses the scraper"
              : e
                ? "see lastError"
                : "it has not been scraped yet";
        return problem(
          `The scraper reports ${describe(t)} ${t.health || "not up"}${e ? ` with ${q(e)}` : ""}: ${why}.`,
          [
            entrySource(s, list, "activeTargets", t, "lastError", e),
            entrySource(s, list, "activeTargets", t, "health", t.health),
          ],
          "Check that the Pushgateway pod is ready, the scrape uses the Service's port (9091, named http) and /metrics, and that a NetworkPolicy admits the scraper's pods.",
        );
      }),
};

export const targetMissing: Rule = {
  id: "target-missing",
  title: "The scraper has no target for Pushgateway",
  severity: "fail",
  reads: "a pasted /api/v1/targets answer without any active target for Pushgateway's Service",
  scope: "chart",
  judge: (s) =>
    lists(s)
      .filter((list) => !list.active.some((t) => isPushgatewayTarget(s, t)))
      .map((list) => {
        const dropped = list.dropped.filter((t) => isPushgatewayTarget(s, t));
        const pools = [...new Set(list.active.map((t) => t.scrapePool))];
        const evidence: Source[] = [
          fileSource(
            s.setup,
            list.origin,
            ["data", "activeTargets"],
            `${list.active.length} targets: ${pools.join(", ")}`,
          ),
        ];
        if (dropped[0])
          evidence.push(
            entrySource(s, list, "droppedTargets", dropped[0], "discoveredLabels", dropped[0].discoveredLabels),
          );
        return problem(
          `The scraper lists ${list.active.length} active target${list.active.length === 1 ? "" : "s"} (${pools.length ? pools.map(q).join(", ") : "none"}) and none is Pushgateway's Service ${s.view.chart.namespace}/${s.view.service.object.metadata?.name}${dropped.length ? `; it discovered it but dropped it (relabelling or a port that does not match)` : ""}: the scrape object is not selected, or is skipped because its Secret or key is missing.`,
          evidence,
          "Check that your Prometheus (or VMAgent) selects the scrape object by its labels and namespace, and that its Secret and keys exist in the object's namespace (the operator skips the object otherwise); the other findings point at which.",
        );
      }),
};

/** The Operator's verdict on a ServiceMonitor (status.bindings[].conditions, Operator 0.80+). */
export const serviceMonitorRejected: Rule = {
  id: "servicemonitor-rejected",
  title: "The Operator rejected the ServiceMonitor",
  severity: "fail",
  reads: "status.bindings[].conditions of the pasted ServiceMonitors that select the Service",
  scope: "chart",
  judge: (s) =>
    s.targeting.filter(isFile).flatMap((sm) => {
      const bindings = getPath(sm.object, "status.bindings");
      if (!Array.isArray(bindings)) return [];
      return bindings.flatMap((b, i) => {
        const conditions = getPath(b, "conditions");
        if (!Array.isArray(conditions)) return [];
        return conditions.flatMap((c, j) => {
          if (!isMap(c) || c.type !== "Accepted" || c.status !== "False") return [];
          return [
            problem(
              `The Operator did not accept ServiceMonitor ${nameOf(sm.object)} for ${String(getPath(b, "resource") ?? "prometheuses")} ${String(getPath(b, "namespace"))}/${String(getPath(b, "name"))}: ${String(c.reason ?? "")} ${q(c.message ?? "")}. It generates no scrape job from it.`,
              [objectSource(s.setup, sm, ["status", "bindings", i, "conditions", j, "message"], c.message)],
              "Fix what the message names (usually a basicAuth Secret or key missing in the ServiceMonitor's namespace), then check the condition again: kubectl get servicemonitor -n NAMESPACE NAME -o yaml",
            ),
          ];
        });
      });
    }),
};
