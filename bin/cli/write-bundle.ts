/**
 * Writes a bundle so that a failure leaves no partial bundle: files go to a temporary
 * directory beside the target, which is renamed into place (or, when the target exists,
 * each file is renamed over its old copy).
 */
import { lstat, mkdir, mkdtemp, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ALL_FILE_NAMES, fileMode } from "../../lib/index";
import { CliError } from "./io";

export interface WriteReport {
  written: string[];
  unchanged: string[];
  removed: string[];
}

async function kindOf(path: string): Promise<"missing" | "directory" | "other"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new CliError(`--out: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Reads the files of an earlier bundle in `dir` (missing ones are skipped). */
export async function readBundle(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  if ((await kindOf(dir)) !== "directory") return files;
  for (const name of ALL_FILE_NAMES) {
    try {
      files[name] = await readFile(join(dir, name), "utf8");
    } catch {
      // Not part of the earlier bundle.
    }
  }
  return files;
}

/** Writes `files` into `dir`, removing files an earlier bundle had that this one does not. */
export async function writeBundle(dir: string, files: Record<string, string>): Promise<WriteReport> {
  const target = await kindOf(dir);
  if (target === "other") throw new CliError(`--out: ${dir} exists and is not a directory`);
  const parent = dirname(dir);
  if ((await kindOf(parent)) !== "directory")
    throw new CliError(`--out: the parent directory ${parent} does not exist`);

  // Every rename below must succeed once the first has: refuse now what would stop one later.
  if (target === "directory") {
    for (const name of new Set([...Object.keys(files), ...ALL_FILE_NAMES])) {
      const path = join(dir, name);
      const stats = await lstat(path).catch(() => null);
      if (stats && !stats.isFile()) throw new CliError(`--out: ${path} exists and is not a regular file`);
      const sub = dirname(name) === "." ? null : await lstat(join(dir, dirname(name))).catch(() => null);
      if (sub && !sub.isDirectory())
        throw new CliError(`--out: ${join(dir, dirname(name))} exists and is not a directory`);
    }
  }

  let work: string;
  try {
    work = await mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  } catch (error) {
    throw new CliError(
      `--out: cannot write in ${parent}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  try {
    const previous = target === "directory" ? await readBundle(dir) : {};
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, name)), { recursive: true });
      await writeFile(join(work, name), content, { mode: fileMode(name) });
    }
    if (target === "missing") {
      await rename(work, dir);
      report.written.push(...Object.keys(files));
      return report;
    }
    for (const name of Object.keys(files)) {
      if (previous[name] === files[name]) {
        report.unchanged.push(name);
        continue;
      }
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await rename(join(work, name), join(dir, name));
      report.written.push(name);
    }
    for (const name of Object.keys(previous)) {
      if (!(name in files)) {
        // A file of another strategy (say servicemonitor.yaml after switching to patch) would
        // give Prometheus a second ServiceMonitor if it stayed.
        await rm(join(dir, name));
        report.removed.push(name);
        // The directory it was in (post-renderer/), once nothing else is left in it.
        if (dirname(name) !== ".") await rmdir(join(dir, dirname(name))).catch(() => undefined);
      }
    }
    return report;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `--out: cannot write ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
