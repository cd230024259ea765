import type { FrameworkView, TeamDashboard } from '@entente/common/skills.ts';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { loadFramework, loadTeamDashboard, SKILLS_PATHS, teamCsvUrl } from './api.ts';
import { LevelChart } from './LevelChart.tsx';
import { SkillsPage } from './SkillsPage.tsx';
import { profileLabel, type SkillsText, useSkillsText } from './text.ts';
import { useSkillsLoad } from './useSkillsLoad.ts';
import { ScrollTable } from '../../ui/ScrollTable.tsx';

/** The query parameter holding the compared profile, so the comparison can be linked to. */
const PROFILE_PARAM = 'profil';

interface DashboardData {
  dashboard: TeamDashboard;
  framework: FrameworkView;
}

/**
 * A team's aggregated levels for its manager: per area and per competence, the distribution and
 * how many are below the chosen profile. Groups under the server's minimum show no figure at all.
 */
export function TeamDashboardPage() {
  const text = useSkillsText();
  const { teamId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const profileId = search.get(PROFILE_PARAM);
  const load = useCallback(
    async (signal: AbortSignal): Promise<DashboardData> => {
      const [dashboard, framework] = await Promise.all([loadTeamDashboard(teamId, profileId, signal), loadFramework(signal)]);
      return { dashboard, framework };
    },
    [teamId, profileId],
  );
  const { loaded } = useSkillsLoad(load);
  const title = loaded.state === 'ready' ? text.s('skills.team.title', { team: loaded.data.dashboard.team.name }) : text.s('skills.teams.title');
  return (
    <SkillsPage title={title} loaded={loaded}>
      {(data) => (
        <Dashboard
          key={data.dashboard.targetProfile.id}
          text={text}
          data={data}
          onProfile={(id) => setSearch(new URLSearchParams({ [PROFILE_PARAM]: id }))}
        />
      )}
    </SkillsPage>
  );
}

function Dashboard({ text, data, onProfile }: { text: SkillsText; data: DashboardData; onProfile: (id: string) => void }) {
  const { s } = text;
  const { dashboard, framework } = data;
  const selectId = useId();
  const [choice, setChoice] = useState(dashboard.targetProfile.id);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onProfile(choice);
  };
  const profiles = framework.targetProfiles.some((profile) => profile.id === dashboard.targetProfile.id)
    ? framework.targetProfiles
    : [dashboard.targetProfile, ...framework.targetProfiles];
  const areaName = (id: string) => dashboard.areas.find((area) => area.area === id)?.name ?? framework.areas.find((area) => area.id === id)?.name ?? id;
  const withheldRow = s('skills.team.rowWithheld', { minimum: dashboard.minimumGroup });
  return (
    <>
      <p>
        <Link to={SKILLS_PATHS.teams}>{s('skills.team.back')}</Link>
      </p>
      <p className="skills-overall">
        {dashboard.assessed === null
          ? s('skills.team.membersOnly', { members: dashboard.members })
          : s('skills.team.members', { members: dashboard.members, assessed: dashboard.assessed })}
      </p>
      {dashboard.viewerIsMember && !dashboard.withheld && <p>{s('skills.team.ownExcluded')}</p>}
      {dashboard.withheld ? (
        <p className="notice skills-withheld" data-withheld="true">
          {dashboard.withheldReason === 'overlap'
            ? s('skills.team.withheldOverlap', { minimum: dashboard.minimumGroup })
            : s('skills.team.withheld', { minimum: dashboard.minimumGroup, assessed: dashboard.assessed ?? 0 })}
        </p>
      ) : (
        <>
          <form className="skills-inline-form" onSubmit={submit}>
            <label htmlFor={selectId}>{s('skills.team.profileLabel')}</label>
            <select id={selectId} value={choice} onChange={(event) => setChoice(event.target.value)}>
              {profiles.map((profile) => (
                <option key={profile.id} value={profile.id}>
                  {profileLabel(text, profile)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button-secondary">
              {s('skills.team.profileApply')}
            </button>
          </form>

          <section aria-labelledby="skills-team-areas" className="skills-section">
            <h2 id="skills-team-areas">{s('skills.team.areasCaption')}</h2>
            <LevelChart
              title={s('skills.team.chartTitle')}
              columnLabel={s('skills.col.area')}
              rows={dashboard.areas.map((area) => ({ id: area.area, name: area.name, level: area.meanLevel }))}
              format={(level) => (level === null ? withheldRow : text.mean(level))}
              short={(level) => (level === null ? '—' : text.mean(level))}
            />
          </section>

          <section aria-labelledby="skills-team-competences" className="skills-section">
            <h2 id="skills-team-competences">{s('skills.result.competences')}</h2>
            <ScrollTable tableClassName="skills-table" caption={s('skills.team.competencesCaption', { profile: profileLabel(text, dashboard.targetProfile) })}>
              <thead>
                <tr>
                  <th scope="col">{s('skills.col.competence')}</th>
                  <th scope="col">{s('skills.col.area')}</th>
                  <th scope="col">{s('skills.team.col.assessed')}</th>
                  <th scope="col">{s('skills.team.col.mean')}</th>
                  <th scope="col">{s('skills.team.col.distribution')}</th>
                  <th scope="col">{s('skills.team.col.required')}</th>
                  <th scope="col">{s('skills.team.col.below')}</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.competences.map((row) => (
                  <tr key={row.competence}>
                    <th scope="row">{row.name}</th>
                    <td>{areaName(row.area)}</td>
                    <td className="skills-number">{row.assessed}</td>
                    {row.meanLevel === null ? (
                      <td colSpan={2}>{withheldRow}</td>
                    ) : (
                      <>
                        <td>{text.mean(row.meanLevel)}</td>
                        <td>
                          <Distribution text={text} distribution={row.distribution} />
                        </td>
                      </>
                    )}
                    <td>{row.required === null ? s('skills.team.noRequirement') : text.levelShort(row.required)}</td>
                    <td className="skills-number">{row.belowTarget === null ? '—' : row.belowTarget}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </section>
        </>
      )}
      {!dashboard.withheld && (
        <p>
          <a className="button button-secondary" href={teamCsvUrl(dashboard.team.id, dashboard.targetProfile.id)} download>
            {s('skills.team.csv')}
          </a>
        </p>
      )}
    </>
  );
}

/** Counts per level, 1 to 8, written out (levels nobody reached are left out). */
function Distribution({ text, distribution }: { text: SkillsText; distribution: number[] | null }) {
  if (!distribution) return <>—</>;
  const entries = distribution
    // Eight counts are levels 1–8; nine would start at level 0 (not reached).
    .map((count, index) => ({ level: distribution.length > 8 ? index : index + 1, count })).filter((entry) => entry.count > 0);
  if (entries.length === 0) return <>—</>;
  return (
    <ul className="skills-distribution">
      {entries.map((entry) => (
        <li key={entry.level}>{text.s('skills.team.distributionItem', entry)}</li>
      ))}
    </ul>
  );
}
