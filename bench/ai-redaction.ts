/**
 * Redaction throughput (issue 7, bench/ai): `npm run bench -- ai-redaction`.
 *
 *  - corpus: generated French and Québec administrative documents (letters, case notes, minutes)
 *    of about 4 KB each, ≥ 5 MB of UTF-8 in all, with a realistic density of identifiers: a header
 *    block (agent's name, address, phone, e-mail) and, in the body, NIRs, NAS, RAMQ numbers, IBANs,
 *    SIRETs, card numbers, numéros fiscaux, driver's licences and agents' names among ordinary
 *    prose full of dates, amounts, article and decree numbers (the false-positive bait). Every
 *    identifier has a valid checksum (server/test/support/personal-numbers.ts); 500 known agents.
 *  - measured: pseudonymise() per document (one request each, a fresh mapping), with all
 *    categories and 500 agents, and without names; the same on the whole corpus as one text; each
 *    recogniser alone; restore() and the StreamRestorer (20-character chunks, as a model streams)
 *    on the pseudonymised documents. Baseline in the same run: one pass of a single regular
 *    expression (/\p{N}+/gu) over the documents, the floor of any scan of the text.
 *  - checked before measuring: every planted identifier is replaced (no value left in the output),
 *    and restore() gives back each document exactly; the bench fails otherwise.
 *  MB/s are UTF-8 megabytes (10^6 bytes) of input per second of wall-clock time, and per second of
 *  this process's CPU time (process.cpuUsage, all its threads: on a shared machine the wall clock
 *  mostly measures the neighbours); median (min–max) of `runs` after a warm-up.
 */
import { PII_CATEGORIES, type PiiCategory } from '../server/src/assistant/policy/categories.ts';
import { compileAgentNames, pseudonymise, restore, StreamRestorer } from '../server/src/assistant/policy/index.ts';
import { recognisersFor } from '../server/src/assistant/policy/recognisers/index.ts';
import { card, groupIban, groupNir, groupSpi, iban, nir, sin, siren, siret, spi } from '../server/test/support/personal-numbers.ts';
import { fixed, type Summary, summarise } from './support/stats.ts';
import { printTable } from './support/table.ts';

export interface AiRedactionSettings {
  megabytes: number;
  runs: number;
  agents: number;
}
export const DEFAULT_AI_REDACTION: AiRedactionSettings = { megabytes: 5.2, runs: 5, agents: 500 };

interface Throughput {
  name: string;
  /** Input MB per second of wall-clock time. */
  mbPerSecond: Summary;
  /** Input MB per second of this process's CPU time (user + system): less sensitive to the neighbours' load. */
  mbPerCpuSecond: Summary;
  msPerDocument?: number;
}
export interface AiRedactionResult {
  settings: AiRedactionSettings;
  documents: number;
  bytes: number;
  planted: number;
  plantedByKind: Record<string, number>;
  findings: number;
  cases: Throughput[];
  recognisers: Throughput[];
}

const log = (message: string) => console.error(`  [ai-redaction] ${message}`);

// ── generated corpus ──
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const GIVEN = 'Camille Jean Marie Louis Hélène Élodie François Sophie Nicolas Isabelle Pierre Nathalie Julien Céline Mathieu Chloé Antoine Émilie Olivier Julie Marie-Ève Jean-François Geneviève Mathis Léa Étienne Maxime Mélanie Sébastien Audrey'.split(' ');
const FAMILY =
  'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre Michel Garcia Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier Bélanger Lévesque Bergeron'.split(' ');
