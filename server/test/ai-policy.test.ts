import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { csrfTokenFor } from '../src/platform/http/csrf.ts';
import { groupNir, iban, nir } from './support/personal-numbers.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { startUpstreamDouble, type UpstreamDouble } from './support/openai-upstream.ts';

/**
 * The AI gateway's policy (issue 7, « Policy »): classification labels of spaces and documents,
 * residency of a space's content, the read check on the documents a request carries, and the
 * pseudonymisation of personal identifiers before a provider below the trust threshold — what the
 * upstream double receives, what the OpenAI client gets back, and what the audit says.
 */
const CAMILLE = DEMO_AGENTS[0]!; // FR
const HUGO = DEMO_AGENTS[1]!; // FR
const EMILIE = DEMO_AGENTS[2]!; // QC
let t: TestApp;
let sovereign: UpstreamDouble; // FR, cleared for « diffusion restreinte », trusted: text as it is
let standard: UpstreamDouble; // FR, cleared for « non protégé » only, standard trust: pseudonymised
let configDir: string;
let camille: TestSession;
let hugo: TestSession;
let emilie: TestSession;
let frSpace: string;
let qcSpace: string;
let restrictedDoc: string;
let plainDoc: string;
let qcDoc: string;
let hugoSpaceDoc: string;

