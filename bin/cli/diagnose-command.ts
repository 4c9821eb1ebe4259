/** `pushgateway-auth diagnose`: files of an existing setup in, the reasons for 401 out. */
import { compareSync } from "bcryptjs";
import {
  diagnoseSetup,
  type DiagnosisReport,
  type Fact,
  FIELD_CLI,
  FIELDS,
  type Finding,
  formatPath,
  formatSource,
  type GivenFacts,
  type InputFile,
  parseLabelList,
} from "../../lib/index";
import { commandArgs, type FlagSpec } from "./args";
import { CliError, decodeUtf8, readFileOrExplain, type CliIo } from "./io";

/** The facts a user may give; everything else comes from the files. */
const FACT_FIELDS = ["chartVersion", "releaseName", "namespace", "prometheusSelector"] as const;

const FLAG_SPECS: Record<string, FlagSpec> = {
  ...Object.fromEntries(FACT_FIELDS.map((f) => [FIELD_CLI[f].flag, {}])),
  "--help": { boolean: true },
};

const DIAGNOSE_HELP = `Usage: npm run --silent diagnose -- [flags] FILE...

Reads what you have of a prometheus-pushgateway setup and lists every reason
Prometheus would get 401 from Pushgateway, or would not scrape it at all, each
with the file, YAML path and value it shows in, and the fix.

FILE is any mix of:
  your values.yaml for the chart
  helm get values RELEASE -n NAMESPACE output (with its USER-SUPPLIED VALUES: line)
  kubectl get secret,servicemonitor -n NAMESPACE -o yaml output (kind: List, or
    several documents), and kubectl get prometheus -A -o yaml for the selector
    (a ServiceMonitor's status, where the Operator writes one, is read too)
  the scraper's own target list, Prometheus' or VMAgent's /api/v1/targets JSON:
    kubectl get --raw \\
      "/api/v1/namespaces/NS/services/prometheus-operated:9090/proxy/api/v1/targets" \\
      > targets.json
    (VMAgent: services/vmagent-NAME:8429), or kubectl port-forward to that port
    and curl -s http://127.0.0.1:9090/api/v1/targets > targets.json
  Prometheus scrape jobs (prometheus.yml, or kube-prometheus-stack values with
    prometheus.prometheusSpec.additionalScrapeConfigs)
"-" reads one of them from standard input. Without a values file the chart's
defaults are not assumed: add kubectl get deployment output, so that the web
config Secret Pushgateway mounts can be checked.

Facts the files may not hold (they are read from the files when present):
  --chart-version V            chart version (from the helm.sh/chart label)
  --release NAME               Helm release name (from meta.helm.sh/release-name or
                               app.kubernetes.io/instance)
  --namespace NS               release namespace (from meta.helm.sh/release-namespace)
  --prometheus-selector K=V[,K=V]  labels your Prometheus selects ServiceMonitors by
                               (from a pasted Prometheus object)
  --help                       show this help

Exit status: 0 nothing fails (warnings and unchecked items may be listed),
1 something fails, 2 the input cannot be used.
`;

// A hostile file could carry a bcrypt hash of cost 31, which takes days to check.
const MAX_BCRYPT_COST = 16;

function compareBounded(password: string, hash: string): boolean | undefined {
  const cost = Number(/^\$2[aby]\$(\d\d)\$/.exec(hash)?.[1]);
  return Number.isFinite(cost) && cost <= MAX_BCRYPT_COST ? compareSync(password, hash) : undefined;
}

/** Splits argv into flags (with their values) and file arguments. */
function splitArgv(argv: readonly string[]): { flags: string[]; files: string[] } {
  const flags: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      files.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "-") {
      files.push(arg);
      continue;
    }
    flags.push(arg);
    const spec = FLAG_SPECS[arg];
    if (spec && !spec.boolean && i + 1 < argv.length) flags.push(argv[++i] as string);
  }
  return { flags, files };
}

async function readInput(path: string, io: CliIo): Promise<InputFile> {
  if (path === "-") return { name: "(standard input)", text: decodeUtf8(await io.readStdin(), "standard input") };
  return { name: path, text: decodeUtf8(await readFileOrExplain(io, path), path) };
}

const MARK: Record<Finding["severity"], string> = { fail: "FAIL", warn: "WARN", info: "INFO" };

function describeFact(label: string, fact: Fact<string>): string {
  const alternatives = fact.alternatives.length
    ? ` (elsewhere: ${fact.alternatives.map((s) => s.value).join(", ")})`
    : "";
  return `  ${label}: ${fact.value}, from ${formatSource(fact.source)}${alternatives}`;
}

/** The report as text for a terminal. */
function formatReport(report: DiagnosisReport): string {
  const out: string[] = [
    `prometheus-pushgateway ${report.chartVersion.value}, release ${report.releaseName.value} in namespace ${report.namespace.value}`,
    describeFact("chart version", report.chartVersion),
    describeFact("release", report.releaseName),
    describeFact("namespace", report.namespace),
    "",
  ];
  for (const f of report.findings) {
    out.push(`${MARK[f.severity]}  ${f.title} [${f.id}]`, `      ${f.message}`);
    if (f.evidence.length) out.push("      evidence:", ...f.evidence.map((e) => `        ${formatSource(e)}`));
    out.push(`      fix: ${f.fix}`, "");
  }
  for (const i of report.ignored) {
    out.push(
      `not read: ${i.origin.file} ${formatPath(i.origin.path) || `document ${i.origin.document + 1}`}: ${i.reason}`,
    );
  }
  if (report.ignored.length) out.push("");
  const count = (s: Finding["severity"]) => report.findings.filter((f) => f.severity === s).length;
  out.push(
    report.findings.length === 0
      ? "No problems found: Prometheus can scrape Pushgateway with credentials, and gets 401 without."
      : `${count("fail")} failed, ${count("warn")} warning${count("warn") === 1 ? "" : "s"}, ${count("info")} not checked.`,
  );
  return `${out.join("\n")}\n`;
}

/** Runs `diagnose`; returns the exit code. */
export async function diagnoseCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, files: paths } = splitArgv(argv);
  const args = commandArgs(flags, FLAG_SPECS, DIAGNOSE_HELP, io);
  if (!args) return 0;
  if (paths.length === 0)
    throw new CliError(
      "give the files to diagnose (values.yaml, helm get values or kubectl get -o yaml output); see --help",
    );
  if (paths.filter((p) => p === "-").length > 1) throw new CliError('"-" (standard input) can be given only once');

  const given: GivenFacts = {};
  for (const field of FACT_FIELDS) {
    const value = args.get(FIELD_CLI[field].flag);
    if (typeof value === "string") given[field] = value;
  }
  const selector = given.prometheusSelector;
  const selectorError = selector === undefined ? null : parseLabelList(selector).error;
  if (selectorError)
    throw new CliError(`${FIELD_CLI.prometheusSelector.flag}: ${FIELDS.prometheusSelector.label} ${selectorError}`);

  const files: InputFile[] = [];
  for (const path of paths) files.push(await readInput(path, io));
  const result = diagnoseSetup(files, { given, passwordMatchesHash: compareBounded });
  if (!result.ok) {
    throw new CliError(
      result.problems
        .map((p) =>
          p.field ? `${FIELD_CLI[p.field].flag}: ${p.message}; give it with ${FIELD_CLI[p.field].flag}` : p.message,
        )
        .join("\n"),
    );
  }
  io.stdout(formatReport(result.report));
  return result.report.healthy ? 0 : 1;
}
