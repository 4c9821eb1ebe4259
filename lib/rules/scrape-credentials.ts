/**
 * The credentials each scraper sends to Pushgateway, resolved from the Secret it reads them
 * from: a ServiceMonitor's or VMServiceScrape's endpoint basicAuth, a ScrapeConfig's basicAuth
 * (both in the object's own namespace), the Secret Alloy's remote.kubernetes.secret reads, and
 * a Prometheus job's inline username and mounted password_file. The credential rules compare
 * them with the web config whichever scraper sends them.
 */
import {
  basicAuthState,
  secretKeyPath,
  secretValue,
  type BasicAuthState,
  type Placed,
  type SelectorState,
} from "../engine/cluster-view";
import type { Secret, ServiceMonitor } from "../k8s/types";
import { getPath, isMap } from "../values/values";
import { nameOf, os, requiresPassword, scrapers, selectorSources } from "./common";
import type { Source } from "./evidence";
import { fileSource } from "./evidence";
import { alloyBasicAuth } from "./scraper-input";
import { alloyConfigs, alloySecretRef, objectsOf, prometheusJobs, secretsNamed } from "./scraper-rules";
import type { ChartSetup } from "./setup";

type Field = "username" | "password";

export interface ScrapeCredentials {
  /** Who sends them: "Prometheus", "VMAgent", "Alloy". */
  sender: string;
  /** The scrape object, for messages (`ScrapeConfig ns/name`); null for a ServiceMonitor, the default wording. */
  reader: string | null;
  state: BasicAuthState;
  /** Where a field's value comes from, for messages: `Secret ns/name`, or the job that holds it. */
  from: (field: Field) => string;
  /** Evidence for a field's value. */
  source: (field: Field) => Source;
}

/** A field's value in its Secret, as evidence (the password hidden), or null when no Secret holds it. */
function secretFieldSource(s: ChartSetup, f: SelectorState | undefined): Source | null {
  if (!f?.secret || f.secret.origin.kind !== "file") return null;
  const key = String(f.selector?.key);
  return os(s, f.secret, secretKeyPath(f.secret.object, key), f.value, f.field === "password");
}

const fieldOf = (state: BasicAuthState, field: Field) => state.fields.find((f) => f.field === field);

const secretFrom = (state: BasicAuthState) => (field: Field) => {
  const secret = fieldOf(state, field)?.secret;
  return secret ? `Secret ${nameOf(secret.object)}` : "its Secret";
};

/** A basicAuth ({username, password} as {name, key}) read in `namespace`, as the operators resolve it. */
function resolveBasicAuth(s: ChartSetup, auth: unknown, namespace: string): BasicAuthState {
  const shaped = { metadata: { namespace }, spec: { endpoints: [{ basicAuth: auth }] } } as unknown as ServiceMonitor;
  return basicAuthState(s.view, shaped);
}

/** A state with the given fields, the username and password read from them. */
function stateOf(fields: SelectorState[], namespace: string): BasicAuthState {
  const value = (field: Field) => fields.find((f) => f.field === field)?.value;
  return { auth: undefined, namespace, fields, username: value("username"), password: value("password") };
}

function alloyCredentials(s: ChartSetup): ScrapeCredentials[] {
  return alloyConfigs(s).flatMap((alloy) => {
    const ref = alloySecretRef(alloy.text);
    if (!ref) return [];
    const secret = secretsNamed(s, ref.name).find((x) => x.object.metadata?.namespace === ref.namespace);
    const keys = alloyBasicAuth(alloy.text);
    const fromSecret = (field: Field, key: string | undefined): SelectorState => ({
      field,
      selector: key === undefined ? undefined : { name: ref.name, key },
      secret: key === undefined ? undefined : secret,
      value: key !== undefined && secret ? secretValue(secret.object, key) : undefined,
    });
    const username: SelectorState =
      keys.username.literal !== undefined
        ? { field: "username", selector: undefined, secret: undefined, value: keys.username.literal }
        : fromSecret("username", keys.username.key);
    const state = stateOf([username, fromSecret("password", keys.password.key)], ref.namespace);
    const at: Source = {
      kind: "file",
      file: alloy.file,
      document: 0,
      path: "prometheus.scrape.basic_auth",
      line: null,
      value: `${ref.namespace}/${ref.name}`,
    };
    return [
      {
        sender: "Alloy",
        reader: `Alloy (${alloy.file})`,
        state,
        from: (field) => (fieldOf(state, field)?.secret ? `Secret ${ref.namespace}/${ref.name}` : alloy.file),
        source: (field) => secretFieldSource(s, fieldOf(state, field)) ?? at,
      },
    ];
  });
}

