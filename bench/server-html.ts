/**
 * Whether the page's first, server-rendered HTML already shows the files (no script needed to
 * see them): every file of the default bundle has its section, and each file's text is in it
 * (README.md stays folded until opened: its section is enough).
 */
import { DEFAULTS } from "../lib/config/fields";
import { validateConfig } from "../lib/config/schema";
import { placeholderBundle } from "../lib/engine/placeholder";
import { escapeHtml } from "../components/yaml-code";

/** The default bundle's files, with the placeholders the server renders. */
export function defaultFiles(): Record<string, string> {
  const result = validateConfig({ ...DEFAULTS, password: "placeholder" });
  if (!result.ok) throw new Error("the default settings must be valid");
  return placeholderBundle({ ...result.config, password: "" }).files;
}

/** Names of the files `html` does not show. */
export function missingFiles(html: string, files: Record<string, string>): string[] {
  // Text as the page writes it: escaped, without the highlighter's tags.
  const text = html.replace(/<[^>]+>/g, "");
  return Object.entries(files)
    .filter(([name, content]) => {
      if (!html.includes(`>${escapeHtml(name)}</h3>`)) return true;
      if (name.endsWith(".md")) return false;
      return content
        .split("\n")
        .filter((line) => line.trim())
        .some((line) => !text.includes(escapeHtml(line)));
    })
    .map(([name]) => name);
}
