import { memo } from "react";

/**
 * A small YAML highlighter for the files this tool writes. It builds the markup as a string of
 * `<span>`s around escaped text (`&`, `<` and `>` of the input never reach the markup as such,
 * so user values cannot become HTML), which the page sets as the block's inner HTML: a file of
 * a hundred lines is one node for React to hydrate or update, not several hundred.
 */
const KEY_LINE = /^(\s*)(- )?("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-][^:#]*?|-[^\s:#][^:#]*?)(:)(?=\s|$)(.*)$/;
const ITEM_LINE = /^(\s*)(- )(.*)$/;
const BLOCK_START = /[|>][-+]?$/;

/** `text` safe to put between tags. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

function valueClass(value: string): string {
  if (/^\s*#/.test(value)) return "tok-comment";
  if (/^\s*["']/.test(value)) return "tok-string";
  if (/^\s*(true|false|null|~|-?\d+(\.\d+)?)\s*$/.test(value)) return "tok-literal";
  return "tok-value";
}

type Mark = (text: string) => string;

const span = (cls: string, text: string, mark: Mark) => `<span class="${cls}">${mark(text)}</span>`;

function highlightLine(line: string, inBlock: boolean, mark: Mark): string {
  if (inBlock) return span("tok-string", line, mark);
  if (/^\s*#/.test(line)) return span("tok-comment", line, mark);
  if (line === "---") return span("tok-punct", line, mark);
  const k = KEY_LINE.exec(line);
  if (k) {
    const [, indent, dash, name, colon, rest] = k as unknown as string[];
    return (
      mark(indent as string) +
      (dash ? span("tok-punct", dash, mark) : "") +
      span("tok-key", name as string, mark) +
      span("tok-punct", colon as string, mark) +
      (rest ? span(valueClass(rest), rest, mark) : "")
    );
  }
  const item = ITEM_LINE.exec(line);
  if (item) {
    return (
      mark(item[1] as string) +
      span("tok-punct", item[2] as string, mark) +
      span(valueClass(item[3] as string), item[3] as string, mark)
    );
  }
  return mark(line);
}

/**
 * The highlighted markup of `text` (YAML, or shell and other text with `plain`), line by line,
 * each line ending in a newline: the page's text is the file's. Each of `marks` found in the
 * text is wrapped in `<mark>`.
 */
export function yamlHtmlLines(text: string, plain = false, marks: readonly string[] = []): string[] {
  const found = marks.filter((m) => m && text.includes(m));
  const mark: Mark = found.length
    ? (part) => {
        let out = escapeHtml(part);
        for (const m of found) out = out.replaceAll(escapeHtml(m), `<mark class="placeholder">${escapeHtml(m)}</mark>`);
        return out;
      }
    : escapeHtml;
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  let blockIndent = -1;
  const html: string[] = [];
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const inBlock = blockIndent >= 0 && (line.trim() === "" || indent > blockIndent);
    if (!inBlock) blockIndent = -1;
    const body = plain
      ? /^\s*#/.test(line)
        ? span("tok-comment", line, mark)
        : mark(line)
      : highlightLine(line, inBlock, mark);
    if (!plain && !inBlock && BLOCK_START.test(line)) blockIndent = indent;
    html.push(`${body}\n`);
  }
  return html;
}

/** {@link yamlHtmlLines}, as one string. */
export function yamlHtml(text: string, plain = false, marks: readonly string[] = []): string {
  return yamlHtmlLines(text, plain, marks).join("");
}

/**
 * Highlighted YAML (or shell, shown plain). Renders the same markup on the server and in the
 * browser, and re-renders only when the text changes.
 */
export const YamlCode = memo(function YamlCode({
  text,
  plain = false,
  marks,
}: {
  text: string;
  plain?: boolean;
  /** Placeholders to mark in the text. */
  marks?: readonly string[];
}) {
  return (
    // Focusable so keyboard users can scroll long lines (WCAG 2.1.1).
    <pre className="code" tabIndex={0}>
      <code dangerouslySetInnerHTML={{ __html: yamlHtml(text, plain, marks) }} />
    </pre>
  );
});
