/**
 * Proves a bundle from what real Helm rendered, not from the engine's idea of it: reads the
 * rendered manifests and the bundle's own objects the way the kubelet and the Prometheus
 * Operator read them, then runs the result on Debian's Pushgateway and Prometheus.
 *
 * Every check returns problems as text, so a test can assert an empty list and a deliberately
 * broken bundle shows which check caught it.
 */
import { connect, createServer, type AddressInfo, type Server as NetServer } from "node:net";
import { writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { compareSync } from "bcryptjs";
import { dump, load, loadAll, YAML11_SCHEMA } from "js-yaml";
import { basicAuth, startPrometheus, startPushgateway, waitFor, type Server } from "./servers";

type Labels = Record<string, string>;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels };
  [key: string]: unknown;
}

export interface Manifest {
  /** Where it came from: `helm template` or a bundle file. */
  source: string;
  object: K8sObject;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a YAML stream as Kubernetes tooling does (YAML 1.1), keeping only Kubernetes objects. */
export function parseManifests(text: string): K8sObject[] {
  return loadAll(text, { schema: YAML11_SCHEMA }).filter(
    (d): d is K8sObject =>
      isObject(d) &&
      typeof d.kind === "string" &&
      typeof d.apiVersion === "string" &&
      isObject(d.metadata) &&
      typeof d.metadata.name === "string",
  );
}

/**
 * The objects Helm installs: an object rendered without a namespace lands in the release's
 * namespace (`helm install -n`), so it is filled in here.
 */
export function renderedManifests(rendered: string, releaseNamespace: string): Manifest[] {
  return parseManifests(rendered).map((object) => ({
    source: "helm template",
    object: { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace || releaseNamespace } },
  }));
}

/**
 * The objects a bundle asks the user to `kubectl apply`: Kubernetes objects in its top-level
 * YAML files other than values.yaml (post-renderer inputs such as a Kustomization are not applied).
 */
export function bundleManifests(files: Record<string, string>): Manifest[] {
  return Object.entries(files)
    .filter(([name]) => /^[^/]+\.ya?ml$/.test(name) && name !== "values.yaml")
    .flatMap(([name, text]) =>
      parseManifests(text)
        .filter((object) => !object.apiVersion.startsWith("kustomize.config.k8s.io/"))
        .map((object) => ({ source: name, object })),
    );
}

/** A Secret's value as the kubelet and the Operator see it (`stringData` wins over `data`). */
export function secretValue(secret: K8sObject, key: string): string | undefined {
  const stringData = secret.stringData as Record<string, unknown> | undefined;
  if (isObject(stringData) && key in stringData) return String(stringData[key]);
  const data = secret.data as Record<string, unknown> | undefined;
  if (isObject(data) && key in data) return Buffer.from(String(data[key]), "base64").toString("utf8");
  return undefined;
}

interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === String(v));
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(value as string);
      case "NotIn":
        return !has || !(e.values ?? []).includes(value as string);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
  return byLabel && byExpression;
}

/** `k=v,k2=v2` (the config's prometheusSelector) as labels. */
export function selectorLabels(text: string): Labels {
  return Object.fromEntries(
    text
      .split(",")
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf("=");
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }),
  );
}

export interface HttpProbe {
  kind: string;
  path: string;
  headers: Labels;
}

export interface ScrapeCredentials {
  /** `namespace/name` of the ServiceMonitor that selects the Service. */
  serviceMonitor: string;
  username: string;
  password: string;
  path: string;
  honorLabels: boolean;
}

export interface StaticProof {
  problems: string[];
  /** The web config file the rendered Deployment mounts, as Pushgateway reads it. */
  webConfig?: string;
  httpProbes: HttpProbe[];
  tcpProbes: string[];
  scrape?: ScrapeCredentials;
}

