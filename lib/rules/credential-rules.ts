/**
 * Rules about the credentials the scraper sends (a ServiceMonitor's, a ScrapeConfig's, a
 * VMServiceScrape's, Alloy's or a Prometheus job's; lib/rules/scrape-credentials.ts): the user
 * and password must be ones Pushgateway's web config accepts.
 */
import {
  compareCredentials,
  secretKeyPath,
  valueUnknown,
  type BasicAuthState,
  type Placed,
} from "../engine/cluster-view";
import type { Secret } from "../k8s/types";
import { isFile, nameOf, os, q, vs } from "./common";
import { showValue, type Source } from "./evidence";
import { pass, problem, type JudgeOptions, type Rule, type Verdict } from "./rule";
import { scrapeCredentials, type ScrapeCredentials } from "./scrape-credentials";
import type { ChartSetup } from "./setup";

type Comparison = {
  cred: ScrapeCredentials;
  state: BasicAuthState;
  verdict: ReturnType<typeof compareCredentials>;
  /** Evidence: a scrape Secret's key, and the web config's users (`null`: the list) or one user's entry. */
  secretSource: (field: "username" | "password") => Source;
  webUsersSource: (user: string | null) => Source;
  /** Why the comparison could not be made: Secrets a controller makes, whose values the bundle does not hold. */
  producedBy?: string;
};

/** The Secrets among the scrape Secret and the web config whose values only their controller knows. */
function unknownValues(s: ChartSetup, state: BasicAuthState): string[] {
  const web = s.webConfig;
  const names = state.fields
    .filter((f) => f.secret && typeof f.selector?.key === "string" && valueUnknown(f.secret.object, f.selector.key))
    .map((f) => nameOf((f.secret as Placed<Secret>).object));
  if (web?.secret && valueUnknown(web.secret.object, web.key)) names.push(nameOf(web.secret.object));
  return [...new Set(names)];
}

// Three rules ask, with the same options.
const comparisonsOf = new WeakMap<ChartSetup, { options: JudgeOptions; found: Comparison[] }>();

function comparisons(s: ChartSetup, options: JudgeOptions): Comparison[] {
  let memo = comparisonsOf.get(s);
  if (memo?.options !== options) comparisonsOf.set(s, (memo = { options, found: compare(s, options) }));
  return memo.found;
}

/** The credentials each scraper sends, compared with the web config, where both are known. */
function compare(s: ChartSetup, options: JudgeOptions): Comparison[] {
  const web = s.webConfig;
  const users = web?.users;
  if (!web) return [];
  return scrapeCredentials(s).flatMap((cred) => {
    const { state } = cred;
    const produced = unknownValues(s, state);
    const known = users && state.username !== undefined && state.password !== undefined;
    if (!known && !produced.length) return [];
    const verdict = known
      ? compareCredentials(s.view, users, state.username, state.password, options.passwordMatchesHash)
      : ({ status: "unverified", hash: "" } as const);
    const chartUsers = s.auth.kind === "chart" && web.secret?.origin.kind === "chart";
    const webUsersSource = (user: string | null): Source => {
      if (chartUsers) {
        return user === null
          ? { ...vs(s, "webConfiguration.basicAuthUsers", true), value: showValue([...(users?.keys() ?? [])]) }
          : vs(s, ["webConfiguration", "basicAuthUsers", user], true);
      }
      if (web.secret && isFile(web.secret)) {
        const source = os(s, web.secret, secretKeyPath(web.secret.object, web.key), undefined, true);
        return user === null ? { ...source, value: showValue([...(users?.keys() ?? [])]) } : source;
      }
      return vs(s, "webConfiguration");
    };
    return [
      {
        cred,
        state,
        verdict,
        secretSource: cred.source,
        webUsersSource,
        ...(known ? {} : { producedBy: produced.join(" and ") }),
      },
    ];
  });
}

