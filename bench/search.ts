/**
 * Full-text search benchmark (issue 5, bench/search): `npm run bench -- search`.
 *
 *  - corpus: generated French working documents (titles of 3–8 words, bodies of 120–450 words
 *    drawn from a Zipf-distributed vocabulary of administrative French with accents, ≈ 1.9 KB of
 *    text each), spread over 20 spaces of the FR cell; the searcher is a member of 8 of them
 *    (owner of 2, reader of 6), 1 % of the documents are restricted without them. 10,000 documents
 *    on PGlite, 100,000 on PostgreSQL (ENTENTE_BENCH_DATABASE_URL, an admin URL: a database of
 *    its own for the run). Rows are written with the same SQL expression as the indexer.
 *  - queries: the whole use case `searchDocuments` (memberships from the control plane, spaces,
 *    the cell query with its restriction filter, ranking, headlines for the page, the re-check of
 *    each hit, authors' names), 20 results a page, typical queries: a common word, a rare word,
 *    two words, a quoted phrase, a prefix being typed, an unaccented word, a filtered query.
 *    Each query runs `repeats` times after a warm-up; p50/p95 per query and over all of them.
 *  - time to index an edit: a document's content changed through the document store (encrypted
 *    log), then `indexDocument` (load snapshot + log, decrypt, derive the text, rewrite the row)
 *    until a search finds the new word. In the server this runs as a job after Hocuspocus's store
 *    debounce (2 s after the last keystroke, 10 s at most) and the job runner's poll (≤ 1 s):
 *    those delays are the design's, the figure here is the work.
 *  - the catch-up sweeps when nothing changed: the frequent one (last 5 minutes, every 5 s) and
 *    the full one (every document, every 10 minutes).
 */
import * as Y from 'yjs';
import { loadConfig } from '../server/src/config.ts';
import type { Actor } from '../server/src/identity/actor.ts';
import { openCells } from '../server/src/platform/cells/cells.ts';
import { migrateStores, openStores, type Stores } from '../server/src/platform/db/stores.ts';
import { uuidv7 } from '../server/src/platform/ids.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import { DocumentStore } from '../server/src/workspace/collab/document-store.ts';
import { jsonToYDoc } from '../server/src/workspace/content/ydoc-json.ts';
import { indexDocument, sweepSearchIndex } from '../server/src/workspace/search/indexer.ts';
import { vectorOf } from '../server/src/workspace/search/search.repo.ts';
import { searchDocuments } from '../server/src/workspace/search/search.ts';
import { sql } from 'kysely';
import { fixed } from './support/stats.ts';
import { printTable } from './support/table.ts';
import { withDatabase, withDataDir } from './support/temporary-stores.ts';

export interface SearchBenchSettings {
  pgliteDocuments: number;
  postgresDocuments: number;
  repeats: number;
  edits: number;
}
export const DEFAULT_SEARCH: SearchBenchSettings = { pgliteDocuments: 10_000, postgresDocuments: 100_000, repeats: 40, edits: 20 };

interface QueryFigure {
  name: string;
  q: string;
  hits: number;
  p50: number;
  p95: number;
}
export interface SearchTargetFigures {
  target: string;
  documents: number;
  loadSeconds: number;
  queries: QueryFigure[];
  all: { p50: number; p95: number };
  indexEdit: { p50: number; p95: number };
  sweepIdleMs: number;
  fullSweepIdleMs: number;
}
export interface SearchBenchResult {
  settings: SearchBenchSettings;
  targets: SearchTargetFigures[];
  notes: string[];
}

const log = (message: string) => console.error(`  [search] ${message}`);

