/**
 * Import: prefills the form (a partial ConfigInput) from pasted files, and says for every
 * field where its value came from. Only fields the files (or the given facts) hold are
 * prefilled; the rest keep the schema's defaults, which the form shows as such.
 */
import { CHART_DEFAULT_LABEL_KEYS, chartNames } from "../chart/names";
import { getPath, isMap } from "../values/values";
import { CHART_HASH_PLACEHOLDER } from "../chart/web-config";
import { bcryptHashRule, goTrimSpace } from "../config/field-rules";
import { DEFAULTS, type ConfigInput, type FieldName } from "../config/schema";
import { basicAuthState, secretKeyPath, secretValue, targetingMonitors, type Placed } from "../engine/cluster-view";
import type { ServiceMonitor } from "../k8s/types";
import { objectSource, valueSource, type Source } from "../rules/evidence";
import { isChartObject, metadataOf, NAME_LABEL, pickFact, type Candidate, type GivenFacts } from "../rules/facts";
import type { InputProblem, KubeObject } from "../rules/input";
import type { ResolvedSetup } from "../rules/setup";
import type { InputFile } from "./read-setup";
import { resolveSetup } from "./resolve-setup";

export interface FieldProvenance {
  /** Where the prefilled value came from. */
  source: Source;
  /** Other places that hold a different value for the same field. */
  alternatives: Source[];
}

export interface SetupImport {
  /** Values for the form's fields, only those found. */
  prefill: Partial<ConfigInput>;
  /** Where each prefilled field came from. */
  provenance: Partial<Record<FieldName, FieldProvenance>>;
  /** Facts the diagnosis needs that the files do not hold (give them in the form or as flags). */
  missing: FieldName[];
  /** The values file a fix is merged into: the first plain values file, else the first `helm get values` output. */
  valuesFile: InputFile | null;
}

export type ImportResult = { ok: true; import: SetupImport } | { ok: false; problems: InputProblem[] };

export interface ImportOptions {
  /**
   * bcrypt comparison of the prefilled password with the hash in the pasted web config. The
   * hash is prefilled only when this answers true, so that a fix never keeps a hash that does
   * not match the password; without it (or when it answers false or undefined) passwordHash is
   * left out and a new hash is made for the password.
   */
  passwordMatchesHash?: (password: string, hash: string) => boolean | undefined;
}

type Prefill = Partial<Record<FieldName, { fact: Candidate<unknown>; alternatives: Source[] }>>;

/** Reads the files and prefills every field it can; never throws. */
export function importSetup(
  files: readonly InputFile[],
  given: GivenFacts = {},
  options: ImportOptions = {},
): ImportResult {
  let result = resolveSetup(files, given);
  const missing: FieldName[] = [];
  if (!result.ok) {
    if (result.problems.some((p) => p.field === null)) return { ok: false, problems: result.problems };
    // Without the facts the rest can still be read; the defaults stand in, and are not prefilled.
    const stand: GivenFacts = { ...given };
    for (const p of result.problems) {
      const field = p.field as "chartVersion" | "releaseName" | "namespace";
      missing.push(field);
      stand[field] = DEFAULTS[field];
    }
    result = resolveSetup(files, stand);
    if (!result.ok) return { ok: false, problems: result.problems };
  }
  const r = result.resolved;
  const out: Prefill = {};
  const set = (field: FieldName, fact: ReturnType<typeof pickFact<unknown>>) => {
    if (!fact || missing.includes(field)) return;
    const earlier = out[field];
    // A second place for the same field: the first one stays, a different value is an alternative.
    if (!earlier) out[field] = { fact, alternatives: fact.alternatives };
    else if (JSON.stringify(earlier.fact.value) !== JSON.stringify(fact.value)) earlier.alternatives.push(fact.source);
  };
  set("chartVersion", r.chartVersion);
  set("releaseName", r.releaseName);
  set("namespace", r.namespace);
  for (const field of ["nameOverride", "fullnameOverride"] as const) {
    set(field, pickFact(field, given[field], nameCandidates(r, field, missing)));
  }
  credentials(r, given, set, options);
  monitorFields(r, given, set);
  networkPolicy(r, given, set);

  const prefill: Partial<ConfigInput> = {};
  const provenance: Partial<Record<FieldName, FieldProvenance>> = {};
  for (const [field, entry] of Object.entries(out) as [FieldName, NonNullable<Prefill[FieldName]>][]) {
    (prefill as Record<string, unknown>)[field] = entry.fact.value;
    provenance[field] = { source: entry.fact.source, alternatives: entry.alternatives };
  }
  const plain = r.setup.values.find((v) => v.format === "values") ?? r.setup.values[0];
  return {
    ok: true,
    import: {
      prefill,
      provenance,
      missing,
      valuesFile: plain ? (files.find((f) => f.name === plain.file) ?? null) : null,
    },
  };
}