export interface Expected {
  username: string;
  password: string;
  /** Pushers' users, each of which must be able to push. */
  pushers?: { username: string; password: string }[];
  /** Labels the Prometheus selects ServiceMonitors by. */
  prometheusSelector: Labels;
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const where = (m: Manifest) => `${key(m.object)} (${m.source})`;

/**
 * Everything that can be proven without running anything: which Secret the Pushgateway pod
 * mounts and what it holds, the probes, and the one ServiceMonitor that selects the Service
 * with the credentials the Operator would resolve from Secrets in its own namespace.
 */
export function proveManifests(manifests: Manifest[], expected: Expected): StaticProof {
  const problems: string[] = [];
  const proof: StaticProof = { problems, httpProbes: [], tcpProbes: [] };
  const objects = manifests.map((m) => m.object);

  const seen = new Map<string, Manifest>();
  for (const m of manifests) {
    if (!m.object.metadata.namespace && m.source !== "helm template")
      problems.push(`${where(m)} has no namespace: kubectl apply would put it in the current context's namespace`);
    const previous = seen.get(key(m.object));
    if (previous) problems.push(`${where(m)} and ${where(previous)} are the same object: one overwrites the other`);
    seen.set(key(m.object), m);
  }

  // The Pushgateway pod.
  const workloads = objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
  if (workloads.length !== 1) {
    problems.push(`${workloads.length} Deployments/StatefulSets rendered, expected 1`);
    return proof;
  }
  const workload = workloads[0] as K8sObject;
  const namespace = workload.metadata.namespace as string;
  const template = (workload.spec as { template: { metadata: { labels?: Labels }; spec: PodSpec } }).template;
  const pod = template.spec;
  const container = pod.containers.find((c) => c.name === "pushgateway");
  if (!container) {
    problems.push("the rendered pod has no container named pushgateway");
    return proof;
  }
  const containerPorts = container.ports ?? [];
  const pointsAtPushgateway = (port: unknown) =>
    containerPorts.some((p) => p.containerPort === 9091 && (p.containerPort === port || p.name === port));

  // The web config: the Secret mounted at the directory of --web.config.file.
  const flags = (container.args ?? []).filter((a) => a.startsWith("--web.config.file="));
  if (flags.length !== 1) problems.push(`${flags.length} --web.config.file flags in the container args, expected 1`);
  else {
    const file = (flags[0] as string).slice("--web.config.file=".length);
    const dir = posix.dirname(file);
    const mount = (container.volumeMounts ?? []).find(
      (m) => posix.normalize(m.mountPath).replace(/(.)\/$/, "$1") === dir && !m.subPath,
    );
    const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
    const secretName = volume?.secret?.secretName;
    if (!secretName) problems.push(`no Secret volume is mounted at ${dir}, where --web.config.file=${file} points`);
    else {
      const item = volume.secret?.items?.find((i) => i.path === posix.basename(file));
      const secretKey = volume.secret?.items ? item?.key : posix.basename(file);
      const secret = objects.find(
        (o) => o.kind === "Secret" && o.metadata.name === secretName && o.metadata.namespace === namespace,
      );
      const text = secret && secretKey ? secretValue(secret, secretKey) : undefined;
      if (text === undefined)
        problems.push(
          `the pod mounts Secret ${namespace}/${secretName} key ${secretKey} as its web config, and no rendered or bundled Secret holds it`,
        );
      else {
        proof.webConfig = text;
        problems.push(...webConfigProblems(text, expected, `Secret ${namespace}/${secretName}`));
      }
    }
  }

  // Probes.
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    const probe = container[kind];
    if (!probe) continue;
    if (probe.httpGet) {
      if (!pointsAtPushgateway(probe.httpGet.port))
        problems.push(`${kind} port ${probe.httpGet.port} is not Pushgateway's`);
      if ((probe.httpGet.scheme ?? "HTTP") !== "HTTP") problems.push(`${kind} scheme ${probe.httpGet.scheme}`);
      proof.httpProbes.push({
        kind,
        path: probe.httpGet.path ?? "/",
        headers: Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value])),
      });
    } else if (probe.tcpSocket) {
      if (!pointsAtPushgateway(probe.tcpSocket.port))
        problems.push(`${kind} port ${probe.tcpSocket.port} is not Pushgateway's`);
      proof.tcpProbes.push(kind);
    } else problems.push(`${kind} is neither httpGet nor tcpSocket`);
  }

  // The Service in front of the pod.
  const podLabels = template.metadata.labels ?? {};
  const services = objects.filter(
    (o) =>
      o.kind === "Service" &&
      o.metadata.namespace === namespace &&
      selects({ matchLabels: (o.spec as { selector?: Labels }).selector ?? { "": "no selector" } }, podLabels),
  );
  if (services.length !== 1) {
    problems.push(`${services.length} Services select the Pushgateway pod, expected 1`);
    return proof;
  }
  const service = services[0] as K8sObject;
  const servicePorts = (service.spec as { ports: { name?: string; targetPort?: number | string }[] }).ports;

  // The ServiceMonitor(s) selecting that Service, as the Operator picks them.
  const monitors = objects.filter((o) => {
    if (o.kind !== "ServiceMonitor") return false;
    const spec = o.spec as { namespaceSelector?: { any?: boolean; matchNames?: string[] }; selector?: LabelSelector };
    const inNamespace = spec.namespaceSelector?.any
      ? true
      : (spec.namespaceSelector?.matchNames ?? [o.metadata.namespace]).includes(namespace);
    return inNamespace && selects(spec.selector, service.metadata.labels ?? {});
  });
  if (monitors.length !== 1) {
    problems.push(
      `${monitors.length} ServiceMonitors select Service ${namespace}/${service.metadata.name}, expected exactly 1: ${monitors.map(key).join(", ")}`,
    );
    return proof;
  }
  const sm = monitors[0] as K8sObject;
  const smName = `${sm.metadata.namespace}/${sm.metadata.name}`;
  for (const [k, v] of Object.entries(expected.prometheusSelector)) {
    if (sm.metadata.labels?.[k] !== v)
      problems.push(
        `ServiceMonitor ${smName} lacks the Prometheus selector label ${k}=${v} (has ${JSON.stringify(sm.metadata.labels)})`,
      );
  }
  const endpoints = (sm.spec as { endpoints?: Endpoint[] }).endpoints ?? [];
  if (endpoints.length !== 1) problems.push(`ServiceMonitor ${smName} has ${endpoints.length} endpoints, expected 1`);
  const endpoint = endpoints[0];
  if (!endpoint) return proof;
  const port = servicePorts.find((p) => p.name === endpoint.port);
  if (!port)
    problems.push(
      `ServiceMonitor ${smName} scrapes port ${endpoint.port}; the Service has ${servicePorts.map((p) => p.name).join(", ")}`,
    );
  else if (!pointsAtPushgateway(port.targetPort ?? 9091))
    problems.push(`Service port ${port.name} targets ${port.targetPort}, not Pushgateway's port`);
  if (endpoint.honorLabels !== true)
    problems.push(`ServiceMonitor ${smName} has honorLabels ${endpoint.honorLabels}, expected true`);
  if ((endpoint.scheme ?? "http") !== "http") problems.push(`ServiceMonitor ${smName} scheme ${endpoint.scheme}`);
  if (!endpoint.basicAuth) {
    problems.push(`ServiceMonitor ${smName} has no basicAuth`);
    return proof;
  }
  // The Operator reads the credentials from Secrets in the ServiceMonitor's own namespace.
  const read = (what: string, selector: { name: string; key: string } | undefined) => {
    const secret = objects.find(
      (o) =>
        o.kind === "Secret" && o.metadata.name === selector?.name && o.metadata.namespace === sm.metadata.namespace,
    );
    const value = secret && selector ? secretValue(secret, selector.key) : undefined;
    if (value === undefined)
      problems.push(
        `ServiceMonitor ${smName} basicAuth.${what}: Secret ${sm.metadata.namespace}/${selector?.name} key ${selector?.key} is neither rendered nor in the bundle (the Operator skips the ServiceMonitor)`,
      );
    return value;
  };
  const username = read("username", endpoint.basicAuth.username);
  const password = read("password", endpoint.basicAuth.password);
  if (username === undefined || password === undefined) return proof;
  if (username !== expected.username)
    problems.push(`the scrape username is ${JSON.stringify(username)}, expected ${JSON.stringify(expected.username)}`);
  if (password !== expected.password) problems.push("the scrape password is not the user's password");
  proof.scrape = {
    serviceMonitor: smName,
    username,
    password,
    path: endpoint.path ?? "/metrics",
    honorLabels: endpoint.honorLabels === true,
  };
  return proof;
}