// ── generated French ──
const VOCABULARY = (
  'projet document réunion équipe administration numérique souveraineté données service public agent ministère ' +
  'collectivité région province gouvernement coopération France Québec informatique nuage hébergement sécurité ' +
  'confidentialité accessibilité formation compétence évaluation référentiel calendrier budget dépense marché appel ' +
  'offre contrat prestataire fournisseur licence logiciel libre code source ouverture interopérabilité identité ' +
  'authentification fédération niveau garantie attestation certificat signature archive conservation durée règlement ' +
  'protection personnelle consentement traitement finalité registre analyse impact risque menace vulnérabilité ' +
  'correctif mise jour version publication diffusion communication citoyen usager démarche formulaire guichet ' +
  'accueil téléphone courriel courrier rendez-vous délai traitement dossier instruction décision recours médiation ' +
  'école élève enseignant université recherche laboratoire santé hôpital patient médecin établissement bibliothèque ' +
  'culture patrimoine musée transport route énergie climat environnement eau déchet agriculture forêt pêche ' +
  'économie emploi entreprise innovation subvention financement investissement fiscalité impôt douane frontière ' +
  'stratégie feuille route orientation priorité objectif indicateur tableau bord suivi pilotage comité instance ' +
  'gouvernance arbitrage validation compte rendu relevé décisions ordre jour participant invité présentation ' +
  'atelier séminaire colloque conférence rapport étude synthèse annexe note cadrage cahier charges spécification ' +
  'architecture infrastructure serveur réseau centre calcul sauvegarde restauration continuité reprise activité ' +
  'incident crise exercice alerte supervision journalisation audit contrôle conformité qualité amélioration ' +
  'expérimentation pilote déploiement généralisation accompagnement changement conduite usage adoption satisfaction'
).split(' ');
const GLUE = 'le la les de des du un une et pour avec sur dans par au aux en est sont a ont sera doit pourra'.split(' ');

