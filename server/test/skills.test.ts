import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_AGENTS, DEMO_COLLEAGUES, DEMO_ORGANISATIONS, DEMO_TEAMS } from '../src/identity/demo-data.ts';
import { EXPOSURE_CONTROL, MAX_PRICE } from '../src/skills/cat/index.ts';
import { applyTestToExposurePrices } from '../src/skills/items/items.repo.ts';
import { pdfText } from '../src/skills/certificates/pdf-text.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { parseCsv } from './support/csv.ts';

/**
 * The digital-skills API over HTTP as agents of both states, a manager and intruders would use
 * it: a whole adaptive test, its result, review, path and certificate; team dashboards and their
 * minimum group; and what an attacker would try (another agent's test, answers to questions not
 * asked, malformed answers, CSV formulas).
 */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];

let t: TestApp;
const s: Record<string, TestSession> = {};
beforeAll(async () => {
  t = await startTestApp();
  s.camille = await t.signIn(camille);
  s.hugo = await t.signIn(hugo);
  s.emilie = await t.signIn(emilie);
});
afterAll(async () => t?.close());

async function call(session: TestSession | null, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = session ? { ...session.headers, ...extra } : { ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const buffer = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, the assertions check them
  const json = (type.includes('json') && buffer.length > 0 ? JSON.parse(buffer.toString()) : null) as Record<string, any>;
  return { status: response.status, body: json, raw: buffer, headers: response.headers };
}

/** Answers every question (first option / a wrong short answer, or the right one when `right`) until the end. */
async function takeTest(session: TestSession, right: (i: number) => boolean = () => false) {
  let state = (await call(session, 'POST', '/api/skills/assessments', {})).body;
  const seen = new Set<string>();
  let i = 0;
  while (state.question) {
    const q = state.question;
    expect(seen.has(q.itemId)).toBe(false);
    seen.add(q.itemId);
    const body = q.kind === 'short_answer' ? { itemId: q.itemId, text: right(i) ? 'x' : 'réponse au hasard' } : { itemId: q.itemId, choices: [0] };
    const answered = await call(session, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, body);
    expect(answered.status).toBe(200);
    state = answered.body;
    i += 1;
    expect(i).toBeLessThanOrEqual(32);
  }
  return state;
}

describe('the framework', () => {
  it('shows DigComp 2.2 with its CRCN and Québec mappings and the default target profiles, in the agent’s language', async () => {
    const fr = await call(s.camille!, 'GET', '/api/skills/framework');
    expect(fr.status).toBe(200);
    expect(fr.body.version).toBe('digcomp-2.2');
    expect(fr.body.areas).toHaveLength(5);
    expect(fr.body.competences.filter((c: { organisationId: string | null }) => c.organisationId === null)).toHaveLength(21);
    const c11 = fr.body.competences.find((c: { id: string }) => c.id === '1.1');
    expect(c11.crcn.length).toBeGreaterThan(0);
    expect(c11.quebec.length).toBeGreaterThan(0);
    expect(fr.body.targetProfiles.map((p: { role: string }) => p.role)).toEqual(expect.arrayContaining(['agent', 'manager', 'digital-specialist']));
    const en = await call(s.camille!, 'GET', '/api/skills/framework', undefined, { 'accept-language': 'en' });
    expect(en.body.areas[0].name).not.toBe(fr.body.areas[0].name);
    expect((await call(null, 'GET', '/api/skills/framework')).status).toBe(401);
  });
});

describe('an adaptive assessment', () => {
  it('asks one question at a time without its answer key or parameters, and resumes where it stopped', async () => {
    // Before any test, one is suggested; once one is under way, it is no longer (the page offers to resume it).
    expect((await call(s.hugo!, 'GET', '/api/skills/overview')).body.reassessment).toEqual({ suggested: true, reason: 'never' });
    const started = await call(s.hugo!, 'POST', '/api/skills/assessments', {});
    expect(started.status).toBe(200);
    const { question, assessment, progress, result } = started.body;
    expect(assessment.status).toBe('in_progress');
    expect(result).toBeNull();
    expect(progress.answered).toBe(0);
    expect(Object.keys(question).sort()).toEqual(['area', 'competence', 'itemId', 'kind', 'options', 'stem']);
    expect(JSON.stringify(started.body)).not.toMatch(/"(correct|accepted|explanation|a|b|theta)"/);
    // Starting again resumes the same test on the same question.
    const again = await call(s.hugo!, 'POST', '/api/skills/assessments', {});
    expect(again.body.assessment.id).toBe(assessment.id);
    expect(again.body.question.itemId).toBe(question.itemId);
    const got = await call(s.hugo!, 'GET', `/api/skills/assessments/${assessment.id}`);
    expect(got.body.question.itemId).toBe(question.itemId);
    const overview = (await call(s.hugo!, 'GET', '/api/skills/overview')).body;
    expect(overview.inProgress.id).toBe(assessment.id);
    expect(overview.reassessment).toEqual({ suggested: false, reason: null });
  });

  it('refuses an answer to a question that was not asked, and malformed answers, recording nothing', async () => {
    const state = (await call(s.hugo!, 'POST', '/api/skills/assessments', {})).body;
    const id = state.assessment.id;
    const other = await call(s.hugo!, 'POST', `/api/skills/assessments/${id}/answers`, { itemId: '019ac9f0-0000-7000-8000-000000000999', choices: [0] });
    expect(other.status).toBe(409);
    expect(other.body.type).toBe('urn:entente:problem:question-changed');
    const q = state.question;
    const empty = await call(s.hugo!, 'POST', `/api/skills/assessments/${id}/answers`, q.kind === 'short_answer' ? { itemId: q.itemId, text: '  ' } : { itemId: q.itemId, choices: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.type).toBe('urn:entente:problem:answer-required');
    const outOfRange = await call(s.hugo!, 'POST', `/api/skills/assessments/${id}/answers`, q.kind === 'short_answer' ? { itemId: q.itemId, choices: [0] } : { itemId: q.itemId, choices: [9] });
    expect(outOfRange.status).toBe(400);
    expect((await call(s.hugo!, 'POST', `/api/skills/assessments/${id}/answers`, { itemId: q.itemId, choices: [0], extra: 1 })).status).toBe(400);
    expect((await call(s.hugo!, 'POST', `/api/skills/assessments/${id}/answers`, { itemId: q.itemId, text: 'x'.repeat(201) })).status).toBe(400);
    const after = await call(s.hugo!, 'GET', `/api/skills/assessments/${id}`);
    expect(after.body.progress.answered).toBe(0);
    expect(after.body.question.itemId).toBe(q.itemId);
  });

  it('another agent cannot see, answer or abandon someone’s test (404, as if it did not exist)', async () => {
    const state = (await call(s.hugo!, 'POST', '/api/skills/assessments', {})).body;
    const id = state.assessment.id;
    expect((await call(s.emilie!, 'GET', `/api/skills/assessments/${id}`)).status).toBe(404);
    expect((await call(s.emilie!, 'POST', `/api/skills/assessments/${id}/answers`, { itemId: state.question.itemId, choices: [0] })).status).toBe(404);
    expect((await call(s.emilie!, 'POST', `/api/skills/assessments/${id}/abandon`)).status).toBe(404);
    expect((await call(s.emilie!, 'GET', `/api/skills/certificates/${id}`)).status).toBe(404);
    expect((await call(null, 'POST', `/api/skills/assessments/${id}/answers`, { itemId: state.question.itemId, choices: [0] })).status).toBe(401);
  });

  it('two answers to the same question at once advance the test once', async () => {
    const state = (await call(s.hugo!, 'POST', '/api/skills/assessments', {})).body;
    const q = state.question;
    const body = q.kind === 'short_answer' ? { itemId: q.itemId, text: 'a' } : { itemId: q.itemId, choices: [0] };
    const [x, y] = await Promise.all([
      call(s.hugo!, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, body),
      call(s.hugo!, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, body),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect((await call(s.hugo!, 'GET', `/api/skills/assessments/${state.assessment.id}`)).body.progress.answered).toBe(1);
    expect((await call(s.hugo!, 'POST', `/api/skills/assessments/${state.assessment.id}/abandon`)).body.assessment.status).toBe('abandoned');
    expect((await call(s.hugo!, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, body)).status).toBe(409);
  });

  it('a Québec agent takes a whole test: levels, review, gaps, path and certificate, all kept in the Québec cell', async () => {
    const end = await takeTest(s.emilie!);
    expect(end.assessment.status).toBe('completed');
    expect(end.progress.fraction).toBe(1);
    const result = end.result;
    expect(result.level).toBeGreaterThanOrEqual(1);
    expect(result.level).toBeLessThanOrEqual(8);
    expect(end.assessment.answered).toBeGreaterThanOrEqual(10);
    expect(result.areas).toHaveLength(5);
    expect(result.areas.every((a: { answered: number }) => a.answered > 0)).toBe(true);
    expect(result.competences.length).toBeGreaterThan(3);
    const id = end.assessment.id;

    const review = await call(s.emilie!, 'GET', `/api/skills/assessments/${id}/review`);
    expect(review.body.items).toHaveLength(end.assessment.answered);
    expect(review.body.items.every((i: { explanation: string }) => i.explanation.length > 0)).toBe(true);

    const overview = (await call(s.emilie!, 'GET', '/api/skills/overview')).body;
    expect(overview.latest.id).toBe(id);
    expect(overview.targetProfile.id).toBe('default-agent');
    expect(overview.gaps.length + overview.strengths.length).toBe(21);
    // A competence no question was on shows its area's level, said as such (not as measured).
    const measured = new Set(overview.result.competences.map((c: { competence: string }) => c.competence));
    for (const row of [...overview.gaps, ...overview.strengths] as { competence: string; basis: string | null }[]) {
      expect(row.basis, row.competence).toBe(measured.has(row.competence) ? 'competence' : 'area');
    }
    expect(overview.path.length).toBeGreaterThan(0);
    // One resource in two languages is offered once, in the agent's language where it exists (fr-CA here).
    const offered = new Set(overview.path.map((r: { id: string }) => r.id));
    for (const [en, fr] of [['get-cyber-safe', 'pensez-cybersecurite'], ['mediasmarts', 'habilomedias'], ['cyber-gc-ca-en', 'cyber-gc-ca']]) {
      expect(offered.has(en) && offered.has(fr), `${en} / ${fr}`).toBe(false);
      expect(offered.has(en!), en).toBe(false);
    }
    expect(overview.path.every((r: { url: string }) => r.url.startsWith('https://'))).toBe(true);
    expect(overview.certificate.assessmentId).toBe(id);
    // Émilie administers her organisation: she may write items; Hugo, a member, may not.
    expect(overview.canAuthor).toBe(true);
    expect((await call(s.hugo!, 'GET', '/api/skills/overview')).body.canAuthor).toBe(false);

    // A higher target profile makes more gaps; an unknown one is refused.
    const specialist = await call(s.emilie!, 'PUT', '/api/skills/target-profile', { profileId: 'default-digital-specialist' });
    expect(specialist.status).toBe(200);
    expect(specialist.body.gaps.length).toBeGreaterThanOrEqual(overview.gaps.length);
    expect((await call(s.emilie!, 'PUT', '/api/skills/target-profile', { profileId: 'nope' })).status).toBe(400);

    const first = overview.path[0];
    const marked = await call(s.emilie!, 'PUT', `/api/skills/path/${first.id}`, { status: 'done' });
    expect(marked.body.status).toBe('done');
    expect((await call(s.emilie!, 'PUT', '/api/skills/path/not-a-resource', { status: 'done' })).status).toBe(404);

    const pdf = await call(s.emilie!, 'GET', `/api/skills/certificates/${id}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');

    const qc = await t.entente.stores.cells.QC.db.selectFrom('skills_responses').select('id').where('principal_id', '=', emilie.id).execute();
    const fr = await t.entente.stores.cells.FR.db.selectFrom('skills_responses').select('id').where('principal_id', '=', emilie.id).execute();
    expect(qc.length).toBe(end.assessment.answered);
    expect(fr).toHaveLength(0);
    const audit = await t.entente.audit.list({ jurisdiction: 'QC', action: 'skills.assessment.completed', limit: 10 });
    expect(audit.some((e) => e.resource_id === id)).toBe(true);

    // « Télécharger mes données » carries the assessment and every answer (keys, not texts).
    const exported = await call(s.emilie!, 'GET', '/api/me/export');
    expect(exported.status).toBe(200);
    const mine = exported.body.skills.assessments.find((a: { id: string }) => a.id === id);
    expect(mine.answers).toHaveLength(end.assessment.answered);
    expect(mine.answers[0].itemKey).toMatch(/^\d\.\d-\d\d$/);
    expect(exported.body.skills.targetProfileId).toBe('default-digital-specialist');
    expect(exported.body.skills.learningPath.find((p: { resourceId: string }) => p.resourceId === first.id).status).toBe('done');
  });

  it('the certificate speaks each language: decimal comma and « qu’Émilie » in French, English file name in English (QA)', async () => {
    const id = (await call(s.emilie!, 'GET', '/api/skills/overview')).body.certificate.assessmentId as string;
    const text = (pdf: Buffer) => pdfText(pdf).join(' ').replace(/ {2,}/g, ' ');
    for (const [query, extra] of [['?lang=fr-CA', {}], ['', { 'accept-language': 'fr-CA' }], ['?lang=fr-FR', { 'accept-language': 'en' }]] as const) {
      const fr = await call(s.emilie!, 'GET', `/api/skills/certificates/${id}${query}`, undefined, extra);
      expect(fr.status).toBe(200);
      expect(fr.headers.get('content-disposition')).toMatch(/^attachment; filename="attestation-competences-\d{4}-\d{2}-\d{2}\.pdf"; filename\*=UTF-8''attestation-competences-\d{4}-\d{2}-\d{2}\.pdf$/);
      const said = text(fr.raw);
      expect(said).toContain('Attestation de compétences numériques');
      expect(said).toContain('Entente atteste qu’Émilie Tremblay (');
      expect(said).toMatch(/Précision de la mesure : ±\u00a00,\d\d \(écart type de l’estimation, sur l’échelle du test où un niveau couvre 0,75, soit environ ± \d,\d niveau\)\./);
      expect(said).toContain('Émise par Entente pour l’administration québécoise le');
    }
    for (const [query, extra] of [['?lang=en', {}], ['', { 'accept-language': 'en' }]] as const) {
      const en = await call(s.emilie!, 'GET', `/api/skills/certificates/${id}${query}`, undefined, extra);
      expect(en.headers.get('content-disposition')).toMatch(/^attachment; filename="digital-skills-certificate-\d{4}-\d{2}-\d{2}\.pdf"; filename\*=UTF-8''digital-skills-certificate-\d{4}-\d{2}-\d{2}\.pdf$/);
      const said = text(en.raw);
      expect(said).toContain('Entente certifies that Émilie Tremblay (');
      expect(said).toMatch(/Measurement precision: ±\u00a00\.\d\d \(the standard deviation of the estimate/);
      expect(said).toContain('Issued by Entente for the Québec public administration on');
    }
  });

  it('the review and certificate wait for the end of the test', async () => {
    const state = (await call(s.hugo!, 'POST', '/api/skills/assessments', {})).body;
    expect((await call(s.hugo!, 'GET', `/api/skills/assessments/${state.assessment.id}/review`)).status).toBe(409);
    expect((await call(s.hugo!, 'GET', `/api/skills/certificates/${state.assessment.id}`)).status).toBe(409);
  });
});

describe('team dashboards', () => {
  const [big, small] = DEMO_TEAMS;
  it('a manager sees their team’s aggregated levels, and CSV without formulas', async () => {
    const teams = await call(s.camille!, 'GET', '/api/skills/teams');
    expect(teams.body.teams.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([big.id, small.id]));
    const view = await call(s.camille!, 'GET', `/api/skills/teams/${big.id}/dashboard`);
    expect(view.status).toBe(200);
    expect(view.body.withheld).toBe(false);
    expect(view.body.assessed).toBeGreaterThanOrEqual(5);
    // Camille manages the team and is one of its members: the page says her own result is left out.
    expect(view.body.viewerIsMember).toBe(true);
    expect(view.body.competences).toHaveLength(21);
    const row = view.body.competences[0];
    expect(row.meanLevel).toBeGreaterThanOrEqual(1);
    expect(row.distribution.reduce((x: number, y: number) => x + y, 0)).toBe(row.assessed);
    const csv = await call(s.camille!, 'GET', `/api/skills/teams/${big.id}/dashboard.csv`);
    expect(csv.status).toBe(200);
    const text = csv.raw.toString('utf8');
    // A key;value block (4 lines), an empty line, the header and 21 competences.
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(26);
    expect(text).not.toMatch(/(^|[,;])[=+@]/m);
  });

  it('never shows figures for fewer than 5 agents', async () => {
    const view = await call(s.camille!, 'GET', `/api/skills/teams/${small.id}/dashboard`);
    expect(view.body.withheld).toBe(true);
    expect(view.body.assessed).toBeLessThan(5);
    expect(view.body.competences.every((c: { meanLevel: number | null; distribution: unknown }) => c.meanLevel === null && c.distribution === null)).toBe(true);
    expect(view.body.areas.every((a: { meanLevel: number | null }) => a.meanLevel === null)).toBe(true);
    // No CSV at all (the page offers none): a problem, see below.
    expect((await call(s.camille!, 'GET', `/api/skills/teams/${small.id}/dashboard.csv`)).status).toBe(409);
  });

  it('the CSV is laid out for the viewer’s spreadsheets, and says which team, target profile and when (QA)', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const view = (await call(s.camille!, 'GET', `/api/skills/teams/${big.id}/dashboard?profileId=default-manager`)).body;
    const fr = await call(s.camille!, 'GET', `/api/skills/teams/${big.id}/dashboard.csv?profileId=default-manager`, undefined, { 'accept-language': 'fr-FR' });
    expect(fr.status).toBe(200);
    expect(fr.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(fr.headers.get('content-disposition')).toBe(
      `attachment; filename="competences-equipe-Pole usages numeriques (demo)-${today}.csv"; filename*=UTF-8''comp%C3%A9tences-%C3%A9quipe-P%C3%B4le%20usages%20num%C3%A9riques%20%28d%C3%A9mo%29-${today}.csv`,
    );
    expect(fr.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(fr.raw.toString('utf8').slice(1), ';');
    expect(rows.slice(0, 3)).toEqual([['équipe', big.name], ['profil cible (niveau attendu)', view.targetProfile.name], ['agents évalués', String(view.assessed)]]);
    expect(rows[3]![0]).toBe('généré le (UTC)');
    expect(rows[3]![1]).toMatch(new RegExp(`^${today} \\d{2}:\\d{2}:\\d{2}$`));
    expect(rows[4]).toEqual(['']);
    expect(rows[5]!.slice(0, 6)).toEqual(['compétence', 'intitulé', 'code du domaine', 'domaine', 'agents évalués', 'niveau moyen']);
    const table = rows.slice(6);
    expect(table).toHaveLength(view.competences.length);
    let decimals = 0;
    for (const [i, c] of view.competences.entries()) {
      const area = view.areas.find((a: { area: string }) => a.area === c.area).name;
      const mean = String(c.meanLevel).replace('.', ',');
      if (mean.includes(',')) decimals += 1;
      expect(table[i]).toEqual([c.competence, c.name, c.area, area, String(c.assessed), mean, ...c.distribution.map(String), String(c.required), String(c.belowTarget)]);
    }
    expect(decimals, 'some mean has decimals').toBeGreaterThan(0);
    expect(table[0]![3]).toBe('Littératie de l’information et des données');

    const en = await call(s.camille!, 'GET', `/api/skills/teams/${big.id}/dashboard.csv?profileId=default-manager`, undefined, { 'accept-language': 'en' });
    expect(en.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="team-skills-Pole usages numeriques \\(demo\\)-${today}\\.csv"; filename\\*=UTF-8''team-skills-P%C3%B4le`));
    const enRows = parseCsv(en.raw.toString('utf8').slice(1), ',');
    const enView = (await call(s.camille!, 'GET', `/api/skills/teams/${big.id}/dashboard?profileId=default-manager`, undefined, { 'accept-language': 'en' })).body;
    expect(enRows.slice(0, 3)).toEqual([['team', big.name], ['target profile (required level)', enView.targetProfile.name], ['agents assessed', String(enView.assessed)]]);
    expect(enRows[5]!.slice(0, 6)).toEqual(['competence', 'name', 'area code', 'area', 'agents assessed', 'mean level']);
    for (const [i, c] of enView.competences.entries()) expect(enRows[6 + i]!.slice(0, 6)).toEqual([c.competence, c.name, c.area, enView.areas.find((a: { area: string }) => a.area === c.area).name, String(c.assessed), String(c.meanLevel)]);
    expect(enRows[6]![3]).toBe('Information and data literacy');
  });

  it('refuses the CSV of withheld figures with a problem that says why, in the viewer’s language, and no figure (QA)', async () => {
    for (const [language, phrase] of [['fr-FR', 'moins de 5 membres ont été évalués'], ['en', 'fewer than 5 members have been assessed']] as const) {
      const refused = await call(s.camille!, 'GET', `/api/skills/teams/${small.id}/dashboard.csv`, undefined, { 'accept-language': language });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(refused.headers.get('content-disposition')).toBeNull();
      expect(refused.body).toMatchObject({ type: 'urn:entente:problem:team-figures-withheld', status: 409, withheldReason: 'too_few', minimumGroup: 5 });
      expect(refused.body.detail).toContain(phrase);
      expect(Object.keys(refused.body).sort()).toEqual(['detail', 'instance', 'minimumGroup', 'requestId', 'status', 'title', 'type', 'withheldReason']);
    }
    const audit = await t.entente.audit.list({ action: 'skills.team_dashboard.exported', resourceId: small.id, limit: 5 });
    expect(audit[0]?.outcome).toBe('denied');
  });

  it('is not for agents who do not manage the team, nor for the team’s members', async () => {
    expect((await call(s.hugo!, 'GET', `/api/skills/teams/${big.id}/dashboard`)).status).toBe(404);
    expect((await call(s.emilie!, 'GET', `/api/skills/teams/${big.id}/dashboard.csv`)).status).toBe(404);
    expect((await call(s.hugo!, 'GET', '/api/skills/teams')).body.teams).toEqual([]);
    // The sub-navigation's tabs: « Mes équipes » for a manager only, the bank for a trainer or administrator only.
    expect((await call(s.hugo!, 'GET', '/api/skills/navigation')).body).toEqual({ teams: false, authoring: false });
    expect((await call(s.camille!, 'GET', '/api/skills/navigation')).body).toEqual({ teams: true, authoring: true });
    expect((await fetch(`${t.baseUrl}/api/skills/navigation`)).status).toBe(401);
    // Léa is a member of the team, not its manager: the figures are not hers to see.
    const member = await t.signIn({ ...DEMO_AGENTS[0]!, id: DEMO_COLLEAGUES[0].id });
    expect((await call(member, 'GET', `/api/skills/teams/${big.id}/dashboard`)).status).toBe(404);
  });
});

describe('what an attacker tries on team figures and retakes (review findings)', () => {
  const FR_MAIN = DEMO_ORGANISATIONS[0].id;
  async function team(name: string, members: readonly string[]) {
    const created = await call(s.camille!, 'POST', `/api/organisations/${FR_MAIN}/teams`, { name });
    expect(created.status).toBe(201);
    for (const id of members) expect((await call(s.camille!, 'PUT', `/api/organisations/${FR_MAIN}/teams/${created.body.id}/members/${id}`, { role: 'member' })).status).toBe(200);
    return created.body.id as string;
  }

  it('an administrator cannot subtract one agent’s levels with two teams differing by one person', async () => {
    const colleagues = DEMO_COLLEAGUES.map((c) => c.id);
    const five = await team('Cinq', colleagues.slice(0, 5));
    const first = await call(s.camille!, 'GET', `/api/skills/teams/${five}/dashboard`);
    expect(first.body.withheld).toBe(false);
    const six = await team('Six', colleagues.slice(0, 6));
    const second = await call(s.camille!, 'GET', `/api/skills/teams/${six}/dashboard`);
    expect(second.body).toMatchObject({ withheld: true, withheldReason: 'overlap' });
    // There are enough assessed members, but how many is not said: the change would tell who.
    expect(second.body.assessed).toBeNull();
    expect(second.body.competences.every((c: { distribution: unknown; meanLevel: unknown }) => c.distribution === null && c.meanLevel === null)).toBe(true);
    const csv = await call(s.camille!, 'GET', `/api/skills/teams/${six}/dashboard.csv`);
    expect(csv.status).toBe(409);
    expect(csv.body.withheldReason).toBe('overlap');
    // The same five again: shown as before.
    expect((await call(s.camille!, 'GET', `/api/skills/teams/${five}/dashboard`)).body.withheld).toBe(false);
  });

  it('the viewer’s own result never makes up the five', async () => {
    // Camille (assessed in the browser tests and here) with four assessed colleagues: four others only.
    const colleagues = DEMO_COLLEAGUES.map((c) => c.id);
    const four = await team('Quatre et moi', [camille.id, ...colleagues.slice(0, 4)]);
    await takeTest(s.camille!);
    const view = await call(s.camille!, 'GET', `/api/skills/teams/${four}/dashboard`);
    expect(view.body).toMatchObject({ withheld: true, withheldReason: 'too_few' });
    expect(view.body.assessed).toBeLessThan(5);
  });

  it('a hostile team or competence name does not run as a formula in the CSV, in French or English (QA)', async () => {
    const colleagues = DEMO_COLLEAGUES.map((c) => c.id);
    // The same five as the demo team: figures shown. An administrator names the team and a competence.
    const hostile = await team(`=HYPERLINK("https://evil.example";"Cliquez")`, colleagues.slice(0, 5));
    const competence = {
      id: 'org-formule',
      area: '3',
      name: { fr: '+SOMME(1;2)', en: '@SUM(1,2)' },
      description: { fr: 'Une compétence au nom hostile.', en: 'A competence with a hostile name.' },
      crcn: [],
      quebec: [],
    };
    expect((await call(s.camille!, 'POST', `/api/skills/organisations/${FR_MAIN}/competences`, competence)).status).toBe(201);
    try {
      for (const [language, separator, name] of [['fr-FR', ';', '+SOMME(1;2)'], ['en', ',', '@SUM(1,2)']] as const) {
        const csv = await call(s.camille!, 'GET', `/api/skills/teams/${hostile}/dashboard.csv`, undefined, { 'accept-language': language });
        expect(csv.status).toBe(200);
        const rows = parseCsv(csv.raw.toString('utf8').slice(1), separator);
        expect(rows[0]![1]).toBe(`'=HYPERLINK("https://evil.example";"Cliquez")`);
        expect(rows.find((r) => r[0] === 'org-formule')?.[1]).toBe(`'${name}`);
        expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
        expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"\\;%\r\n]+"; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+$/);
      }
    } finally {
      expect((await call(s.camille!, 'DELETE', `/api/skills/organisations/${FR_MAIN}/competences/org-formule`)).status).toBe(204);
    }
  });

  it('a retake does not ask again the questions the agent saw in their review', async () => {
    const before = await t.entente.stores.cells.FR.db.selectFrom('skills_responses').select('item_id').where('principal_id', '=', camille.id).execute();
    const seen = new Set(before.map((r) => r.item_id));
    expect(seen.size).toBeGreaterThan(0);
    let state = (await call(s.camille!, 'POST', '/api/skills/assessments', {})).body;
    for (let i = 0; i < 5 && state.question; i++) {
      expect(seen.has(state.question.itemId)).toBe(false);
      const q = state.question;
      state = (await call(s.camille!, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, q.kind === 'short_answer' ? { itemId: q.itemId, text: 'x' } : { itemId: q.itemId, choices: [0] })).body;
    }
    // Progress counts answers only: it says nothing of whether they were right.
    expect(state.progress).toEqual({ answered: 5, fraction: 5 / 32 });
    await call(s.camille!, 'POST', `/api/skills/assessments/${state.assessment.id}/abandon`);
  });

  it('text a database cannot keep is a 400, never a 500', async () => {
    let state = (await call(s.hugo!, 'POST', '/api/skills/assessments', {})).body;
    if (state.assessment.status !== 'in_progress') state = (await call(s.hugo!, 'POST', '/api/skills/assessments', {})).body;
    const q = state.question;
    for (const text of ['pdf\u0000', 'pdf\ud800', 'a\u0007b']) {
      const answered = await call(s.hugo!, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, { itemId: q.itemId, text });
      expect(answered.status).toBe(400);
    }
  });
});

describe('exposure control (the prices the adaptive test divides information by)', () => {
  const PRICE = 1;
  const up = PRICE + 0.02 * (1 - 0.24);
  const down = PRICE - 0.02 * 0.24;
  const prices = async () => new Map((await t.entente.stores.control.db.selectFrom('skills_items').select(['id', 'exposure_price', 'status']).execute()).map((r) => [r.id, r]));
  const optionsOf = async (id: string) => (await t.entente.stores.cells.QC.db.selectFrom('skills_assessments').select('options').where('id', '=', id).executeTakeFirstOrThrow()).options;

  it('a test that ends moves them: up for every question it showed, down for the rest of its bank, nothing else', async () => {
    s.olivier = await t.signIn(olivier);
    await t.entente.stores.control.db.updateTable('skills_items').set({ exposure_price: PRICE }).execute();
    // Abandoned after two answers: the two answered and the one on screen were shown.
    let state = (await call(s.olivier!, 'POST', '/api/skills/assessments', {})).body;
    const shown: string[] = [];
    for (let i = 0; i < 2; i++) {
      const q = state.question;
      shown.push(q.itemId);
      state = (await call(s.olivier!, 'POST', `/api/skills/assessments/${state.assessment.id}/answers`, q.kind === 'short_answer' ? { itemId: q.itemId, text: 'x' } : { itemId: q.itemId, choices: [0] })).body;
    }
    shown.push(state.question.itemId);
    const id = state.assessment.id;
    const before = await prices();
    expect([...before.values()].every((r) => r.exposure_price === PRICE)).toBe(true);
    expect((await call(s.olivier!, 'POST', `/api/skills/assessments/${id}/abandon`)).status).toBe(200);

    const excluded = new Set((await optionsOf(id)).excluded ?? []);
    const after = await prices();
    let lowered = 0;
    for (const [itemId, row] of after) {
      if (shown.includes(itemId)) expect(row.exposure_price).toBeCloseTo(up, 5);
      else if (row.status !== 'live' || excluded.has(itemId)) expect(row.exposure_price).toBe(PRICE);
      else {
        expect([PRICE, down].some((value) => Math.abs(row.exposure_price - value) < 1e-5)).toBe(true);
        if (Math.abs(row.exposure_price - down) < 1e-5) lowered += 1;
      }
    }
    // The shared bank (157 starter items) less the three shown (Olivier has taken no test before).
    expect(lowered).toBeGreaterThan(60);

    // Another test started and abandoned right after: the same day, so it does not count (one
    // test per agent per day, or an agent abandoning tests in a loop would steer everyone's prices).
    const second = (await call(s.olivier!, 'POST', '/api/skills/assessments', {})).body;
    expect(second.assessment.id).not.toBe(id);
    expect((await call(s.olivier!, 'POST', `/api/skills/assessments/${second.assessment.id}/abandon`)).status).toBe(200);
    expect([...(await prices())].every(([itemId, row]) => row.exposure_price === after.get(itemId)!.exposure_price)).toBe(true);

    // A day later, a whole test counts: up for each of its questions, down for the rest.
    await t.entente.stores.cells.QC.db.updateTable('skills_assessments').set({ started_at: new Date(Date.now() - 2 * 86_400_000) }).where('principal_id', '=', olivier.id).execute();
    const third = await takeTest(s.olivier!);
    expect(third.assessment.status).toBe('completed');
    const answered = (await t.entente.stores.cells.QC.db.selectFrom('skills_responses').select('item_id').where('assessment_id', '=', third.assessment.id).execute()).map((r) => r.item_id);
    expect(answered).toHaveLength(third.assessment.answered);
    const last = await prices();
    for (const itemId of answered) expect(last.get(itemId)!.exposure_price).toBeCloseTo(after.get(itemId)!.exposure_price + 0.02 * (1 - 0.24), 5);
    expect([...last].filter(([itemId, row]) => row.exposure_price < after.get(itemId)!.exposure_price - 1e-6).length).toBeGreaterThan(20);
  });

  it('tests ending at once all count, whatever the order of their banks (no lost move, no deadlock)', async () => {
    const db = t.entente.stores.control.db;
    const ids = (await db.selectFrom('skills_items').select('id').where('status', '=', 'live').orderBy('id').limit(40).execute()).map((r) => r.id);
    await db.updateTable('skills_items').set({ exposure_price: PRICE }).where('id', 'in', ids).execute();
    const control = { ...EXPOSURE_CONTROL, maxPrice: MAX_PRICE };
    // 24 tests over the same 40 items, half listing them backwards, each giving a different five.
    const tests = Array.from({ length: 24 }, (_, i) => ({ bank: i % 2 === 0 ? ids : [...ids].reverse(), given: ids.slice((i * 5) % 40, ((i * 5) % 40) + 5) }));
    await Promise.all(tests.map((test) => applyTestToExposurePrices(db, test.bank, test.given, control)));
    const after = new Map((await db.selectFrom('skills_items').select(['id', 'exposure_price']).where('id', 'in', ids).execute()).map((r) => [r.id, r.exposure_price]));
    for (const id of ids) {
      const times = tests.filter((test) => test.given.includes(id)).length;
      expect(after.get(id)).toBeCloseTo(PRICE + 0.02 * (times - 24 * 0.24), 4);
    }
  });

  it('a test whose prices cannot move still ends for the agent, audited, and the prices stay as they were', async () => {
    const control = t.entente.stores.control.db;
    // Olivier's earlier tests a day back, so this one would count; then every price update refused
    // by the database (a constraint checked on new writes only), as a failing control plane would.
    await t.entente.stores.cells.QC.db.updateTable('skills_assessments').set({ started_at: new Date(Date.now() - 2 * 86_400_000) }).where('principal_id', '=', olivier.id).execute();
    const started = (await call(s.olivier!, 'POST', '/api/skills/assessments', {})).body;
    const before = await prices();
    await sql`alter table skills_items add constraint prices_frozen_by_test check (exposure_price = -1) not valid`.execute(control);
    try {
      const ended = await call(s.olivier!, 'POST', `/api/skills/assessments/${started.assessment.id}/abandon`);
      expect(ended.status).toBe(200);
      expect(ended.body.assessment.status).toBe('abandoned');
    } finally {
      await sql`alter table skills_items drop constraint prices_frozen_by_test`.execute(control);
    }
    expect([...(await prices())].every(([itemId, row]) => row.exposure_price === before.get(itemId)!.exposure_price)).toBe(true);
    const audit = await t.entente.audit.list({ jurisdiction: 'QC', action: 'skills.assessment.abandoned', limit: 20 });
    expect(audit.some((event) => event.resource_id === started.assessment.id)).toBe(true);
  });

  it('an item every test gives stops at the bound, one no test gives at 0, and the database refuses a price out of range', async () => {
    const db = t.entente.stores.control.db;
    const [one, two] = await db.selectFrom('skills_items').select('id').where('status', '=', 'live').orderBy('id').limit(2).execute();
    await db.updateTable('skills_items').set({ exposure_price: MAX_PRICE - 0.001 }).where('id', '=', one!.id).execute();
    await db.updateTable('skills_items').set({ exposure_price: 0.001 }).where('id', '=', two!.id).execute();
    await applyTestToExposurePrices(db, [one!.id, two!.id], [one!.id], { ...EXPOSURE_CONTROL, maxPrice: MAX_PRICE });
    const moved = new Map((await db.selectFrom('skills_items').select(['id', 'exposure_price']).where('id', 'in', [one!.id, two!.id]).execute()).map((r) => [r.id, r.exposure_price]));
    expect(moved.get(one!.id)).toBe(MAX_PRICE);
    expect(moved.get(two!.id)).toBe(0);
    for (const bad of [-1, 11, Number.NaN]) {
      await expect(db.updateTable('skills_items').set({ exposure_price: bad }).where('id', '=', one!.id).execute()).rejects.toThrow();
    }
  });
});
