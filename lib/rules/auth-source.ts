/**
 * How Pushgateway is told to require a password, and the web config it then loads: from the
 * values (webConfiguration, or `--web.config.file` in extraArgs with a mounted Secret), or,
 * without values, from what the pasted objects show.
 */
import { WEB_CONFIG_FLAG, WEB_CONFIG_KEY } from "../chart/web-config";
import type { ChartProfile } from "../chart/versions";
import {
  secretValue,
  webConfigState,
  type ClusterView,
  type Placed,
  type WebConfigState,
} from "../engine/cluster-view";
import { getPath, isMap, truthy, type Values } from "../values/values";
import { objectSource, type Source } from "./evidence";
import { isChartObject } from "./facts";
import type { KubeObject, SetupFiles } from "./input";

/** The file `--web.config.file` names, and the Secret mounted there (extraArgs and extraVolumes, or a pod's own). */
export interface MountedWebConfig {
  /** Index in the args of the `--web.config.file` flag. */
  argIndex: number;
  filePath: string;
  /** The Secret and key behind the file, when the volumes and volume mounts say. */
  secret: { secretName: string; key: string; volumeIndex: number; mountIndex: number } | null;
}

/**
 * The file `--web.config.file` names in `args`, and the Secret key mounted there: a directory
 * mount holding the file (the key is the file's name, or the `items` entry with that path), or
 * a single-file `subPath` mount at exactly that path (the key is the subPath, or the `items`
 * entry with that path). Indices are into the three lists as given.
 */
export function mountedWebConfig(args: unknown, mounts: unknown, volumes: unknown): MountedWebConfig | null {
  if (!Array.isArray(args)) return null;
  let argIndex = -1;
  let filePath = "";
  args.forEach((arg: unknown, i: number) => {
    if (argIndex >= 0 || typeof arg !== "string") return;
    if (arg.startsWith(`${WEB_CONFIG_FLAG}=`)) [argIndex, filePath] = [i, arg.slice(WEB_CONFIG_FLAG.length + 1)];
    else if (arg === WEB_CONFIG_FLAG && typeof args[i + 1] === "string") [argIndex, filePath] = [i, args[i + 1]];
  });
  if (argIndex < 0) return null;
  const mountList: unknown[] = Array.isArray(mounts) ? mounts : [];
  const volumeList: unknown[] = Array.isArray(volumes) ? volumes : [];
  // The path inside the volume that appears as filePath through this mount, if it does.
  const pathInVolume = (m: unknown): string | null => {
    if (!isMap(m) || typeof m.mountPath !== "string") return null;
    const dir = m.mountPath.replace(/\/$/, "");
    const subPath = typeof m.subPath === "string" && m.subPath !== "" ? m.subPath : null;
    if (subPath !== null) return m.mountPath === filePath ? subPath : null;
    return filePath.startsWith(`${dir}/`) ? filePath.slice(dir.length + 1) : null;
  };
  const mountIndex = mountList.findIndex((m) => pathInVolume(m) !== null);
  const mount = mountList[mountIndex] as Values | undefined;
  const volumeIndex = mount ? volumeList.findIndex((v) => isMap(v) && v.name === mount.name) : -1;
  const secretName = getPath(volumeList[volumeIndex], "secret.secretName");
  if (!mount || typeof secretName !== "string") return { argIndex, filePath, secret: null };
  const file = pathInVolume(mount) as string;
  const items = getPath(volumeList[volumeIndex], "secret.items");
  const item = Array.isArray(items) ? items.find((it: unknown) => isMap(it) && it.path === file) : undefined;
  const key = isMap(item) && typeof item.key === "string" ? item.key : file;
  return { argIndex, filePath, secret: { secretName, key, volumeIndex, mountIndex } };
}

