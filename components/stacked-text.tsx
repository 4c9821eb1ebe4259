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
  /** The texts this one can be swapped for. */
  others: readonly string[];
  children: ReactNode;
}) {
  return (
    <span id={id} className={`stack${className ? ` ${className}` : ""}`}>
      <span>{children}</span>
      {others.map((text, i) => (
        <span key={i} className="ghost" aria-hidden="true" data-text={text} />
      ))}
    </span>
  );
}
