/**
 * Stage 4: consistency checks. A generated bundle is judged by the rulebook (lib/rules) the
 * diagnosis uses: its files are read as a setup (values.yaml, and the Secrets and
 * ServiceMonitor applied beside the chart), the config gives the facts, and the post-renderer's
 * patch is applied to the chart's ServiceMonitor. Each rule that says something is one check.
 */
import type { Config } from "../config/schema";
import type { JsonPatchOperation, ServiceMonitor } from "../k8s/types";
import { roleOf } from "../outputs/registry";
import type { Source } from "../rules/evidence";
import type { FileOrigin, KubeObject, SetupFiles } from "../rules/input";
import { judgeSetup, type JudgeOptions, type Judgement, type Rule, type Status } from "../rules/rule";
import { RULES } from "../rules/rulebook";
import { readPrometheusJobs } from "../rules/scraper-input";
import { isScraperObject } from "../rules/scraper-rules";
import { isSecretSource } from "../rules/secret-source-rules";
import { resolveSetupFiles } from "../rules/setup";
import { getPath, isMap } from "../values/values";
import { parseYamlDocuments } from "../yaml/serialize";
import { applyJsonPatch } from "./cluster-view";
import { readGitOps } from "./read-gitops";

/** A rule's outcome as the page and the CLI show it; one that could not be checked warns. */
export type CheckStatus = "pass" | "warn" | "fail";

export interface Check {
  /** The rule's id. */
  id: string;
  /** What holds, or (for warn and fail) the rule's headline of what is wrong. */
  title: string;
  status: CheckStatus;
  /** One line: what was found and, for warn or fail, why it matters. */
  message: string;
  /** What to change; empty when it passes. */
  fix: string;
  /** Where it shows in the bundle (no line numbers: bundle files are not parsed for positions). */
  evidence: Source[];
}

export type CheckOptions = JudgeOptions;

interface BundleFiles {
  setup: SetupFiles;
  /** Files that do not parse, and documents that do not belong where they are. */
  problems: string[];
  patch: { file: string; operations: JsonPatchOperation[] } | null;
  kustomization: { file: string; doc: unknown } | null;
}

const dirOf = (file: string) => file.slice(0, file.lastIndexOf("/") + 1);

function readBundle(files: Record<string, string>): BundleFiles {
  const setup: SetupFiles = { values: [], objects: [], ignored: [], lineOf: () => null };
  const problems: string[] = [];
  let patch: BundleFiles["patch"] = null;
  let kustomization: BundleFiles["kustomization"] = null;
  for (const [name, text] of Object.entries(files)) {
    const role = roleOf(name);
    if (role === "other") continue;
    if (role === "scraper-config" && !name.endsWith(".yaml")) {
      (setup.scraperConfigs ??= []).push({ kind: "alloy", file: name, text });
      continue;
    }
    let docs: unknown[] = [];
    try {
      docs = parseYamlDocuments(text);
    } catch (error) {
      problems.push(`${name} does not parse: ${(error as Error).message.split("\n")[0]}`);
    }
    if (role === "values") {
      setup.values.push({ file: name, document: 0, format: "values", values: isMap(docs[0]) ? docs[0] : {} });
    } else if (role === "patch") {
      patch = Array.isArray(docs[0]) ? { file: name, operations: docs[0] as JsonPatchOperation[] } : null;
    } else if (role === "scraper-config") {
      docs.forEach((doc, document) => {
        const jobs = readPrometheusJobs(doc, { kind: "file", file: name, document, path: [] });
        if (jobs) (setup.scraperConfigs ??= []).push(jobs);
        else problems.push(`${name} holds no scrape jobs`);
      });
    } else if (role === "kustomization") {
      kustomization = { file: name, doc: docs[0] };
    } else if (role === "gitops") {
      // A HelmRelease or Application: the values (and Flux's patch) the chart gets from it.
      const read = readGitOps(name, docs, files);
      if (read.values) setup.values.push({ file: name, document: 0, format: "values", values: read.values });
      if (read.patch) ({ patch, kustomization } = read);
      problems.push(...read.problems);
      docs.forEach((doc, document) => {
        if (isMap(doc) && typeof doc.kind === "string")
          setup.objects.push({ object: doc as KubeObject, origin: { kind: "file", file: name, document, path: [] } });
      });
    } else {
      docs.forEach((doc, document) => {
        const kind = isMap(doc) && typeof doc.kind === "string" ? doc.kind : undefined;
        const origin: FileOrigin = { kind: "file", file: name, document, path: [] };
        if (
          kind === "Secret" ||
          kind === "ServiceMonitor" ||
          isSecretSource(doc) ||
          (isMap(doc) && isScraperObject(doc as KubeObject))
        )
          setup.objects.push({ object: doc as KubeObject, origin });
        else problems.push(`${name} holds an unexpected ${kind ?? "document"}`);
      });
    }
  }
  return { setup, problems, patch, kustomization };
}

