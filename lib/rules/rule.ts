/**
 * What a rule is, and how the rulebook is run. A rule judges one thing Prometheus needs to
 * scrape Pushgateway (or one promise a generated bundle keeps) and says what it found as
 * outcomes: a problem with its evidence and fix, or, for rules that say so, a pass.
 */
import type { Source } from "./evidence";
import type { ChartSetup, ResolvedSetup } from "./setup";

export type Status = "pass" | "warn" | "fail" | "info";
/** How bad a problem is: fail (no scrape, or a 401), warn (works, but should change), info (not checked). */
export type Severity = Exclude<Status, "pass">;

export interface Outcome {
  status: Status;
  /** What was found, naming the objects and values: for a problem, why it matters; for a pass, what holds. */
  message: string;
  /** Where it shows: file, line, YAML path and value (never a password, hash or Secret value). */
  evidence: Source[];
  /** What to change; empty for a pass. */
  fix: string;
}

/** An outcome whose status may be left to the rule's severity. */
export type Verdict = Omit<Outcome, "status"> & { status?: Status };

export interface JudgeOptions {
  /**
   * bcrypt comparison of the password Prometheus sends (already trimmed as it trims it) with a
   * hash from the web config; without it, or when it answers undefined, the password is
   * reported as not compared. A caller that runs bcrypt elsewhere (in a worker, say) can make a
   * first run whose callback records the (password, hash) pairs and answers undefined, then a
   * second run that answers.
   */
  passwordMatchesHash?: (password: string, hash: string) => boolean | undefined;
  /**
   * During a rotation: the credentials of the previous phase, which Prometheus may still send
   * until the Operator reloads its configuration, or, with `who`, a pusher's job until its next
   * run reads the switched Secret (lib/rules/pusher-rules.ts).
   */
  stillSending?: readonly { username: string; password: string; who?: string }[];
}

interface RuleInfo {
  /** Stable id, shown by the CLI and pinned in tests. */
  id: string;
  /** The headline of a problem it reports: what is wrong. */
  title: string;
  /**
   * The headline when it holds, for rules that say so (the checks panel lists what passes).
   * Rules without one guard against a mistake most setups do not make, and stay silent then.
   */
  passTitle?: string;
  /** The status of the problems it reports, unless a verdict says otherwise. */
  severity: Severity;
  /** What it reads of the setup, in a few words. */
  reads: string;
}

/**
 * A rule judges the facts alone (and so also a chart version too old to render), or the whole
 * setup once the chart renders.
 */
export type Rule = RuleInfo &
  (
    | { scope: "facts"; judge: (s: ResolvedSetup, options: JudgeOptions) => Verdict[] }
    | { scope: "chart"; judge: (s: ChartSetup, options: JudgeOptions) => Verdict[] }
  );

export interface Judgement {
  rule: Rule;
  outcome: Outcome;
}

/** A pass: what holds, in one line. */
export function pass(message: string): Verdict {
  return { status: "pass", message, evidence: [], fix: "" };
}

/** A problem, with the rule's severity unless `status` says otherwise. */
export function problem(message: string, evidence: Source[], fix: string, status?: Severity): Verdict {
  return { status, message, evidence, fix };
}

/**
 * Runs `rules` in order on a resolved setup; rules about the chart skip a chart that does not
 * render. bcrypt is slow, and several rules ask about the same password: each (password, hash)
 * pair goes to `passwordMatchesHash` once.
 */
export function judgeSetup(rules: readonly Rule[], s: ResolvedSetup, options: JudgeOptions = {}): Judgement[] {
  const chart = s.profile && s.view ? (s as ChartSetup) : null;
  const compare = options.passwordMatchesHash;
  const answers = new Map<string, boolean | undefined>();
  const once: JudgeOptions = compare
    ? {
        ...(options.stillSending ? { stillSending: options.stillSending } : {}),
        passwordMatchesHash: (password, hash) => {
          const key = JSON.stringify([password, hash]);
          if (!answers.has(key)) answers.set(key, compare(password, hash));
          return answers.get(key);
        },
      }
    : { ...(options.stillSending ? { stillSending: options.stillSending } : {}) };
  const judgements: Judgement[] = [];
  for (const rule of rules) {
    const verdicts = rule.scope === "facts" ? rule.judge(s, once) : chart ? rule.judge(chart, once) : [];
    for (const { status, message, evidence, fix } of verdicts) {
      judgements.push({ rule, outcome: { status: status ?? rule.severity, message, evidence, fix } });
    }
  }
  return judgements;
}
