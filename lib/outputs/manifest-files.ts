/** secret.yaml and, for the standalone strategy, servicemonitor.yaml. */
import { buildSecrets, buildServiceMonitor } from "../engine/build-manifests";
import { toYamlFile } from "../yaml/serialize";
import type { Output } from "./output";

export const SECRET_FILE = "secret.yaml";
export const SERVICE_MONITOR_FILE = "servicemonitor.yaml";

export const secretOutput: Output = {
  name: SECRET_FILE,
  applies: () => true,
  build: ({ plan, passwordHash }) =>
    toYamlFile(buildSecrets(plan, passwordHash), [
      `Credentials for Pushgateway's basic auth: keep this file out of git or encrypt it (SOPS, Sealed Secrets).`,
      `Apply before the chart: kubectl apply -f ${SECRET_FILE}`,
    ]),
  secret: true,
  executable: false,
  describe: () => `\`${SECRET_FILE}\`: the Secrets (credentials: keep private)`,
};

export const serviceMonitorOutput: Output = {
  name: SERVICE_MONITOR_FILE,
  applies: (plan) => plan.mode === "standalone",
  build: ({ plan }) =>
    toYamlFile(
      [buildServiceMonitor(plan)],
      [`Replaces the chart's ServiceMonitor (disabled in values.yaml): kubectl apply -f ${SERVICE_MONITOR_FILE}`],
    ),
  secret: false,
  executable: false,
  describe: () => `\`${SERVICE_MONITOR_FILE}\`: the ServiceMonitor that replaces the chart's`,
};