/** The post-renderer: the kustomization must target the chart's ServiceMonitor with the patch. */
function postRenderer(bundle: BundleFiles): ((sm: ServiceMonitor, problems: string[]) => ServiceMonitor) | undefined {
  const { patch, kustomization } = bundle;
  if (!patch) return undefined;
  return (sm, problems) => {
    const patches = getPath(kustomization?.doc, "patches");
    const targets =
      kustomization &&
      Array.isArray(patches) &&
      patches.some(
        (p) =>
          // The kustomization names the patch relative to its own directory.
          `${dirOf(kustomization.file)}${String(getPath(p, "path"))}` === patch.file &&
          getPath(p, "target.kind") === "ServiceMonitor" &&
          getPath(p, "target.name") === sm.metadata.name &&
          getPath(p, "target.namespace") === sm.metadata.namespace,
      );
    if (!targets) {
      problems.push(`${kustomization?.file ?? "the kustomization"} does not target the chart's ServiceMonitor`);
      return sm;
    }
    try {
      return applyJsonPatch(sm, patch.operations);
    } catch (error) {
      problems.push(`${patch.file} does not apply: ${(error as Error).message}`);
      return sm;
    }
  };
}

const RANK = { pass: 0, info: 1, warn: 2, fail: 3 } as const;

/** Each rule's outcomes as one check: the worst status, with the messages of that status. */
function toChecks(judgements: readonly Judgement[]): Check[] {
  const checks = new Map<Rule, Check & { worst: Status }>();
  for (const { rule, outcome } of judgements) {
    const check = checks.get(rule);
    if (!check || RANK[outcome.status] > RANK[check.worst]) {
      checks.set(rule, {
        id: rule.id,
        title: outcome.status === "pass" ? (rule.passTitle ?? rule.title) : rule.title,
        status: outcome.status === "info" ? "warn" : outcome.status,
        worst: outcome.status,
        message: outcome.message,
        fix: outcome.fix,
        evidence: outcome.evidence,
      });
    } else if (outcome.status === check.worst) {
      check.message += ` ${outcome.message}`;
      if (outcome.fix && !check.fix.includes(outcome.fix)) check.fix += check.fix ? ` ${outcome.fix}` : outcome.fix;
      check.evidence = [...check.evidence, ...outcome.evidence];
    }
  }
  return [...checks.values()].map(({ worst: _, ...check }) => check);
}

/**
 * Runs the rulebook on a generated bundle; one {@link Check} per rule that says something.
 * `config` must have passed validateConfig.
 */
export function checkBundle(config: Config, files: Record<string, string>, options: CheckOptions = {}): Check[] {
  const bundle = readBundle(files);
  const resolved = resolveSetupFiles(bundle.setup, {
    given: {
      chartVersion: config.chartVersion,
      releaseName: config.releaseName,
      namespace: config.namespace,
      // An empty selector says nothing about what Prometheus selects.
      ...(config.prometheusSelector ? { prometheusSelector: config.prometheusSelector } : {}),
    },
    generatedFrom: config,
    bundleProblems: bundle.problems,
    postRender: postRenderer(bundle),
  });
  // Only a config that did not pass validateConfig has facts that do not resolve.
  if (!resolved.ok) throw new Error(resolved.problems.map((p) => p.message).join("; "));
  return toChecks(judgeSetup(RULES, resolved.resolved, options));
}
