import type { ReactNode } from "react";

/**
 * Text that takes as much room as the longest of the texts it can become, so swapping one for
 * another (a placeholder note for the final one, say) moves nothing on the page. The others
 * are laid out invisibly in the same grid cell, from an attribute: they are not in the page's
 * text or its accessibility tree.
 */
export function StackedText({
  id,
  className,
  others,
  children,
}: {
  id?: string;
  className?: string;
  /** The texts this one can be swapped for; `strong` stands for a leading `<strong>`. */
  others: readonly (string | { strong: string; text: string })[];
  children: ReactNode;
}) {
  return (
    <span id={id} className={`stack${className ? ` ${className}` : ""}`}>
      <span>{children}</span>
      {others.map((other, i) =>
        typeof other === "string" ? (
          <span key={i} className="ghost" aria-hidden="true" data-text={other} />
        ) : (
          <span key={i} className="ghost" aria-hidden="true" data-strong={other.strong} data-text={` ${other.text}`} />
        ),
      )}
    </span>
  );
}
