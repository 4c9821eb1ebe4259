/**
 * Diagnosis of an existing setup: every reason Prometheus would get 401 from Pushgateway, or
 * would not scrape it at all, each with the evidence (file, path, value) and the fix. The
 * rulebook (lib/rules) judges; the diagnosis reports what does not pass.
 */
import { pushgatewayMonitors } from "../rules/common";
import type { Source } from "../rules/evidence";
import type { Fact, GivenFacts } from "../rules/facts";
import type { FileOrigin, InputProblem } from "../rules/input";
import { judgeSetup, type JudgeOptions, type Severity } from "../rules/rule";
import { RULES } from "../rules/rulebook";
import type { ChartSetup } from "../rules/setup";
import type { InputFile } from "./read-setup";
import { resolveSetup } from "./resolve-setup";

export interface Finding {
  /** The rule's id. */
  id: string;
  severity: Severity;
  /** The rule's title: what is wrong. */
  title: string;
  /** What is wrong, naming the objects and values, and why Prometheus gets 401 or no scrape. */
  message: string;
  /** Where it shows: file, YAML path and value (or the chart default, or a fact the user gave). */
  evidence: Source[];
  /** What to change. */
  fix: string;
}

export interface DiagnosisReport {
  chartVersion: Fact<string>;
  releaseName: Fact<string>;
  namespace: Fact<string>;
  /** Failures first, then warnings, then what could not be checked. */
  findings: Finding[];
  /** No finding fails. */
  healthy: boolean;
  /** Documents the diagnosis did not use, and why. */
  ignored: { origin: FileOrigin; reason: string }[];
}

export interface DiagnoseOptions extends JudgeOptions {
  /** Facts the files may not hold (CLI flags, form fields); given ones win over the files. */
  given?: GivenFacts;
}

export type DiagnoseResult = { ok: true; report: DiagnosisReport } | { ok: false; problems: InputProblem[] };

const SEVERITY_ORDER: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

/** Diagnoses pasted files; never throws. See {@link RULES} for what it reports. */
export function diagnoseSetup(files: readonly InputFile[], options: DiagnoseOptions = {}): DiagnoseResult {
  const resolved = resolveSetup(files, options.given ?? {});
  if (!resolved.ok) return { ok: false, problems: resolved.problems };
  const r = resolved.resolved;
  const findings: Finding[] = [];
  for (const { rule, outcome } of judgeSetup(RULES, r, options)) {
    if (outcome.status === "pass") continue;
    const { status: severity, message, evidence, fix } = outcome;
    findings.push({ id: rule.id, severity, title: rule.title, message, evidence, fix });
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const ignored = [...r.ignored];
  if (r.profile && r.view) {
    const meant = pushgatewayMonitors(r as ChartSetup);
    for (const sm of r.view.serviceMonitors) {
      if (!meant.includes(sm) && sm.origin.kind === "file") {
        ignored.push({ origin: sm.origin, reason: "the ServiceMonitor does not look meant for Pushgateway" });
      }
    }
  }
  return {
    ok: true,
    report: {
      chartVersion: r.chartVersion,
      releaseName: r.releaseName,
      namespace: r.namespace,
      findings,
      healthy: findings.every((f) => f.severity !== "fail"),
      ignored,
    },
  };
}