/** ", which ScrapeConfig ns/name reads": who reads the Secret, for scrapers other than a ServiceMonitor. */
const readBy = (cred: ScrapeCredentials) => (cred.reader ? `, which ${cred.reader} reads,` : "");
const keyOf = (state: BasicAuthState) => state.fields.find((f) => f.field === "password")?.selector?.key;

export const unknownUser: Rule = {
  id: "unknown-user",
  title: "Pushgateway does not know the scrape user",
  severity: "fail",
  reads: "the scrape Secret's username against the web config's users",
  scope: "chart",
  judge: (s, options) =>
    comparisons(s, options)
      .filter((c) => c.verdict.status === "unknown-user")
      .map(({ cred, state, secretSource, webUsersSource }) =>
        problem(
          `${cred.sender} sends user ${q(state.username)} (${cred.from("username")}${cred.reader ? `, for ${cred.reader}` : ""}), but the web config only knows ${q([...(s.webConfig?.users?.keys() ?? [])])}: Pushgateway answers 401.`,
          [secretSource("username"), webUsersSource(null)],
          "Use the same username in the scrape Secret and in the web config.",
        ),
      ),
};

export const passwordMismatch: Rule = {
  id: "password-mismatch",
  title: "Scrape password does not match",
  passTitle: "Credentials agree",
  severity: "fail",
  reads:
    "the scrape Secret's password, trimmed as Prometheus sends it, against the web config's hash or basicAuthUsers",
  scope: "chart",
  judge: (s, options) =>
    comparisons(s, options).flatMap(({ cred, state, verdict, secretSource, webUsersSource }): Verdict[] => {
      if (verdict.status === "match") {
        return [
          pass(
            verdict.by === "plaintext"
              ? "The scrape Secret holds the same user and password the chart hashes into its web config."
              : "The scrape Secret's password matches the bcrypt hash in the web config.",
          ),
        ];
      }
      if (verdict.status !== "mismatch") return [];
      const web = s.webConfig;
      const where = `${cred.from("password")}${keyOf(state) === undefined ? "" : ` (key ${keyOf(state)})`}${readBy(cred)}`;
      return [
        problem(
          verdict.by === "plaintext"
            ? `The password in ${where} is not the one in webConfiguration.basicAuthUsers.${state.username}, which the chart hashes into the web config: Pushgateway answers 401.`
            : `The password in ${where} does not match the bcrypt hash for user ${q(state.username)} in the web config Secret ${web?.namespace}/${web?.secretName}: Pushgateway answers 401.`,
          [secretSource("password"), webUsersSource(state.username as string)],
          verdict.by === "plaintext"
            ? "Put the same password in both places (pushgateway-auth generates both from one)."
            : "Put the password behind the hash into the scrape Secret, or hash the scrape password into the web config (pushgateway-auth generates both from one).",
        ),
      ];
    }),
};

export const passwordNotVerified: Rule = {
  id: "password-not-verified",
  title: "Password not compared with the hash",
  severity: "info",
  reads: "the scrape password and the web config's bcrypt hash, when bcrypt could not run",
  scope: "chart",
  judge: (s, options) =>
    comparisons(s, options)
      .filter((c) => c.verdict.status === "unverified")
      .map(({ state, secretSource, webUsersSource, producedBy }) =>
        producedBy
          ? problem(
              `The scrape password was not compared with the web config: ${producedBy} ${producedBy.includes(" and ") ? "are" : "is"} made by their controllers (SealedSecret or ExternalSecret), so the bundle holds the keys but not the values.`,
              [secretSource("password")],
              "Once the controller has made the Secrets, check them on the cluster: npm run diagnose with kubectl get secret ... -o yaml.",
            )
          : problem(
              `The scrape password was not compared with the bcrypt hash of user ${q(state.username)} in Secret ${s.webConfig?.namespace}/${s.webConfig?.secretName}.`,
              [secretSource("password"), webUsersSource(state.username as string)],
              "Compare them where bcrypt can run: the CLI (npm run diagnose) compares hashes of cost 16 or less.",
            ),
      ),
};
