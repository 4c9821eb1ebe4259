/**
 * Real Pushgateway and Prometheus (Debian packages) on 127.0.0.1: free ports, temporary
 * directories, stopped by the PID this process started.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Fails with the exact install line when a system binary is missing. */
export function requireBinary(binary: string, aptPackage: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error(`${binary} is missing; install it with: apt-get install -y ${aptPackage}`);
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export interface Server {
  url: string;
  port: number;
  pid: number;
  /** The temporary directory holding the server's files (removed by stop). */
  dir: string;
  /** Everything the process printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

async function startServer(
  command: string,
  args: (port: number, dir: string) => string[],
  files: Record<string, string>,
  ready: (url: string) => Promise<boolean>,
): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "pga-server-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const port = await freePort();
  const child: ChildProcess = spawn(command, args(port, dir), { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const server: Server = {
    url,
    port,
    pid: child.pid as number,
    dir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid as number, "SIGTERM");
        const killed = setTimeout(() => child.exitCode === null && process.kill(child.pid as number, "SIGKILL"), 5_000);
        await exited;
        clearTimeout(killed);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      `${command} to start`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${command} exited ${child.exitCode}: ${output}`);
        return (await ready(url)) ? true : undefined;
      },
      20_000,
    );
  } catch (error) {
    await server.stop();
    throw new Error(`${String(error)}\n${output}`);
  }
  return server;
}

/** Starts Debian's prometheus-pushgateway with a web config. */
export function startPushgateway(webConfig: string): Promise<Server> {
  const binary = requireBinary("prometheus-pushgateway", "prometheus-pushgateway");
  return startServer(
    binary,
    (port, dir) => [`--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${join(dir, "web-config.yaml")}`],
    { "web-config.yaml": webConfig },
    // Any HTTP answer (401 included) means it listens.
    async (url) => (await fetch(`${url}/-/healthy`)).status > 0,
  );
}

/** Starts Debian's prometheus with a config file (`prometheus.yml` in its `dir`) and extra flags. */
export function startPrometheus(config: string, extraArgs: readonly string[] = []): Promise<Server> {
  const binary = requireBinary("prometheus", "prometheus");
  return startServer(
    binary,
    (port, dir) => [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
      ...extraArgs,
    ],
    { "prometheus.yml": config },
    async (url) => (await fetch(`${url}/-/ready`)).ok,
  );
}

/** Basic auth header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}