/** The web config must hold the user with a bcrypt hash of the password (checked here, run for real by proveLive). */
function webConfigProblems(text: string, expected: Expected, where: string): string[] {
  let parsed: unknown;
  try {
    parsed = load(text, { schema: YAML11_SCHEMA });
  } catch (error) {
    return [`the web config in ${where} is not YAML: ${String(error)}`];
  }
  const users = isObject(parsed) ? parsed.basic_auth_users : undefined;
  if (!isObject(users)) return [`the web config in ${where} has no basic_auth_users`];
  const hash = users[expected.username];
  if (typeof hash !== "string") return [`the web config in ${where} has no user ${JSON.stringify(expected.username)}`];
  if (!compareSync(expected.password, hash))
    return [`the web config in ${where}: the hash of ${JSON.stringify(expected.username)} does not match the password`];
  return [];
}

interface Endpoint {
  port?: string;
  path?: string;
  scheme?: string;
  honorLabels?: boolean;
  basicAuth?: { username?: { name: string; key: string }; password?: { name: string; key: string } };
}

interface ProbeSpec {
  httpGet?: { path?: string; port: number | string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string };
}

interface PodSpec {
  containers: {
    name: string;
    args?: string[];
    ports?: { name?: string; containerPort: number }[];
    volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
    livenessProbe?: ProbeSpec;
    readinessProbe?: ProbeSpec;
    startupProbe?: ProbeSpec;
  }[];
  volumes?: { name: string; secret?: { secretName?: string; items?: { key: string; path: string }[] } }[];
}