/** Where the Operator (and the plain-Prometheus mount) puts each Secret's keys. */
const MOUNTED = /^\/etc\/prometheus\/secrets\/([^/]+)\/([^/]+)$/;

function prometheusCredentials(s: ChartSetup): ScrapeCredentials[] {
  const wantNs = s.generatedFrom?.prometheusNamespace;
  return prometheusJobs(s).flatMap((doc) =>
    doc.jobs.flatMap((job, i) => {
      const auth = getPath(job, "basic_auth");
      if (!isMap(auth)) return [];
      const at = (key: string, value: unknown, secret = false) =>
        fileSource(s.setup, doc.origin, [...doc.jobsPath, i, "basic_auth", key], value, secret);
      const username: SelectorState = {
        field: "username",
        selector: undefined,
        secret: undefined,
        value: typeof auth.username === "string" ? auth.username : undefined,
      };
      let password: SelectorState = { field: "password", selector: undefined, secret: undefined, value: undefined };
      const file = typeof auth.password_file === "string" ? MOUNTED.exec(auth.password_file) : null;
      if (file) {
        const [, name, key] = file as unknown as [string, string, string];
        const secret = secretsNamed(s, name).find(
          (x) => wantNs === undefined || x.object.metadata?.namespace === wantNs,
        ) as Placed<Secret> | undefined;
        password = {
          field: "password",
          selector: { name, key },
          secret,
          value: secret && secretValue(secret.object, key),
        };
      } else if (typeof auth.password === "string") password = { ...password, value: auth.password };
      const state = stateOf([username, password], wantNs ?? "");
      const job_ = `job ${JSON.stringify(getPath(job, "job_name"))}`;
      return [
        {
          sender: "Prometheus",
          reader: `Prometheus's ${job_}`,
          state,
          from: (field) => {
            const secret = fieldOf(state, field)?.secret;
            return secret ? `Secret ${nameOf(secret.object)}` : `${job_}'s basic_auth`;
          },
          source: (field) =>
            secretFieldSource(s, fieldOf(state, field)) ??
            (field === "username"
              ? at("username", username.value)
              : at(file ? "password_file" : "password", auth.password_file ?? auth.password, !file)),
        },
      ];
    }),
  );
}

/** Every scraper's credentials, where a password is required: ServiceMonitors first, as before. */
export function scrapeCredentials(s: ChartSetup): ScrapeCredentials[] {
  const monitors: ScrapeCredentials[] = scrapers(s).map(({ sm, state }) => ({
    sender: "Prometheus",
    reader: null,
    state,
    from: secretFrom(state),
    source: (field) =>
      secretFieldSource(s, fieldOf(state, field)) ??
      (selectorSources(s, sm, fieldOf(state, field) as SelectorState, "key")[0] as Source),
  }));
  // Like the ServiceMonitors': without a required password there is nothing to compare.
  if (!requiresPassword(s)) return monitors;
  const objects = (["ScrapeConfig", "VMServiceScrape"] as const).flatMap((kind) =>
    objectsOf(s, kind).map((p): ScrapeCredentials => {
      const namespace = String(getPath(p.object, "metadata.namespace"));
      const endpoints = getPath(p.object, "spec.endpoints");
      const auth =
        kind === "ScrapeConfig"
          ? getPath(p.object, "spec.basicAuth")
          : getPath(Array.isArray(endpoints) ? endpoints[0] : undefined, "basicAuth");
      const state = resolveBasicAuth(s, auth, namespace);
      const path = kind === "ScrapeConfig" ? ["spec", "basicAuth"] : ["spec", "endpoints", 0, "basicAuth"];
      return {
        sender: kind === "VMServiceScrape" ? "VMAgent" : "Prometheus",
        reader: `${kind} ${nameOf(p.object as never)}`,
        state,
        from: secretFrom(state),
        source: (field) =>
          secretFieldSource(s, fieldOf(state, field)) ??
          os(s, p, [...path, field, "key"], fieldOf(state, field)?.selector?.key),
      };
    }),
  );
  return [...monitors, ...objects, ...alloyCredentials(s), ...prometheusCredentials(s)];
}
