import { memo, type ReactNode } from "react";

/**
 * A small YAML highlighter for the files this tool writes. It only wraps text in spans (never
 * HTML from the input), so user values cannot become markup.
 */
const KEY_LINE = /^(\s*)(- )?("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-][^:#]*?|-[^\s:#][^:#]*?)(:)(?=\s|$)(.*)$/;
const ITEM_LINE = /^(\s*)(- )(.*)$/;
const BLOCK_START = /[|>][-+]?$/;

function valueClass(value: string): string {
  if (/^\s*#/.test(value)) return "tok-comment";
  if (/^\s*["']/.test(value)) return "tok-string";
  if (/^\s*(true|false|null|~|-?\d+(\.\d+)?)\s*$/.test(value)) return "tok-literal";
  return "tok-value";
}

function highlightLine(line: string, inBlock: boolean): ReactNode {
  if (inBlock) return <span className="tok-string">{line}</span>;
  if (/^\s*#/.test(line)) return <span className="tok-comment">{line}</span>;
  if (line === "---") return <span className="tok-punct">{line}</span>;
  const k = KEY_LINE.exec(line);
  if (k) {
    const [, indent, dash, name, colon, rest] = k;
    return (
      <>
        {indent}
        {dash && <span className="tok-punct">{dash}</span>}
        <span className="tok-key">{name}</span>
        <span className="tok-punct">{colon}</span>
        {rest && <span className={valueClass(rest as string)}>{rest}</span>}
      </>
    );
  }
  const item = ITEM_LINE.exec(line);
  if (item) {
    return (
      <>
        {item[1]}
        <span className="tok-punct">{item[2]}</span>
        <span className={valueClass(item[3] as string)}>{item[3]}</span>
      </>
    );
  }
  return line;
}

/** Highlighted YAML (or shell, shown plain). Re-renders only when the text changes. */
export const YamlCode = memo(function YamlCode({ text, plain = false }: { text: string; plain?: boolean }) {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  let blockIndent = -1;
  return (
    // Focusable so keyboard users can scroll long lines (WCAG 2.1.1).
    <pre className="code" tabIndex={0}>
      <code>
        {lines.map((line, i) => {
          const indent = line.length - line.trimStart().length;
          const inBlock = blockIndent >= 0 && (line.trim() === "" || indent > blockIndent);
          if (!inBlock) blockIndent = -1;
          const node = plain ? (
            /^\s*#/.test(line) ? (
              <span className="tok-comment">{line}</span>
            ) : (
              line
            )
          ) : (
            highlightLine(line, inBlock)
          );
          if (!plain && !inBlock && BLOCK_START.test(line)) blockIndent = indent;
          return (
            <span key={i} className="line">
              {node}
              {"\n"}
            </span>
          );
        })}
      </code>
    </pre>
  );
});
