/**
 * Pushgateway's web config (exporter-toolkit): writing it, and reading it back the way its Go
 * YAML decoder does, which is what decides whether a username survives.
 */
import { FAILSAFE_SCHEMA, load, nullYaml11Tag, realMapTag } from "js-yaml";
import { toYaml } from "../yaml/serialize";

/** Key of the chart's web-config Secret and the file name Pushgateway reads. */
export const WEB_CONFIG_KEY = "web-config.yaml";
/** Pushgateway's flag naming its web config file; the chart passes it once webConfiguration is set. */
export const WEB_CONFIG_FLAG = "--web.config.file";
/** Stands in for the chart's htpasswd output, which has a random salt. */
export const CHART_HASH_PLACEHOLDER = `$2a$10$${"x".repeat(53)}`;
// exporter-toolkit's parser is strict: any other top-level key stops Pushgateway.
const TOP_LEVEL_KEYS = new Set(["tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"]);

/** The web config holding one user and its bcrypt hash; the username is quoted when needed. */
export function webConfigText(username: string, passwordHash: string): string {
  return toYaml({ basic_auth_users: { [username]: passwordHash } });
}

// Go's yaml.v2 decodes a plain scalar key into a string key as its source text (`yes` stays
// "yes", `12345` stays "12345"), except null (`null`, `~`), which becomes "". Only nulls and
// strings are told apart, so the failsafe schema plus the null tag reads keys the same way.
const GO_STRING_KEYS = FAILSAFE_SCHEMA.withTags(nullYaml11Tag, realMapTag);

type WebConfigRead = { users: Map<string, string>; error: null } | { users: null; error: string };

/** The users Pushgateway would load from a web config text, or why it would refuse to start. */
export function readWebConfig(text: string): WebConfigRead {
  let doc: unknown;
  try {
    doc = load(text, { schema: GO_STRING_KEYS });
  } catch (error) {
    return { users: null, error: `the web config does not parse: ${(error as Error).message.split("\n")[0]}` };
  }
  if (!(doc instanceof Map)) return { users: null, error: "the web config is not a map" };
  const unknown = [...doc.keys()].filter((k) => typeof k !== "string" || !TOP_LEVEL_KEYS.has(k));
  if (unknown.length)
    return { users: null, error: `the web config has keys Pushgateway rejects: ${unknown.map(String).join(", ")}` };
  const raw = doc.get("basic_auth_users");
  if (!(raw instanceof Map)) return { users: null, error: "the web config has no basic_auth_users map" };
  const users = new Map<string, string>();
  for (const [key, hash] of raw) {
    if (key !== null && typeof key !== "string")
      return { users: null, error: "the web config has a username that is not text" };
    users.set(key ?? "", typeof hash === "string" ? hash : "");
  }
  return { users, error: null };
}

/**
 * The web config the chart renders from webConfiguration.basicAuthUsers: each username is
 * written raw and unquoted, `  {{ $k }}: {{ htpasswd "" $v | trimPrefix ":" }}`.
 */
export function chartWebConfigText(users: readonly (readonly [string, string])[]): string {
  return `basic_auth_users:${users.map(([user, hash]) => `\n  ${user}: ${hash}`).join("")}`;
}

interface RawUsernameRead {
  /** Pushgateway loads exactly this username back. */
  survives: boolean;
  /** The only username Pushgateway loads instead, if there is one. */
  readsAs: string | undefined;
  /** Why Pushgateway refuses the file, when it does. */
  error: string | null;
}

/** How Pushgateway reads back a username the chart writes raw into its web config. */
export function readRawUsername(user: string): RawUsernameRead {
  const read = readWebConfig(chartWebConfigText([[user, CHART_HASH_PLACEHOLDER]]));
  const names = read.users ? [...read.users.keys()] : [];
  return {
    survives: names.length === 1 && names[0] === user,
    readsAs: names.length === 1 ? names[0] : undefined,
    error: read.error,
  };
}
