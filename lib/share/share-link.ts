/**
 * Share links: the form's settings in a URL fragment (never sent to a server), without any
 * credential, compressed, versioned, and pinned to the chart version they were made for.
 *
 * Format `s<version>.<payload>`: payload is lz-string's URI-safe compression of a JSON object
 * holding `chartVersion` and every other field that differs from that version's defaults, the
 * pushers (`pushers`) and, with Sealed Secrets, the controller's public certificate (`cert`,
 * its DER in base64) when the link stays short enough ({@link MAX_LINK_WITH_CERTIFICATE}).
 * Defaults are frozen per format version, so changing {@link DEFAULTS} later cannot change
 * what an old link means; a new format version with a migration does.
 */
import LZString from "lz-string";
import {
  DEFAULTS,
  FIELD_NAMES,
  FIELDS,
  SECRET_FIELDS,
  validateConfig,
  type ConfigInput,
  type FieldName,
} from "../config/schema";
import { MAX_PUSHERS } from "../config/pushers";

/** Format 1's defaults, frozen: exactly DEFAULTS when format 1 was made (a test pins this). */
const V1_DEFAULTS: Readonly<Record<string, string | boolean>> = {
  chartVersion: "3.8.0",
  releaseName: "pushgateway",
  namespace: "monitoring",
  nameOverride: "",
  fullnameOverride: "",
  username: "prometheus",
  serviceMonitorNamespace: "",
  prometheusSelector: "release=kube-prometheus-stack",
  serviceMonitorMode: "auto",
  interval: "30s",
  scrapeTimeout: "10s",
  prometheusNamespace: "monitoring",
  networkPolicyEnabled: false,
  networkPolicyPrometheusPods: "app.kubernetes.io/name=prometheus",
  networkPolicyPusherPods: "pushgateway-client=true",
  // Added later with the default that means "as before": links without it keep their meaning.
  scraper: "operator",
  // Links made before "Deploy with" mean the Helm CLI.
  deploy: "helm",
  // Links made before "Secrets as" mean plain Secrets.
  secretsAs: "plain",
  sealingScope: "strict",
  secretStore: "",
  secretStoreKind: "ClusterSecretStore",
  remoteKey: "pushgateway/auth",
  sopsAge: "",
};

/** Each format version's defaults and how to turn its settings into the next version's. */
const FORMATS: Record<
  number,
  { defaults: Readonly<Record<string, string | boolean>>; migrate?: (s: Settings) => Settings }
> = {
  1: { defaults: V1_DEFAULTS },
};
export const CURRENT_FORMAT = 1;

/** Fields a link may carry: everything but credentials. */
export const SHAREABLE_FIELDS = FIELD_NAMES.filter((f) => !SECRET_FIELDS.includes(f));

// A fragment is at most this long (a full config compresses to a few hundred characters),
// and decompresses to at most this much: a hostile link cannot make the page work hard.
const MAX_FRAGMENT = 4096;
const MAX_JSON = 16384;
const MAX_VALUE = 1000;

type Settings = Record<string, string | boolean>;

/**
 * The longest link (address and fragment) that carries the sealing certificate: longer links
 * get cut by chat tools, mail clients and some proxies. A 2048-bit certificate fits with the
 * settings; kubeseal's default 4096-bit one does not, and the page opening such a link asks
 * for the certificate again.
 */
export const MAX_LINK_WITH_CERTIFICATE = 2000;
// Base64 of a certificate of up to 8192 bits and then some: what a link's `cert` may hold.
const MAX_CERTIFICATE = 3000;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

export interface ShareOptions {
  /** The sealing certificate (PEM), carried with Sealed Secrets when the link stays short enough. */
  sealingCertificate?: string;
  /** The address the fragment goes after (what that length counts). */
  baseUrl?: string;
}