function fromValues<T>(r: ResolvedSetup, path: string, accept: (v: unknown) => v is T, secret = false): Candidate<T>[] {
  const value = getPath(r.values, path);
  return accept(value) ? [{ value, source: valueSource(r, path, secret) }] : [];
}

const isText = (v: unknown): v is string => typeof v === "string" && v !== "";

function nameCandidates(
  r: ResolvedSetup,
  field: "nameOverride" | "fullnameOverride",
  missing: FieldName[],
): Candidate<string>[] {
  const found = fromValues(r, field, isText);
  if (found.length || missing.includes("releaseName")) return found;
  // The chart's objects carry the name in a label and the fullname in their names.
  const chartObjects = r.setup.objects.filter((p) => isChartObject(p.object));
  const nameOverride =
    typeof getPath(r.values, "nameOverride") === "string" ? String(getPath(r.values, "nameOverride")) : "";
  const expected = chartNames({ releaseName: r.releaseName.value, nameOverride, fullnameOverride: "" });
  const out: Candidate<string>[] = [];
  for (const p of chartObjects) {
    const meta = metadataOf(p.object);
    if (field === "nameOverride" && meta.labels[NAME_LABEL] && meta.labels[NAME_LABEL] !== expected.name) {
      out.push({
        value: meta.labels[NAME_LABEL],
        source: objectSource(r.setup, p, ["metadata", "labels", NAME_LABEL], meta.labels[NAME_LABEL]),
      });
    }
    if (
      field === "fullnameOverride" &&
      (p.object.kind === "Service" || p.object.kind === "ServiceMonitor") &&
      meta.name &&
      meta.name !== expected.fullname
    ) {
      out.push({ value: meta.name, source: objectSource(r.setup, p, ["metadata", "name"], meta.name) });
    }
  }
  return out;
}

function firstKey(v: unknown): string | undefined {
  return isMap(v) ? Object.keys(v)[0] : undefined;
}

function credentials(
  r: ResolvedSetup,
  given: GivenFacts,
  set: (f: FieldName, fact: ReturnType<typeof pickFact<unknown>>) => void,
  options: ImportOptions,
): void {
  const view = r.view;
  const users = getPath(r.values, "webConfiguration.basicAuthUsers");
  const webUsers = r.webConfig?.users ?? null;
  const live = r.webConfig?.secret && r.webConfig.secret.origin.kind === "file" ? r.webConfig.secret : null;

  // The credentials the ServiceMonitor sends; when its Secret is in the wrong namespace, that one.
  let scrapeUser: Candidate<string> | undefined;
  let scrapePassword: Candidate<string> | undefined;
  const monitors = view ? [...targetingMonitors(view), ...view.serviceMonitors] : [];
  for (const sm of monitors) {
    const auth = sm.object.spec?.endpoints?.[0]?.basicAuth;
    if (!isMap(auth) || !view) continue;
    const state = basicAuthState(view, sm.object);
    for (const f of state.fields) {
      const name = f.selector?.name;
      const key = f.selector?.key;
      const secret = f.secret ?? view.secrets.find((s) => s.object.metadata?.name === name);
      const stored = secret && typeof key === "string" ? secretValue(secret.object, key) : undefined;
      if (!secret || stored === undefined || secret.origin.kind !== "file") continue;
      // Prometheus sends the password trimmed (Go's strings.TrimSpace): that is the one in use.
      const value = f.field === "password" ? goTrimSpace(stored) : stored;
      const candidate = {
        value,
        source: objectSource(r.setup, secret, secretKeyPath(secret.object, String(key)), value, f.field === "password"),
      };
      if (f.field === "username") scrapeUser ??= candidate;
      else scrapePassword ??= candidate;
    }
    if (scrapeUser || scrapePassword) break;
  }

  const known = (u: string) => (isMap(users) && Object.hasOwn(users, u)) || (webUsers?.has(u) ?? false);
  const userCandidates: Candidate<string>[] = [];
  if (scrapeUser && known(scrapeUser.value)) userCandidates.push(scrapeUser);
  const valuesUser = firstKey(users);
  if (valuesUser !== undefined) {
    userCandidates.push({
      value: valuesUser,
      source: valueSource(r, ["webConfiguration", "basicAuthUsers", valuesUser], true),
    });
  }
  if (live && webUsers) {
    for (const u of webUsers.keys()) {
      userCandidates.push({
        value: u,
        source: objectSource(r.setup, live, secretKeyPath(live.object, r.webConfig!.key), undefined, true),
      });
    }
  }
  if (scrapeUser) userCandidates.push(scrapeUser);
  const username = pickFact("username", given.username, userCandidates);
  set("username", username);
  const user = username?.value;

  const passwordCandidates: Candidate<string>[] = [];
  const plain = user !== undefined && isMap(users) ? users[user] : undefined;
  if (plain !== undefined && plain !== null && typeof plain !== "object") {
    passwordCandidates.push({
      value: String(plain),
      source: valueSource(r, ["webConfiguration", "basicAuthUsers", String(user)], true),
    });
  }
  if (scrapePassword) passwordCandidates.push(scrapePassword);
  const password = pickFact("password", given.password, passwordCandidates, true);
  set("password", password);

  // The hash stays only when it is the hash of the password: a fix must not keep a stale one.
  const hash = user !== undefined ? webUsers?.get(user) : undefined;
  const hashCandidates: Candidate<string>[] =
    live &&
    hash &&
    hash !== CHART_HASH_PLACEHOLDER &&
    bcryptHashRule(hash) === null &&
    password &&
    options.passwordMatchesHash?.(password.value, hash) === true
      ? [{ value: hash, source: objectSource(r.setup, live, secretKeyPath(live.object, r.webConfig!.key), hash, true) }]
      : [];
  set("passwordHash", pickFact("passwordHash", given.passwordHash, hashCandidates, true));
}