/** A TCP forwarder on a fixed local port whose destination changes from proof to proof. */
class Forwarder {
  target: number | null = null;
  private constructor(
    private readonly server: NetServer,
    readonly port: number,
  ) {}

  static start(): Promise<Forwarder> {
    return new Promise((resolve, reject) => {
      let forwarder: Forwarder;
      const server = createServer((client) => {
        const target = forwarder.target;
        if (target === null) return void client.destroy();
        const upstream = connect(target, "127.0.0.1");
        client.pipe(upstream).pipe(client);
        client.once("error", () => upstream.destroy());
        upstream.once("error", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        forwarder = new Forwarder(server, (server.address() as AddressInfo).port);
        resolve(forwarder);
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Slot {
  job: string;
  forwarder: Forwarder;
  scrape: Record<string, unknown>;
}

/**
 * One Prometheus for many Pushgateways. Prometheus applies new scrape targets only every 5 s
 * (its discovery manager's update interval), so its jobs are fixed slots, each scraping a fixed
 * local port that forwards to the Pushgateway under test. A proof takes a free slot, points it
 * at its Pushgateway, writes its scrape settings (credentials, path, honor_labels) into the
 * slot's job and reloads (`--web.enable-lifecycle`); a changed job restarts its scrapes at once.
 */
export class SharedPrometheus {
  private free: Slot[];
  private waiting: ((slot: Slot) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly server: Server,
    private readonly slots: Slot[],
  ) {
    this.free = [...slots];
  }

  static async start(slotCount = 8): Promise<SharedPrometheus> {
    const slots: Slot[] = [];
    for (let i = 0; i < slotCount; i++) {
      slots.push({ job: `slot-${i}`, forwarder: await Forwarder.start(), scrape: {} });
    }
    const server = await startPrometheus(SharedPrometheus.config(slots), ["--web.enable-lifecycle"]);
    const prometheus = new SharedPrometheus(server, slots);
    // Discovery hands Prometheus the slots' targets once, within about 5 s.
    await waitFor("Prometheus to discover the scrape slots", async () => {
      const targets = await prometheus.targets();
      return slots.every((s) => targets.some((t) => t.scrapePool === s.job)) ? true : undefined;
    });
    return prometheus;
  }

  private static config(slots: Slot[]): string {
    const jobs = slots.map((slot) => ({
      scrape_interval: "1s",
      scrape_timeout: "1s",
      ...slot.scrape,
      job_name: slot.job,
      static_configs: [{ targets: [`127.0.0.1:${slot.forwarder.port}`] }],
    }));
    return dump({ global: { scrape_interval: "1s", scrape_timeout: "1s" }, scrape_configs: jobs }, { lineWidth: -1 });
  }

  private async targets(): Promise<{ scrapePool: string; health: string; lastError: string; lastScrape: string }[]> {
    const body = (await (await fetch(`${this.server.url}/api/v1/targets?state=active`)).json()) as {
      data: { activeTargets: { scrapePool: string; health: string; lastError: string; lastScrape: string }[] };
    };
    return body.data.activeTargets;
  }

  private reload(): Promise<void> {
    const next = this.queue.then(async () => {
      writeFileSync(join(this.server.dir, "prometheus.yml"), SharedPrometheus.config(this.slots));
      const res = await fetch(`${this.server.url}/-/reload`, { method: "POST" });
      if (!res.ok) throw new Error(`Prometheus reload: ${res.status} ${await res.text()}\n${this.server.output()}`);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private acquire(): Promise<Slot> {
    const slot = this.free.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.forwarder.target = null;
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  /**
   * Scrapes the Pushgateway on `port` with `scrape` (a scrape_config without job_name and
   * targets) and returns the target's health from the first scrapes made with it: `up` as
   * soon as one succeeds, else the last state seen after `timeoutMs`.
   */
  async scrape(
    port: number,
    scrape: Record<string, unknown>,
    timeoutMs = 5_000,
  ): Promise<{ health: string; lastError: string }> {
    const slot = await this.acquire();
    try {
      slot.forwarder.target = port;
      slot.scrape = scrape;
      await this.reload();
      const reloaded = Date.now();
      let last = { health: "not scraped", lastError: "" };
      const deadline = reloaded + timeoutMs;
      while (Date.now() < deadline) {
        const target = (await this.targets()).find((t) => t.scrapePool === slot.job);
        // Only scrapes that started after the reload used these settings.
        if (target && Date.parse(target.lastScrape) > reloaded) {
          last = { health: target.health, lastError: target.lastError };
          if (last.health === "up") break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return last;
    } finally {
      this.release(slot);
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await Promise.all(this.slots.map((s) => s.forwarder.stop()));
  }
}

function tcpConnects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => (socket.end(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Runs a static proof for real: Pushgateway started with the mounted web config answers 401
 * without credentials, every rendered httpGet probe gets a 2xx (with its headers), tcpSocket
 * probes connect, and Prometheus scraping with the resolved credentials sees the target `up`.
 */
export async function proveLive(
  proof: StaticProof,
  expected: Expected,
  prometheus: SharedPrometheus,
): Promise<string[]> {
  const problems: string[] = [];
  if (proof.webConfig === undefined) return ["no web config to start Pushgateway with"];
  let pushgateway: Server;
  try {
    pushgateway = await startPushgateway(proof.webConfig);
  } catch (error) {
    return [`Pushgateway does not start with the mounted web config: ${String(error)}`];
  }
  try {
    const status = async (path: string, headers: Labels = {}) =>
      (await fetch(`${pushgateway.url}${path}`, { headers })).status;
    for (const path of ["/metrics", "/-/healthy", "/-/ready"]) {
      const got = await status(path);
      if (got !== 401) problems.push(`${path} without credentials: ${got}, expected 401`);
    }
    const right = await status("/metrics", { Authorization: basicAuth(expected.username, expected.password) });
    if (right !== 200) problems.push(`/metrics with the user's credentials: ${right}, expected 200`);
    const wrong = await status("/metrics", { Authorization: basicAuth(expected.username, `${expected.password}x`) });
    if (wrong !== 401) problems.push(`/metrics with a wrong password: ${wrong}, expected 401`);

    for (const pusher of expected.pushers ?? []) {
      const pushed = await fetch(`${pushgateway.url}/metrics/job/${encodeURIComponent(pusher.username)}`, {
        method: "PUT",
        headers: { Authorization: basicAuth(pusher.username, pusher.password) },
        body: "pushed_by_pusher 1\n",
      });
      if (pushed.status < 200 || pushed.status > 299)
        problems.push(`pusher ${pusher.username} pushing with its credentials: ${pushed.status}, expected 2xx`);
    }

    for (const probe of proof.httpProbes) {
      const got = await status(probe.path, probe.headers);
      if (got < 200 || got > 299) problems.push(`${probe.kind} httpGet ${probe.path}: ${got}, expected 2xx`);
    }
    for (const kind of proof.tcpProbes) {
      if (!(await tcpConnects(pushgateway.port))) problems.push(`${kind} tcpSocket does not connect`);
    }

    if (proof.scrape) {
      const target = await prometheus.scrape(pushgateway.port, {
        honor_labels: proof.scrape.honorLabels,
        metrics_path: proof.scrape.path,
        basic_auth: { username: proof.scrape.username, password: proof.scrape.password },
      });
      if (target.health !== "up")
        problems.push(
          `Prometheus scraping with ${proof.scrape.serviceMonitor}'s credentials: ${target.health} (${target.lastError})`,
        );
    } else problems.push("no scrape credentials to try");
  } finally {
    await pushgateway.stop();
  }
  return problems;
}
