import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { exportCommand } from '../src/cli/export.ts';
import { importCommand } from '../src/cli/import.ts';
import { classificationScale } from '../src/assistant/index.ts';
import { loadConfig } from '../src/config.ts';
import { createEntente } from '../src/entente.ts';
import { DEMO_AGENTS, DEMO_COLLEAGUES, DEMO_ORGANISATIONS } from '../src/identity/demo-data.ts';
import type { AgentFile, FrameworkFile } from '../src/skills/archive/archive-format.ts';
import { organisationSkillsArchive } from '../src/skills/index.ts';
import { provisionalParameters } from '../src/skills/cat/index.ts';
import { organisationKeyPrefix } from '../src/skills/items/item-authoring.ts';
import { insertItem } from '../src/skills/items/items.repo.ts';
import { insertPrincipalIfAbsent } from '../src/identity/principals.repo.ts';
import { createAuditLog } from '../src/platform/audit/audit-log.ts';
import { verifyExportFile } from '../src/platform/audit/export.ts';
import { type Cells, openCells } from '../src/platform/cells/cells.ts';
import { openStores, type Stores } from '../src/platform/db/stores.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { createLogger } from '../src/platform/logger.ts';
import { DocumentStore } from '../src/workspace/collab/document-store.ts';
import { RICH_DOCUMENT } from '../src/workspace/content/fixtures.ts';
import { type JSONContent, jsonToYDoc, yDocToJson } from '../src/workspace/content/ydoc-json.ts';
import { FORMAT_VERSION, type Manifest, manifestJsonSchema } from '../src/workspace/export/archive-format.ts';
import { ArchiveError } from '../src/workspace/export/errors.ts';
import { type ImportDeps, importArchive, removeAbandonedImports } from '../src/workspace/export/space-import.ts';
import { ZipReader, ZipWriter } from '../src/workspace/export/zip.ts';
import { MAX_FOLDER_DEPTH } from '../src/workspace/files/files.ts';
import { setMember } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';
import { freshTestEnv, TMP, type TestEnv } from './support/db.ts';

/**
 * Reversibility (issue 6): `entente export` → `entente import` into a fresh instance → `entente
 * export` again loses nothing — a nested tree with rich content, restrictions, versions, images
 * and files with versions — and the importer refuses what an attacker or a damaged disk would
 * hand it, leaving nothing behind. Real stores (PGlite, or PostgreSQL with
 * ENTENTE_TEST_DATABASE_URL), real object stores and keys, the real HTTP API to make the data.
 */
const [FR1, FR2, QC1] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number], (typeof DEMO_AGENTS)[number]];
const saved = { ...process.env };
const work = mkdtempSync(path.join(TMP, 'export-'));
let source: TestApp;
let target: TestEnv;
let spaceId: string;
const docs: Record<string, string> = {};
let imageId: string;
const GHOST = uuidv7(); // a member who exists in the source instance only
let png: Buffer;
let skillsProfileId: string;
let skillsAssessmentId: string;
const binary = randomBytes(300_000);