/** A small deterministic generator (the corpus is the same in every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function zipfPicker(random: () => number, words: readonly string[]): () => string {
  const weights = words.map((_, i) => 1 / (i + 1) ** 0.9);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w / total;
    cumulative.push(acc);
  }
  return () => {
    const x = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo] as string;
  };
}
function generator(seed: number) {
  const random = rng(seed);
  // Shuffle once so that frequent words are not always the first of the list.
  const words = [...VOCABULARY].sort(() => random() - 0.5);
  const word = zipfPicker(random, words);
  const sentence = () => {
    const n = 8 + Math.floor(random() * 14);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(random() < 0.4 ? (GLUE[Math.floor(random() * GLUE.length)] as string) : word());
    const text = parts.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  return {
    title: () => {
      const n = 3 + Math.floor(random() * 6);
      const t = Array.from({ length: n }, () => word()).join(' ');
      return `${t.charAt(0).toUpperCase()}${t.slice(1)}`;
    },
    body: () => {
      const target = 120 + Math.floor(random() * 330);
      const out: string[] = [];
      let count = 0;
      while (count < target) {
        const s = sentence();
        out.push(s);
        count += s.split(' ').length;
      }
      return out.join(' ');
    },
    random,
  };
}

// ── fixtures ──
const SEARCHER = '0190a4b2-1c3d-7e8f-9a0b-0000005ea4c1';
const SPACES = 20;

async function fill(stores: Stores, documents: number): Promise<{ spaceIds: string[]; sampleDocument: string; seconds: number }> {
  const started = performance.now();
  const db = stores.cells.FR.db;
  const spaceIds = Array.from({ length: SPACES }, () => uuidv7());
  await sql`insert into principals (id, home_jurisdiction) values (${SEARCHER}, 'FR')`.execute(stores.control.db);
  for (const [i, id] of spaceIds.entries()) {
    await db
      .insertInto('spaces')
      .values({ id, name: `Espace ${i + 1}`, description: '', min_assurance: 'low', classification: 'internal', created_by: SEARCHER })
      .execute();
    await stores.control.db.insertInto('space_directory').values({ id, jurisdiction: 'FR' }).execute();
    if (i < 8) await stores.control.db.insertInto('space_members').values({ space_id: id, principal_id: SEARCHER, role: i < 2 ? 'owner' : 'reader' }).execute();
  }
  const gen = generator(42);
  const authors = Array.from({ length: 50 }, () => uuidv7());
  const batch = 250;
  let sampleDocument = '';
  for (let start = 0; start < documents; start += batch) {
    const rows = Array.from({ length: Math.min(batch, documents - start) }, (_, k) => ({
      id: uuidv7(),
      space_id: spaceIds[(start + k) % SPACES] as string,
      parent_id: null,
      title: gen.title().slice(0, 300),
      position: start + k,
      restricted: gen.random() < 0.01,
      epoch: 1,
      created_by: authors[Math.floor(gen.random() * authors.length)] as string,
      // Last changed some day of the past year, as in a lived-in cell (the frequent sweep looks at minutes).
      updated_at: new Date(Date.now() - (1 + gen.random() * 364) * 86_400_000),
      body: gen.body(),
    }));
    if (!sampleDocument) sampleDocument = (rows.find((r) => !r.restricted && r.space_id === spaceIds[0]) ?? rows[0])?.id ?? '';
    await db
      .insertInto('documents')
      .values(rows.map(({ body: _body, ...row }) => row))
      .execute();
    await sql`
      insert into document_search (document_id, space_id, title, body, search, author_id)
      values ${sql.join(rows.map((r) => sql`(${r.id}, ${r.space_id}, ${r.title}, ${r.body}, ${vectorOf(sql`${r.title}::text`, sql`${r.body}::text`)}, ${r.created_by})`))}`.execute(db);
    if ((start / batch) % 40 === 0) log(`${start + rows.length} / ${documents} documents`);
  }
  await sql`analyze`.execute(db);
  return { spaceIds, sampleDocument, seconds: (performance.now() - started) / 1000 };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};

async function measureTarget(target: string, env: Record<string, string>, documents: number, settings: SearchBenchSettings): Promise<SearchTargetFigures> {
  const config = loadConfig({ ...env, ENTENTE_LOG_LEVEL: 'silent' });
  const stores = await openStores(config);
  const cells = await openCells(config, stores);
  try {
    await migrateStores(stores);
    log(`${target}: writing ${documents} documents`);
    const { spaceIds, sampleDocument, seconds } = await fill(stores, documents);
    const actor = { principalId: SEARCHER, assuranceLevel: null } as unknown as Actor;
    const queries: Omit<QueryFigure, 'hits' | 'p50' | 'p95'>[] = [
      { name: 'common word', q: 'projet ' },
      { name: 'rare word', q: 'médiation ' },
      { name: 'two words', q: 'sécurité données ' },
      { name: 'quoted phrase', q: '"feuille de route" ' },
      { name: 'prefix as typed', q: 'souverai' },
      { name: 'no accents', q: 'securite numerique ' },
      { name: 'filtered (space)', q: 'budget ' },
    ];
    const figures: QueryFigure[] = [];
    const all: number[] = [];
    for (const query of queries) {
      const params = { q: query.q, limit: 20, offset: 0, ...(query.name.startsWith('filtered') ? { spaceId: spaceIds[3] } : {}) };
      for (let i = 0; i < 5; i++) await searchDocuments(stores, actor, params);
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < settings.repeats; i++) {
        const t0 = performance.now();
        const answer = await searchDocuments(stores, actor, params);
        times.push(performance.now() - t0);
        hits = answer.results.length;
      }
      all.push(...times);
      figures.push({ ...query, hits, p50: percentile(times, 50), p95: percentile(times, 95) });
      log(`${target}: ${query.name} p50 ${fixed(percentile(times, 50), 1)} ms`);
    }

    log(`${target}: time to index an edit`);
    const store = new DocumentStore({ cells, logger: createLogger(config), batchWindowMs: 0 });
    const ref = { documentId: sampleDocument, spaceId: spaceIds[0] as string, jurisdiction: 'FR' as const };
    const base = jsonToYDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: generator(7).body() }] }] });
    await store.initialise(ref, Y.encodeStateAsUpdate(base));
    const deps = { stores, content: () => store, logger: createLogger(config) };
    const indexTimes: number[] = [];
    for (let i = 0; i < settings.edits; i++) {
      const word = `zorglub${i}x`;
      const before = Y.encodeStateVector(base);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`Nouvelle phrase avec ${word}.`)]);
      base.getXmlFragment('default').insert(0, [paragraph]);
      await store.append(ref, 1, Y.encodeStateAsUpdate(base, before));
      const t0 = performance.now();
      await indexDocument(deps, ref);
      const found = await searchDocuments(stores, actor, { q: `${word} `, limit: 5, offset: 0 });
      indexTimes.push(performance.now() - t0);
      if (!found.results.some((r) => r.documentId === ref.documentId)) throw new Error(`edit ${i} not found after indexing`);
    }
    await sweepSearchIndex(stores); // the compaction-free live path left nothing for it; first pass
    const t0 = performance.now();
    await sweepSearchIndex(stores, 300);
    const sweepIdleMs = performance.now() - t0;
    const t1 = performance.now();
    await sweepSearchIndex(stores);
    const fullSweepIdleMs = performance.now() - t1;
    return {
      target,
      documents,
      loadSeconds: seconds,
      queries: figures,
      all: { p50: percentile(all, 50), p95: percentile(all, 95) },
      indexEdit: { p50: percentile(indexTimes, 50), p95: percentile(indexTimes, 95) },
      sweepIdleMs,
      fullSweepIdleMs,
    };
  } finally {
    await cells.close();
    await stores.close();
  }
}

export async function searchBench(settings: SearchBenchSettings): Promise<SearchBenchResult> {
  const notes: string[] = [];
  const targets: SearchTargetFigures[] = [];
  if (settings.pgliteDocuments > 0) {
    targets.push(await withDataDir((dir) => measureTarget('PGlite', { ENTENTE_DATA_DIR: dir }, settings.pgliteDocuments, settings)));
  }
  const adminUrl = process.env.ENTENTE_BENCH_DATABASE_URL?.trim();
  if (adminUrl) {
    targets.push(
      await withDatabase(adminUrl, (url) => withDataDir((dir) => measureTarget('PostgreSQL', { ENTENTE_DATA_DIR: dir, DATABASE_URL: url }, settings.postgresDocuments, settings))),
    );
  } else {
    notes.push('ENTENTE_BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  return { settings, targets, notes };
}

export function printSearch(result: SearchBenchResult): void {
  for (const t of result.targets) {
    printTable(
      `Search, ${t.target}: ${t.documents.toLocaleString('en')} documents (written in ${fixed(t.loadSeconds, 0)} s), whole use case, 20 results a page, ${result.settings.repeats} runs each`,
      ['query', 'q', 'results', 'p50 (ms)', 'p95 (ms)'],
      [
        ...t.queries.map((q) => [q.name, JSON.stringify(q.q), String(q.hits), fixed(q.p50, 1), fixed(q.p95, 1)]),
        ['all queries', '', '', fixed(t.all.p50, 1), fixed(t.all.p95, 1)],
      ],
    );
    printTable(
      `Search, ${t.target}: index maintenance`,
      ['what', 'p50 (ms)', 'p95 (ms)'],
      [
        [`edit → indexDocument → found by a search (${result.settings.edits} edits)`, fixed(t.indexEdit.p50, 1), fixed(t.indexEdit.p95, 1)],
        ['catch-up sweep of the last 5 min, nothing to do (every 5 s)', fixed(t.sweepIdleMs, 1), ''],
        ['full catch-up sweep, nothing to do (every 10 min)', fixed(t.fullSweepIdleMs, 1), ''],
      ],
    );
  }
  for (const note of result.notes) console.log(`(${note})`);
}