/** How Pushgateway is told to require basic auth. */
export type AuthSource =
  /** webConfiguration.basicAuthUsers: the chart renders the web config. */
  | { kind: "chart" }
  /** webConfiguration.existingSecret (charts that read it). */
  | { kind: "existing-secret" }
  /** `--web.config.file` in extraArgs; {@link ResolvedSetup.extraArgs} says where. */
  | { kind: "extra-args" }
  /** No values pasted: the web config Secret the pasted objects show; `evidence` is where its name shows. */
  | { kind: "pasted"; evidence: Source }
  /** No values pasted, and nothing pasted shows which Secret Pushgateway mounts. */
  | { kind: "unknown" }
  /** Basic auth is off: from the values (`evidence` null), or from a pasted Deployment's args. */
  | { kind: "none"; evidence: Source | null };

const WORKLOAD_GROUP = /^apps\//;
const isWorkload = (p: Placed<KubeObject>) =>
  (p.object.kind === "Deployment" || p.object.kind === "StatefulSet") && WORKLOAD_GROUP.test(p.object.apiVersion);

/**
 * Without values, only pasted objects tell how Pushgateway requires a password: the chart's
 * Deployment (its container's `--web.config.file` and the Secret mounted there, such as the
 * existingSecret), else the chart's own web config Secret (named fullname, key web-config.yaml).
 */
function pastedAuth(setup: SetupFiles, view: ClusterView): { auth: AuthSource; webConfig: WebConfigState | null } {
  const workload = setup.objects.find((p) => isWorkload(p) && isChartObject(p.object));
  if (workload) {
    const pod = getPath(workload.object, "spec.template.spec");
    const containers = getPath(pod, "containers");
    const list: unknown[] = Array.isArray(containers) ? containers : [];
    // The chart's container is named pushgateway; extraContainers may come first.
    const index = Math.max(
      0,
      list.findIndex((c) => isMap(c) && c.name === "pushgateway"),
    );
    const container = list[index];
    const containerPath = ["spec", "template", "spec", "containers", index];
    const args = getPath(container, "args");
    const mounted = mountedWebConfig(args, getPath(container, "volumeMounts"), getPath(pod, "volumes"));
    if (!mounted) {
      return {
        auth: { kind: "none", evidence: objectSource(setup, workload, [...containerPath, "args"], args) },
        webConfig: null,
      };
    }
    if (mounted.secret) {
      const { secretName, key, volumeIndex } = mounted.secret;
      const evidence = objectSource(
        setup,
        workload,
        ["spec", "template", "spec", "volumes", volumeIndex, "secret", "secretName"],
        secretName,
      );
      return { auth: { kind: "pasted", evidence }, webConfig: webConfigState(view, { secretName, key }) };
    }
  }
  const own = view.secrets.find(
    (s) =>
      s.origin.kind === "file" &&
      s.object.metadata?.name === view.chart.fullname &&
      s.object.metadata?.namespace === view.chart.namespace &&
      secretValue(s.object, WEB_CONFIG_KEY) !== undefined,
  );
  if (own) {
    const evidence = objectSource(setup, own, ["metadata", "name"], view.chart.fullname);
    return {
      auth: { kind: "pasted", evidence },
      webConfig: webConfigState(view, { secretName: view.chart.fullname, key: WEB_CONFIG_KEY }),
    };
  }
  return { auth: { kind: "unknown" }, webConfig: null };
}

/** How Pushgateway requires a password and the web config it loads; `values` null when none are pasted. */
export function authSource(
  setup: SetupFiles,
  values: Values | null,
  profile: ChartProfile,
  view: ClusterView,
  extraArgs: MountedWebConfig | null,
): { auth: AuthSource; webConfig: WebConfigState | null } {
  if (!values) return pastedAuth(setup, view);
  if (truthy(values.webConfiguration)) {
    const existing =
      profile.webConfig === "existing-secret" && truthy(getPath(values, "webConfiguration.existingSecret.name"));
    return { auth: { kind: existing ? "existing-secret" : "chart" }, webConfig: webConfigState(view) };
  }
  if (extraArgs) {
    return {
      auth: { kind: "extra-args" },
      webConfig: extraArgs.secret ? webConfigState(view, extraArgs.secret) : null,
    };
  }
  return { auth: { kind: "none", evidence: null }, webConfig: null };
}
