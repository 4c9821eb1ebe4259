// The Lighthouse floor: the smallest App Router page with one client component, built with the
// app's own Next.js and React, so the bench can tell the framework's cost from the app's.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export default {
  output: "export",
  distDir: "out",
  // node_modules live at the repository root.
  turbopack: { root: resolve(dirname(fileURLToPath(import.meta.url)), "../..") },
};