/** `k=v,k=v`, as the form's label fields take them, of the labels `keep` accepts. */
function labelList(
  labels: Record<string, unknown>,
  keep: (key: string, value: unknown) => boolean = () => true,
): string {
  return Object.entries(labels)
    .filter(([k, v]) => keep(k, v))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
}

/** The user's own labels, without those the chart puts on every object. */
function ownLabelList(labels: Record<string, unknown>): string {
  return labelList(
    labels,
    (k, v) => typeof v === "string" && !CHART_DEFAULT_LABEL_KEYS.includes(k) && !k.startsWith("app.kubernetes.io/"),
  );
}

function monitorFields(
  r: ResolvedSetup,
  given: GivenFacts,
  set: (f: FieldName, fact: ReturnType<typeof pickFact<unknown>>) => void,
): void {
  const view = r.view;
  const targeting = view ? targetingMonitors(view) : [];
  const sm: Placed<ServiceMonitor> | undefined = targeting[0] ?? view?.serviceMonitors[0];

  // The ServiceMonitor's namespace: the chart's comes from serviceMonitor.namespace or its default.
  const nsCandidates: Candidate<string>[] = [];
  if (sm) {
    const ns = sm.object.metadata?.namespace;
    if (typeof ns === "string") {
      nsCandidates.push({
        value: ns,
        source:
          sm.origin.kind === "file"
            ? objectSource(r.setup, sm, ["metadata", "namespace"], ns)
            : valueSource(r, "serviceMonitor.namespace"),
      });
    }
  } else nsCandidates.push(...fromValues(r, "serviceMonitor.namespace", isText));
  set("serviceMonitorNamespace", pickFact("serviceMonitorNamespace", given.serviceMonitorNamespace, nsCandidates));

  // What Prometheus selects by: its own object first, then the labels the user already sets.
  const selectorCandidates: Candidate<string>[] = [];
  for (const p of r.prometheuses) {
    const selector = getPath(p.object, "spec.serviceMonitorSelector");
    if (!isMap(selector) || selector.matchExpressions !== undefined) continue;
    const matchLabels = isMap(selector.matchLabels) ? selector.matchLabels : {};
    selectorCandidates.push({
      value: labelList(matchLabels),
      source: objectSource(r.setup, p, ["spec", "serviceMonitorSelector"], selector),
    });
  }
  const additional = getPath(r.values, "serviceMonitor.additionalLabels");
  if (isMap(additional) && ownLabelList(additional)) {
    selectorCandidates.push({
      value: ownLabelList(additional),
      source: valueSource(r, "serviceMonitor.additionalLabels"),
    });
  }
  if (sm?.origin.kind === "file" && !isChartObject(sm.object as unknown as KubeObject)) {
    const labels = isMap(sm.object.metadata?.labels) ? sm.object.metadata.labels : {};
    if (ownLabelList(labels))
      selectorCandidates.push({
        value: ownLabelList(labels),
        source: objectSource(r.setup, sm, ["metadata", "labels"], labels),
      });
  }
  set("prometheusSelector", pickFact("prometheusSelector", given.prometheusSelector, selectorCandidates));

  const promNamespaces = r.prometheuses.flatMap((p) => {
    const ns = metadataOf(p.object).namespace;
    return ns ? [{ value: ns, source: objectSource(r.setup, p, ["metadata", "namespace"], ns) }] : [];
  });
  set("prometheusNamespace", pickFact("prometheusNamespace", given.prometheusNamespace, promNamespaces));

  // The strategy in use: a live chart ServiceMonitor with basicAuth on a 2.x chart is patched.
  const modeCandidates: Candidate<"patch" | "standalone">[] = [];
  if (view && r.profile && sm) {
    const chartEnabled =
      view.serviceMonitors.some((m) => m.origin.kind === "chart") || isChartObject(sm.object as unknown as KubeObject);
    const own = (m: Placed<ServiceMonitor>) =>
      m.origin.kind === "file" && !isChartObject(m.object as unknown as KubeObject);
    // Their own ServiceMonitor, even one that selects nothing yet: the fix replaces it.
    const standalone = targeting.find(own) ?? (own(sm) ? sm : undefined);
    const live = targeting.find((m) => m.origin.kind === "file" && isChartObject(m.object as unknown as KubeObject));
    if (live && !r.profile.serviceMonitorBasicAuth && isMap(live.object.spec?.endpoints?.[0]?.basicAuth)) {
      modeCandidates.push({
        value: "patch",
        source: objectSource(
          r.setup,
          live,
          ["spec", "endpoints", 0, "basicAuth"],
          live.object.spec.endpoints[0]?.basicAuth,
        ),
      });
    } else if (standalone && !chartEnabled && r.profile.modes.standalone.allowed) {
      modeCandidates.push({
        value: "standalone",
        source: objectSource(r.setup, standalone, ["metadata", "name"], standalone.object.metadata?.name),
      });
    }
  }
  set("serviceMonitorMode", pickFact("serviceMonitorMode", given.serviceMonitorMode, modeCandidates));

  for (const [field, key] of [
    ["interval", "interval"],
    ["scrapeTimeout", "scrapeTimeout"],
  ] as const) {
    const candidates = fromValues(r, `serviceMonitor.${key}`, isText);
    const endpointValue = sm?.object.spec?.endpoints?.[0]?.[key];
    if (sm?.origin.kind === "file" && isText(endpointValue)) {
      candidates.push({
        value: endpointValue,
        source: objectSource(r.setup, sm, ["spec", "endpoints", 0, key], endpointValue),
      });
    }
    set(field, pickFact(field, given[field], candidates));
  }
}