beforeAll(async () => {
  sovereign = await startUpstreamDouble({ name: 'souverain', models: ['big'] });
  standard = await startUpstreamDouble({ name: 'standard', models: ['small'] });
  configDir = mkdtempSync(path.join(tmpdir(), 'entente-ai-policy-'));
  const configFile = path.join(configDir, 'entente.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      aiPolicy: { redactBelowTrust: 'sovereign' },
      aiProviders: [
        {
          id: 'souverain-fr',
          baseUrl: sovereign.baseUrl,
          models: [{ name: 'big', alias: 'modele-restreint', kind: 'chat' }],
          jurisdiction: 'FR',
          maxClassification: 'diffusion-restreinte',
          trust: 'sovereign',
        },
        {
          id: 'standard-fr',
          baseUrl: standard.baseUrl,
          models: [{ name: 'small', alias: 'modele-public', kind: 'chat' }],
          jurisdiction: 'FR',
          maxClassification: 'non-protege',
        },
      ],
    }),
  );
  t = await startTestApp({ env: { ENTENTE_CONFIG: configFile } });
  camille = await t.signIn(CAMILLE);
  hugo = await t.signIn(HUGO);
  emilie = await t.signIn(EMILIE);
  frSpace = await createSpace(camille, 'FR', 'Groupe de travail IA');
  qcSpace = await createSpace(emilie, 'QC', 'Chantier commun Québec');
  restrictedDoc = await createDocument(camille, frSpace, 'Note sensible');
  plainDoc = await createDocument(camille, frSpace, 'Compte rendu');
  qcDoc = await createDocument(emilie, qcSpace, 'Note du Québec');
  // Camille reads the QC space too (a shared space), Hugo edits the FR space.
  await addMember(qcSpace, CAMILLE.id, 'reader');
  await addMember(frSpace, HUGO.id, 'editor');
  const hugoSpace = await createSpace(hugo, 'FR', 'Espace de Hugo');
  hugoSpaceDoc = await createDocument(hugo, hugoSpace, 'Brouillon de Hugo');
  expect((await put(camille, `/api/documents/${restrictedDoc}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
});

afterAll(async () => {
  await t?.close();
  await sovereign?.close();
  await standard?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

beforeEach(() => {
  sovereign.behave({ kind: 'answer' });
  standard.behave({ kind: 'answer' });
});

async function createSpace(session: TestSession, jurisdiction: 'FR' | 'QC', name: string): Promise<string> {
  const response = await fetch(`${t.baseUrl}/api/spaces`, {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name, jurisdiction, minAssurance: 'low', classification: 'internal' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function createDocument(session: TestSession, spaceId: string, title: string): Promise<string> {
  const response = await fetch(`${t.baseUrl}/api/spaces/${spaceId}/documents`, {
    method: 'POST',
    headers: { ...session.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function addMember(spaceId: string, principalId: string, role: 'editor' | 'reader'): Promise<void> {
  await t.entente.stores.control.db.insertInto('space_members').values({ space_id: spaceId, principal_id: principalId, role }).execute();
}

function put(session: TestSession, pathname: string, body: unknown) {
  return fetch(`${t.baseUrl}${pathname}`, { method: 'PUT', headers: { ...session.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function get(session: TestSession, pathname: string, locale = 'fr-FR') {
  return fetch(`${t.baseUrl}${pathname}`, { headers: { cookie: session.cookie, 'accept-language': locale } });
}

function chat(session: TestSession, model: string, content: string, documents: string[] | null, extra: Record<string, unknown> = {}, locale = 'fr-FR') {
  return fetch(`${t.baseUrl}/ai/v1/chat/completions`, {
    method: 'POST',
    headers: {
      ...session.headers,
      'content-type': 'application/json',
      'accept-language': locale,
      ...(documents ? { 'x-entente-documents': documents.join(',') } : {}),
    },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
  });
}

type OpenAiError = { error: { message: string; type: string; param: string | null; code: string } };

async function policyAudit(jurisdiction: 'FR' | 'QC', actorId: string, until: (rows: { outcome: string; details: unknown }[]) => boolean) {
  const find = () => t.entente.audit.list({ jurisdiction, action: 'ai.policy', actorId, limit: 200 });
  let rows = await find();
  for (let i = 0; i < 100 && !until(rows); i++) {
    await new Promise((r) => setTimeout(r, 20));
    rows = await find();
  }
  return rows;
}

describe('classification and residency', () => {
  it('refuses a « diffusion restreinte » document to a model cleared only for « non protégé », plainly, and sends nothing', async () => {
    const before = standard.requests.length;
    const response = await chat(camille, 'modele-public', 'Résume ce document', [restrictedDoc]);
    expect(response.status).toBe(403);
    const body = (await response.json()) as OpenAiError;
    expect(body.error).toMatchObject({ type: 'permission_error', code: 'classification_refused', param: 'model' });
    expect(body.error.message).toContain('« Diffusion restreinte »');
    expect(body.error.message).toContain('« modele-public »');
    expect(body.error.message).toContain('« Non protégé »');
    expect(body.error.message).toContain('rien n’a été envoyé');
    expect(standard.requests.length).toBe(before);

    const english = (await (await chat(camille, 'modele-public', 'Summarise', [restrictedDoc], {}, 'en')).json()) as OpenAiError;
    expect(english.error.message).toContain('"Restricted distribution"');
  });

  it('accepts it with a model cleared for its level', async () => {
    const response = await chat(camille, 'modele-restreint', 'Résume ce document', [restrictedDoc]);
    expect(response.status).toBe(200);
    expect(sovereign.requests.at(-1)?.body?.model).toBe('big');
  });

  it('takes the higher of the document’s level and its space’s', async () => {
    expect((await chat(camille, 'modele-public', 'Résume', [plainDoc])).status).toBe(200);
    expect((await put(camille, `/api/spaces/${frSpace}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    expect(((await (await chat(camille, 'modele-public', 'Résume', [plainDoc])).json()) as OpenAiError).error.code).toBe('classification_refused');
    expect((await put(camille, `/api/spaces/${frSpace}/classification`, { level: null })).status).toBe(200);
    expect((await chat(camille, 'modele-public', 'Résume', [plainDoc])).status).toBe(200);
    // Several documents: the most sensitive decides.
    expect((await chat(camille, 'modele-public', 'Compare', [plainDoc, restrictedDoc])).status).toBe(403);
  });

  it('refuses a Québec space’s content to a provider allowed only in France', async () => {
    const before = sovereign.requests.length + standard.requests.length;
    const response = await chat(camille, 'modele-restreint', 'Résume', [qcDoc], {}, 'fr-CA');
    expect(response.status).toBe(403);
    const body = (await response.json()) as OpenAiError;
    expect(body.error.code).toBe('jurisdiction_refused');
    expect(body.error.message).toContain('espace québécois');
    expect(body.error.message).toContain('au Québec');
    expect(sovereign.requests.length + standard.requests.length).toBe(before);
    // Without documents there is no space's content: the default level, no residency constraint.
    expect((await chat(camille, 'modele-restreint', 'Bonjour', null)).status).toBe(200);
  });

  it('refuses a document the agent cannot read — or that does not exist — the same way, and a malformed header', async () => {
    for (const id of [hugoSpaceDoc, '0190a0b2-0000-7000-8000-000000000000']) {
      const response = await chat(camille, 'modele-restreint', 'Résume', [id]);
      expect(response.status).toBe(403);
      expect(((await response.json()) as OpenAiError).error).toMatchObject({ code: 'document_forbidden', param: 'x-entente-documents' });
    }
    // One readable and one not: refused all the same.
    expect((await chat(camille, 'modele-restreint', 'Résume', [plainDoc, hugoSpaceDoc])).status).toBe(403);
    const bad = await chat(camille, 'modele-restreint', 'Résume', ['pas-un-uuid']);
    expect(bad.status).toBe(400);
    const tooMany = Array.from({ length: 21 }, (_, i) => `0190a0b2-0000-7000-8000-${String(i).padStart(12, '0')}`);
    expect((await chat(camille, 'modele-restreint', 'Résume', tooMany)).status).toBe(400);
  });

  it('lists the models allowed for a document, with the reason of each refusal', async () => {
    const response = await get(camille, `/api/assistant/models?documentId=${restrictedDoc}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { classification: { id: string; name: string }; models: { id: string; allowed: boolean; reason: string | null; redacted: boolean }[]; noModel: boolean };
    expect(body.classification).toEqual({ id: 'diffusion-restreinte', name: 'Diffusion restreinte' });
    expect(body.noModel).toBe(false);
    expect(body.models.find((m) => m.id === 'modele-restreint')).toMatchObject({ allowed: true, reason: null, redacted: false });
    const refused = body.models.find((m) => m.id === 'modele-public');
    expect(refused).toMatchObject({ allowed: false, redacted: true });
    expect(refused?.reason).toContain('Diffusion restreinte');
    // The QC space's names: « Public » for the QC content in the default level.
    const qc = (await (await get(camille, `/api/assistant/models?documentId=${qcDoc}`, 'fr-CA')).json()) as typeof body;
    expect(qc.classification).toEqual({ id: 'non-protege', name: 'Public' });
    expect(qc.models.every((m) => !m.allowed)).toBe(true);
    expect((await get(camille, `/api/assistant/models?documentId=${hugoSpaceDoc}`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/api/assistant/models`)).status).toBe(401);
    // For the web app's session: a read token lacks the `ai` scope, an `ai` token is for /ai/v1 only.
    for (const [scopes, status] of [
      [['api:read'], 403],
      [['ai'], 403],
    ] as const) {
      const created = await fetch(`${t.baseUrl}/api/me/tokens`, {
        method: 'POST',
        headers: { ...camille.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ label: `modèles ${scopes.join(' ')}`, scopes, expiresInDays: 1 }),
      });
      const { token } = (await created.json()) as { token: string };
      expect((await fetch(`${t.baseUrl}/api/assistant/models`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(status);
    }
    const none = (await (await get(camille, '/api/assistant/models')).json()) as typeof body;
    expect(none.classification).toBeNull();
    expect(none.models.every((m) => m.allowed)).toBe(true);
  });
});