/** The fragment (without `#`) for a config's shareable settings. */
export function encodeShareFragment(config: Pick<ConfigInput, FieldName>, options: ShareOptions = {}): string {
  const defaults = FORMATS[CURRENT_FORMAT]!.defaults;
  const settings: Settings = {};
  // In the format's own key order, so that reordering the form does not change links.
  for (const field of Object.keys(defaults) as FieldName[]) {
    const value = config[field];
    if (value === undefined || typeof value === "object") continue;
    // Pinned: a link means the chart version it was made for, whatever the default becomes.
    if (field === "chartVersion" || value !== defaults[field]) settings[field] = value;
  }
  const withPushers = config.pushers?.length ? { ...settings, pushers: encodePushers(config.pushers) } : settings;
  const fragment = (payload: object) =>
    `s${CURRENT_FORMAT}.${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;
  const plain = fragment(withPushers);
  // Only the public certificate's own base64 (a private key never matches), and only while it fits.
  const cert = config.secretsAs === "sealed" ? PEM_CERTIFICATE.exec(options.sealingCertificate ?? "") : null;
  if (!cert) return plain;
  const withCert = fragment({ ...withPushers, cert: cert[1]!.replace(/\s+/g, "") });
  return (options.baseUrl ?? "").length + 1 + withCert.length <= MAX_LINK_WITH_CERTIFICATE ? withCert : plain;
}

/** A link's certificate (base64 DER) back in PEM, 64 columns as openssl writes it. */
function certificatePem(base64: string): string {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

export interface DecodedShareLink {
  /** Settings to put in the form; fields not listed keep their defaults. Never credentials. */
  input: Partial<ConfigInput>;
  /** One sentence per thing that could not be used; empty when the link was fully used. */
  problems: string[];
  /** With Sealed Secrets, the certificate (PEM) when the link carried it; check it before use. */
  sealingCertificate?: string;
}

const nothing = (problem: string): DecodedShareLink => ({ input: {}, problems: [problem] });

/**
 * Reads a fragment (with or without `#`) or a whole URL. Never throws: damaged, tampered or
 * unknown links give problems and fall back to defaults for whatever cannot be used.
 */
export function decodeShareFragment(link: string): DecodedShareLink {
  const hash = link.includes("#") ? link.slice(link.indexOf("#") + 1) : link;
  if (hash === "") return { input: {}, problems: [] };
  if (hash.length > MAX_FRAGMENT)
    return nothing(`The link is too long (${hash.length} characters) to be a share link.`);
  const match = /^s([0-9]{1,4})\.([A-Za-z0-9+\-$]*)$/.exec(hash);
  if (!match) return nothing("The link is damaged: its settings part is not in the share-link format.");
  const version = Number(match[1]);
  if (!FORMATS[version]) {
    return nothing(`The link uses settings format ${version}, which this version of the page does not know.`);
  }
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(match[2] as string);
  } catch {
    json = null;
  }
  if (!json) return nothing("The link is damaged: its settings do not decompress.");
  if (json.length > MAX_JSON) return nothing("The link's settings are too large.");
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return nothing("The link is damaged: its settings are not valid JSON.");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return nothing("The link is damaged: its settings are not a set of fields.");
  }

  const problems: string[] = [];
  let settings: Settings = {};
  // Pushers travel as a list of [name, namespace]; links without them decode as before.
  const { pushers: rawPushers, cert, ...rest } = raw as Record<string, unknown>;
  const pushers = rawPushers === undefined ? [] : decodePushers(rawPushers, problems);
  for (const [key, value] of Object.entries(rest)) {
    if ((SECRET_FIELDS as string[]).includes(key)) {
      problems.push(
        `The link carried a ${FIELDS[key as FieldName].label.toLowerCase()}, which links never hold: it was ignored.`,
      );
    } else if (!(SHAREABLE_FIELDS as string[]).includes(key)) {
      problems.push(`The link carried an unknown setting "${key.slice(0, 40)}": it was ignored.`);
    } else if (typeof value !== typeof V1_DEFAULTS[key]) {
      problems.push(`${FIELDS[key as FieldName].label} in the link has the wrong type: the default is used.`);
    } else if (typeof value === "string" && value.length > MAX_VALUE) {
      problems.push(`${FIELDS[key as FieldName].label} in the link is too long: the default is used.`);
    } else {
      settings[key] = value as string | boolean;
    }
  }
  // Fill in the defaults of the link's own format, then migrate to the current format.
  settings = { ...FORMATS[version]!.defaults, ...settings };
  for (let v = version; v < CURRENT_FORMAT; v++) settings = FORMATS[v]!.migrate!(settings);

  // A value the schema refuses falls back to its default, and the user is told which and why.
  for (let pass = 0; pass < SHAREABLE_FIELDS.length; pass++) {
    const result = validateConfig({ ...DEFAULTS, ...settings, password: "placeholder", pushers });
    if (result.ok) break;
    for (const error of result.errors) {
      if (!error.field || !(error.field in settings)) continue;
      problems.push(`${FIELDS[error.field].label} from the link was replaced by the default: ${error.message}`);
      delete settings[error.field];
    }
  }
  const input: Partial<ConfigInput> = {};
  for (const field of SHAREABLE_FIELDS) {
    if (field in settings && settings[field] !== DEFAULTS[field])
      (input as Settings)[field] = settings[field] as string | boolean;
  }
  if (!("chartVersion" in input) && "chartVersion" in settings) input.chartVersion = settings.chartVersion as string;
  if (pushers.length) {
    const checked = validateConfig({ ...DEFAULTS, ...settings, password: "placeholder", pushers });
    if (checked.ok) input.pushers = pushers.map((p) => ({ ...p, password: "", passwordHash: "" }));
    else problems.push(`The link's pushers were left out: ${checked.errors.map((e) => e.message).join("; ")}`);
  }
  if (cert === undefined) return { input, problems };
  if (typeof cert !== "string" || cert.length > MAX_CERTIFICATE || !/^[A-Za-z0-9+/]+={0,2}$/.test(cert))
    problems.push("The link's sealing certificate is damaged: it was left out.");
  else if (input.secretsAs !== "sealed")
    problems.push("The link carried a sealing certificate without Sealed Secrets: it was ignored.");
  else return { input, problems, sealingCertificate: certificatePem(cert) };
  return { input, problems };
}

/** Pushers in a link: name and namespace (and the user a rotation gave it), never a password or hash. */
function encodePushers(
  pushers: readonly { name: string; namespace: string; username?: string | undefined }[],
): string[][] {
  return pushers.map((p) =>
    p.username && p.username !== p.name ? [p.name, p.namespace, p.username] : [p.name, p.namespace],
  );
}

/**
 * The pushers of a link, each with a placeholder password (the user gives the real ones), or
 * none with a problem when the list is damaged.
 */
function decodePushers(
  raw: unknown,
  problems: string[],
): { name: string; namespace: string; password: string; username?: string }[] {
  const ok =
    Array.isArray(raw) &&
    raw.length <= MAX_PUSHERS &&
    raw.every(
      (p) =>
        Array.isArray(p) &&
        (p.length === 2 || p.length === 3) &&
        p.every((x) => typeof x === "string" && x.length > 0 && x.length <= MAX_VALUE),
    );
  if (!ok) {
    problems.push("The link's pushers are damaged: they were left out.");
    return [];
  }
  return (raw as [string, string, string?][]).map(([name, namespace, username]) => ({
    name,
    namespace,
    password: "placeholder",
    ...(username ? { username } : {}),
  }));
}
