import type { FrameworkView, GapView } from '@entente/common/skills.ts';
import type { SkillsText } from './text.ts';
import { ScrollTable } from '../../ui/ScrollTable.tsx';

/** Strengths or gaps against the target profile: competence, area, target, reached (and the gap). */
export function GapTable(props: { text: SkillsText; rows: GapView[]; caption: string; framework: FrameworkView; showGap: boolean }) {
  const { text, rows, framework } = props;
  const { s } = text;
  const areaName = (id: string) => framework.areas.find((area) => area.id === id)?.name ?? id;
  return (
    <ScrollTable tableClassName="skills-table" caption={props.caption}>
      <thead>
        <tr>
          <th scope="col">{s('skills.col.competence')}</th>
          <th scope="col">{s('skills.col.area')}</th>
          <th scope="col">{s('skills.col.required')}</th>
          <th scope="col">{s('skills.col.reached')}</th>
          {props.showGap && <th scope="col">{s('skills.col.gap')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.competence}>
            <th scope="row">{row.name}</th>
            <td>{areaName(row.area)}</td>
            <td>{text.levelShort(row.required)}</td>
            <td>{row.basis === 'area' ? s('skills.reached.fromArea', { level: text.levelShort(row.reached) }) : text.levelShort(row.reached)}</td>
            {props.showGap && <td>{s('skills.gap.levels', { count: row.gap })}</td>}
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