const PROSE = [
  'Conformément à l’article L. 1234-5 du code du travail et au décret n° 2019-1088 du 25 octobre 2019, la demande a été instruite dans un délai de 30 jours.',
  'Le comité de pilotage s’est réuni le 12/03/2026 à 14 h 30 ; 12 participants ont validé la feuille de route 2026-2028 et un budget de 2 450 000 €.',
  'La direction rappelle que les pièces justificatives doivent être transmises avant le 31 mars 2026, faute de quoi le dossier n° 2026-0457 sera classé.',
  'En application de l’article 12 de la Loi sur l’assurance maladie (chapitre A-29), le remboursement de 1 245,50 $ sera versé sous 10 jours ouvrables.',
  'Le marché public, d’un montant de 312 000,00 € HT, a été attribué au terme d’une procédure adaptée conformément à l’article R. 2123-1 du code de la commande publique.',
  'Les agents des deux administrations ont partagé leurs retours d’expérience sur l’hébergement souverain, la réversibilité et l’accessibilité des services numériques.',
  'La séance est levée à 17 h 05. Prochaine réunion le mardi 7 avril 2026, salle 4.12, avec l’ordre du jour arrêté par le secrétariat général.',
  'Vu la loi n° 78-17 du 6 janvier 1978 relative à l’informatique, aux fichiers et aux libertés, et le règlement (UE) 2016/679, le traitement est inscrit au registre.',
];
const STREETS = ['rue de Ségur', 'avenue de France', 'boulevard Saint-Germain', 'rue Victor-Hugo', 'place de la République', 'chemin des Vignes', 'allée des Tilleuls'];
const CITIES_FR = [
  ['75007', 'Paris'],
  ['69003', 'Lyon'],
  ['33000', 'Bordeaux'],
  ['93200', 'Saint-Denis'],
  ['20000', 'Ajaccio'],
];
const STREETS_QC = ['rue De La Chevrotière', 'boulevard René-Lévesque Est', 'chemin Sainte-Foy', 'avenue du Parc', 'rue Sherbrooke Ouest'];
const CITIES_QC = [
  ['Québec (Québec)', 'G1R 5E9'],
  ['Montréal (Québec)', 'H2Z 1A1'],
  ['Gatineau (Québec)', 'J8X 4C8'],
  ['Sherbrooke (Québec)', 'J1H 4G9'],
];