describe('pseudonymisation before a provider below the trust threshold', () => {
  const NIR = groupNir(nir('1850578006084'));
  const IBAN = iban('FR', '30006000011234567890189');
  const EMAIL = 'camille.martin@numerique.gouv.fr';
  const prompt = `Écris à Camille Martin (NIR ${NIR}, IBAN ${IBAN}, courriel ${EMAIL}) et à Mme Tremblay.`;
  const values = [NIR, IBAN, EMAIL, 'Camille Martin', 'Tremblay'];

  it('sends placeholders upstream and gives the client the restored answer', async () => {
    const openai = new OpenAI({ baseURL: `${t.baseUrl}/ai/v1`, apiKey: 'unused', defaultHeaders: { cookie: camille.cookie, 'x-csrf-token': camille.csrfToken, origin: t.baseUrl } });
    const answer = await openai.chat.completions.create({ model: 'modele-public', messages: [{ role: 'system', content: `Tu aides ${EMAIL}.` }, { role: 'user', content: prompt }] });
    const sent = JSON.stringify(standard.requests.at(-1)?.body);
    for (const value of values) expect(sent).not.toContain(value);
    for (const placeholder of ['[PERSONNE_1]', '[NIR_1]', '[IBAN_1]', '[COURRIEL_1]', '[PERSONNE_2]']) expect(sent).toContain(placeholder);
    // The system prompt and the question share the mapping: one placeholder per value.
    expect(((standard.requests.at(-1)?.body?.messages ?? []) as { content: string }[])[0]?.content).toBe('Tu aides [COURRIEL_1].');
    expect(answer.choices[0]?.message.content).toBe(`Réponse de standard : ${prompt}`);
  });

  it('restores a streamed answer, placeholders cut across chunks', async () => {
    standard.behave({ kind: 'answer', chunkChars: 3 });
    const response = await chat(camille, 'modele-public', prompt, null, { stream: true });
    expect(response.status).toBe(200);
    const text = await response.text();
    const deltas = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] })
      .map((c) => c.choices[0]?.delta?.content ?? '');
    expect(deltas.join('')).toBe(`Réponse de standard : ${prompt}`);
    expect(text).not.toMatch(/\[(PERSONNE|NIR|IBAN|COURRIEL)_\d\]/);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const sent = JSON.stringify(standard.requests.at(-1)?.body);
    for (const value of values) expect(sent).not.toContain(value);
  });

  it('pseudonymises every text the model reads: names, tool answers, tool calls’ arguments', async () => {
    const openai = new OpenAI({ baseURL: `${t.baseUrl}/ai/v1`, apiKey: 'unused', defaultHeaders: { cookie: camille.cookie, 'x-csrf-token': camille.csrfToken, origin: t.baseUrl } });
    await openai.chat.completions.create({
      model: 'modele-public',
      messages: [
        { role: 'user', name: EMAIL, content: 'Quel est mon dossier ?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'dossier', arguments: JSON.stringify({ iban: IBAN }) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: `Dossier de Camille Martin, NIR ${NIR}.` },
        { role: 'user', name: 'Camille Martin', content: 'Résume.' },
      ],
    });
    const body = standard.requests.at(-1)?.body as { messages: { name?: string; content: string | null; tool_calls?: { function: { arguments: string } }[] }[] };
    const sent = JSON.stringify(body);
    for (const value of [NIR, IBAN, EMAIL, 'Camille Martin']) expect(sent).not.toContain(value);
    expect(body.messages[0]?.name).toMatch(/^\[COURRIEL_1\]$/);
    expect(body.messages[3]?.name).toMatch(/^\[PERSONNE_\d\]$/);
    expect(body.messages[2]?.content).toMatch(/^Dossier de \[PERSONNE_\d\], NIR \[NIR_1\]\.$/);
    // The arguments stay JSON, with the placeholder in place of the value.
    expect(JSON.parse(body.messages[1]?.tool_calls?.[0]?.function.arguments ?? '{}')).toEqual({ iban: '[IBAN_1]' });
    // One mapping for the request: the same person has one placeholder in a name and in a text.
    expect(body.messages[2]?.content).toContain(body.messages[3]?.name);
  });

  it('sends the text as it is to a trusted provider', async () => {
    expect((await chat(camille, 'modele-restreint', prompt, null)).status).toBe(200);
    expect(JSON.stringify(sovereign.requests.at(-1)?.body)).toContain(NIR);
  });

  it('audits every decision — allowed, redacted, refused — with counts, never values', async () => {
    // The request of the first test, which carried a NIR and an IBAN (entries are written in batches, a moment later).
    const ofFirstRequest = (d: Record<string, unknown>) => d.decision === 'redacted' && d.pii_iban !== undefined;
    const rows = await policyAudit('FR', CAMILLE.id, (r) => r.some((x) => ofFirstRequest(x.details as Record<string, unknown>)));
    const decisions = rows.map((r) => r.details as Record<string, unknown>);
    const redacted = decisions.find(ofFirstRequest);
    expect(redacted).toMatchObject({ provider: 'standard-fr', level: 'non-protege', pii_nir: 1, pii_iban: 1, pii_outcome: 'redacted' });
    expect(Number(redacted?.pii_person)).toBeGreaterThanOrEqual(2);
    expect(decisions.some((d) => d.decision === 'allowed' && d.provider === 'souverain-fr')).toBe(true);
    expect(decisions.some((d) => d.decision === 'refused' && d.reason === 'classification_refused' && d.level === 'diffusion-restreinte')).toBe(true);
    expect(decisions.some((d) => d.decision === 'refused' && d.reason === 'jurisdiction_refused' && d.jurisdictions === 'QC')).toBe(true);
    expect(decisions.some((d) => d.decision === 'refused' && d.reason === 'document_forbidden')).toBe(true);
    const all = JSON.stringify(rows);
    for (const value of values) expect(all).not.toContain(value);
  });
});

