import { useEffect, useId, useRef, useState } from 'react';
import { useSkillsText } from './text.ts';
import { ScrollTable } from '../../ui/ScrollTable.tsx';

export interface ChartRow {
  id: string;
  name: string;
  /** 1–8 (a team's mean may have decimals); null: not measured. */
  level: number | null;
}

/** The drawing's width before the figure is measured; then the figure's own width, so that 1 unit is 1 pixel. */
const WIDTH = 640;
const MIN_WIDTH = 280;
const LABEL_HEIGHT = 24;
const BAR_HEIGHT = 18;
const ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 14;
const AXIS_HEIGHT = 24;
const MAX_LEVEL = 8;
const TICKS = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * Levels as horizontal bars (SVG) with their text equivalent: the figure is one image for
 * assistive technologies (role="img", its label listing every figure), and the table under it
 * gives the same figures to everyone. Each bar's value is also written beside it, so nothing rests
 * on length or colour alone.
 */
export function LevelChart(props: {
  title: string;
  rows: ChartRow[];
  /** The figure in the table and the image's label (« 4 sur 8 (intermédiaire) »). */
  format: (level: number | null) => string;
  /** The figure written beside a bar, where room is short (« 4 sur 8 »). */
  short: (level: number | null) => string;
  columnLabel: string;
}) {
  const { s } = useSkillsText();
  const captionId = useId();
  const figure = useRef<HTMLElement>(null);
  // Drawn at the width it is shown: a fixed 640-unit drawing shrunk into a phone's 340 pixels had
  // its labels about 5 pixels high.
  const [width, setWidth] = useState(WIDTH);
  useEffect(() => {
    const element = figure.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(MIN_WIDTH, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const scale = (level: number) => (Math.max(0, Math.min(MAX_LEVEL, level)) / MAX_LEVEL) * (width - 120);
  const height = AXIS_HEIGHT + props.rows.length * ROW_HEIGHT;
  const summary = props.rows.map((row) => s('skills.chart.item', { name: row.name, level: props.format(row.level) })).join(' ; ');
  return (
    <figure ref={figure} className="skills-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <strong>{props.title}</strong> — {s('skills.chart.caption')}
      </figcaption>
      <svg
        role="img"
        aria-label={s('skills.chart.label', { summary })}
        viewBox={`0 0 ${width} ${height}`}
        className="skills-chart-svg"
        focusable="false"
      >
        <g className="skills-chart-axis">
          {TICKS.map((tick) => (
            <g key={tick}>
              <line x1={scale(tick)} x2={scale(tick)} y1={AXIS_HEIGHT - 6} y2={height} />
              <text x={scale(tick)} y={AXIS_HEIGHT - 10} textAnchor={tick === 0 ? 'start' : 'middle'}>
                {tick}
              </text>
            </g>
          ))}
        </g>
        {props.rows.map((row, index) => {
          const top = AXIS_HEIGHT + index * ROW_HEIGHT;
          return (
            <g key={row.id}>
              <text x={4} y={top + LABEL_HEIGHT - 7} className="skills-chart-label">
                {row.name}
              </text>
              {row.level !== null && (
                <rect x={0} y={top + LABEL_HEIGHT} width={Math.max(2, scale(row.level))} height={BAR_HEIGHT} className="skills-chart-bar" />
              )}
              <text x={(row.level === null ? 0 : scale(row.level)) + 8} y={top + LABEL_HEIGHT + BAR_HEIGHT - 4} className="skills-chart-value">
                {props.short(row.level)}
              </text>
            </g>
          );
        })}
      </svg>
      <ScrollTable tableClassName="skills-table" caption={s('skills.chart.tableCaption')}>
        <thead>
          <tr>
            <th scope="col">{props.columnLabel}</th>
            <th scope="col">{s('skills.col.level')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.name}</th>
              <td>{props.format(row.level)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </figure>
  );
}
