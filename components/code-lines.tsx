import { memo } from "react";

const Line = memo(function Line({ html }: { html: string }) {
  return <span dangerouslySetInnerHTML={{ __html: html }} />;
});

/**
 * Highlighted lines (from yamlHtmlLines in ./yaml-code), each its own element: when a file
 * changes by a keystroke, the browser parses only the lines that changed, not the whole file.
 */
export const CodeLines = memo(function CodeLines({ lines }: { lines: readonly string[] }) {
  return (
    // Focusable so keyboard users can scroll long lines (WCAG 2.1.1).
    <pre className="code" tabIndex={0}>
      <code>
        {lines.map((html, i) => (
          <Line key={i} html={html} />
        ))}
      </code>
    </pre>
  );
});
