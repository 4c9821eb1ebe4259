import { fileMode } from "../engine/generate";
import { zip } from "./zip";

/** The bundle as a .zip: the same names, bytes and permissions the CLI writes. */
export function bundleZip(files: Record<string, string>): Uint8Array {
  return zip(Object.entries(files).map(([name, content]) => ({ name, content, mode: fileMode(name) })));
}
