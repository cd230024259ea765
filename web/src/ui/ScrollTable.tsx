import { type ReactNode, useId } from 'react';

/**
 * A table in a box that scrolls sideways on a narrow screen, rather than widening the page. The
 * box can take the keyboard focus (arrow keys scroll it: WCAG 2.1.1, axe's
 * scrollable-region-focusable) and is named by the table's caption; the caption stays in view
 * while the table scrolls under it (base.css, `.table-scroll`).
 */
export function ScrollTable({
  caption,
  children,
  tableClassName,
  captionClassName,
}: {
  caption: ReactNode;
  children: ReactNode;
  tableClassName: string;
  /** `ws-sr-only` for a caption said to screen readers only. */
  captionClassName?: string;
}) {
  const captionId = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled by it
    <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className={tableClassName}>
        <caption id={captionId} className={captionClassName}>
          {caption}
        </caption>
        {children}
      </table>
    </section>
  );
}