/** Prefills the NetworkPolicy fields only from customSelectors in the shape this tool writes. */
function networkPolicy(
  r: ResolvedSetup,
  given: GivenFacts,
  set: (f: FieldName, fact: ReturnType<typeof pickFact<unknown>>) => void,
): void {
  const peers = getPath(r.values, "networkPolicy.customSelectors");
  if (!Array.isArray(peers) || peers.length !== 2) return;
  const [prom, pushers] = peers as unknown[];
  const promNs = getPath(prom, "namespaceSelector.matchLabels");
  const labels = (v: unknown) => (isMap(v) && Object.keys(v).length ? labelList(v) : null);
  const ns = isMap(promNs) && Object.keys(promNs).length === 1 ? promNs["kubernetes.io/metadata.name"] : undefined;
  const promPods = labels(getPath(prom, "podSelector.matchLabels"));
  const pusherNs = getPath(pushers, "namespaceSelector");
  const pusherPods = labels(getPath(pushers, "podSelector.matchLabels"));
  if (typeof ns !== "string" || !promPods || !isMap(pusherNs) || Object.keys(pusherNs).length || !pusherPods) return;
  const at = (path: (string | number)[], value: unknown) => ({
    value,
    source: valueSource(r, ["networkPolicy", "customSelectors", ...path]),
  });
  set("networkPolicyEnabled", pickFact("networkPolicyEnabled", given.networkPolicyEnabled, [at([], true)]));
  set(
    "prometheusNamespace",
    pickFact("prometheusNamespace", given.prometheusNamespace, [at([0, "namespaceSelector"], ns)]),
  );
  set(
    "networkPolicyPrometheusPods",
    pickFact("networkPolicyPrometheusPods", given.networkPolicyPrometheusPods, [at([0, "podSelector"], promPods)]),
  );
  set(
    "networkPolicyPusherPods",
    pickFact("networkPolicyPusherPods", given.networkPolicyPusherPods, [at([1, "podSelector"], pusherPods)]),
  );
}
