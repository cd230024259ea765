import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { TeamDashboard, TeamSummary } from '../../../../common/src/skills.ts';
import type { Actor } from '../../identity/actor.ts';
import type { RequestMeta } from '../../identity/roles.ts';
import { teamMembers, teamsManagedBy, teamsOfOrganisations } from '../../identity/teams.ts';
import { AppError, notFound, unauthenticated } from '../../platform/errors.ts';
import { contentDisposition } from '../../platform/http/content-disposition.ts';
import { latestCompletedOf } from '../assessments/assessments.repo.ts';
import { mayRelease } from './releases.ts';
import type { SkillsDeps } from '../assessments/assessments.ts';
import { DEFAULT_PROFILE_ID, areaName, profileView, resolveFramework } from '../framework/framework.ts';
import { AREAS } from '../framework/digcomp.ts';
import { localiseText, type SkillsLanguage } from '../items/localise.ts';
import type { StoredResult } from '../skills.tables.ts';

/**
 * A manager's view of their team's skills: aggregated levels per area and competence, never
 * for fewer than MINIMUM_GROUP agents (a figure over four people points at each of them), and
 * compared with a target profile. Who may see it: the team's managers, and the organisation's
 * administrators and managers (organisation role). Each view and export is audited.
 * The viewer's own result is left out, and a set of agents too close to one the viewer was
 * already shown is withheld too (releases.ts: no subtraction of one agent's levels).
 * Members are today's members of the team; each one's latest completed assessment counts,
 * read from whichever cell is their home (both are asked, as DESIGN.md says for cross-cell reads).
 */
export const MINIMUM_GROUP = 5;

function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

export async function managedTeams(deps: SkillsDeps, actorOrNull: Actor | null): Promise<TeamSummary[]> {
  const actor = requireActor(actorOrNull);
  const managed = await teamsManagedBy(deps.stores, actor.principalId);
  // Administrators and managers of an organisation may open any of its teams' dashboards: list them.
  const overseen = [...actor.memberships.entries()].filter(([, roles]) => roles.includes('admin') || roles.includes('manager')).map(([id]) => id);
  const more = overseen.length === 0 ? [] : await teamsOfOrganisations(deps.stores, overseen);
  // A team both managed and overseen is listed once, where it first appears.
  const seen = new Set<string>();
  return [...managed, ...more]
    .filter((t) => {
      if (seen.has(t.id)) return false;
      seen.add(t.id);
      return true;
    })
    .map((t) => ({ id: t.id, name: t.name, organisationId: t.organisationId }));
}

async function loadTeam(deps: SkillsDeps, actor: Actor, teamId: string) {
  const found = await teamMembers(deps.stores, teamId);
  if (!found) throw notFound();
  const orgRoles = actor.memberships.get(found.team.organisationId) ?? [];
  const managesTeam = found.members.some((m) => m.principalId === actor.principalId && m.role === 'manager');
  // Not the team's manager nor an administrator or manager of its organisation: as if it did not exist.
  if (!managesTeam && !orgRoles.includes('admin') && !orgRoles.includes('manager')) throw notFound();
  return found;
}

export async function teamDashboard(
  deps: SkillsDeps,
  actorOrNull: Actor | null,
  meta: RequestMeta,
  teamId: string,
  profileId: string | undefined,
  language: SkillsLanguage,
  format: 'json' | 'csv' = 'json',
): Promise<TeamDashboard> {
  const actor = requireActor(actorOrNull);
  const { team, members } = await loadTeam(deps, actor, teamId);
  const framework = await resolveFramework(deps.stores, [team.organisationId]);
  const profile = framework.profiles.find((p) => p.id === (profileId ?? DEFAULT_PROFILE_ID));
  if (!profile) throw new AppError('validation', { errors: [{ path: 'querystring.profileId', message: 'unknown target profile', code: 'unknown_profile' }] });

  // The viewer's own result never counts: they know it, so it would leave figures over four others.
  const ids = members.map((m) => m.principalId).filter((id) => id !== actor.principalId);
  const results: StoredResult[] = [];
  const contributors: string[] = [];
  for (const jurisdiction of JURISDICTIONS) {
    for (const row of await latestCompletedOf(deps.stores.cells[jurisdiction].db, ids)) {
      if (!row.result) continue;
      results.push(row.result);
      contributors.push(row.principal_id);
    }
  }
  const tooFew = results.length < MINIMUM_GROUP;
  const overlap = !tooFew && !(await mayRelease(deps.stores, team.organisationId, actor.principalId, contributors, MINIMUM_GROUP));
  const withheld = tooFew || overlap;
  const mean = (xs: number[]) => (xs.length === 0 ? null : Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10);

  const areas = AREAS.map((area) => {
    const levels = results.flatMap((r) => {
      const l = r.areas.find((a) => a.area === area.id)?.level;
      return l === null || l === undefined ? [] : [l];
    });
    const shown = !withheld && levels.length >= MINIMUM_GROUP;
    return { area: area.id, name: areaName(area.id, language), assessed: withheld ? 0 : levels.length, meanLevel: shown ? mean(levels) : null };
  });
  const competences = framework.competences.map((c) => {
    // A competence not measured in someone's test counts at that person's area level.
    const levels = results.flatMap((r) => {
      const own = r.competences.find((x) => x.competence === c.id)?.level ?? r.areas.find((a) => a.area === c.area)?.level ?? null;
      return own === null ? [] : [own];
    });
    const shown = !withheld && levels.length >= MINIMUM_GROUP;
    const required = profile.required[c.id] ?? null;
    const distribution = shown ? Array.from({ length: 8 }, (_, i) => levels.filter((l) => l === i + 1).length) : null;
    return {
      competence: c.id,
      name: localiseText(c.name, language),
      area: c.area,
      assessed: withheld ? 0 : levels.length,
      meanLevel: shown ? mean(levels) : null,
      distribution,
      required,
      belowTarget: shown && required !== null ? levels.filter((l) => l < required).length : null,
    };
  });
  // No CSV of withheld figures (the page offers none either): a problem that says why, no figures.
  const refused = format === 'csv' && withheld;
  await deps.audit.record({
    action: format === 'csv' ? 'skills.team_dashboard.exported' : 'skills.team_dashboard.viewed',
    outcome: refused ? 'denied' : 'success',
    actorId: actor.principalId,
    organisationId: team.organisationId,
    resource: { type: 'team', id: team.id },
    ip: meta.ip,
    requestId: meta.requestId,
    details: { assessed: results.length, withheld, reason: tooFew ? 'too_few' : overlap ? 'overlap' : null },
  });
  if (refused) {
    const reason = tooFew ? 'too_few' : 'overlap';
    throw new AppError('team_figures_withheld', { status: 409, params: { reason, minimum: MINIMUM_GROUP }, extensions: { withheldReason: reason, minimumGroup: MINIMUM_GROUP } });
  }
  return {
    team: { id: team.id, name: team.name, organisationId: team.organisationId },
    members: members.length,
    // Withheld for overlap, the count would tell who joined or left the set already shown: not said.
    assessed: tooFew || !withheld ? results.length : null,
    viewerIsMember: members.some((m) => m.principalId === actor.principalId),
    minimumGroup: MINIMUM_GROUP,
    withheld,
    withheldReason: tooFew ? 'too_few' : overlap ? 'overlap' : null,
    targetProfile: profileView(profile, language),
    areas,
    competences,
  };
}