async function api(session: TestSession, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const isJson = body !== undefined && !(body instanceof Uint8Array);
  const response = await fetch(`${source.baseUrl}${url}`, {
    method,
    headers: { ...session.headers, ...(isJson ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : isJson ? JSON.stringify(body) : Buffer.from(body as Uint8Array),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions
  return { status: response.status, json: (text ? JSON.parse(text) : null) as any };
}

/** A file through the real tus endpoint (creation, one PATCH), as the browser uploads it. */
async function upload(session: TestSession, name: string, bytes: Uint8Array, extra: Record<string, string> = {}): Promise<{ id: string }> {
  const metadata = Object.entries({ spaceId, filename: name, ...extra })
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
  const created = await fetch(`${source.baseUrl}/api/uploads`, {
    method: 'POST',
    headers: { ...session.headers, 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': metadata },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const location = created.headers.get('location') as string;
  const patched = await fetch(`${source.baseUrl}${location}`, {
    method: 'PATCH',
    headers: { ...session.headers, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: Buffer.from(bytes),
  });
  expect(patched.status, await patched.clone().text()).toBe(204);
  const status = (await (await fetch(`${source.baseUrl}${location}`, { headers: session.headers })).json()) as { file: { id: string } };
  return status.file;
}

/** Runs a CLI command in this process against the given environment, capturing its output. */
async function cli(run: (args: string[]) => Promise<number>, env: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  process.env = { ...saved, ...env };
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await run(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.env = { ...saved };
  }
}

const ydocOf = (content: JSONContent) => jsonToYDoc(content);
const paragraph = (...texts: string[]): JSONContent => ({ type: 'doc', content: texts.map((t) => ({ type: 'paragraph', content: [{ type: 'text', text: t }] })) });

/** Writes a document's content as a first state then a later edit (the log then holds history). */
async function write(documentId: string, content: JSONContent, edit?: (doc: Y.Doc) => void) {
  const store = source.entente.collab.store;
  const ref = { documentId, spaceId, jurisdiction: 'QC' as const };
  const doc = ydocOf(content);
  await store.initialise(ref, Y.encodeStateAsUpdate(doc));
  if (edit) {
    const before = Y.encodeStateVector(doc);
    edit(doc);
    await store.append(ref, 1, Y.encodeStateAsUpdate(doc, before));
    await store.compact(ref);
  }
}

beforeAll(async () => {
  png = await sharp({ create: { width: 48, height: 24, channels: 3, background: '#18753c' } }).png().toBuffer();
  source = await startTestApp({ entente: { startJobs: false } });
  const owner = await source.signIn(FR1);
  const created = await api(owner, 'POST', '/api/spaces', {
    name: 'Coopération « nuage » : 2026/27',
    description: 'Groupe de travail France–Québec',
    jurisdiction: 'QC',
    minAssurance: 'low',
    classification: 'restricted',
  });
  expect(created.status).toBe(201);
  spaceId = created.json.id;
  await setMember(source.entente, spaceId, QC1.id, 'editor');
  await setMember(source.entente, spaceId, FR2.id, 'reader');
  await insertPrincipalIfAbsent(source.entente.stores.control.db, GHOST, 'FR');
  await setMember(source.entente, spaceId, GHOST, 'reader');

  const doc = async (key: string, title: string, parent?: string) => {
    const r = await api(owner, 'POST', `/api/spaces/${spaceId}/documents`, { title, parentId: parent ? docs[parent] : null });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    docs[key] = r.json.id;
  };
  await doc('rapport', 'Rapport annuel');
  await doc('annexe', 'Annexe', 'rapport');
  await doc('details', 'Détails', 'annexe');
  await doc('restreint', 'Restreint', 'rapport');
  await doc('note1', 'Note');
  await doc('note2', 'Note');
  await doc('note3', 'note');
  await doc('evasion', '../../évasion: 1/2');
  await doc('corbeille', 'À jeter');
  await doc('vide', 'Vide');

  const image = await api(owner, 'POST', `/api/documents/${docs.rapport}/images`, new Uint8Array(png), { 'content-type': 'image/png' });
  expect(image.status, JSON.stringify(image.json)).toBe(201);
  imageId = image.json.id;

  // Rich content with an image, internal links (relative and absolute) and an outside link.
  const rich: JSONContent = {
    type: 'doc',
    content: [
      ...(RICH_DOCUMENT.content ?? []),
      { type: 'image', attrs: { src: `/api/images/${imageId}`, alt: 'Logo', title: null } },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Voir ' },
          { type: 'text', text: 'les détails', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: `/espaces/${spaceId}/documents/${docs.details}`, target: null } }] },
          { type: 'text', text: ', ' },
          { type: 'text', text: 'la note', marks: [{ type: 'link', attrs: { href: `${source.baseUrl}/espaces/${spaceId}/documents/${docs.note1}#suite` } }] },
          { type: 'text', text: ' et ' },
          { type: 'text', text: 'Légifrance', marks: [{ type: 'link', attrs: { href: 'https://www.legifrance.gouv.fr/' } }] },
        ],
      },
    ],
  };
  await write(docs.rapport as string, rich, (d) => {
    const first = d.getXmlFragment('default').get(1) as Y.XmlElement;
    (first.get(0) as Y.XmlText).insert(0, 'Modifié : ');
  });
  await write(docs.annexe as string, paragraph('Annexe', 'Deuxième paragraphe'), (d) => {
    d.getXmlFragment('default').delete(1, 1);
  });
  await write(docs.details as string, {
    type: 'doc',
    content: [
      { type: 'codeBlock', attrs: { language: 'sql' }, content: [{ type: 'text', text: 'select *\n  from documents;' }] },
      { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: true }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fait' }] }] }] },
    ],
  });
  for (const key of ['restreint', 'note1', 'note2', 'note3', 'evasion', 'corbeille']) await write(docs[key] as string, paragraph(`Texte de ${key}`));

  // Versions: a named one, then a restore (which saves a before_restore version).
  const v1 = await api(owner, 'POST', `/api/documents/${docs.rapport}/versions`, { name: 'Relecture du 3 mars' });
  expect(v1.status).toBe(201);
  const restored = await api(owner, 'POST', `/api/documents/${docs.rapport}/versions/${v1.json.id}/restore`);
  expect(restored.status, JSON.stringify(restored.json)).toBe(200);
  expect((await api(owner, 'POST', `/api/documents/${docs.annexe}/versions`, { name: 'Première' })).status).toBe(201);

  // A restriction listing a member who will not exist in the target.
  const access = await api(owner, 'PUT', `/api/documents/${docs.restreint}/access`, {
    restricted: true,
    entries: [
      { principalId: QC1.id, role: 'reader' },
      { principalId: GHOST, role: 'reader' },
    ],
  });
  expect(access.status, JSON.stringify(access.json)).toBe(200);
  expect((await api(owner, 'POST', `/api/documents/${docs.corbeille}/trash`)).status).toBe(200);
  // Classification levels (issue 7): the space's own, and two documents' own (one above, one below it).
  expect((await api(owner, 'PUT', `/api/spaces/${spaceId}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
  expect((await api(owner, 'PUT', `/api/documents/${docs.details}/classification`, { level: 'diffusion-restreinte' })).status).toBe(200);
  expect((await api(owner, 'PUT', `/api/documents/${docs.note1}/classification`, { level: 'non-protege' })).status).toBe(200);

  // Files: folders, versions, a restored version, an image (thumbnail), a binary, a trashed one.
  const folder = await api(owner, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'Dossier', parentId: null });
  expect(folder.status, JSON.stringify(folder.json)).toBe(201);
  const sub = await api(owner, 'POST', `/api/spaces/${spaceId}/folders`, { name: 'Sous-dossier : «2026»', parentId: folder.json.id });
  expect(sub.status).toBe(201);
  const notes = await upload(owner, 'notes.txt', Buffer.from('Première version des notes\n'));
  await upload(owner, 'notes.txt', Buffer.from('Deuxième version des notes, plus longue\n'), { fileId: notes.id });
  const versions = (await api(owner, 'GET', `/api/files/${notes.id}/versions`)).json.versions as { id: string; number: number }[];
  const first = versions.find((v) => v.number === 1) as { id: string };
  expect((await api(owner, 'POST', `/api/files/${notes.id}/versions/${first.id}/restore`)).status).toBe(200);
  await upload(owner, 'données.bin', binary, { folderId: sub.json.id });
  await upload(owner, 'photo.png', png, { folderId: folder.json.id });
  const old = await upload(owner, 'ancien.txt', Buffer.from('à jeter'));
  expect((await api(owner, 'POST', `/api/files/${old.id}/trash`)).status).toBe(200);

  // Skills data of the organisation (issue 8) through the real API: its own competence, target
  // profile and item; Camille's test in progress, her profile choice and path progress. The demo
  // colleagues' completed tests are seeded at start (skills/demo-results.ts).
  const org = DEMO_ORGANISATIONS[0].id;
  const competence = await api(owner, 'POST', `/api/skills/organisations/${org}/competences`, {
    id: 'org-archivage-export',
    area: '1',
    name: { fr: 'Archiver les documents publics', en: 'Archiving public records' },
    description: { fr: 'Verser et conserver les documents.', en: 'Transferring and keeping records.' },
    crcn: ['1.2'],
    quebec: [],
  });
  expect(competence.status, JSON.stringify(competence.json)).toBe(201);
  skillsProfileId = uuidv7();
  const profile = await api(owner, 'PUT', `/api/skills/organisations/${org}/target-profiles/${skillsProfileId}`, {
    role: 'agent',
    name: { fr: 'Archiviste', en: 'Archivist' },
    required: { 'org-archivage-export': 4, '1.2': 5 },
  });
  expect(profile.status, JSON.stringify(profile.json)).toBe(200);
  const item = await api(owner, 'POST', '/api/skills/items', {
    organisationId: org,
    competence: 'org-archivage-export',
    level: 3,
    kind: 'single',
    correct: [1],
    fr: { stem: 'Où verser un dossier clos ?', options: ['Dans la corbeille', 'Au service d’archives', 'Sur une clé USB'], explanation: 'Les archives conservent les dossiers clos.' },
    en: { stem: 'Where to send a closed file?', options: ['To the bin', 'To the records office', 'To a USB stick'], explanation: 'The records office keeps closed files.' },
  });
  expect(item.status, JSON.stringify(item.json)).toBe(201);
  expect((await api(owner, 'PUT', '/api/skills/target-profile', { profileId: skillsProfileId })).status).toBe(200);
  expect((await api(owner, 'PUT', '/api/skills/path/pix', { status: 'in_progress' })).status).toBe(200);
  let state = await api(owner, 'POST', '/api/skills/assessments', {});
  expect(state.status, JSON.stringify(state.json)).toBe(200);
  for (let i = 0; i < 2; i++) {
    const q = state.json.question;
    const body = q.kind === 'short_answer' ? { itemId: q.itemId, text: 'réponse' } : { itemId: q.itemId, choices: [0] };
    state = await api(owner, 'POST', `/api/skills/assessments/${state.json.assessment.id}/answers`, body);
    expect(state.status, JSON.stringify(state.json)).toBe(200);
  }
  skillsAssessmentId = state.json.assessment.id;

  await source.entente.close(); // the CLI opens the data directory itself (one process per PGlite directory)
  target = await freshTestEnv({ ENTENTE_LOG_LEVEL: 'silent', ENTENTE_PUBLIC_URL: 'https://entente.cible.example' });
  // A fresh instance: migrated, demo agents present (the same principals as the source's demo).
  const config = loadConfig(target.env);
  const t = await createEntente({ config, logger: createLogger(config), webDist: null, startJobs: false });
  await t.close();
}, 240_000);

afterAll(async () => {
  process.env = saved;
  await source?.env.dispose();
  await target?.dispose();
  rmSync(work, { recursive: true, force: true });
});

// ── reading archives back ───────────────────────────────────────────────────────────────────

async function entries(file: string): Promise<Map<string, Buffer>> {
  const reader = await ZipReader.open(file);
  try {
    const out = new Map<string, Buffer>();
    for (const e of reader.entries) out.set(e.name, await reader.read(e, 1 << 30));
    return out;
  } finally {
    await reader.close();
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const json = <T>(bytes: Buffer | undefined): T => JSON.parse((bytes as Buffer).toString('utf8')) as T;
const yjsJson = (bytes: Buffer) => {
  const d = new Y.Doc();
  Y.applyUpdate(d, bytes);
  return JSON.stringify(yDocToJson(d));
};

/**
 * An archive as comparable text: every entry by path, text as text, Yjs as the JSON it derives to,
 * ODT as its XML parts; ids replaced through `ids` (new → old), so that an archive of the imported
 * copy compares equal to the original's.
 */
function normalise(files: Map<string, Buffer>, ids: Map<string, string>, skip: (path: string) => boolean): Map<string, string> {
  const pattern = ids.size > 0 ? new RegExp([...ids.keys()].map(escapeRegExp).join('|'), 'g') : null;
  const map = (text: string) => (pattern ? text.replace(pattern, (id) => ids.get(id) as string) : text);
  const out = new Map<string, string>();
  for (const [name, bytes] of files) {
    if (skip(name)) continue;
    let text: string;
    if (name.endsWith('.yjs')) text = yjsJson(bytes);
    else if (name.endsWith('.odt')) {
      const parts = unzipSync(bytes);
      text = Object.entries(parts)
        .map(([p, b]) => `${p}\n${p.startsWith('Pictures/') ? createHash('sha256').update(b).digest('hex') : strFromU8(b)}`)
        .join('\n');
    } else if (/\.(json|jsonl|md|txt)$/.test(name)) text = bytes.toString('utf8');
    else text = createHash('sha256').update(bytes).digest('hex');
    out.set(map(name), map(text));
  }
  return out;
}

function withoutVolatile(manifest: Manifest) {
  return {
    ...manifest,
    createdAt: null,
    source: null,
    scope: null,
    entries: null,
    spaces: manifest.spaces.map((s) => ({ ...s, id: null, counts: { ...s.counts, auditEvents: null } })),
    contents: { ...manifest.contents, audit: null },
  };
}

// ── the round trip ──────────────────────────────────────────────────────────────────────────

describe('export → import → export', () => {
  const first = path.join(work, 'premier.zip');
  const second = path.join(work, 'second.zip');
  let importedId: string;
  let mapping: Map<string, string>; // new id → old id

  it('exports a space with the CLI: a documented archive, the manifest listing every entry with its SHA-256', async () => {
    const result = await cli(exportCommand, source.env.env, ['--space', spaceId, '--out', first]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('Archive écrite');
    expect(statSync(first).mode & 0o777).toBe(0o600);
    const files = await entries(first);
    const manifest = json<Manifest>(files.get('manifest.json'));
    expect(manifest).toMatchObject({ format: 'entente-export', version: FORMAT_VERSION, scope: { kind: 'space', id: spaceId }, encrypted: false, organisation: null });
    expect(manifest.source.instanceUrl).toBe(`${source.baseUrl}/`);
    expect(manifest.contents.comments).toEqual({ present: true, count: 0 }); // comments (helper C): in the archive since they exist
    expect(manifest.contents.skillsResults.present).toBe(false);
    expect(new Set(manifest.entries.map((e) => e.path))).toEqual(new Set([...files.keys()].filter((p) => p !== 'manifest.json')));
    for (const e of manifest.entries) {
      const bytes = files.get(e.path) as Buffer;
      expect(e.size).toBe(bytes.length);
      expect(e.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const [space] = manifest.spaces;
    expect(space?.counts).toMatchObject({ documents: 10, trashedDocuments: 1, images: 1, folders: 2, files: 4, members: 4 });
    expect(space?.counts.documentVersions).toBeGreaterThanOrEqual(3);
    expect(space?.counts.fileVersions).toBe(6);
    expect(space?.counts.auditEvents).toBeGreaterThan(5);

    // The tree as folders, names sanitised and de-duplicated, nothing outside the space's folder.
    const p = space?.path as string;
    expect(p).toBe('spaces/Coopération « nuage » _ 2026_27/');
    for (const name of [
      'documents/Rapport annuel.md',
      'documents/Rapport annuel.odt',
      'documents/Rapport annuel.yjs',
      'documents/Rapport annuel/Annexe.md',
      'documents/Rapport annuel/Annexe/Détails.odt',
      'documents/Rapport annuel/Restreint.yjs',
      'documents/Note.md',
      'documents/Note (2).md',
      'documents/note (3).md',
      'documents/_.._évasion_ 1_2.md',
      'trash/documents/À jeter.md',
      'files/notes.txt',
      'files/Dossier/photo.png',
      'files/Dossier/Sous-dossier _ «2026»/données.bin',
      'trash/files/ancien.txt',
      'space.json',
      'members.json',
      'documents.json',
      'images.json',
      'files.json',
      'audit.jsonl',
    ]) {
      expect(files.has(`${p}${name}`), name).toBe(true);
    }
    for (const name of files.keys()) expect(name === 'manifest.json' || name.startsWith(p), name).toBe(true);
    expect((files.get(`${p}files/Dossier/Sous-dossier _ «2026»/données.bin`) as Buffer).equals(binary)).toBe(true);
    // The restored version shares the bytes of version 1: written once.
    const notes = json<{ items: { name: string; versions: { number: number; path: string | null; restoredFrom: string | null }[] }[] }>(files.get(`${p}files.json`)).items.find((i) => i.name === 'notes.txt');
    expect(notes?.versions.map((v) => v.number)).toEqual([1, 2, 3]);
    expect(notes?.versions[2]?.path).toBe(notes?.versions[0]?.path);
    expect(notes?.versions[2]?.restoredFrom).not.toBeNull();

    // Markdown links and images point inside the archive; the Yjs state is the exact content.
    const md = (files.get(`${p}documents/Rapport annuel.md`) as Buffer).toString();
    expect(md).toContain(`![Logo](../images/${imageId}.png)`);
    expect(md).toContain('[**les détails**](Rapport%20annuel/Annexe/D%C3%A9tails.md)');
    expect(md).toContain('[la note](Note.md#suite)');
    expect(md).toContain('[Légifrance](https://www.legifrance.gouv.fr/)');
    const odt = unzipSync(files.get(`${p}documents/Rapport annuel.odt`) as Buffer);
    expect(Object.keys(odt)).toContain('Pictures/1.png');
    expect(strFromU8(odt['content.xml'] as Uint8Array)).toContain('xlink:href="../Rapport%20annuel/Annexe/D%C3%A9tails.odt"');
    const stored = await (async () => {
      process.env = { ...saved, ...source.env.env };
      const stores = await openStores(loadConfig(source.env.env));
      try {
        const cells = await openCells(loadConfig(source.env.env), stores);
        const store = new DocumentStore({ cells, logger: createLogger({ logLevel: 'silent' }) });
        return (await store.load({ documentId: docs.rapport as string, spaceId, jurisdiction: 'QC' })).state;
      } finally {
        await stores.close();
        process.env = { ...saved };
      }
    })();
    expect(Buffer.from(stored).equals(files.get(`${p}documents/Rapport annuel.yjs`) as Buffer)).toBe(true);

    // Classification levels (issue 7): the space's own (space.json and the manifest), each document's own where set.
    expect(json<{ classificationLevel?: string }>(files.get(`${p}space.json`)).classificationLevel).toBe('diffusion-restreinte');
    expect(space?.classificationLevel).toBe('diffusion-restreinte');
    const levels = json<{ documents: { id: string; classificationLevel?: string | null }[] }>(files.get(`${p}documents.json`)).documents;
    expect(Object.fromEntries(levels.filter((d) => 'classificationLevel' in d).map((d) => [d.id, d.classificationLevel]))).toEqual({
      [docs.details as string]: 'diffusion-restreinte',
      [docs.note1 as string]: 'non-protege',
    });

    // Personal data: a space export names nobody and holds no IP address.
    const members = json<{ members: { principalId: string; role: string; profile: unknown }[] }>(files.get(`${p}members.json`)).members;
    expect(members.every((m) => m.profile === null)).toBe(true);
    expect(members.map((m) => m.principalId).sort()).toEqual([FR1.id, FR2.id, QC1.id, GHOST].sort());
    const audit = (files.get(`${p}audit.jsonl`) as Buffer).toString().trim().split('\n').map((l) => JSON.parse(l) as { action: string; ip: string | null });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['workspace.space.created', 'workspace.image.uploaded', 'workspace.document.access_changed']));
    expect(audit.every((a) => a.ip === null)).toBe(true);
    expect(JSON.stringify([...files.values()].map((b) => b.toString('latin1')))).not.toContain(FR1.email);
  });

  it('the shipped JSON Schema is the format’s, and the manifest validates against it', async () => {
    const shipped = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/export-manifest.schema.json'), 'utf8'));
    expect(shipped).toEqual(manifestJsonSchema());
    const manifest = json<Manifest>((await entries(first)).get('manifest.json'));
    expect(validate(shipped, manifest)).toEqual([]);
    // The validator is not a yes-machine.
    expect(validate(shipped, { ...manifest, version: 2 })).not.toEqual([]);
    expect(validate(shipped, { ...manifest, entries: [{ path: 'x', size: -1, sha256: 'nope' }] }).length).toBeGreaterThanOrEqual(2);
    expect(validate(shipped, { ...manifest, extra: true })).not.toEqual([]);
    const { contents: _c, ...missing } = manifest;
    expect(validate(shipped, missing)).not.toEqual([]);
  });

  it('imports it into a fresh instance as a new space: members re-attached, the unknown one reported', async () => {
    const result = await cli(importCommand, target.env, ['--file', first]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(GHOST); // reported as unknown here
    expect(result.out).toContain('niveau de classification : diffusion-restreinte ; 2 document(s) avec leur propre niveau');
    const stores = await openStores(loadConfig(target.env));
    try {
      const rows = await stores.cells.QC.db.selectFrom('space_imports').select(['space_id', 'status', 'mapping', 'report', 'audit_events', 'source_space_id']).execute();
      expect(rows).toHaveLength(1);
      const row = rows[0] as (typeof rows)[number];
      expect(row.status).toBe('complete');
      expect(row.source_space_id).toBe(spaceId);
      importedId = row.space_id;
      expect(importedId).not.toBe(spaceId);
      const m = (typeof row.mapping === 'string' ? JSON.parse(row.mapping) : row.mapping) as Record<string, Record<string, string>>;
      mapping = new Map(Object.values(m).flatMap((kind) => Object.entries(kind).map(([oldId, newId]) => [newId, oldId] as [string, string])));
      expect(mapping.size).toBeGreaterThan(20);
      for (const [n, o] of mapping) expect(n).not.toBe(o);
      expect((row.report as { missingMembers: string[] }).missingMembers).toEqual([GHOST]);
      const members = await stores.control.db.selectFrom('space_members').select(['principal_id', 'role']).where('space_id', '=', importedId).execute();
      expect(Object.fromEntries(members.map((r) => [r.principal_id, r.role]))).toEqual({ [FR1.id]: 'owner', [QC1.id]: 'editor', [FR2.id]: 'reader' });
      expect((await stores.control.db.selectFrom('space_directory').select('jurisdiction').where('id', '=', importedId).executeTakeFirst())?.jurisdiction).toBe('QC');
      // Classification levels (issue 7): the space's in its directory entry, each document's own in its row.
      const directory = await stores.control.db.withTables<{ space_directory: { classification: string | null } }>().selectFrom('space_directory').select('classification').where('id', '=', importedId).executeTakeFirst();
      expect(directory?.classification).toBe('diffusion-restreinte');
      const documentLevels = await stores.cells.QC.db.withTables<{ documents: { classification: string | null } }>().selectFrom('documents').select(['id', 'classification']).where('space_id', '=', importedId).execute();
      expect(documentLevels).toHaveLength(10);
      expect(Object.fromEntries(documentLevels.map((d) => [mapping.get(d.id), d.classification]))).toEqual(
        Object.fromEntries(Object.values(docs).map((id) => [id, id === docs.details ? 'diffusion-restreinte' : id === docs.note1 ? 'non-protege' : null])),
      );
      const imported = await stores.cells.QC.db.selectFrom('audit_events').select('details').where('action', '=', 'workspace.space.imported').where('resource_id', '=', importedId).executeTakeFirstOrThrow();
      expect(typeof imported.details === 'string' ? JSON.parse(imported.details) : imported.details).toMatchObject({ classificationLevel: 'diffusion-restreinte', labelledDocuments: 2 });
      // The restriction keeps QC1, drops the unknown principal.
      const restricted = await stores.cells.QC.db
        .selectFrom('document_access')
        .select('principal_id')
        .where('document_id', '=', [...mapping].find(([, o]) => o === docs.restreint)?.[0] as string)
        .execute();
      expect(restricted.map((r) => r.principal_id)).toEqual([QC1.id]);
      // Audit: the import is an event here; the source's events are an imported record, not new events.
      const events = await stores.cells.QC.db.selectFrom('audit_events').select(['action', 'resource_id']).where('resource_id', '=', importedId).execute();
      expect(events.map((e) => e.action)).toEqual(['workspace.space.imported']);
      expect(row.audit_events).toBeGreaterThan(5);
      const cells = await openCells(loadConfig(target.env), stores);
      const record = await stores.cells.QC.db.selectFrom('space_imports').select(['audit_object_key', 'audit_sha256']).executeTakeFirstOrThrow();
      const kept = await cells.get('QC').encryptedObjects.getDecrypted(stores.cells.QC.db, { type: 'space', id: importedId }, record.audit_object_key as string);
      const chunks: Buffer[] = [];
      for await (const c of kept.body) chunks.push(c as Buffer);
      const original = (await entries(first)).get(`${json<Manifest>((await entries(first)).get('manifest.json')).spaces[0]?.path}audit.jsonl`) as Buffer;
      expect(Buffer.concat(chunks).equals(original)).toBe(true);
      expect(record.audit_sha256).toBe(createHash('sha256').update(original).digest('hex'));
      // Re-encrypted with the new space's key: the plaintext is nowhere in the target's store.
      for await (const object of cells.get('QC').objects.list(`spaces/${importedId}/`)) {
        const raw = await cells.get('QC').objects.get(object.key);
        const bytes: Buffer[] = [];
        for await (const c of raw.body) bytes.push(c as Buffer);
        const all = Buffer.concat(bytes);
        expect(all.includes(Buffer.from('Deuxième version des notes')), object.key).toBe(false);
        expect(all.includes(binary.subarray(1000, 1064)), object.key).toBe(false);
      }
      const thumbnails = await stores.cells.QC.db.selectFrom('file_versions').select('thumbnail_key').where('space_id', '=', importedId).where('thumbnail_key', 'is not', null).execute();
      expect(thumbnails).toHaveLength(1);
    } finally {
      await stores.close();
    }
  });

  it('exports the imported space again: the same archive, up to the new ids and the new instance’s own audit', async () => {
    const result = await cli(exportCommand, target.env, ['--space', importedId, '--out', second]);
    expect(result.code, result.err).toBe(0);
    const a = await entries(first);
    const b = await entries(second);
    const ma = json<Manifest>(a.get('manifest.json'));
    const mb = json<Manifest>(b.get('manifest.json'));
    const p = ma.spaces[0]?.path as string;
    // The one thing that does not come back: the member who does not exist here (reported at import).
    const withoutGhost = (text: string) =>
      JSON.parse(text, (_key, value) => (Array.isArray(value) ? value.filter((v) => !(v && typeof v === 'object' && (v as { principalId?: string }).principalId === GHOST)) : value));
    expect(withoutGhost((b.get(`${p}members.json`) as Buffer).toString())).toEqual(withoutGhost((a.get(`${p}members.json`) as Buffer).toString()));
    expect(withoutGhost((a.get(`${p}members.json`) as Buffer).toString()).members).toHaveLength(3);
    (ma.spaces[0] as Manifest['spaces'][number]).counts.members -= 1;
    (ma.contents.members as { count: number }).count -= 1;
    expect(withoutVolatile(mb)).toEqual(withoutVolatile(ma));
    expect(mb.source.instanceUrl).toBe('https://entente.cible.example/');
    mapping.set(importedId, spaceId);
    // The new instance's audit is its own (the import, the export): not compared; contentHash hashes
    // the JSON with the ids it holds, compared after mapping below.
    const skip = (name: string) => name === 'manifest.json' || name.endsWith('/audit.jsonl') || name.endsWith('/documents.json') || name.endsWith('/members.json');
    const na = normalise(a, new Map(), skip);
    // The instance's own URL is the other thing that changes (absolute links stay absolute, here).
    mapping.set('https://entente.cible.example', source.baseUrl);
    const nb = normalise(b, mapping, skip);
    expect([...nb.keys()].sort()).toEqual([...na.keys()].sort());
    for (const [name, text] of na) expect(nb.get(name), name).toBe(text);
    // documents.json: equal once ids are mapped, contentHash aside (it hashes the JSON with its ids).
    const strip = (text: string) => withoutGhost(JSON.stringify(JSON.parse(text, (key, value) => (key === 'contentHash' ? undefined : value))));
    const mapText = (text: string) => text.replace(new RegExp([...mapping.keys()].map(escapeRegExp).join('|'), 'g'), (id) => mapping.get(id) as string);
    expect(strip(mapText((b.get(`${p}documents.json`) as Buffer).toString()))).toEqual(strip((a.get(`${p}documents.json`) as Buffer).toString()));
    // Documents without references come back byte for byte; the others differ only by the rewrite.
    for (const name of [`${p}documents/Note.yjs`, `${p}documents/Rapport annuel/Annexe/Détails.yjs`, `${p}documents/Rapport annuel/Annexe.yjs`]) {
      expect((b.get(name) as Buffer).equals(a.get(name) as Buffer), name).toBe(true);
    }
    // Every file version's bytes, by hash.
    const hashes = (m: Map<string, Buffer>) => json<{ items: { versions: { sha256: string }[] }[] }>(m.get(`${p}files.json`)).items.flatMap((i) => i.versions.map((v) => v.sha256)).sort();
    expect(hashes(b)).toEqual(hashes(a));
  });

  it('an organisation export holds its agents’ profiles and a verifiable audit export, and imports too', async () => {
    const file = path.join(work, 'organisation.zip');
    const result = await cli(exportCommand, source.env.env, ['--org', DEMO_ORGANISATIONS[0].id, '--out', file]);
    expect(result.code, result.err).toBe(0);
    const files = await entries(file);
    const manifest = json<Manifest>(files.get('manifest.json'));
    expect(manifest.scope).toEqual({ kind: 'organisation', id: DEMO_ORGANISATIONS[0].id });
    expect(manifest.personalData.profiles).toBe(true);
    expect(manifest.spaces.map((s) => s.id)).toContain(spaceId);
    expect(json<{ name: string }>(files.get('organisation/organisation.json')).name).toBe(DEMO_ORGANISATIONS[0].name);
    const orgMembers = json<{ members: { principalId: string; profile: { email: string } | null }[] }>(files.get('organisation/members.json')).members;
    expect(orgMembers.find((m) => m.principalId === FR1.id)?.profile?.email).toBe(FR1.email);
    // In the space: the organisation's own agent is named, the others (other organisations) are not.
    const space = manifest.spaces.find((s) => s.id === spaceId) as Manifest['spaces'][number];
    const members = json<{ members: { principalId: string; profile: { email: string } | null }[] }>(files.get(`${space.path}members.json`)).members;
    expect(members.find((m) => m.principalId === FR1.id)?.profile?.email).toBe(FR1.email);
    expect(members.find((m) => m.principalId === QC1.id)?.profile).toBeNull();
    expect(members.find((m) => m.principalId === FR2.id)?.profile).toBeNull();
    // The organisation's audit export verifies on its own (platform/audit/export.ts).
    const auditFile = path.join(work, 'org-audit.jsonl');
    writeFileSync(auditFile, files.get('organisation/audit.jsonl') as Buffer);
    const verified = await verifyExportFile(auditFile);
    expect(verified.fileProblems).toEqual([]);
    expect(verified.ok).toBe(true);
    expect(verified.organisationId).toBe(DEMO_ORGANISATIONS[0].id);

    // Skills results (issue 8): the organisation's framework, and each agent's tests, choice and path.
    expect(manifest.contents.skillsResults).toEqual({ present: true, count: DEMO_COLLEAGUES.length + 1 });
    const framework = json<FrameworkFile>(files.get('organisation/skills/framework.json'));
    expect(framework.competences.map((c) => c.id)).toContain('org-archivage-export');
    expect(framework.targetProfiles.find((p) => p.id === skillsProfileId)?.required).toEqual({ 'org-archivage-export': 4, '1.2': 5 });
    expect(framework.items.map((i) => i.competence)).toContain('org-archivage-export');
    const camille = json<AgentFile>(files.get(`organisation/skills/agents/${FR1.id}.json`));
    expect(camille.targetProfile?.id).toBe(skillsProfileId);
    expect(camille.learningPath).toMatchObject([{ resourceId: 'pix', status: 'in_progress' }]);
    const inProgress = camille.assessments.find((a) => a.id === skillsAssessmentId);
    expect(inProgress).toMatchObject({ status: 'in_progress', answered: 2, result: null });
    expect(inProgress?.responses.map((r) => r.position)).toEqual([1, 2]);
    expect(inProgress?.pendingItemKey).toMatch(/^[0-9a-z]/);
    for (const colleague of DEMO_COLLEAGUES) {
      const [done] = json<AgentFile>(files.get(`organisation/skills/agents/${colleague.id}.json`)).assessments;
      expect(done?.status).toBe('completed');
      expect(done?.level).toBe(done?.result?.level);
      expect(done?.responses.length).toBe(done?.answered);
      expect(done?.responses.every((r) => r.itemKey !== null)).toBe(true);
    }
    // Agents of other organisations are not in this one's archive.
    expect(files.has(`organisation/skills/agents/${QC1.id}.json`)).toBe(false);

    const imported = await cli(importCommand, target.env, ['--file', file, '--cell', 'FR']);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain('ne sont pas recréés');
    const all = DEMO_COLLEAGUES.length + 1;
    expect(imported.out).toContain(`Compétences numériques : tests importés : ${all} (déjà présents : 0) pour ${all} agent(s) ; de l’organisation : compétences 1, profils cibles 1, questions 1 ; choix de profil cible : 1 ; suivis de parcours : 1`);

    // Round trip: the target's own export of the organisation holds every test, answer and choice
    // of the first, equal but for the ids of the shared bank's items (each instance has its own).
    const again = path.join(work, 'organisation-2.zip');
    const second = await cli(exportCommand, target.env, ['--org', DEMO_ORGANISATIONS[0].id, '--out', again]);
    expect(second.code, second.err).toBe(0);
    const files2 = await entries(again);
    expect(json<FrameworkFile>(files2.get('organisation/skills/framework.json'))).toEqual(framework);
    const bankIds = (a: AgentFile['assessments'][number]) => ({ ...a, pendingItemId: null, responses: a.responses.map((r) => ({ ...r, itemId: null })) });
    let compared = 0;
    for (const name of [...files.keys()].filter((n) => n.startsWith('organisation/skills/agents/'))) {
      const before = json<AgentFile>(files.get(name));
      const after = json<AgentFile>(files2.get(name));
      expect(after.targetProfile, name).toEqual(before.targetProfile);
      expect(after.learningPath, name).toEqual(before.learningPath);
      for (const a of before.assessments) {
        expect(bankIds(after.assessments.find((b) => b.id === a.id) as AgentFile['assessments'][number]), `${name} ${a.id}`).toEqual(bankIds(a));
        compared += 1;
      }
    }
    expect(compared).toBe(DEMO_COLLEAGUES.length + 1);
    // Answers point at the target's own items (same keys): its calibration and review read them.
    const stores = await openStores(loadConfig(target.env));
    try {
      const answers = await stores.cells.FR.db.selectFrom('skills_responses').select('item_id').where('assessment_id', '=', skillsAssessmentId).execute();
      const here = await stores.control.db.selectFrom('skills_items').select('key').where('id', 'in', answers.map((r) => r.item_id)).execute();
      expect(here.map((r) => r.key).sort()).toEqual(inProgress?.responses.map((r) => r.itemKey).sort());
      const [event] = await createAuditLog(stores).list({ action: 'skills.results.imported', limit: 1 });
      expect(event).toMatchObject({ organisation_id: DEMO_ORGANISATIONS[0].id, outcome: 'success' });
      expect(event?.details).toMatchObject({ by: 'cli', agents: DEMO_COLLEAGUES.length + 1, assessmentsCreated: DEMO_COLLEAGUES.length + 1, items: 1 });
    } finally {
      await stores.close();
    }
  });

  it('imports an organisation archive once: a second import creates no space again and writes no skills result again', async () => {
    const file = path.join(work, 'organisation.zip');
    const spaces = async () => {
      const stores = await openStores(loadConfig(target.env));
      try {
        return (await stores.control.db.selectFrom('space_directory').select('id').orderBy('id').execute()).map((r) => r.id);
      } finally {
        await stores.close();
      }
    };
    const before = await spaces();
    const imported = await cli(importCommand, target.env, ['--file', file, '--cell', 'FR']);
    expect(imported.code, imported.err).toBe(0);
    const all = DEMO_COLLEAGUES.length + 1;
    expect(imported.out).toContain(`Compétences numériques : tests importés : 0 (déjà présents : ${all}) pour ${all} agent(s) ; de l’organisation : compétences 0, profils cibles 0, questions 0`);
    expect(imported.out).toContain('choix et suivis déjà faits ici, conservés (ceux de l’archive ne les remplacent pas) : 2');
    // Every space of the archive is already here from the first import: reported, not created twice.
    const count = json<Manifest>((await entries(file)).get('manifest.json')).spaces.length;
    expect(count).toBeGreaterThan(0);
    expect(imported.out.match(/déjà importé de cette archive le \d{4}-\d\d-\d\d \d\d:\d\d UTC → espace [0-9a-f-]{36} \(FR\), laissé tel quel/g)).toHaveLength(count);
    expect(imported.out).not.toContain('nouvel espace');
    expect(await spaces()).toEqual(before);
  });

  it('--again makes a new copy of an archive imported before; a deleted copy does not count', async () => {
    const before = await (async () => {
      const stores = await openStores(loadConfig(target.env));
      try {
        return await stores.cells.QC.db.selectFrom('space_imports').select(['space_id', 'manifest_sha256']).where('source_space_id', '=', spaceId).execute();
      } finally {
        await stores.close();
      }
    })();
    expect(before).toHaveLength(1);
    const again = await cli(importCommand, target.env, ['--file', first, '--again']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('nouvel espace');
    expect(again.out).not.toContain('déjà importé');
    const stores = await openStores(loadConfig(target.env));
    let copy: string;
    try {
      const rows = await stores.cells.QC.db.selectFrom('space_imports').select(['space_id', 'manifest_sha256']).where('source_space_id', '=', spaceId).execute();
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.manifest_sha256)).size).toBe(1);
      copy = rows.find((r) => r.space_id !== importedId)!.space_id;
      // The new copy deleted (as spaces/delete-space.ts marks it): it no longer counts, the first one does.
      await stores.cells.QC.db.updateTable('spaces').set({ deleted_at: new Date() }).where('id', '=', copy).execute();
    } finally {
      await stores.close();
    }
    const repeated = await cli(importCommand, target.env, ['--file', first]);
    expect(repeated.code, repeated.err).toBe(0);
    expect(repeated.out).toContain(`déjà importé de cette archive`);
    expect(repeated.out).toContain(`→ espace ${importedId} (QC)`);
    expect(repeated.out).not.toContain('nouvel espace');
    const audit = await openStores(loadConfig(target.env));
    try {
      const [event] = await createAuditLog(audit).list({ jurisdiction: 'QC', action: 'workspace.space.import_repeated', limit: 1 });
      expect(event).toMatchObject({ resource_id: importedId, outcome: 'success' });
    } finally {
      await audit.close();
    }
  });
});

// ── what the importer refuses ───────────────────────────────────────────────────────────────

/** A copy of the first archive, changed: entries replaced, added or removed, manifest rewritten or not. */
async function tampered(
  change: {
    entries?: (files: Map<string, Buffer>, prefix: string) => void;
    manifest?: (m: Manifest & Record<string, unknown>) => unknown;
    rehash?: boolean;
  },
  name = `t-${randomBytes(4).toString('hex')}.zip`,
  from = 'premier.zip',
): Promise<string> {
  const files = await entries(path.join(work, from));
  const manifest = json<Manifest & Record<string, unknown>>(files.get('manifest.json'));
  files.delete('manifest.json');
  change.entries?.(files, manifest.spaces[0]?.path as string);
  let m: unknown = manifest;
  if (change.rehash) manifest.entries = [...files].map(([p, b]) => ({ path: p, size: b.length, sha256: createHash('sha256').update(b).digest('hex') }));
  if (change.manifest) m = change.manifest(manifest);
  const out = path.join(work, name);
  const zip = await ZipWriter.create(out);
  for (const [p, b] of files) await zip.add(p, b, { compress: true });
  if (m !== undefined) await zip.add('manifest.json', JSON.stringify(m), { compress: true });
  await zip.finish();
  return out;
}

describe('refusals, and nothing left behind', () => {
  let stores: Stores;
  let cells: Cells;
  let deps: ImportDeps;
  let before: string;

  /** Everything an import could leave: rows of spaces and imports, directory entries, objects, live keys. */
  async function footprint(): Promise<string> {
    const parts: unknown[] = [];
    for (const j of ['FR', 'QC'] as const) {
      const db = stores.cells[j].db;
      parts.push(await db.selectFrom('spaces').select('id').orderBy('id').execute());
      parts.push(await db.selectFrom('space_imports').select(['id', 'status']).orderBy('id').execute());
      parts.push(await db.selectFrom('documents').select('id').orderBy('id').execute());
      parts.push(await db.selectFrom('files').select('id').orderBy('id').execute());
      parts.push(await db.selectFrom('keyring').select(['owner_id']).orderBy('owner_id').execute());
      const keys: string[] = [];
      for await (const o of cells.get(j).objects.list('spaces/')) keys.push(o.key);
      parts.push(keys);
    }
    parts.push(await skillsFootprint());
    parts.push(await stores.control.db.selectFrom('space_directory').select('id').orderBy('id').execute());
    parts.push(await stores.control.db.selectFrom('space_members').select(['space_id', 'principal_id']).orderBy('space_id').orderBy('principal_id').execute());
    return JSON.stringify(parts);
  }

  /** Everything the skills part of an organisation's import could leave, in the control plane and both cells. */
  async function skillsFootprint(): Promise<string> {
    const parts: unknown[] = [];
    for (const j of ['FR', 'QC'] as const) {
      const db = stores.cells[j].db;
      parts.push(await db.selectFrom('skills_assessments').select(['id', 'status']).orderBy('id').execute());
      parts.push(await db.selectFrom('skills_responses').select('id').orderBy('id').execute());
      parts.push(await db.selectFrom('skills_settings').select(['principal_id', 'target_profile_id']).orderBy('principal_id').execute());
      parts.push(await db.selectFrom('skills_path_progress').select(['principal_id', 'resource_id', 'status']).orderBy('principal_id').orderBy('resource_id').execute());
    }
    const control = stores.control.db;
    parts.push(await control.selectFrom('skills_competences').select('id').orderBy('id').execute());
    parts.push(await control.selectFrom('skills_target_profiles').select('id').orderBy('id').execute());
    parts.push(await control.selectFrom('skills_items').select('id').orderBy('id').execute());
    return JSON.stringify(parts);
  }

  async function refused(file: string, options: Partial<Parameters<typeof importArchive>[1]> = {}, overrides: Partial<ImportDeps> = {}): Promise<ArchiveError> {
    const error = await importArchive({ ...deps, ...overrides }, { file, ...options }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    expect(await footprint()).toBe(before);
    return error as ArchiveError;
  }

  beforeAll(async () => {
    const config = loadConfig(target.env);
    stores = await openStores(config);
    cells = await openCells(config, stores);
    deps = { stores, cells, content: new DocumentStore({ cells, logger: createLogger({ logLevel: 'silent' }) }), audit: createAuditLog(stores), scale: classificationScale(config.aiPolicy) };
    before = await footprint();
  });
  afterAll(async () => {
    await stores?.close();
  });

  // ── the skills part of an organisation's archive (issue 8) ──
  const CAMILLE_SKILLS = `organisation/skills/agents/${FR1.id}.json`;
  const COLLEAGUE = `organisation/skills/agents/${DEMO_COLLEAGUES[2].id}.json`;
  // biome-ignore lint/suspicious/noExplicitAny: the tests edit any field of the archive's JSON
  type Edit = (value: Record<string, any>) => void;
  /** The organisation's archive with JSON entries changed, the manifest's hashes made to match (an attacker's archive, not a damaged one). */
  const orgArchive = (changes: Record<string, Edit>) =>
    tampered(
      {
        rehash: true,
        entries: (files) => {
          for (const [name, change] of Object.entries(changes)) {
            const value = json<Record<string, unknown>>(files.get(name));
            change(value);
            files.set(name, Buffer.from(JSON.stringify(value)));
          }
        },
      },
      undefined,
      'organisation.zip',
    );

  it('refuses an organisation archive whose skills files lie, before writing anything (issue 8)', async () => {
    const skills = organisationSkillsArchive(stores);
    const cases: [string, string, Edit, string][] = [
      ['a test taken in another organisation', CAMILLE_SKILLS, (v) => {
        v.assessments[0].organisationId = DEMO_ORGANISATIONS[1].id;
      }, 'another organisation'],
      ['a file named for one agent holding another’s data', CAMILLE_SKILLS, (v) => {
        v.principalId = FR2.id;
      }, 'another agent'],
      ['a finished test with a pending question', `organisation/skills/agents/${DEMO_COLLEAGUES[0].id}.json`, (v) => {
        v.assessments[0].pendingItemId = uuidv7();
      }, 'pending question'],
      ['a completed test without its result', `organisation/skills/agents/${DEMO_COLLEAGUES[0].id}.json`, (v) => {
        v.assessments[0].result = null;
      }, 'disagree'],
      ['a level out of 1–8', `organisation/skills/agents/${DEMO_COLLEAGUES[1].id}.json`, (v) => {
        v.assessments[0].level = 9;
      }, 'level'],
      ['the same answer twice', `organisation/skills/agents/${DEMO_COLLEAGUES[1].id}.json`, (v) => {
        v.assessments[0].responses[1] = { ...v.assessments[0].responses[0], position: 2 };
      }, 'twice'],
      ['an item slipped under the shared bank’s keys', 'organisation/skills/framework.json', (v) => {
        v.items[0].key = '1.1-01';
      }, 'key namespace'],
      ['a framework of another organisation', 'organisation/skills/framework.json', (v) => {
        v.organisationId = DEMO_ORGANISATIONS[1].id;
      }, 'another organisation'],
      ['a profile requiring an unknown competence', 'organisation/skills/framework.json', (v) => {
        v.targetProfiles[0].required = { 'org-inconnue': 3 };
      }, 'unknown competence'],
      // What would let an archive certify levels nobody reached (the review's attacks):
      ['a completed test claiming a higher level than its answers give', COLLEAGUE, (v) => {
        v.assessments[0].level = 8;
        v.assessments[0].result.level = 8;
      }, 'not what its answers give'],
      ['a completed test without its answers', COLLEAGUE, (v) => {
        v.assessments[0].responses = [];
        v.assessments[0].answered = 0;
      }, 'not what its answers give'],
      ['a test dated in the future (it would stay the latest for ever)', COLLEAGUE, (v) => {
        v.assessments[0].completedAt = '2099-01-01T00:00:00.000Z';
        v.assessments[0].updatedAt = '2099-01-01T00:00:00.000Z';
      }, 'future'],
      ['answers out of their times', COLLEAGUE, (v) => {
        v.assessments[0].responses[3].answeredAt = '2020-01-01T00:00:00.000Z';
      }, 'out of order'],
      ['a gap in the answers’ positions', COLLEAGUE, (v) => {
        v.assessments[0].responses[1].position = 7;
      }, 'positions 1 to'],
      ['an answer count that is not the answers’', COLLEAGUE, (v) => {
        v.assessments[0].answered += 1;
      }, 'answered but'],
      ['item parameters outside the bank’s ranges', COLLEAGUE, (v) => {
        v.assessments[0].responses[0].a = 1e39;
      }, 'responses.0.a'],
      ['a pending question already answered', CAMILLE_SKILLS, (v) => {
        v.assessments[0].pendingItemKey = v.assessments[0].responses[0].itemKey;
      }, 'already answered'],
      ['a choice of a profile neither default nor the organisation’s', CAMILLE_SKILLS, (v) => {
        v.targetProfile.id = 'profil-quelconque';
      }, 'neither a default profile'],
      ['a target profile id that is not a UUID', 'organisation/skills/framework.json', (v) => {
        v.targetProfiles[0].id = 'pas-un-uuid';
      }, 'targetProfiles.0.id'],
      ['an item larger than the bank stores', 'organisation/skills/framework.json', (v) => {
        const long = (n: number) => '中'.repeat(n);
        // Within every field's bound, about 72 KB in all: over the column's 64 KiB.
        const full = { stem: long(1000), options: Array.from({ length: 10 }, () => long(300)), accepted: Array.from({ length: 10 }, () => long(200)), explanation: long(2000) };
        for (const lang of ['fr', 'frCA', 'en']) v.items[0][lang] = full;
      }, 'too large'],
    ];
    for (const [what, name, change, says] of cases) {
      const error = await importArchive({ ...deps, skills }, { file: await orgArchive({ [name]: change }) }).then(
        () => null,
        (e: unknown) => e as ArchiveError,
      );
      expect(error, what).toBeInstanceOf(ArchiveError);
      expect(await footprint(), what).toBe(before);
      if (!error) continue;
      expect(error.code, what).toBe('archive_invalid');
      expect(error.en, what).toContain(says);
    }
  });

  it('undoes everything when writing the skills results fails: the spaces of the import and the rows already written (issue 8)', async () => {
    const real = organisationSkillsArchive(stores);
    // Fails once the organisation's framework and some agents are written (the archive read a second time).
    const failing: typeof real = {
      ...real,
      import: (archive, plan, here, done) => {
        let reads = 0;
        const flaky = { ...archive, has: (p: string) => archive.has(p), paths: () => archive.paths(), invalid: (m: string) => archive.invalid(m), json: async <T,>(p: string, schema: import('zod').ZodType<T>) => {
          if (p.startsWith('organisation/skills/agents/') && ++reads === 3) throw new Error('disque plein');
          return archive.json(p, schema);
        } };
        return real.import(flaky, plan, here, done);
      },
    };
    // The target has this archive's rows already (imported above): new ids, so that the failed import has something to write.
    const newProfile = uuidv7();
    const newAssessments: Edit = (v) => {
      for (const a of v.assessments) {
        a.id = uuidv7();
        for (const r of a.responses) r.id = uuidv7();
      }
    };
    const fresh = await orgArchive({
      'organisation/skills/framework.json': (v) => {
        v.competences[0].id = 'org-archivage-bis';
        v.items[0].competence = 'org-archivage-bis';
        v.items[0].id = uuidv7();
        v.items[0].key = `${v.items[0].key}-bis`;
        v.targetProfiles[0].required = { 'org-archivage-bis': 4 };
        v.targetProfiles[0].id = newProfile;
      },
      ...Object.fromEntries([...(await entries(path.join(work, 'organisation.zip'))).keys()].filter((n) => n.startsWith('organisation/skills/agents/')).map((n) => [n, newAssessments])),
      [CAMILLE_SKILLS]: (v) => {
        newAssessments(v);
        v.targetProfile.id = newProfile; // her choice names the profile by its (new) id
      },
    });
    const error = await refused(fresh, {}, { skills: failing });
    expect(error.code, error.en).toBe('import_failed');
  });

  it('an answer id that exists here already is refused, and nothing of the import stays (issue 8)', async () => {
    const skills = organisationSkillsArchive(stores);
    // A new test whose answers reuse the ids of answers the target has (imported above).
    const error = await refused(
      await orgArchive({
        [COLLEAGUE]: (v) => {
          v.assessments[0].id = uuidv7();
        },
      }),
      {},
      { skills },
    );
    expect(error.code).toBe('archive_invalid');
    expect(error.en).toContain('exists here already');
  });

  it('attaches results only to the organisation’s active members here, never to another bank’s items, and gives imported items provisional parameters (issue 8)', async () => {
    // Another organisation's live item here, whose key an archive names.
    const otherItem = uuidv7();
    const otherKey = `${organisationKeyPrefix(DEMO_ORGANISATIONS[1].id)}1.1-99`;
    await insertItem(stores.control.db, {
      id: otherItem,
      key: otherKey,
      organisation_id: DEMO_ORGANISATIONS[1].id,
      competence: '1.1',
      level: 3,
      kind: 'true_false',
      status: 'live',
      correct: [0],
      content: { fr: { stem: 'Secret ?', explanation: 'Oui.' }, en: { stem: 'Secret?', explanation: 'Yes.' } },
      a: 1,
      b: 0,
      c: 0,
      calibrated_at: null,
      calibration: null,
      source: 'authored',
      source_hash: null,
      created_by: null,
    });
    const fresh: Edit = (v) => {
      for (const a of v.assessments) {
        a.id = uuidv7();
        for (const r of a.responses) r.id = uuidv7();
      }
    };
    const files = await entries(path.join(work, 'organisation.zip'));
    const camille = json<AgentFile>(files.get(CAMILLE_SKILLS));
    const file = await orgArchive({
      // Camille's in-progress test, abandoned there, now pointing at the other organisation's item.
      [CAMILLE_SKILLS]: (v) => {
        fresh(v);
        v.assessments[0].status = 'abandoned';
        v.assessments[0].pendingItemId = null;
        v.assessments[0].pendingItemKey = null;
        v.assessments[0].options.organisations = [DEMO_ORGANISATIONS[1].id];
        v.assessments[0].responses[0].itemKey = otherKey;
        v.assessments[0].responses[1].itemKey = null;
        v.assessments[0].responses[1].itemId = otherItem;
      },
      'organisation/skills/framework.json': (v) => {
        v.items[0].id = uuidv7();
        v.items[0].key = `${v.items[0].key}-calibre`;
        v.items[0].parameters = { a: 6, b: -8, c: 0.49 };
        v.items[0].calibratedAt = '2026-11-01T00:00:00.000Z';
      },
    });
    // And the same file for an agent who is not a member of this organisation (FR2: another one's).
    const withStranger = path.join(work, 'etranger.zip');
    {
      const all = await entries(file);
      const manifest = json<Manifest>(all.get('manifest.json'));
      all.delete('manifest.json');
      const stranger = { ...json<AgentFile>(all.get(CAMILLE_SKILLS)), principalId: FR2.id };
      stranger.assessments = stranger.assessments.map((a) => ({ ...a, id: uuidv7(), responses: a.responses.map((r) => ({ ...r, id: uuidv7() })) }));
      all.set(`organisation/skills/agents/${FR2.id}.json`, Buffer.from(JSON.stringify(stranger)));
      manifest.entries = [...all].map(([p, b]) => ({ path: p, size: b.length, sha256: createHash('sha256').update(b).digest('hex') }));
      const zip = await ZipWriter.create(withStranger);
      for (const [p, b] of all) await zip.add(p, b, { compress: true });
      await zip.add('manifest.json', JSON.stringify(manifest), { compress: true });
      await zip.finish();
    }
    const report = await importArchive({ ...deps, skills: organisationSkillsArchive(stores) }, { file: withStranger, cell: 'FR' });
    expect(report.skills?.agents.missing).toEqual([FR2.id]);
    expect(report.skills?.assessments.created).toBe(1); // Camille's; the colleagues' are here already
    expect(report.skills?.items.created).toBe(1);
    expect(await stores.cells.FR.db.selectFrom('skills_assessments').select('id').where('principal_id', '=', FR2.id).execute()).toEqual([]);
    const imported = await stores.cells.FR.db
      .selectFrom('skills_assessments')
      .select(['id', 'options', 'organisation_id'])
      .where('principal_id', '=', FR1.id)
      .where('status', '=', 'abandoned')
      .orderBy('started_at', 'desc')
      .execute();
    const test = imported.find((a) => !camille.assessments.some((c) => c.id === a.id)) as (typeof imported)[number];
    expect(test.organisation_id).toBe(DEMO_ORGANISATIONS[0].id);
    expect(test.options.organisations).toEqual([DEMO_ORGANISATIONS[0].id]);
    const answers = await stores.cells.FR.db.selectFrom('skills_responses').select(['position', 'item_id']).where('assessment_id', '=', test.id).orderBy('position').execute();
    expect(answers.map((r) => r.item_id)).not.toContain(otherItem);
    expect(await stores.control.db.selectFrom('skills_items').select('id').where('id', 'in', answers.map((r) => r.item_id)).execute()).toEqual([]);
    const item = await stores.control.db.selectFrom('skills_items').select(['a', 'b', 'c', 'calibrated_at', 'level']).where('key', 'like', '%-calibre').executeTakeFirstOrThrow();
    expect(item.calibrated_at).toBeNull();
    expect({ a: item.a, b: item.b, c: item.c }).toEqual(provisionalParameters(item.level));
    before = await footprint(); // the spaces it imported are now part of what later refusals must leave alone
  });

  it('an organisation unknown here: the spaces are imported, its skills results are not, and the report says so (issue 8)', async () => {
    const elsewhere = uuidv7();
    const files = await entries(path.join(work, 'organisation.zip'));
    const retarget = (text: string) => text.replaceAll(DEMO_ORGANISATIONS[0].id, elsewhere);
    const manifest = json<Manifest>(files.get('manifest.json'));
    files.delete('manifest.json');
    for (const [name, bytes] of files) if (name.startsWith('organisation/skills/')) files.set(name, Buffer.from(retarget(bytes.toString('utf8'))));
    // Its items' keys are in the first organisation's namespace (derived from its id): left out here.
    const framework = json<FrameworkFile>(files.get('organisation/skills/framework.json'));
    files.set('organisation/skills/framework.json', Buffer.from(JSON.stringify({ ...framework, items: [] })));
    const out = path.join(work, 'autre-organisation.zip');
    const zip = await ZipWriter.create(out);
    for (const [p, b] of files) await zip.add(p, b, { compress: true });
    manifest.entries = [...files].map(([p, b]) => ({ path: p, size: b.length, sha256: createHash('sha256').update(b).digest('hex') }));
    manifest.scope = { kind: 'organisation', id: elsewhere };
    await zip.add('manifest.json', JSON.stringify(manifest), { compress: true });
    await zip.finish();
    const skillsBefore = await skillsFootprint();
    const report = await importArchive({ ...deps, skills: organisationSkillsArchive(stores) }, { file: out, cell: 'FR' });
    expect(report.skills?.organisationFound).toBe(false);
    expect(report.skills?.assessments.created).toBe(0);
    expect(report.spaces.length).toBeGreaterThan(0);
    expect(await skillsFootprint()).toBe(skillsBefore);
    before = await footprint(); // the spaces it imported are now part of what later refusals must leave alone
  });

  it('refuses an unknown version or format with a clear message in both languages', async () => {
    const v2 = await refused(await tampered({ manifest: (m) => ({ ...m, version: 2 }) }));
    expect(v2.code).toBe('archive_unknown_version');
    expect(v2.fr).toContain('Version d’archive 2 inconnue');
    expect(v2.fr).toContain('Rien n’a été importé');
    expect(v2.en).toContain('Unknown archive version 2');
    expect((await refused(await tampered({ manifest: (m) => ({ ...m, format: 'autre' }) }))).code).toBe('archive_unknown_format');
    expect((await refused(await tampered({ manifest: () => undefined }))).code).toBe('archive_unknown_format');
    expect((await refused(await tampered({ manifest: (m) => ({ ...m, entries: 'x' }) }))).code).toBe('archive_invalid');
  });

  it('refuses a damaged archive: changed content, missing or extra entries, flipped bytes', async () => {
    const changed = await refused(await tampered({ entries: (f, p) => f.set(`${p}files/notes.txt`, Buffer.from('notes falsifiées')) }));
    expect(changed.code).toBe('archive_damaged');
    expect(changed.en).toContain('files/notes.txt');
    expect((await refused(await tampered({ entries: (f, p) => f.delete(`${p}documents/Note.yjs`) }))).code).toBe('archive_damaged');
    expect((await refused(await tampered({ entries: (f) => f.set('en-trop.txt', Buffer.from('x')) }))).code).toBe('archive_invalid');
    // A byte flipped in the file itself (as a bad disk would): caught by the CRC or the SHA-256.
    const raw = readFileSync(path.join(work, 'premier.zip'));
    const at = raw.indexOf(binary.subarray(5000, 5032));
    expect(at).toBeGreaterThan(0);
    raw[at] = (raw[at] as number) ^ 0x01;
    const flipped = path.join(work, 'flipped.zip');
    writeFileSync(flipped, raw);
    expect((await refused(flipped)).code).toBe('archive_damaged');
    const notZip = path.join(work, 'pas-un-zip.zip');
    writeFileSync(notZip, 'PK ceci n’est pas une archive');
    expect((await refused(notZip)).code).toBe('archive_unreadable');
  });

  it('refuses names that would escape the folder, and JSON that points outside the archive or loops', async () => {
    const traversal = await refused(await tampered({ entries: (f) => f.set('../../etc/cron.d/entente', Buffer.from('* * * * * root sh')), rehash: true }));
    expect(traversal.code).toBe('archive_invalid');
    expect(traversal.en).toContain('unsafe entry name');
    const dangling = await refused(
      await tampered({
        entries: (f, p) => {
          const d = json<{ documents: { yjs: string }[] }>(f.get(`${p}documents.json`));
          (d.documents[0] as { yjs: string }).yjs = '../../../etc/passwd';
          f.set(`${p}documents.json`, Buffer.from(JSON.stringify(d)));
        },
        rehash: true,
      }),
    );
    expect(dangling.code).toBe('archive_invalid');
    const cycle = await refused(
      await tampered({
        entries: (f, p) => {
          const d = json<{ documents: { id: string; parentId: string | null }[] }>(f.get(`${p}documents.json`));
          const [x, y] = d.documents.filter((doc) => doc.parentId === null) as [{ id: string; parentId: string | null }, { id: string; parentId: string | null }];
          x.parentId = y.id;
          y.parentId = x.id;
          f.set(`${p}documents.json`, Buffer.from(JSON.stringify(d)));
        },
        rehash: true,
      }),
    );
    expect(cycle.en).toContain('cycle');
  });

  it('does not trust the types and hashes an archive claims', async () => {
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const sha = createHash('sha256').update(html).digest('hex');
    type Files = { items: { name: string; versions: { path: string | null; size: number; sha256: string; contentType: string }[] }[] };
    // An "image" that is HTML: refused (images are served inline).
    const fakeImage = await refused(
      await tampered({
        entries: (f, p) => {
          const images = json<{ images: { path: string; size: number; sha256: string }[] }>(f.get(`${p}images.json`));
          const image = images.images[0] as { path: string; size: number; sha256: string };
          f.set(image.path, html);
          Object.assign(image, { size: html.length, sha256: sha });
          f.set(`${p}images.json`, Buffer.from(JSON.stringify(images)));
        },
        rehash: true,
      }),
    );
    expect(fakeImage.en).toMatch(/is not image\/png/);
    // files.json claiming other bytes than the entry holds.
    const lying = await refused(await tampered({ entries: (f, p) => f.set(`${p}trash/files/ancien.txt`, Buffer.from('autre contenu')), rehash: true }));
    expect(lying.code).toBe('archive_invalid');
    // A "text/plain" file that is HTML: imported, with the type its bytes have.
    const relabelled = await tampered({
      entries: (f, p) => {
        const files = json<Files>(f.get(`${p}files.json`));
        const version = (files.items.find((i) => i.name === 'ancien.txt') as Files['items'][number]).versions[0] as Files['items'][number]['versions'][number];
        f.set(version.path as string, html);
        Object.assign(version, { size: html.length, sha256: sha, contentType: 'text/plain' });
        f.set(`${p}files.json`, Buffer.from(JSON.stringify(files)));
      },
      rehash: true,
    });
    const report = await importArchive(deps, { file: relabelled });
    const types = await stores.cells.QC.db.selectFrom('file_versions').select(['content_type', 'sha256']).where('space_id', '=', report.spaces[0]?.id as string).where('sha256', '=', sha).execute();
    expect(types).toEqual([{ content_type: 'text/html', sha256: sha }]);
    before = await footprint();
  });

  it('refuses file names an agent could not give and folder trees deeper than the files area allows', async () => {
    type Item = { id: string; kind: string; name: string; parentId: string | null; trashedAt: string | null; createdBy: string; [k: string]: unknown };
    const renamed = (name: string) =>
      tampered({
        entries: (f, p) => {
          const files = json<{ items: Item[] }>(f.get(`${p}files.json`));
          (files.items.find((i) => i.name === 'notes.txt') as Item).name = name;
          f.set(`${p}files.json`, Buffer.from(JSON.stringify(files)));
        },
        rehash: true,
      });
    // Shown as "facture exe.txt" by a bidirectional override; a separator; a line break; a terminal escape.
    for (const name of ['facture \u202Etxt.exe', 'a/b.txt', 'ligne\r\nSet-Cookie: x=1', '\u001b]0;pwn\u0007.txt', '..']) {
      const error = await refused(await renamed(name));
      expect(error.code, JSON.stringify(name)).toBe('archive_invalid');
      expect(error.en).toContain('file name');
    }
    // 70 nested folders (the files area stops at MAX_FOLDER_DEPTH).
    const deep = await refused(
      await tampered({
        entries: (f, p) => {
          const files = json<{ items: Item[] }>(f.get(`${p}files.json`));
          const model = files.items.find((i) => i.kind === 'folder' && i.trashedAt === null) as Item;
          let parentId: string | null = null;
          for (let level = 1; level <= MAX_FOLDER_DEPTH + 6; level++) {
            const id: string = uuidv7();
            files.items.push({ ...model, id, name: `n${level}`, parentId });
            parentId = id;
          }
          f.set(`${p}files.json`, Buffer.from(JSON.stringify(files)));
        },
        rehash: true,
      }),
    );
    expect(deep.code).toBe('archive_invalid');
    expect(deep.en).toContain('levels');
  });

  it('refuses a zip bomb and an archive over the limits before writing anything', async () => {
    const bomb = await tampered({ entries: (f) => f.set('zeros.bin', Buffer.alloc(64 * 1024 * 1024)), rehash: true });
    expect(statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    expect((await refused(bomb)).code).toBe('archive_over_limits');
    const first = path.join(work, 'premier.zip');
    expect((await refused(first, { limits: { maxEntries: 10 } })).code).toBe('archive_over_limits');
    expect((await refused(first, { limits: { maxTotalBytes: 100_000 } })).code).toBe('archive_over_limits');
  });

  it('refuses a Yjs state nested deeper than the editor allows, before writing anything (content nesting, helper B)', async () => {
    const deep = new Y.Doc();
    deep.transact(() => {
      let parent: Y.XmlFragment | Y.XmlElement = deep.getXmlFragment('default');
      for (let i = 0; i < 5_000; i++) {
        const quote = new Y.XmlElement('blockquote');
        parent.insert(0, [quote]);
        parent = quote;
      }
    });
    const file = await tampered({ entries: (f, p) => f.set(`${p}documents/Note.yjs`, Buffer.from(Y.encodeStateAsUpdate(deep))), rehash: true });
    const error = await refused(file);
    expect(error.code).toBe('archive_invalid');
    expect(error.en).toContain('deeper than 64 levels');
  });

  it('removes everything it created when the import fails half-way (a bad Yjs state, a failing store)', async () => {
    const garbage = await tampered({ entries: (f, p) => f.set(`${p}documents/Rapport annuel/Annexe/Détails.yjs`, Buffer.from('pas du Yjs')), rehash: true });
    const bad = await refused(garbage);
    expect(bad.code).toBe('archive_invalid');
    expect(bad.en).toContain('not a Yjs state');
    let calls = 0;
    const failing = {
      initialise: async (ref: { documentId: string; spaceId: string; jurisdiction: 'FR' | 'QC' }, state: Uint8Array) => {
        if (++calls === 4) throw new Error('disk full');
        await deps.content.initialise(ref, state);
      },
    };
    // premier.zip is already imported on this target (first describe): a new copy is asked for.
    const failed = await refused(path.join(work, 'premier.zip'), { again: true }, { content: failing });
    expect(failed.code).toBe('import_failed');
    expect(failed.fr).toContain('ce qui avait été créé a été retiré');
    // Recorded: the rollback is an audit event of the cell.
    const events = await stores.cells.QC.db.selectFrom('audit_events').select('action').where('action', '=', 'workspace.space.import_rolled_back').execute();
    expect(events.length).toBeGreaterThanOrEqual(2);
  });

  it('needs an owner who exists here; with --owner, members unknown here are reported', async () => {
    const strangers = await tampered({
      entries: (f, p) => {
        const m = json<{ members: { principalId: string }[] }>(f.get(`${p}members.json`));
        for (const member of m.members) member.principalId = uuidv7();
        f.set(`${p}members.json`, Buffer.from(JSON.stringify(m)));
      },
      rehash: true,
    });
    const none = await refused(strangers);
    expect(none.code).toBe('owner_needed');
    expect(none.fr).toContain('--owner');
    expect((await refused(strangers, { owner: uuidv7() })).code).toBe('owner_unknown');
    const report = await importArchive(deps, { file: strangers, owner: QC1.id, cell: 'FR' });
    const [space] = report.spaces;
    expect(space?.members.attached).toEqual([{ principalId: QC1.id, role: 'owner' }]);
    expect(space?.members.missing).toHaveLength(4);
    expect(space?.jurisdiction).toBe('FR');
    // Moved to the FR cell on the operator's word: rows and objects there, none in QC.
    expect(await stores.cells.FR.db.selectFrom('documents').select('id').where('space_id', '=', space?.id as string).execute()).toHaveLength(10);
    expect(await stores.cells.QC.db.selectFrom('documents').select('id').where('space_id', '=', space?.id as string).execute()).toHaveLength(0);
    const qcObjects: string[] = [];
    for await (const o of cells.get('QC').objects.list(`spaces/${space?.id}/`)) qcObjects.push(o.key);
    expect(qcObjects).toEqual([]);
    before = await footprint();
  });

  it('refuses a classification level this instance’s scale does not have, before writing anything (issue 7)', async () => {
    type Docs = { documents: { id: string; title: string; classificationLevel?: string | null }[] };
    const labelled = (spaceLevel: string | undefined, documentLevel?: string) =>
      tampered({
        entries: (f, p) => {
          const space = json<{ classificationLevel?: string }>(f.get(`${p}space.json`));
          space.classificationLevel = spaceLevel;
          f.set(`${p}space.json`, Buffer.from(JSON.stringify(space)));
          if (documentLevel !== undefined) {
            const d = json<Docs>(f.get(`${p}documents.json`));
            (d.documents.find((doc) => doc.title === 'Annexe') as Docs['documents'][number]).classificationLevel = documentLevel;
            f.set(`${p}documents.json`, Buffer.from(JSON.stringify(d)));
          }
        },
        rehash: true,
        manifest: (m) => ({ ...m, spaces: m.spaces.map((s) => ({ ...s, classificationLevel: spaceLevel })) }),
      });
    // The space's level.
    const space = await refused(await labelled('tres-secret'));
    expect(space.code).toBe('classification_unknown');
    expect(space.fr).toContain('Niveau de classification « tres-secret » inconnu ici (espace « Coopération « nuage » : 2026/27 »)');
    expect(space.fr).toContain('non-protege, diffusion-restreinte');
    expect(space.fr).toContain('Rien n’a été importé');
    expect(space.en).toContain('Classification level "tres-secret" unknown here (space');
    // A document's own level (the space's is known).
    const document = await refused(await labelled('diffusion-restreinte', 'secret-defense'));
    expect(document.code).toBe('classification_unknown');
    expect(document.en).toMatch(/"secret-defense" unknown here \(document "Annexe" \(/);
    // The archive as exported, into an instance whose scale has other levels; into one given no scale.
    const other = { ids: ['public', 'confidentiel'], isLevel: (id: string) => id === 'public' || id === 'confidentiel' };
    const elsewhere = await refused(path.join(work, 'premier.zip'), {}, { scale: other });
    expect(elsewhere.code).toBe('classification_unknown');
    expect(elsewhere.en).toContain('"diffusion-restreinte"');
    expect(elsewhere.en).toContain('has public, confidentiel');
    expect((await refused(path.join(work, 'premier.zip'), {}, { scale: undefined })).code).toBe('classification_unknown');
    // Not a level id at all; a manifest that says less than space.json (or nothing).
    expect((await refused(await labelled('Très secret'))).code).toBe('archive_invalid');
    const lower = await refused(await tampered({ manifest: (m) => ({ ...m, spaces: m.spaces.map((s) => ({ ...s, classificationLevel: 'non-protege' })) }) }));
    expect(lower.code).toBe('archive_invalid');
    expect(lower.en).toContain('different classification levels');
    expect((await refused(await tampered({ manifest: (m) => ({ ...m, spaces: m.spaces.map(({ classificationLevel: _l, ...s }) => s) }) }))).code).toBe('archive_invalid');
  });

  it('imports an archive made before classification levels: unlabelled, as before (issue 7)', async () => {
    const old = await tampered({
      entries: (f, p) => {
        const { classificationLevel: _space, ...space } = json<{ classificationLevel?: string }>(f.get(`${p}space.json`));
        f.set(`${p}space.json`, Buffer.from(JSON.stringify(space)));
        const d = json<{ documents: { classificationLevel?: string }[] }>(f.get(`${p}documents.json`));
        f.set(`${p}documents.json`, Buffer.from(JSON.stringify({ documents: d.documents.map(({ classificationLevel: _d, ...doc }) => doc) })));
      },
      rehash: true,
      manifest: (m) => ({ ...m, spaces: m.spaces.map(({ classificationLevel: _l, ...s }) => s) }),
    });
    const files = await entries(old);
    expect([...files.values()].some((b) => b.includes('classificationLevel'))).toBe(false);
    // Without a scale too: an archive naming no level needs none.
    const report = await importArchive({ ...deps, scale: undefined }, { file: old });
    const [space] = report.spaces;
    expect(space).toMatchObject({ classificationLevel: null, labelledDocuments: 0 });
    const directory = await stores.control.db.withTables<{ space_directory: { classification: string | null } }>().selectFrom('space_directory').select('classification').where('id', '=', space?.id as string).executeTakeFirst();
    expect(directory).toEqual({ classification: null });
    const levels = await stores.cells.QC.db.withTables<{ documents: { classification: string | null } }>().selectFrom('documents').select('classification').where('space_id', '=', space?.id as string).execute();
    expect(levels).toHaveLength(10);
    expect(levels.every((l) => l.classification === null)).toBe(true);
    before = await footprint();
  });

  it('removes the half space of an import whose process died', async () => {
    const id = uuidv7();
    const db = stores.cells.QC.db;
    await db.insertInto('spaces').values({ id, name: 'À moitié', description: '', min_assurance: 'low', classification: 'internal', created_by: QC1.id }).execute();
    await db
      .insertInto('space_imports')
      .values({ id: uuidv7(), space_id: id, status: 'importing', source_instance: 'https://x.example/', source_space_id: uuidv7(), source_created_at: new Date(), format_version: 1, manifest_sha256: '0'.repeat(64), audit_object_key: null, audit_sha256: null, audit_events: 0, heartbeat_at: new Date(Date.now() - 3_600_000) })
      .execute();
    await cells.get('QC').encryptedObjects.putEncrypted(db, { type: 'space', id }, `spaces/${id}/images/x`, Buffer.from('x'));
    // A live import (recent heartbeat) is left alone.
    const live = uuidv7();
    await db.insertInto('spaces').values({ id: live, name: 'En cours', description: '', min_assurance: 'low', classification: 'internal', created_by: QC1.id }).execute();
    await db
      .insertInto('space_imports')
      .values({ id: uuidv7(), space_id: live, status: 'importing', source_instance: 'https://x.example/', source_space_id: uuidv7(), source_created_at: new Date(), format_version: 1, manifest_sha256: '0'.repeat(64), audit_object_key: null, audit_sha256: null, audit_events: 0 })
      .execute();
    expect(await removeAbandonedImports(deps)).toBe(1);
    expect(await db.selectFrom('spaces').select('id').where('id', '=', id).execute()).toHaveLength(0);
    expect(await db.selectFrom('spaces').select('id').where('id', '=', live).execute()).toHaveLength(1);
    expect(await cells.get('QC').objects.head(`spaces/${id}/images/x`)).toBeNull();
    await expect(cells.get('QC').keyring.getDataKey(db, { type: 'space', id }, 1)).rejects.toThrow();
    await db.deleteFrom('spaces').where('id', '=', live).execute();
  });

  it('the CLI says why, in French by default, and exits 1; bad arguments exit 2', async () => {
    const v2 = await tampered({ manifest: (m) => ({ ...m, version: 99 }) });
    await stores.close();
    try {
      const result = await cli(importCommand, target.env, ['--file', v2]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('Version d’archive 99 inconnue');
      expect((await cli(importCommand, target.env, ['--file', v2, '--cell', 'XX'])).code).toBe(2);
      expect((await cli(importCommand, target.env, ['--file', path.join(work, 'absent.zip')])).code).toBe(1);
      expect((await cli(exportCommand, target.env, ['--space', 'pas-un-uuid', '--out', path.join(work, 'x.zip')])).code).toBe(2);
      expect((await cli(exportCommand, target.env, ['--space', uuidv7(), '--org', uuidv7(), '--out', path.join(work, 'x.zip')])).code).toBe(2);
      const missing = await cli(exportCommand, target.env, ['--space', uuidv7(), '--out', path.join(work, 'x.zip')]);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain('space_not_found');
      expect(existsSync(path.join(work, 'x.zip'))).toBe(false);
      const exists = await cli(exportCommand, target.env, ['--space', uuidv7(), '--out', v2]);
      expect(exists.code).toBe(1);
      expect(exists.err).toContain('existe déjà');
    } finally {
      stores = await openStores(loadConfig(target.env));
    }
  });

  it('the CLI never writes an archive’s control characters to the operator’s terminal', async () => {
    // A space named with escape sequences (set the terminal's title, clear the screen, a fake line).
    const hostile = 'Espace \u001b]0;pwn\u0007\u001b[2J\r✓ tout va bien\u009b31m';
    const archive = await tampered({
      entries: (f, p) => {
        const space = json<{ name: string }>(f.get(`${p}space.json`));
        space.name = hostile;
        f.set(`${p}space.json`, Buffer.from(JSON.stringify(space)));
      },
      rehash: true,
      manifest: (m) => ({ ...m, source: { ...m.source, instanceUrl: 'https://source.example/\u001b[2J' } }),
    });
    await stores.close();
    try {
      const result = await cli(importCommand, target.env, ['--file', archive]);
      expect(result.code, result.err).toBe(0);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not come out
      expect(result.out + result.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(result.out).toContain('tout va bien');
    } finally {
      stores = await openStores(loadConfig(target.env));
    }
  });
});

// ── a JSON Schema (draft 2020-12) validator for the subset the manifest's schema uses ──────────

type Schema = Record<string, unknown>;
function validate(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  const type = schema.type as string | undefined;
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.anyOf) {
    const ok = (schema.anyOf as Schema[]).some((s) => validate(s, value, at).length === 0);
    if (!ok) errors.push(`${at}: matches none of anyOf`);
  }
  if (type && !(typeOf(value) === type || (type === 'number' && typeof value === 'number'))) return [...errors, `${at}: not ${type}`];
  if ('const' in schema && value !== schema.const) errors.push(`${at}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${at}: not in enum`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern as string).test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) errors.push(`${at}: too short`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) errors.push(`${at}: too long`);
    if (schema.format === 'uri' && !URL.canParse(value)) errors.push(`${at}: not a URI`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above maximum`);
  }
  if (Array.isArray(value) && schema.items) for (const [i, v] of value.entries()) errors.push(...validate(schema.items as Schema, v, `${at}[${i}]`));
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) errors.push(`${at}: missing ${key}`);
    for (const [key, v] of Object.entries(object)) {
      if (properties[key]) errors.push(...validate(properties[key], v, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected ${key}`);
    }
  }
  const known = new Set(['$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength', 'format', 'minimum', 'maximum', 'items', 'properties', 'required', 'additionalProperties', 'anyOf']);
  for (const key of Object.keys(schema)) if (!known.has(key)) errors.push(`${at}: the validator does not know the keyword ${key}`);
  return errors;
}
