/**
 * Merge: the user's values file with the fix applied and nothing else. The edits are worked
 * out on values (what the chart must render: the generated values.yaml's effect), then made
 * in place in the text (./values-edits.ts), so every other line keeps its bytes, comments and
 * order. The result is read back and compared with the intended values; should an edit not fit
 * in place, the Document API re-serializes the file instead (comments kept, spacing may
 * change) and says so.
 */
import { CHART_DEFAULTS } from "../chart/render";
import { coalesceValues, getPath, isMap, truthy, type Values } from "../values/values";
import { SERVICE_PORT_NAME } from "../chart/names";
import { readRawUsername, WEB_CONFIG_FLAG } from "../chart/web-config";
import type { Config } from "../config/schema";
import { buildValues } from "../engine/build-values";
import { planBundle } from "../engine/plan";
import { parseYamlStructure } from "../yaml/document";
import { formatPath } from "../yaml/path";
import { cyclePath, parseYamlStream } from "../yaml/serialize";
import { cyclicAliasMessage, withoutHelmHeader } from "./read-setup";
import { applyInPlace, applyToValues, applyWithDocument, type ValuesEdit } from "./values-edits";

export interface ValuesChange {
  kind: "set" | "delete";
  path: (string | number)[];
  /** Why the fix needs it. */
  reason: string;
}

export type MergeResult =
  | {
      ok: true;
      /** The user's values file with the fix applied. */
      text: string;
      changes: ValuesChange[];
      /** What the user should know (users dropped, mounts left in place). */
      notes: string[];
      /** False when an edit could not be made in place and the whole file was re-serialized. */
      formattingPreserved: boolean;
    }
  | { ok: false; error: string };

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return false;
}

/** The edits that make the user's values render what the generated values render. */
function planEdits(user: Values, config: Config, notes: string[]): ValuesEdit[] {
  const plan = planBundle(config);
  const generated = buildValues(plan);
  const effective = coalesceValues(CHART_DEFAULTS, user);
  const ops: ValuesEdit[] = [];
  const setIfDiffers = (path: string[], value: unknown, reason: string) => {
    const current = getPath(effective, path.join("."));
    if (same(current, value)) return;
    // Into a map of the same shape, leaf by leaf, so only the lines that differ change.
    if (isMap(value) && isMap(current) && Object.keys(current).every((k) => Object.hasOwn(value, k))) {
      for (const [k, v] of Object.entries(value)) setIfDiffers([...path, k], v, reason);
    } else ops.push({ kind: "set", path, value, reason });
  };

  for (const key of ["nameOverride", "fullnameOverride"] as const) {
    if (generated[key] !== undefined) setIfDiffers([key], generated[key], `the chart names its objects from ${key}`);
    else if (truthy(user[key])) ops.push({ kind: "delete", path: [key], reason: `the fix is made for no ${key}` });
  }
  // The fix's Secrets go to the release namespace (config.namespace) and its ServiceMonitor
  // selects the Service there. With namespaceOverride the chart would install Pushgateway in
  // another namespace, where the web config Secret is missing and the pod does not start. The
  // override is removed (rather than the merge refused) so that the fixed bundle works as a
  // whole; the note says that Pushgateway moves.
  const override = user.namespaceOverride;
  if (truthy(override) && override !== config.namespace) {
    ops.push({
      kind: "delete",
      path: ["namespaceOverride"],
      reason: `the fix is made for the release namespace ${config.namespace}`,
    });
    notes.push(
      `namespaceOverride (${String(override)}) is removed: the generated Secrets are made for the release namespace ${config.namespace}, so Pushgateway now runs there too. Point the pushers at the Service in ${config.namespace}, or install the release in namespace ${String(override)} and generate the fix for that namespace.`,
    );
  }

  // The web config as the engine's values.yaml sets it: from existingSecret (a bcrypt-hashed
  // Secret) or from basicAuthUsers (the chart hashes them); the other source goes.
  const fix = isMap(generated.webConfiguration) ? generated.webConfiguration : {};
  const users = getPath(user, "webConfiguration.basicAuthUsers");
  const userNames = isMap(users) ? Object.keys(users) : [];
  if (isMap(fix.existingSecret)) {
    for (const [key, value] of Object.entries(fix.existingSecret)) {
      setIfDiffers(
        ["webConfiguration", "existingSecret", key],
        value,
        "Pushgateway reads the bcrypt-hashed web config from this Secret",
      );
    }
  } else if (getPath(user, "webConfiguration.existingSecret") !== undefined) {
    ops.push({
      kind: "delete",
      path: ["webConfiguration", "existingSecret"],
      reason: `chart ${config.chartVersion} ignores existingSecret`,
    });
  }
  const fixUsers = fix.basicAuthUsers;
  if (!isMap(fixUsers)) {
    if (users !== undefined) {
      ops.push({
        kind: "delete",
        path: ["webConfiguration", "basicAuthUsers"],
        reason: "keeps the plaintext password out of values.yaml",
      });
      const others = userNames.filter((u) => u !== config.username);
      if (others.length) {
        notes.push(
          `webConfiguration.basicAuthUsers also had ${others.map((u) => JSON.stringify(u)).join(", ")}; the generated web config holds only ${JSON.stringify(config.username)}: add the others to it, or the jobs that push as them get 401.`,
        );
      }
    }
  } else if (!isMap(users)) {
    ops.push({
      kind: "set",
      path: ["webConfiguration", "basicAuthUsers"],
      value: fixUsers,
      reason: "the chart renders the web config from these users",
    });
  } else {
    for (const [name, password] of Object.entries(fixUsers)) {
      if (users[name] !== password) {
        ops.push({
          kind: "set",
          path: ["webConfiguration", "basicAuthUsers", name],
          value: password,
          reason: "the user Prometheus scrapes as",
        });
      }
    }
    // The chart writes every name unquoted into one file: one that breaks takes the others down.
    for (const other of userNames.filter((u) => !Object.hasOwn(fixUsers, u) && !readRawUsername(u).survives)) {
      ops.push({
        kind: "delete",
        path: ["webConfiguration", "basicAuthUsers", other],
        reason: "the chart writes this username unquoted and it breaks the web config",
      });
    }
  }

  const sm = generated.serviceMonitor as Values;
  for (const [key, value] of Object.entries(sm)) {
    if (key === "additionalLabels" && isMap(value)) {
      for (const [label, v] of Object.entries(value)) {
        setIfDiffers(
          ["serviceMonitor", "additionalLabels", label],
          v,
          "the label Prometheus selects ServiceMonitors by",
        );
      }
    } else {
      setIfDiffers(["serviceMonitor", key], value, SM_REASONS[key] ?? "what the fixed ServiceMonitor needs");
    }
  }
  if (
    plan.mode === "patch" &&
    plan.profile.serviceMonitorBasicAuth &&
    truthy(getPath(user, "serviceMonitor.basicAuth"))
  ) {
    ops.push({
      kind: "delete",
      path: ["serviceMonitor", "basicAuth"],
      reason: "the post-renderer patch adds basicAuth",
    });
  }
  if (plan.mode === "standalone") {
    setIfDiffers(
      ["service", "portName"],
      SERVICE_PORT_NAME,
      "the standalone ServiceMonitor scrapes the port by this name",
    );
  }
  if (generated.networkPolicy !== undefined) {
    setIfDiffers(
      ["networkPolicy", "customSelectors"],
      getPath(generated, "networkPolicy.customSelectors"),
      "admits Prometheus and the pushers",
    );
  }

  // The chart passes --web.config.file itself once webConfiguration is set; twice stops Pushgateway.
  const args = user.extraArgs;
  if (Array.isArray(args)) {
    const drop: number[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg: unknown = args[i];
      // `--web.config.file VALUE` takes the next item as its value, whatever it looks like.
      if (arg === WEB_CONFIG_FLAG && typeof args[i + 1] === "string") drop.push(i, ++i);
      else if (typeof arg === "string" && arg.startsWith(`${WEB_CONFIG_FLAG}=`)) drop.push(i);
    }
    for (const i of drop.reverse()) {
      ops.push({ kind: "delete", path: ["extraArgs", i], reason: "the chart now passes --web.config.file itself" });
    }
    if (drop.length && (Array.isArray(user.extraVolumes) || Array.isArray(user.extraVolumeMounts))) {
      notes.push(
        "extraVolumes and extraVolumeMounts still mount the old web config Secret; remove them once the fix is rolled out.",
      );
    }
  }
  return ops;
}

