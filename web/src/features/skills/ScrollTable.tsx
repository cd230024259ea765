import { type ReactNode, useId } from 'react';

/**
 * A table in a box that scrolls sideways on a narrow screen. The box can take the keyboard focus
 * (arrow keys scroll it: WCAG 2.1.1, axe's scrollable-region-focusable) and is named by the
 * table's caption; the caption stays in view while the table scrolls under it (skills.css).
 */
export function ScrollTable({ caption, children }: { caption: ReactNode; children: ReactNode }) {
  const captionId = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled by it
    <section className="skills-table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className="skills-table">
        <caption id={captionId}>{caption}</caption>
        {children}
      </table>
    </section>
  );
}