describe('labels API', () => {
  it('keeps a duplicate at its original’s level, and reads a « restricted » workspace label as the restricted level', async () => {
    const response = await fetch(`${t.baseUrl}/api/documents/${restrictedDoc}/duplicate`, { method: 'POST', headers: hugo.headers });
    expect(response.status).toBe(201);
    const copy = ((await response.json()) as { id: string }).id;
    const view = (await (await get(hugo, `/api/documents/${copy}/classification`)).json()) as { own: { id: string } | null };
    expect(view.own?.id).toBe('diffusion-restreinte');
    expect(((await (await chat(hugo, 'modele-public', 'Résume', [copy])).json()) as OpenAiError).error.code).toBe('classification_refused');

    const created = await fetch(`${t.baseUrl}/api/spaces`, {
      method: 'POST',
      headers: { ...camille.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Espace restreint', jurisdiction: 'FR', minAssurance: 'low', classification: 'restricted' }),
    });
    const restrictedSpace = ((await created.json()) as { id: string }).id;
    const doc = await createDocument(camille, restrictedSpace, 'Sans étiquette propre');
    expect(((await (await get(camille, `/api/spaces/${restrictedSpace}/classification`)).json()) as { own: unknown; effective: { id: string } })).toMatchObject({
      own: null,
      effective: { id: 'diffusion-restreinte' },
    });
    expect(((await (await chat(camille, 'modele-public', 'Résume', [doc])).json()) as OpenAiError).error.code).toBe('classification_refused');
  });

  it('lets editors raise a document’s level, owners only lower it, and audits both', async () => {
    const doc = await createDocument(camille, frSpace, 'Étiquetage');
    const view = (await (await get(hugo, `/api/documents/${doc}/classification`)).json()) as { own: unknown; effective: { id: string; name: string }; canLower: boolean };
    expect(view).toMatchObject({ own: null, effective: { id: 'non-protege', name: 'Non protégé' }, canLower: false });
    expect((await put(hugo, `/api/documents/${doc}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    expect((await put(hugo, `/api/documents/${doc}/classification`, { level: 'non-protege' })).status).toBe(403);
    expect((await put(hugo, `/api/documents/${doc}/classification`, { level: null })).status).toBe(403);
    expect((await put(camille, `/api/documents/${doc}/classification`, { level: null })).status).toBe(200);
    expect((await put(camille, `/api/documents/${doc}/classification`, { level: 'tres-secret' })).status).toBe(400);
    const rows = await t.entente.audit.list({ jurisdiction: 'FR', action: 'document.classification.changed', resourceId: doc, limit: 20 });
    expect(rows.map((r) => [r.outcome, (r.details as { direction: string }).direction]).sort()).toEqual(
      [
        ['denied', 'lowered'],
        ['denied', 'lowered'],
        ['success', 'lowered'],
        ['success', 'raised'],
      ].sort(),
    );
  });

  it('lets only members change a space’s level: readers never, editors raise, owners lower', async () => {
    // Camille reads the QC space: no change; Hugo is not a member of Émilie's: 404.
    expect((await put(camille, `/api/spaces/${qcSpace}/classification`, { level: 'diffusion-restreinte' })).status).toBe(403);
    expect((await put(hugo, `/api/spaces/${qcSpace}/classification`, { level: 'diffusion-restreinte' })).status).toBe(404);
    expect((await put(hugo, `/api/documents/${qcDoc}/classification`, { level: 'diffusion-restreinte' })).status).toBe(404);
    expect((await put(camille, `/api/documents/${qcDoc}/classification`, { level: 'diffusion-restreinte' })).status).toBe(403);
    expect((await put(hugo, `/api/spaces/${frSpace}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    expect((await put(hugo, `/api/spaces/${frSpace}/classification`, { level: 'non-protege' })).status).toBe(403);
    const qc = (await (await get(emilie, `/api/spaces/${qcSpace}/classification`, 'fr-CA')).json()) as { levels: { name: string }[] };
    expect(qc.levels.map((l) => l.name)).toEqual(['Public', 'Confidentiel']);
    expect((await put(camille, `/api/spaces/${frSpace}/classification`, { level: null })).status).toBe(200);
    const csrfless = await fetch(`${t.baseUrl}/api/spaces/${frSpace}/classification`, {
      method: 'PUT',
      headers: { cookie: camille.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ level: null }),
    });
    expect(csrfless.status).toBe(403);
  });

  it('takes the own label down only by an owner, even when the space’s level covers it today', async () => {
    const space = await createSpace(camille, 'FR', 'Étiquettes couvertes');
    await addMember(space, HUGO.id, 'editor');
    const doc = await createDocument(camille, space, 'Couverte par son espace');
    expect((await put(camille, `/api/spaces/${space}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    // Keeping the effective level: an editor may set the page's own label…
    expect((await put(hugo, `/api/documents/${doc}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    // …not take it off, nor down, although the space keeps the page at the same level today:
    // lowering the space later would take the page down with it.
    expect((await put(hugo, `/api/documents/${doc}/classification`, { level: null })).status).toBe(403);
    expect((await put(hugo, `/api/documents/${doc}/classification`, { level: 'non-protege' })).status).toBe(403);
    expect((await put(camille, `/api/spaces/${space}/classification`, { level: null })).status).toBe(200);
    expect(((await (await chat(hugo, 'modele-public', 'Résume', [doc])).json()) as OpenAiError).error.code).toBe('classification_refused');
    const rows = await t.entente.audit.list({ jurisdiction: 'FR', action: 'document.classification.changed', resourceId: doc, limit: 20 });
    expect(rows.filter((r) => r.outcome === 'denied').map((r) => (r.details as { direction: string; fromEffective: string; toEffective: string }).direction)).toEqual(['lowered', 'lowered']);

    // The same for a space whose workspace label (« restricted ») covers its own level.
    const covered = await fetch(`${t.baseUrl}/api/spaces`, {
      method: 'POST',
      headers: { ...camille.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Espace couvert', jurisdiction: 'FR', minAssurance: 'low', classification: 'restricted' }),
    });
    const coveredSpace = ((await covered.json()) as { id: string }).id;
    await addMember(coveredSpace, HUGO.id, 'editor');
    expect((await put(hugo, `/api/spaces/${coveredSpace}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    expect((await put(hugo, `/api/spaces/${coveredSpace}/classification`, { level: null })).status).toBe(403);
    expect((await put(camille, `/api/spaces/${coveredSpace}/classification`, { level: null })).status).toBe(200);
  });

  it('changes labels in person only: not with a personal access token, and at the space’s level of assurance', async () => {
    const space = await createSpace(camille, 'FR', 'Étiquettes en personne');
    const doc = await createDocument(camille, space, 'Page en personne');
    const created = await fetch(`${t.baseUrl}/api/me/tokens`, {
      method: 'POST',
      headers: { ...camille.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'script étiquettes', scopes: ['api:read', 'api:write'], expiresInDays: 1 }),
    });
    expect(created.status).toBe(201);
    const token = ((await created.json()) as { token: string }).token;
    const withToken = (pathname: string, level: string | null) =>
      fetch(`${t.baseUrl}${pathname}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ level }) });
    // The token reads (api:read) but changes no label, raising or lowering.
    expect((await fetch(`${t.baseUrl}/api/spaces/${space}/classification`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await withToken(`/api/spaces/${space}/classification`, 'diffusion-restreinte')).status).toBe(403);
    expect((await withToken(`/api/documents/${doc}/classification`, 'diffusion-restreinte')).status).toBe(403);
    expect((await put(camille, `/api/documents/${doc}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
    expect((await withToken(`/api/documents/${doc}/classification`, null)).status).toBe(403);
    const view = (await (await get(camille, `/api/documents/${doc}/classification`)).json()) as { own: { id: string } | null };
    expect(view.own?.id).toBe('diffusion-restreinte');
    const denied = await t.entente.audit.list({ jurisdiction: 'FR', action: 'space.classification.changed', resourceId: space, limit: 10 });
    expect(denied.map((r) => [r.outcome, (r.details as { via: string }).via])).toEqual([['denied', 'token']]);

    // A space at « substantial »: a session below it is sent to step up, one at it changes the label.
    const patched = await fetch(`${t.baseUrl}/api/spaces/${space}`, {
      method: 'PATCH',
      headers: { ...camille.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ minAssurance: 'substantial' }),
    });
    expect(patched.status).toBe(200);
    for (const pathname of [`/api/spaces/${space}/classification`, `/api/documents/${doc}/classification`]) {
      const refused = await put(camille, pathname, { level: null });
      expect(refused.status).toBe(403);
      const problem = (await refused.json()) as { type: string; stepUp: string };
      expect(problem.type).toContain('insufficient-assurance');
      expect(problem.stepUp).toContain('level=substantial');
    }
    const stepped = await t.entente.sessions.create({
      principalId: CAMILLE.id,
      homeJurisdiction: CAMILLE.jurisdiction,
      ip: '127.0.0.1',
      userAgent: 'test',
      authMethod: 'oidc',
      federation: { upstream: 'demo-fr', assuranceLevel: 'substantial', acr: 'eidas2', idToken: null },
    });
    const steppedHeaders = { cookie: `entente_session=${stepped.token}`, 'x-csrf-token': csrfTokenFor(t.entente.secret, stepped.id), origin: t.baseUrl, 'content-type': 'application/json' };
    for (const pathname of [`/api/documents/${doc}/classification`, `/api/spaces/${space}/classification`]) {
      expect((await fetch(`${t.baseUrl}${pathname}`, { method: 'PUT', headers: steppedHeaders, body: JSON.stringify({ level: 'diffusion-restreinte' }) })).status).toBe(200);
    }
  });
});