/**
 * The dashboard as CSV (RFC 4180: CRLF, fields quoted when they hold a separator, a quote or a line
 * break), laid out for the spreadsheets of the viewer's language: in French (fr-FR, fr-CA) `;`
 * between fields and a decimal comma (« 5,2 »), as Excel and LibreOffice expect in those locales;
 * in English `,` and a decimal point. It opens with a block of `key;value` lines (team, target
 * profile the required levels come from, members assessed, when it was made), an empty line, then
 * the table. Text cells that a spreadsheet would run as a formula get a leading apostrophe.
 * Never for withheld figures: teamDashboard refuses the export before this is reached.
 */
export function dashboardCsv(dashboard: TeamDashboard, language: SkillsLanguage, generatedAt: Date = new Date()): string {
  if (dashboard.withheld) throw new Error('dashboardCsv: the figures are withheld');
  const t = (key: string, values?: Record<string, string | number>) => formatMessage(language, `skillsCertificate.csv.${key}`, values);
  const french = language !== 'en';
  const separator = french ? ';' : ',';
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    // Numbers are ours (counts, levels, one-decimal means): only the decimal mark changes.
    const text = typeof value === 'number' ? (french ? String(value).replace('.', ',') : String(value)) : neutraliseFormula(value);
    return text.includes(separator) || /["\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const line = (values: (string | number | null)[]) => values.map(cell).join(separator);
  const areaNames = new Map(dashboard.areas.map((a) => [a.area, a.name]));
  const lines = [
    line([t('team'), dashboard.team.name]),
    line([t('targetProfile'), dashboard.targetProfile.name]),
    line([t('assessed'), dashboard.assessed]),
    line([t('generatedAt'), `${generatedAt.toISOString().slice(0, 19).replace('T', ' ')}`]),
    '',
    line([t('competence'), t('name'), t('areaCode'), t('area'), t('assessed'), t('meanLevel'), ...Array.from({ length: 8 }, (_, i) => t('level', { level: i + 1 })), t('required'), t('belowTarget')]),
  ];
  for (const row of dashboard.competences) {
    const cells = row.distribution ?? Array.from({ length: 8 }, () => null);
    lines.push(line([row.competence, row.name, row.area, areaNames.get(row.area) ?? row.area, row.assessed, row.meanLevel, ...cells, row.required, row.belowTarget]));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A cell starting with = + - @ (or their full-width forms), a tab or a carriage return would run as a formula in a spreadsheet. */
function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) ? `'${text}` : text;
}

/**
 * The CSV file to download: UTF-8 with a BOM (so that Excel reads the accents), and a name that
 * says the team and the day, in the viewer's language (the header from the platform's one builder:
 * an ASCII fallback, and the team's name as it is written in `filename*`).
 */
export function dashboardCsvFile(dashboard: TeamDashboard, language: SkillsLanguage, generatedAt: Date = new Date()): { body: string; contentDisposition: string } {
  const date = generatedAt.toISOString().slice(0, 10);
  // Characters no file system takes, control characters and runs of dots go; the rest of the name stays.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
  const team = dashboard.team.name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+|\.{2,}/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80).trim();
  const name = formatMessage(language, 'skillsCertificate.csv.filename', { team: team || dashboard.team.id, date });
  return {
    body: `\uFEFF${dashboardCsv(dashboard, language, generatedAt)}`,
    contentDisposition: contentDisposition('attachment', name),
  };
}
