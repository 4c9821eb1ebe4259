/**
 * How the scrapers that read the scrape Secret themselves get at it: Alloy through RBAC that
 * must cover that Secret (and nothing more), plain Prometheus through a mounted password file.
 */
import { secretValue, valueUnknown, type Placed } from "../engine/cluster-view";
import type { Secret } from "../k8s/types";
import { getPath } from "../values/values";
import { nameOf, os, q, secretKeys } from "./common";
import { fileSource, type Source } from "./evidence";
import type { KubeObject } from "./input";
import { pass, problem, type Rule, type Verdict } from "./rule";
import { alloyConfigs, alloySecretRef, objectsOf, prometheusJobs, secretsNamed } from "./scraper-rules";

/** The Secret Alloy reads must be one its RBAC lets it get, and the RBAC should allow nothing else. */
export const alloyRbacCoversSecret: Rule = {
  id: "alloy-rbac-secret",
  title: "Alloy's RBAC does not let it read the scrape Secret",
  passTitle: "Alloy may read the scrape Secret, and only it",
  severity: "fail",
  reads: "the Secret Alloy's remote.kubernetes.secret reads, against the Roles and RoleBindings in its namespace",
  scope: "chart",
  judge: (s) =>
    alloyConfigs(s).flatMap((alloy): Verdict[] => {
      const ref = alloySecretRef(alloy.text);
      if (!ref) return [];
      const evidence: Source = {
        kind: "file",
        file: alloy.file,
        document: 0,
        path: "remote.kubernetes.secret",
        line: ref.line,
        value: `${ref.namespace}/${ref.name}`,
      };
      const roles = objectsOf(s, "Role").filter((p) => getPath(p.object, "metadata.namespace") === ref.namespace);
      const bound = (role: Placed<KubeObject>) =>
        objectsOf(s, "RoleBinding").some(
          (b) =>
            getPath(b.object, "metadata.namespace") === ref.namespace &&
            getPath(b.object, "roleRef.kind") === "Role" &&
            getPath(b.object, "roleRef.name") === getPath(role.object, "metadata.name") &&
            Array.isArray(getPath(b.object, "subjects")) &&
            (getPath(b.object, "subjects") as unknown[]).some((x) => getPath(x, "kind") === "ServiceAccount"),
        );
      const rulesOf = (role: Placed<KubeObject>) =>
        Array.isArray(role.object.rules) ? (role.object.rules as unknown[]) : [];
      const grants = (rule: unknown) => {
        const list = (k: string) =>
          Array.isArray(getPath(rule, k)) ? (getPath(rule, k) as unknown[]).map(String) : [];
        const names = list("resourceNames");
        return (
          list("apiGroups").includes("") &&
          (list("resources").includes("secrets") || list("resources").includes("*")) &&
          (list("verbs").includes("get") || list("verbs").includes("*")) &&
          (names.length === 0 || names.includes(ref.name))
        );
      };
      const covering = roles.filter((r) => bound(r) && rulesOf(r).some(grants));
      if (!covering.length) {
        return [
          problem(
            `Alloy reads Secret ${ref.namespace}/${ref.name} through the Kubernetes API, but no Role in ${ref.namespace} bound to a ServiceAccount lets it get that Secret: remote.kubernetes.secret fails, and prometheus.scrape has no password (401).`,
            [evidence, ...roles.map((r) => os(s, r, ["rules"], r.object.rules))],
            `Apply a Role in ${ref.namespace} with apiGroups [""], resources [secrets], resourceNames [${ref.name}], verbs [get], and a RoleBinding to Alloy's ServiceAccount.`,
          ),
        ];
      }
      const broad = covering.filter((r) =>
        rulesOf(r).some(
          (rule) =>
            !Array.isArray(getPath(rule, "resourceNames")) ||
            (getPath(rule, "resourceNames") as unknown[]).length !== 1 ||
            rulesOf(r).length > 1,
        ),
      );
      if (broad.length) {
        return [
          problem(
            `Role ${nameOf(broad[0]!.object as never)} lets Alloy read more than Secret ${ref.name}: limit it to that one Secret.`,
            [os(s, broad[0]!, ["rules"], broad[0]!.object.rules)],
            `Keep one rule: apiGroups [""], resources [secrets], resourceNames [${ref.name}], verbs [get].`,
            "warn",
          ),
        ];
      }
      return [
        pass(
          `Role ${nameOf(covering[0]!.object as never)} lets Alloy get Secret ${ref.namespace}/${ref.name} and nothing else.`,
        ),
      ];
    }),
};

