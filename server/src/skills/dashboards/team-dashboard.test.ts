import { describe, expect, it } from 'vitest';
import type { TeamDashboard } from '../../../../common/src/skills.ts';
import { dashboardCsv, dashboardCsvFile } from './team-dashboard.ts';
import { parseCsv } from '../../../test/support/csv.ts';

/** The team dashboard's CSV as French and English spreadsheets read it (QA findings). */
const AT = new Date('2026-03-05T14:03:12.345Z');

function dashboard(over: Partial<TeamDashboard> = {}): TeamDashboard {
  const row = (competence: string, name: string, area: string, meanLevel: number) => ({
    competence,
    name,
    area,
    assessed: 6,
    meanLevel,
    distribution: [0, 1, 1, 2, 1, 1, 0, 0],
    required: 4,
    belowTarget: 2,
  });
  return {
    team: { id: '019ac9f0-0000-7000-8000-0000000d0001', name: 'Pôle usages numériques (démo)', organisationId: '019ac9f0-0000-7000-8000-00000000f001' },
    members: 7,
    assessed: 6,
    viewerIsMember: true,
    minimumGroup: 5,
    withheld: false,
    withheldReason: null,
    targetProfile: { id: 'default-agent', role: 'agent', name: 'Agent public', organisationId: null, required: {} },
    areas: [
      { area: '1', name: 'Littératie de l’information et des données', assessed: 6, meanLevel: 3.8 },
      { area: '4', name: 'Sécurité', assessed: 6, meanLevel: 4 },
    ],
    competences: [row('1.1', 'Naviguer, rechercher et filtrer; des données', '1', 5.2), row('4.1', 'Protéger les appareils', '4', 4)],
    ...over,
  };
}

describe('the team dashboard CSV', () => {
  it('in French: `;` between fields, decimal commas, the area named, and who, what and when first', () => {
    const rows = parseCsv(dashboardCsv(dashboard(), 'fr-FR', AT), ';');
    expect(rows.slice(0, 5)).toEqual([['équipe', 'Pôle usages numériques (démo)'], ['profil cible (niveau attendu)', 'Agent public'], ['agents évalués', '6'], ['généré le (UTC)', '2026-03-05 14:03:12'], ['']]);
    expect(rows[5]).toEqual(['compétence', 'intitulé', 'code du domaine', 'domaine', 'agents évalués', 'niveau moyen', ...[1, 2, 3, 4, 5, 6, 7, 8].map((l) => `niveau ${l}`), 'niveau attendu', 'sous le niveau attendu']);
    expect(rows[6]).toEqual(['1.1', 'Naviguer, rechercher et filtrer; des données', '1', 'Littératie de l’information et des données', '6', '5,2', '0', '1', '1', '2', '1', '1', '0', '0', '4', '2']);
    expect(rows[7]).toEqual(['4.1', 'Protéger les appareils', '4', 'Sécurité', '6', '4', '0', '1', '1', '2', '1', '1', '0', '0', '4', '2']);
    expect(rows).toHaveLength(8);
    expect(rows.slice(5).every((r) => r.length === 16)).toBe(true);
    // fr-CA spreadsheets are French ones too.
    expect(dashboardCsv(dashboard(), 'fr-CA', AT)).toContain(';5,2;');
  });

  it('in English: `,` between fields and decimal points', () => {
    const rows = parseCsv(dashboardCsv(dashboard({ team: { ...dashboard().team, name: 'Digital team, Québec' } }), 'en', AT), ',');
    expect(rows.slice(0, 4)).toEqual([['team', 'Digital team, Québec'], ['target profile (required level)', 'Agent public'], ['agents assessed', '6'], ['generated at (UTC)', '2026-03-05 14:03:12']]);
    expect(rows[5]!.slice(0, 6)).toEqual(['competence', 'name', 'area code', 'area', 'agents assessed', 'mean level']);
    expect(rows[6]!.slice(0, 6)).toEqual(['1.1', 'Naviguer, rechercher et filtrer; des données', '1', 'Littératie de l’information et des données', '6', '5.2']);
  });

  it('neutralises what a spreadsheet would run as a formula, in names and in the team’s name, quoting per RFC 4180', () => {
    const hostile = ['=HYPERLINK("https://evil.example";"clic")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\r=1', '＝1', 'a "quoted"\nname'];
    const base = dashboard();
    const view = dashboard({
      team: { ...base.team, name: hostile[0]! },
      targetProfile: { ...base.targetProfile, name: hostile[3]! },
      competences: hostile.map((name, i) => ({ ...base.competences[0]!, competence: `org-x${i}`, name })),
    });
    for (const [language, separator] of [['fr-FR', ';'], ['en', ',']] as const) {
      const rows = parseCsv(dashboardCsv(view, language, AT), separator);
      expect(rows[0]![1]).toBe(`'${hostile[0]}`);
      expect(rows[1]![1]).toBe(`'${hostile[3]}`);
      expect(rows.slice(6).map((r) => r[1])).toEqual([`'${hostile[0]}`, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\r=1", "'＝1", 'a "quoted"\nname']);
      // Every cell of the file: none starts as a formula.
      expect(rows.flat().filter((cell) => /^[=+\-@\t\r＝]/.test(cell))).toEqual([]);
    }
  });

  it('is a UTF-8 file with a BOM whose name says the team and the day, ASCII and RFC 5987', () => {
    const fr = dashboardCsvFile(dashboard(), 'fr-FR', AT);
    expect(fr.body.startsWith('\uFEFFéquipe;')).toBe(true);
    expect(fr.contentDisposition).toBe(
      `attachment; filename="competences-equipe-Pole usages numeriques (demo)-2026-03-05.csv"; filename*=UTF-8''comp%C3%A9tences-%C3%A9quipe-P%C3%B4le%20usages%20num%C3%A9riques%20%28d%C3%A9mo%29-2026-03-05.csv`,
    );
    expect(dashboardCsvFile(dashboard(), 'en', AT).contentDisposition).toMatch(/^attachment; filename="team-skills-Pole usages numeriques \(demo\)-2026-03-05\.csv"; filename\*=UTF-8''team-skills-P%C3%B4le/);
    // A hostile name cannot break the header: no quote, no line break, no path.
    const odd = dashboardCsvFile(dashboard({ team: { ...dashboard().team, name: 'a"b\r\nSet-Cookie: x=1/../é' } }), 'en', AT).contentDisposition;
    expect(odd).toMatch(/^attachment; filename="team-skills-a b Set-Cookie x=1 e-2026-03-05\.csv"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/);
    expect(odd).not.toMatch(/[\r\n]/);
  });

  it('is never written for withheld figures', () => {
    expect(() => dashboardCsv(dashboard({ withheld: true, withheldReason: 'too_few' }), 'fr-FR', AT)).toThrow(/withheld/);
  });
});
