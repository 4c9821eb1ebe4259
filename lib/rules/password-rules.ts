/**
 * Rules about where the password goes besides the scrape Secret: into the probes, which must
 * get past basic auth too, and into the chart values (values.yaml, a HelmRelease, an Application),
 * where the chart hashes it at every render.
 */
import { WEB_CONFIG_FLAG } from "../chart/web-config";
import { APPLICATION_FILE, FLUX_VALUES_SECRET_FILE } from "../outputs/gitops-files";
import { VALUES_FILE } from "../outputs/values-file";
import { basicAuthUsersOf, EXISTING_SECRET_SINCE, requiresPassword, vs } from "./common";
import { pass, problem, type Rule } from "./rule";
import type { ResolvedSetup } from "./setup";

/**
 * Where the chart's values live, in the words of the tool that hands them to Helm: values.yaml
 * for the Helm CLI (and pasted files), the HelmRelease for Flux (the password itself arrives
 * through spec.valuesFrom from a Secret), the Application's valuesObject for Argo CD.
 */
function valuesHome(s: ResolvedSetup) {
  switch (s.generatedFrom?.deploy) {
    case "flux":
      return {
        name: "the HelmRelease's values",
        holds: "The HelmRelease's values hold",
        needs: `its values; the HelmRelease does not hold it (Flux merges it in from the Secret in ${FLUX_VALUES_SECRET_FILE} through spec.valuesFrom), and the chart writes it, base64-encoded, into the probes`,
        keep: `or keep ${FLUX_VALUES_SECRET_FILE} out of Git like the other Secrets (apply it out of band).`,
      };
    case "argocd":
      return {
        name: "the Application's helm.valuesObject",
        holds: "The Application's helm.valuesObject holds",
        needs: `the Application's helm.valuesObject, which goes to Git with ${APPLICATION_FILE}, and writes it, base64-encoded, into the probes`,
        keep: `or encrypt ${APPLICATION_FILE} before it goes to Git: it is as secret as the password.`,
      };
    default:
      return {
        name: VALUES_FILE,
        holds: `${VALUES_FILE} holds`,
        needs: `${VALUES_FILE} and writes it, base64-encoded, into the probes`,
        keep: `or keep ${VALUES_FILE} as secret as the password.`,
      };
  }
}

export const probesWithoutCredentials: Rule = {
  id: "probes-without-credentials",
  title: "Probes get 401",
  passTitle: "Probes pass basic auth",
  severity: "fail",
  reads: "the liveness and readiness probes the chart renders, when Pushgateway requires a password",
  scope: "chart",
  judge: (s) => {
    if (!requiresPassword(s) || !s.valuesKnown) return [];
    const probes = [s.view.chart.liveness, s.view.chart.readiness];
    const bare = probes.filter((p) => p.kind === "http" && !p.authorization);
    if (bare.length && s.auth.kind === "extra-args" && s.extraArgs) {
      return [
        problem(
          `Pushgateway requires basic auth through extraArgs (${WEB_CONFIG_FLAG}), but the chart adds an Authorization header to its liveness and readiness probes only for webConfiguration.basicAuthUsers: the probes get 401 and Kubernetes restarts the pod again and again.`,
          [vs(s, ["extraArgs", s.extraArgs.argIndex]), vs(s, "liveness.enabled"), vs(s, "readiness.enabled")],
          `Configure basic auth with webConfiguration instead (chart ${s.chartVersion.value} then ${s.profile.probes === "tcp-socket" ? "switches the probes to tcpSocket with existingSecret" : "gives the probes the Authorization header"}) and remove ${WEB_CONFIG_FLAG} from extraArgs.`,
        ),
      ];
    }
    if (bare.length) {
      return [
        problem(
          "The liveness or readiness probe calls Pushgateway without credentials: it gets 401 and the pod restarts.",
          [vs(s, "liveness.enabled"), vs(s, "readiness.enabled")],
          "Configure basic auth with webConfiguration, which gives the probes what they need.",
        ),
      ];
    }
    if (probes.some((p) => p.kind === "tcp-socket"))
      return [pass("Probes use tcpSocket (the chart cannot read the credentials from the existing Secret).")];
    if (probes.some((p) => p.kind === "http"))
      return [pass("Probes send an Authorization header built by the chart from the same user and password.")];
    return [pass("Both probes are disabled: neither calls Pushgateway.")];
  },
};

export const plaintextPasswordInValues: Rule = {
  id: "plaintext-password-in-values",
  title: "Plaintext password in the chart's values",
  passTitle: "No plaintext password in the chart's values",
  severity: "warn",
  reads:
    "webConfiguration.basicAuthUsers, and whether the chart version can do without it (or, for a bundle, a later one can)",
  scope: "chart",
  judge: (s) => {
    const users = Object.keys(basicAuthUsersOf(s.values));
    const evidence = () => users.map((u) => vs(s, ["webConfiguration", "basicAuthUsers", u], true));
    const home = valuesHome(s);
    if (users.length === 0) {
      return requiresPassword(s) ? [pass(`${home.holds} no password: the web config carries only a bcrypt hash.`)] : [];
    }
    if (s.profile.webConfig === "existing-secret") {
      const ignoredHere = s.auth.kind === "existing-secret";
      return [
        problem(
          `webConfiguration.basicAuthUsers holds ${users.length === 1 ? "a plaintext password" : "plaintext passwords"}${ignoredHere ? " the chart does not even use (existingSecret is set)" : ", which the chart re-hashes with a new salt at every render (drift in GitOps tools)"}; chart ${s.chartVersion.value} can keep them out of ${home.name} with webConfiguration.existingSecret.`,
          evidence(),
          "Keep a bcrypt-hashed web config in a Secret, set webConfiguration.existingSecret.name to it and remove basicAuthUsers (pushgateway-auth generates both).",
        ),
      ];
    }
    // This chart version needs the plaintext: advice only where the version is being chosen.
    if (!s.generatedFrom) return [];
    return [
      problem(
        `Chart ${s.chartVersion.value} needs the plaintext password in ${home.needs}; chart ${EXISTING_SECRET_SINCE} and later can keep it out.`,
        evidence(),
        `Choose chart ${EXISTING_SECRET_SINCE} or later, ${home.keep}`,
      ),
    ];
  },
};

export const stableOutput: Rule = {
  id: "stable-output",
  title: "The web config changes at every render",
  passTitle: "No drift on re-render",
  severity: "warn",
  reads: "who hashes the password (the chart, or the generator once), in a generated bundle",
  scope: "chart",
  judge: (s) => {
    // The chart version is a given in a pasted setup; advice only where it is being chosen.
    if (!s.generatedFrom) return [];
    if (s.auth.kind === "existing-secret")
      return [pass("The hash is computed once and kept: re-rendering gives the same bytes.")];
    if (s.auth.kind !== "chart" || !requiresPassword(s)) return [];
    // The probes' Authorization header is `keys | first` (chart _helpers.tpl): sprig's `keys`
    // is Go map order, random at every render once there are several users.
    const probes =
      Object.keys(basicAuthUsersOf(s.values)).length > 1
        ? "; with several users its probes also pick one at random, so the Deployment changes too"
        : "";
    return [
      problem(
        `The chart hashes the password with a random salt at every render, so its web-config Secret changes on every helm upgrade${probes} (GitOps tools report drift).`,
        [vs(s, "webConfiguration.basicAuthUsers", true), s.chartVersion.source],
        `Choose chart ${EXISTING_SECRET_SINCE} or later, where the web config is a Secret hashed once; or have the GitOps tool ignore that Secret's data.`,
      ),
    ];
  },
};