/** Where the Operator mounts each Secret of prometheusSpec.secrets. */
const MOUNT_DIR = /^\/etc\/prometheus\/secrets\/([^/]+)\/([^/]+)$/;

export const prometheusPasswordFile: Rule = {
  id: "prometheus-password-file",
  title: "Prometheus's password_file is not the mounted Secret",
  passTitle: "password_file is the mounted Secret's password",
  severity: "fail",
  reads:
    "basic_auth.password_file of the Prometheus jobs scraping Pushgateway, against prometheusSpec.secrets and the Secrets",
  scope: "chart",
  judge: (s) =>
    prometheusJobs(s).flatMap((doc) =>
      doc.jobs.flatMap((job, i): Verdict[] => {
        const file = getPath(job, "basic_auth.password_file");
        if (typeof file !== "string") return [];
        const at = fileSource(s.setup, doc.origin, [...doc.jobsPath, i, "basic_auth", "password_file"], file);
        const m = MOUNT_DIR.exec(file);
        if (!m) {
          // A path of the user's own making: nothing to check it against.
          return s.generatedFrom
            ? [
                problem(
                  `password_file ${file} is not where a Secret is mounted (/etc/prometheus/secrets/SECRET/KEY).`,
                  [at],
                  "Mount the scrape Secret at /etc/prometheus/secrets/SECRET/ and read its password key.",
                ),
              ]
            : [];
        }
        const [, name, key] = m as unknown as [string, string, string];
        if (doc.mountedSecrets && !doc.mountedSecrets.includes(name)) {
          return [
            problem(
              `Job ${q(getPath(job, "job_name"))} reads ${file}, but prometheusSpec.secrets (${q(doc.mountedSecrets)}) does not mount Secret ${name}: Prometheus cannot read the password and the scrape fails.`,
              [at, fileSource(s.setup, doc.origin, ["prometheus", "prometheusSpec", "secrets"], doc.mountedSecrets)],
              `Add ${name} to prometheus.prometheusSpec.secrets.`,
            ),
          ];
        }
        const wantNs = s.generatedFrom?.prometheusNamespace;
        const named = secretsNamed(s, name);
        const here = named.find((x) => wantNs === undefined || x.object.metadata?.namespace === wantNs);
        if (!here) {
          if (!named.length && !s.generatedFrom) return [];
          return [
            problem(
              `Job ${q(getPath(job, "job_name"))} reads ${file}, mounted from Secret ${name}, which ${named.length ? `is in ${named.map((x) => x.object.metadata?.namespace).join(", ")}, not Prometheus's namespace ${wantNs}` : "does not exist"}: Prometheus mounts Secrets from its own namespace only.`,
              [at],
              `Create Secret ${name} in ${wantNs ?? "Prometheus's namespace"}.`,
            ),
          ];
        }
        if (
          secretValue((here as Placed<Secret>).object, key) === undefined &&
          !valueUnknown((here as Placed<Secret>).object, key)
        ) {
          return [
            problem(
              `Secret ${nameOf(here.object)} has no key ${q(key)}, the file ${file} reads.`,
              [at],
              `Read a key the Secret has (${q(secretKeys(here.object))}).`,
            ),
          ];
        }
        return [
          pass(
            `Job ${q(getPath(job, "job_name"))} reads its password from Secret ${nameOf(here.object)}, mounted at ${file}.`,
          ),
        ];
      }),
    ),
};