const SM_REASONS: Record<string, string> = {
  enabled: "which ServiceMonitor Prometheus uses",
  namespace: "the ServiceMonitor must sit where its Secret is",
  interval: "scrape interval",
  scrapeTimeout: "scrape timeout",
  honorLabels: "keeps the pushers' job and instance labels",
  basicAuth: "the credentials Prometheus sends",
};

function readBack(text: string): unknown {
  try {
    const docs = parseYamlStream(text).filter((d) => d !== null && d !== undefined);
    return docs.length === 0 ? {} : docs.length === 1 ? docs[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies the fix for `config` to the user's values file (plain, or `helm get values` output):
 * afterwards the chart renders the same scrape-relevant objects as from the generated
 * values.yaml. Pure; never throws.
 */
export function mergeValues(valuesText: string, config: Config): MergeResult {
  // helm's `USER-SUPPLIED VALUES:` line is not part of the values: it goes.
  const text = withoutHelmHeader(valuesText, true);
  // The structural parse refuses alias bombs before anything walks the values.
  const structure = parseYamlStructure(text);
  if (structure.error !== null) return { ok: false, error: `the values file is not valid YAML: ${structure.error}` };
  const user = readBack(text);
  if (user === undefined) return { ok: false, error: "the values file must hold one YAML document" };
  if (user !== null && !isMap(user)) return { ok: false, error: "the values file must hold a YAML map" };
  const cycle = cyclePath(user);
  if (cycle) return { ok: false, error: `the values file ${cyclicAliasMessage(formatPath(cycle))}` };
  const values = (user ?? {}) as Values;
  const notes: string[] = [];
  let ops: ValuesEdit[];
  try {
    ops = planEdits(values, config, notes);
  } catch (error) {
    return { ok: false, error: `the config cannot be merged: ${(error as Error).message}` };
  }
  const changes: ValuesChange[] = ops.map((op) => ({ kind: op.kind, path: op.path, reason: op.reason }));
  const expected = applyToValues(values, ops);
  const inPlace = applyInPlace(text, ops);
  if (inPlace !== null && same(readBack(inPlace), expected)) {
    return { ok: true, text: inPlace, changes, notes, formattingPreserved: true };
  }
  const rewritten = applyWithDocument(text, ops);
  if (rewritten !== null && same(readBack(rewritten), expected)) {
    notes.push(
      "Some edits could not be made in place, so the file was rewritten: comments are kept, spacing may differ.",
    );
    return { ok: true, text: rewritten, changes, notes, formattingPreserved: false };
  }
  return {
    ok: false,
    error: "the fix could not be written into this values file; use the generated values.yaml instead",
  };
}