export function corpus(settings: AiRedactionSettings): { documents: string[]; agents: { givenName: string; familyName: string }[]; planted: Record<string, number> } {
  const random = rng(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const agents = Array.from({ length: settings.agents }, (_, i) => ({ givenName: GIVEN[i % GIVEN.length] as string, familyName: `${FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]}${i >= GIVEN.length * FAMILY.length ? i : ''}` }));
  const planted: Record<string, number> = {};
  const plant = (kind: string, value: string) => {
    planted[kind] = (planted[kind] ?? 0) + 1;
    return value;
  };
  const person = () => {
    const a = pick(agents);
    return { a, name: plant('person', `${a.givenName} ${a.familyName}`) };
  };
  const identifier = (qc: boolean): string => {
    const r = random();
    if (!qc) {
      if (r < 0.2) {
        const dept = random() < 0.05 ? pick(['2A', '2B']) : pad(1 + Math.floor(random() * 95), 2);
        return `numéro de sécurité sociale ${plant('nir', groupNir(nir(`${1 + Math.floor(random() * 2)}${digits(2)}${pad(1 + Math.floor(random() * 12), 2)}${dept}${pad(1 + Math.floor(random() * 998), 3)}${pad(1 + Math.floor(random() * 998), 3)}`)))}`;
      }
      if (r < 0.35) return `IBAN ${plant('iban', groupIban(iban('FR', `${digits(10)}${digits(11)}${digits(2)}`)))}`;
      if (r < 0.5) {
        const s = siret(siren(digits(8)), digits(4));
        return `SIRET ${plant('siret', `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}`)}`;
      }
      if (r < 0.6) return `numéro fiscal ${plant('spi', groupSpi(spi(`${Math.floor(random() * 4)}${digits(9)}`)))}`;
      if (r < 0.7) return `carte ${plant('paymentCard', card(`4${digits(14)}`).replace(/(\d{4})(?=\d)/g, '$1 '))}`;
      if (r < 0.85) return `tél. ${plant('phone', `0${1 + Math.floor(random() * 7)} ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`)}`;
      return `rédigé par ${person().name}`;
    }
    if (r < 0.25) {
      const s = sin(`${pick(['1', '2', '4', '5', '6', '7', '9'])}${digits(7)}`);
      return `NAS ${plant('sin', `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`)}`;
    }
    if (r < 0.45) {
      const { a } = person();
      planted.person = (planted.person ?? 1) - 1;
      const letters = `${a.familyName.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().slice(0, 3).padEnd(3, 'X')}${a.givenName.normalize('NFD').replace(/\p{M}/gu, '')[0]?.toUpperCase()}`;
      return `assurance maladie ${plant('ramq', `${letters} ${digits(2)}${pad(1 + Math.floor(random() * 12) + (random() < 0.5 ? 50 : 0), 2)} ${pad(1 + Math.floor(random() * 28), 2)}${digits(2)}`)}`;
    }
    if (r < 0.6) return `permis ${plant('driverLicenceQc', `${pick(['T', 'G', 'L', 'B'])}${digits(4)}-${digits(6)}-${digits(2)}`)}`;
    if (r < 0.8) {
      // Exchanges N11 (211, 411, 911…) are service codes, not numbers: not planted.
      let exchange = '';
      do exchange = `${2 + Math.floor(random() * 8)}${digits(2)}`;
      while (exchange.endsWith('11'));
      return `téléphone ${plant('phone', `(${pick(['418', '514', '819', '450'])}) ${exchange}-${digits(4)}`)}`;
    }
    return `agent ${person().name}`;
  };
  const documents: string[] = [];
  let bytes = 0;
  while (bytes < settings.megabytes * 1e6) {
    const qc = random() < 0.5;
    const author = person();
    const mailbox = plant('email', `${author.a.givenName}.${author.a.familyName}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z.-]/g, '') + (qc ? '@exemple.gouv.qc.ca' : '@exemple.gouv.fr'));
    const address = qc
      ? plant('address', `${1 + Math.floor(random() * 4000)}, ${pick(STREETS_QC)}, ${pick(CITIES_QC).join(' ')}`)
      : plant('address', `${1 + Math.floor(random() * 120)} ${pick(STREETS)} ${pick(CITIES_FR).join(' ')}`);
    const lines = [`Objet : dossier n° 2026-${pad(Math.floor(random() * 9999), 4)}`, `${author.name} — ${address}`, `Courriel : ${mailbox}`, ''];
    let size = 0;
    while (size < 3800) {
      const sentences = [pick(PROSE), pick(PROSE)];
      if (random() < 0.8) sentences.splice(1, 0, `Le dossier mentionne : ${identifier(qc)}.`);
      const paragraph = sentences.join(' ');
      lines.push(paragraph);
      size += Buffer.byteLength(paragraph);
    }
    const document = lines.join('\n');
    documents.push(document);
    bytes += Buffer.byteLength(document);
  }
  return { documents, agents, planted };
}

// ── measuring ──
function measure(name: string, runs: number, bytes: number, documents: number, work: () => void): Throughput {
  work(); // warm-up (JIT, the folding table, regular expression compilation)
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    work();
    const used = process.cpuUsage(cpu);
    seconds.push((performance.now() - started) / 1000);
    cpuSeconds.push((used.user + used.system) / 1e6);
  }
  const median = summarise(seconds).median;
  return {
    name,
    mbPerSecond: summarise(seconds.map((s) => bytes / 1e6 / s)),
    mbPerCpuSecond: summarise(cpuSeconds.map((s) => bytes / 1e6 / s)),
    msPerDocument: (median * 1000) / documents,
  };
}

export async function aiRedactionBench(settings: AiRedactionSettings): Promise<AiRedactionResult> {
  const { documents, agents, planted } = corpus(settings);
  const bytes = documents.reduce((sum, d) => sum + Buffer.byteLength(d), 0);
  const plantedTotal = Object.values(planted).reduce((a, b) => a + b, 0);
  log(`${documents.length} documents, ${fixed(bytes / 1e6, 2)} MB, ${plantedTotal} identifiers planted`);
  const index = compileAgentNames(agents);

  // Correctness first: nothing planted survives, and every document comes back exactly.
  let findings = 0;
  const pseudonymised: { text: string; mapping: ReturnType<typeof pseudonymise>['mapping'] }[] = [];
  for (const document of documents) {
    const result = pseudonymise(document, { agents: index });
    if (restore(result.text, result.mapping) !== document) throw new Error('restore() did not give a document back exactly');
    if (/\d{3} \d{3} \d{3}|@|\b[A-Z]{4} \d{4} \d{4}\b|FR\d{2} /.test(result.text)) throw new Error(`an identifier survived: ${result.text.slice(0, 400)}`);
    findings += result.mapping.counts().reduce((sum, c) => sum + c.occurrences, 0);
    pseudonymised.push(result);
  }
  if (findings < plantedTotal) {
    const byCategory: Record<string, number> = {};
    for (const p of pseudonymised) for (const c of p.mapping.counts()) byCategory[c.category] = (byCategory[c.category] ?? 0) + c.occurrences;
    throw new Error(`${findings} findings for ${plantedTotal} planted identifiers: planted ${JSON.stringify(planted)}, found ${JSON.stringify(byCategory)}`);
  }
  const whole = documents.join('\n\n');
  const noNames = PII_CATEGORIES.filter((c) => c !== 'person');

  const cases: Throughput[] = [];
  const run = (name: string, work: () => void) => {
    log(name);
    cases.push(measure(name, settings.runs, bytes, documents.length, work));
  };
  run('baseline: one regex pass (/\\p{N}+/gu)', () => {
    let n = 0;
    for (const d of documents) for (const _ of d.matchAll(/\p{N}+/gu)) n++;
    if (n === 0) throw new Error('no digits');
  });
  run(`pseudonymise, all categories, ${settings.agents} agents, per document`, () => {
    for (const d of documents) pseudonymise(d, { agents: index });
  });
  run('pseudonymise, all but names, per document', () => {
    for (const d of documents) pseudonymise(d, { categories: noNames });
  });
  run(`pseudonymise, all categories, ${settings.agents} agents, whole corpus as one text`, () => {
    pseudonymise(whole, { agents: index });
  });
  run('restore, per document', () => {
    for (const p of pseudonymised) restore(p.text, p.mapping);
  });
  run('StreamRestorer, 20-character chunks, per document', () => {
    for (const p of pseudonymised) {
      const restorer = new StreamRestorer(p.mapping);
      for (let i = 0; i < p.text.length; i += 20) restorer.push(p.text.slice(i, i + 20));
      restorer.end();
    }
  });

  const recognisers: Throughput[] = [];
  for (const category of PII_CATEGORIES) {
    const list = recognisersFor(new Set<PiiCategory>([category]), index);
    recognisers.push(
      measure(category, Math.min(3, settings.runs), bytes, documents.length, () => {
        for (const d of documents) for (const r of list) r.find(d);
      }),
    );
  }
  return { settings, documents: documents.length, bytes, planted: plantedTotal, plantedByKind: planted, findings, cases, recognisers };
}

const range = (s: Summary) => `${fixed(s.median, 1)} (${fixed(s.min, 1)}–${fixed(s.max, 1)})`;

export function printAiRedaction(result: AiRedactionResult): void {
  const baseline = result.cases[0]?.mbPerCpuSecond.median ?? Number.NaN;
  console.log(
    `\nCorpus: ${result.documents} documents, ${fixed(result.bytes / 1e6, 2)} MB UTF-8, ${result.planted} identifiers planted (${fixed(result.planted / (result.bytes / 1000), 2)} per KB: ${Object.entries(
      result.plantedByKind,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), ${result.findings} replaced; ${result.settings.agents} known agents`,
  );
  printTable(
    `Redaction throughput, median (min–max) of ${result.settings.runs} runs after a warm-up`,
    ['case', 'MB/s (wall)', 'MB per CPU-second', 'ms per 4 KB document (wall)', 'ratio to baseline (CPU)'],
    result.cases.map((c) => [c.name, range(c.mbPerSecond), range(c.mbPerCpuSecond), fixed(c.msPerDocument ?? Number.NaN, 3), fixed(c.mbPerCpuSecond.median / baseline, 3)]),
  );
  printTable(
    'Each recogniser alone over the same documents (median of 3)',
    ['category', 'MB/s (wall)', 'MB per CPU-second'],
    result.recognisers.map((r) => [r.name, fixed(r.mbPerSecond.median, 1), fixed(r.mbPerCpuSecond.median, 1)]),
  );
}
