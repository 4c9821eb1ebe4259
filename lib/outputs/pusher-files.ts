/** pusher-secrets.yaml and pusher-cronjob.example.yaml: one user per job that pushes. */
import { BASIC_AUTH_PASSWORD_KEY, BASIC_AUTH_USERNAME_KEY } from "../engine/build-manifests";
import { buildPusherCronJobs, buildPusherSecrets, pushgatewayUrl } from "../engine/pushers";
import { toYamlFile } from "../yaml/serialize";
import type { Output } from "./output";

export const PUSHER_SECRETS_FILE = "pusher-secrets.yaml";
export const PUSHER_CRONJOB_FILE = "pusher-cronjob.example.yaml";

const KEYS = { username: BASIC_AUTH_USERNAME_KEY, password: BASIC_AUTH_PASSWORD_KEY };

export const pusherSecretsOutput: Output = {
  name: PUSHER_SECRETS_FILE,
  role: "manifests",
  // With External Secrets, externalsecrets.yaml makes these Secrets too.
  applies: (plan) => plan.pushers.length > 0 && plan.config.secretsAs !== "external",
  build: ({ plan }) =>
    toYamlFile(buildPusherSecrets(plan.pushers, plan.names.selectorLabels, KEYS), [
      "Each pushing job's own credentials, in the job's namespace: keep this file out of git or encrypt it.",
      `Apply before the chart: kubectl apply -f ${PUSHER_SECRETS_FILE}`,
    ]),
  secret: true,
  executable: false,
  describe: (plan) =>
    `\`${PUSHER_SECRETS_FILE}\`: each pushing job's ${plan.config.secretsAs === "sealed" ? "SealedSecret, in its namespace (safe to commit)" : "Secret, in its namespace (credentials: keep private)"}`,
  apply: {
    stage: "before-chart",
    step: (plan) => ({
      id: "pusher-secrets",
      title: "Apply the pushers' Secrets",
      text: `One kubernetes.io/basic-auth Secret per pushing job, in its own namespace (${plan.pushers.map((p) => `${p.name} in ${p.namespace}`).join(", ")}). Each user is in the web config with its own hash: revoking one job's access leaves the others working.`,
      snippet: { language: "sh", code: `kubectl apply -f ${PUSHER_SECRETS_FILE}` },
    }),
  },
};

export const pusherCronJobOutput: Output = {
  name: PUSHER_CRONJOB_FILE,
  role: "other",
  applies: (plan) => plan.pushers.length > 0,
  build: ({ plan }) =>
    toYamlFile(
      buildPusherCronJobs(
        plan.pushers,
        pushgatewayUrl(plan.names, plan.releaseNamespace),
        plan.config.networkPolicyPusherPods,
        KEYS,
      ),
      [
        "Example: a CronJob per pusher that reads its Secret through env valueFrom secretKeyRef and pushes with curl.",
        "Replace the command with your job's; the password never appears in the manifest.",
      ],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${PUSHER_CRONJOB_FILE}\`: an example CronJob per pusher, reading its Secret`,
};
