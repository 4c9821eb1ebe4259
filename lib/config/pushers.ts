/**
 * Push users: one basic auth user per job that pushes, besides the scrape user. Each has a
 * name (its username, and part of its Secret's name), the namespace its job runs in, and its
 * own password (and, where the bundle embeds one, its bcrypt hash).
 */
import { z } from "./zod";
import { bcryptHashRule, dnsLabelRule, passwordRule, rawUsernameRule } from "./field-rules";

export interface Pusher {
  name: string;
  namespace: string;
  password: string;
  /** bcrypt hash of `password` where the bundle embeds one; empty until hashed. */
  passwordHash: string;
  /**
   * The basic auth username when it is not the name: a password rotation moves the pusher to
   * a new user (`backup-2`) while its Secret, job and metrics keep the name. Absent: the name.
   */
  username?: string;
}

/** The user a pusher pushes as: its username after a rotation, else its name. */
export function pusherUsername(p: { name: string; username?: string | undefined }): string {
  return p.username || p.name;
}

/** At most this many pushers: each is a user, a Secret and a bcrypt hash. */
export const MAX_PUSHERS = 50;

/**
 * A pusher's name: its basic auth username and part of its Secret's name, so a DNS-1123 label
 * (which is also a plain YAML word, safe where the chart writes usernames raw), at most 40
 * characters so that `<fullname>-push-<name>` stays a valid Secret name.
 */
export function pusherNameRule(value: string): string | null {
  const label = dnsLabelRule(value, 40);
  if (label) return label;
  return rawUsernameRule(value);
}

const pusherLabel = (p: { name?: unknown }, i: number) =>
  typeof p.name === "string" && p.name !== "" ? `Pusher "${p.name}"` : `Pusher ${i + 1}`;

const pusherSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  password: z.string(),
  passwordHash: z.string().default(""),
  username: z.string().optional(),
});

/** The list of pushers; each problem names the pusher and what to change. */
export const pushersSchema = z
  .array(pusherSchema, { error: "Pushers must be a list of name, namespace and password" })
  .max(MAX_PUSHERS, { error: `Pushers: at most ${MAX_PUSHERS}` })
  .superRefine((pushers, ctx) => {
    pushers.forEach((p, i) => {
      const who = pusherLabel(p, i);
      const problems = [
        ["name", pusherNameRule(p.name)],
        ["namespace", dnsLabelRule(p.namespace)],
        ["password", passwordRule(p.password)],
        ["passwordHash", p.passwordHash === "" ? null : bcryptHashRule(p.passwordHash)],
        ["username", p.username === undefined || p.username === "" ? null : pusherNameRule(p.username)],
      ] as const;
      for (const [key, broken] of problems) {
        if (broken) {
          const what = key === "passwordHash" ? "password hash" : key;
          ctx.addIssue({ code: "custom", path: [i, key], message: `${who}: ${what} ${broken}` });
        }
      }
    });
  });

/**
 * Duplicate usernames among the scrape user and the pushers: one message per repeat, with the
 * index of the pusher that repeats (the form shows it next to that pusher's name).
 */
export function duplicateUsernames(
  scrapeUsername: string,
  pushers: readonly Pick<Pusher, "name" | "username">[],
): { index: number; message: string }[] {
  const seen = new Set([scrapeUsername]);
  const names = new Set<string>();
  const problems: { index: number; message: string }[] = [];
  pushers.forEach((p, index) => {
    const user = pusherUsername(p);
    const problem = (message: string) => problems.push({ index, message });
    if (names.has(p.name)) problem(`Pusher "${p.name}" is listed twice: every pusher needs its own name`);
    else if (seen.has(user)) {
      problem(
        user === scrapeUsername
          ? `Pusher "${p.name}" has the scrape user's name: every user needs its own name, or revoking one revokes both`
          : `Pusher "${p.name}" pushes as user "${user}", which another pusher also uses: every pusher needs its own user`,
      );
    }
    seen.add(user);
    names.add(p.name);
  });
  return problems;
}

/** Parses `NAME@NAMESPACE` (the CLI's --pusher); null with the reason otherwise. */
export function parsePusherSpec(spec: string): { name: string; namespace: string } | { error: string } {
  const at = spec.lastIndexOf("@");
  if (at <= 0 || at === spec.length - 1) return { error: `"${spec}" must be NAME@NAMESPACE, e.g. backup@batch` };
  return { name: spec.slice(0, at), namespace: spec.slice(at + 1) };
}
