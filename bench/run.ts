/**
 * `npm run bench`: the foundation's benchmarks, printed with the machine they ran on.
 *
 *   npm run bench                          # cold-start, authenticated-read, sign-in, oidc-token, collab, audit, storage, then export
 *   npm run bench -- cold-start            # one of them by name
 *   BENCH_CAT_EXAMINEES=500 npm run bench -- cat   # the adaptive-test simulation, smaller than its 10,000
 *   BENCH_CAT_BANK_ITEMS=800 npm run bench -- cat  # … on a synthetic bank of 800 items instead of 400
 *   npm run bench -- credentials           # SD-JWT VC issuance and verification against @sd-jwt/sd-jwt-vc
 *   npm run bench -- --runs=5 --duration=20
 *   npm run bench -- --wait-quiet=20       # first wait (≤ 20 min) for a 1-min load ≤ 1.5
 *
 * ENTENTE_BENCH_DATABASE_URL (an admin PostgreSQL URL) adds PostgreSQL figures to
 * authenticated-read and sign-in. What each bench measures: bench/README.md.
 */
import { type AuditResult, auditBench } from './audit.ts';
import { type AuthenticatedReadResult, authenticatedRead, DEFAULT_LOAD, type LoadFigures } from './authenticated-read.ts';
import { type CollabResult, collabBench, DEFAULT_COLLAB } from './collab.ts';
import { DEFAULT_EXPORT, exportBench, printExport } from './export.ts';
import { type ColdStartResult, coldStart } from './cold-start.ts';
import { DEFAULT_OIDC_TOKEN, type OidcTokenFigures, type OidcTokenResult, oidcTokenBench } from './oidc-token.ts';
import { DEFAULT_SIGN_IN, type SignInResult, signInBench } from './sign-in.ts';
import { currentLoad, describeMachine, loadAverage } from './support/machine.ts';
import { fixed, median, type Summary } from './support/stats.ts';
import { DEFAULT_STORAGE, printStorage, storageBench } from './storage.ts';
import { printTable } from './support/table.ts';
import { DEFAULT_SEARCH, printSearch, searchBench } from './search.ts'; // full-text search (helper Q)
import { aiRetrievalBench, DEFAULT_AI_RETRIEVAL, printAiRetrieval } from './ai-retrieval.ts'; // assistant retrieval (helper E3)
import { DEFAULT_DOCUMENT_EXPORT, documentExportBench, printDocumentExport } from './document-export.ts'; // ── document export (helper E) ──
import { aiRedactionBench, DEFAULT_AI_REDACTION, printAiRedaction } from './ai-redaction.ts'; // AI redaction (helper E2)
import { aiGatewayBench, DEFAULT_AI_GATEWAY, printAiGateway } from './ai-gateway.ts'; // ── AI gateway overhead (helper F) ──
import { catBench, DEFAULT_CAT, printCat } from './cat.ts'; // adaptive-test simulation (skills, issue 8)
import { credentialsBench, DEFAULT_CREDENTIALS, printCredentials } from './credentials.ts'; // verifiable credentials (issue 9)
import { DEFAULT_SPACE_EVENTS, printSpaceEvents, spaceEventsBench } from './space-events.ts'; // live space pages

const BENCHES = ['cold-start', 'authenticated-read', 'sign-in', 'oidc-token', 'collab', 'audit', 'storage', 'export', 'search', 'document-export', 'ai-redaction', 'ai-retrieval', 'ai-gateway', 'cat', 'credentials', 'space-events'] as const; // ai-gateway: helper F; cat: skills (issue 8)
type BenchName = (typeof BENCHES)[number];
/** Above this 1-minute load on a shared machine, figures mostly measure the neighbours. */
const QUIET_LOAD = 1.5;

interface Options {
  names: BenchName[];
  runs: number;
  durationSeconds: number;
  waitQuietMinutes: number;
  /** search: skip the PGlite target (its 10,000 documents take minutes to write). */
  postgresqlOnly: boolean;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { names: [], runs: 3, durationSeconds: DEFAULT_LOAD.durationSeconds, waitQuietMinutes: 0, postgresqlOnly: false };
  for (const arg of args) {
    const [flag, value] = arg.split('=');
    const number = Number(value);
    if (flag === '--runs' && Number.isInteger(number) && number >= 1 && number <= 20) options.runs = number;
    else if (flag === '--duration' && Number.isInteger(number) && number >= 1 && number <= 300) options.durationSeconds = number;
    else if (flag === '--wait-quiet' && Number.isFinite(number) && number >= 0 && number <= 60) options.waitQuietMinutes = number;
    else if (arg === '--postgresql-only') options.postgresqlOnly = true;
    else if ((BENCHES as readonly string[]).includes(arg)) options.names.push(arg as BenchName);
    else throw new Error(`unknown argument ${arg}; expected ${BENCHES.join(', ')}, --runs=1..20, --duration=1..300, --wait-quiet=0..60, --postgresql-only`);
  }
  if (options.names.length === 0) options.names = [...BENCHES];
  return options;
}

/** Waits, bounded, for the machine to calm down; runs anyway afterwards and says so. */
async function waitForQuiet(minutes: number): Promise<void> {
  const deadline = Date.now() + minutes * 60_000;
  while (currentLoad() > QUIET_LOAD && Date.now() < deadline) {
    console.error(`  load ${loadAverage()} > ${QUIET_LOAD}: waiting (until ${new Date(deadline).toISOString()})`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, Math.max(0, deadline - Date.now()))));
  }
}

const range = (s: Summary, decimals: number) => `${fixed(s.median, decimals)} (${fixed(s.min, decimals)}–${fixed(s.max, decimals)})`;

function printColdStart(result: ColdStartResult, runs: number): void {
  printTable(
    `Cold start: spawn of node server/src/main.ts → GET /readyz 200 (median (min–max) of ${runs} runs)`,
    ['data directory', 'time to ready (s)', 'peak RSS (MiB)', 'each run (s)'],
    result.cases.map((c) => [c.name, range(c.seconds, 2), range(c.peakRssMiB, 0), c.runs.map((r) => fixed(r.seconds, 2)).join(' ')]),
  );
}

function printAuthenticatedRead(result: AuthenticatedReadResult): void {
  const { connections, warmupSeconds, durationSeconds } = result.settings;
  const row = (f: LoadFigures) => [f.target, fixed(f.requestsPerSecond, 0), fixed(f.p50Ms, 1), fixed(f.p99Ms, 1), String(f.total)];
  printTable(
    `Authenticated read: autocannon, ${connections} connections, ${durationSeconds} s after ${warmupSeconds} s warm-up (all responses 2xx)`,
    ['target', 'req/s', 'p50 (ms)', 'p99 (ms)', 'requests'],
    [row(result.bare), ...result.entente.map(row)],
  );
  printTable(
    'Ratios to the bare Fastify app',
    ['target', 'req/s ratio', 'p99 ratio'],
    result.entente.map((f) => [f.target, fixed(f.requestsPerSecond / result.bare.requestsPerSecond, 3), p99Ratio(f.p99Ms, result.bare.p99Ms)]),
  );
  console.log('(autocannon records latency in whole milliseconds: 0 means under 1 ms)');
}

/**
 * autocannon's latency histogram has a 1 ms resolution: a bare p99 of "0" means under 1 ms, so
 * the ratio is then only known from below (p99 / 1 ms).
 */
function p99Ratio(p99: number, bareP99: number): string {
  return bareP99 > 0 ? fixed(p99 / bareP99, 1) : `> ${fixed(p99, 0)} (bare p99 < 1 ms)`;
}

function printSignIn(result: SignInResult): void {
  const { warmup, measured, maxSeconds } = result.settings;
  const ms = (value: number) => fixed(value, 1);
  printTable(
    `Sign-in through the broker on loopback: ${measured} sequential sign-ins after ${warmup} warm-up (at most ${maxSeconds} s), FR and QC agents alternately, each ending on / with GET /api/me 200`,
    ['target', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'min (ms)', 'max (ms)', 'mean (ms)', 'sign-ins', 'round trips'],
    result.targets.map((t) => [
      t.target,
      ms(t.p50Ms),
      ms(t.p90Ms),
      ms(t.p99Ms),
      ms(t.minMs),
      ms(t.maxMs),
      ms(t.meanMs),
      `${t.count}${t.stoppedByTimeBound ? ` of ${t.asked} (time bound)` : ''} in ${fixed(t.seconds, 1)} s`,
      t.roundTrips.min === t.roundTrips.max ? String(t.roundTrips.min) : `${t.roundTrips.min}–${t.roundTrips.max}`,
    ]),
  );
  for (const t of result.targets) {
    printTable(
      `Per request, ${t.target} (median, p90 over the measured sign-ins)`,
      ['request', 'p50 (ms)', 'p90 (ms)'],
      t.steps.map((s) => [s.step, ms(s.p50Ms), ms(s.p90Ms)]),
    );
  }
}

function printOidcToken(result: OidcTokenResult): void {
  const { chains, warmupSeconds, measuredSeconds } = result.settings;
  const row = (f: OidcTokenFigures) => [f.target, fixed(f.perSecond, 0), fixed(f.p50Ms, 1), fixed(f.p99Ms, 1), String(f.requests)];
  printTable(
    `Token endpoint: refresh_token grant (rotation, new ID token), ${chains} concurrent chains, ${measuredSeconds} s after ${warmupSeconds} s warm-up (all answers 200)`,
    ['target', 'req/s', 'p50 (ms)', 'p99 (ms)', 'requests'],
    [row(result.bare), ...result.bareOnStorage.flatMap((b, i) => [row(b), ...(result.entente[i] ? [row(result.entente[i])] : [])])],
  );
  const ratio = (f: OidcTokenFigures, base: OidcTokenFigures) => [fixed(f.perSecond / base.perSecond, 3), fixed(f.p99Ms / base.p99Ms, 2)];
  printTable(
    'Ratios of Entente to the bare oidc-provider (target ≥ 0.8), in memory and on the same storage',
    ['target', 'req/s vs memory', 'p99 vs memory', 'req/s vs same storage', 'p99 vs same storage'],
    result.entente.map((f, i) => [f.target, ...ratio(f, result.bare), ...(result.bareOnStorage[i] ? ratio(f, result.bareOnStorage[i]) : ['–', '–'])]),
  );
}

function printCollab(result: CollabResult): void {
  const { updatesPerSecond, warmupSeconds, measuredSeconds } = result.settings;
  const ms = (value: number) => fixed(value, 1);
  const fanOutRow = (r: CollabResult['fanOut'][number]) => [r.target, String(r.editors), ms(r.p50Ms), ms(r.p99Ms), r.delivered, fixed(r.serverCpuSeconds, 2), fixed(r.serverRssMiB, 0)];
  const fanOutHeader = ['target', 'editors', 'p50 (ms)', 'p99 (ms)', 'delivered', 'server CPU (s)', 'server RSS (MiB)'];
  printTable(
    `Update fan-out on one document: ${updatesPerSecond} updates/s in all (editors in turn), ${measuredSeconds} s after ${warmupSeconds} s warm-up; latency from the sender's change to each other client's`,
    fanOutHeader,
    result.fanOut.map(fanOutRow),
  );
  const bare = (editors: number) => result.fanOut.find((r) => r.target.startsWith('bare') && r.editors === editors);
  printTable(
    'Latency ratio of Entente to the bare Hocuspocus server (target ≤ 1.5)',
    ['target', 'editors', 'p50 ratio', 'p99 ratio'],
    result.fanOut.filter((r) => !r.target.startsWith('bare')).map((r) => [r.target, String(r.editors), fixed(r.p50Ms / (bare(r.editors)?.p50Ms ?? Number.NaN), 2), fixed(r.p99Ms / (bare(r.editors)?.p99Ms ?? Number.NaN), 2)]),
  );
  if (result.openDocuments.length > 0) {
    printTable(
      'Open documents, 2 clients each: server RSS',
      ['target', 'documents', 'RSS before (MiB)', 'RSS after (MiB)', 'per open document (KiB)'],
      result.openDocuments.map((r) => [r.target, String(r.documents), fixed(r.rssBeforeMiB, 0), fixed(r.rssAfterMiB, 0), fixed(r.perDocumentKiB, 1)]),
    );
  }
  if (result.large.length > 0) {
    printTable(
      'Large document: from the database to a new client’s first sync (5 loads, target < 300 ms on PostgreSQL)',
      ['target', 'characters', 'operations', 'state (KiB)', 'median (ms)', 'each load (ms)'],
      result.large.map((r) => [r.target, String(r.characters), String(r.operations), fixed(r.stateKiB, 0), ms(median(r.loadMs)), r.loadMs.map((v) => fixed(v, 0)).join(' ')]),
    );
  }
  if (result.nodes.length > 0) {
    printTable('Scale-out: one node, one node behind a forwarding hop, two nodes through Redis', fanOutHeader, result.nodes.map(fanOutRow));
    const base = result.nodes[0]!;
    printTable(
      'Latency ratio to one node',
      ['target', 'p50 ratio', 'p99 ratio'],
      result.nodes.slice(1).map((r) => [r.target, fixed(r.p50Ms / base.p50Ms, 2), fixed(r.p99Ms / base.p99Ms, 2)]),
    );
  }
  for (const note of result.notes) console.log(`(${note})`);
}

function printAudit(result: AuditResult): void {
  const { appends, writers, verifyEvents } = result.settings;
  const rate = (r: { perSecond: number }) => fixed(r.perSecond, 0);
  printTable(
    `Audit appends (events/s), ${appends} per case: hash-chained AuditLog.record() against the plain insert of before, same run`,
    ['target', 'plain, 1 writer', 'chained, 1 writer', 'ratio', `plain, ${writers} writers`, `chained, ${writers} writers, 1 chain`, 'ratio', `chained, ${writers} writers, ${writers} chains`, 'ratio'],
    result.targets.map((t) => [
      t.target,
      rate(t.plainSingle),
      rate(t.chainedSingle),
      fixed(t.chainedSingle.perSecond / t.plainSingle.perSecond, 2),
      rate(t.plainConcurrent),
      rate(t.chainedOneChain),
      fixed(t.chainedOneChain.perSecond / t.plainConcurrent.perSecond, 2),
      rate(t.chainedManyChains),
      fixed(t.chainedManyChains.perSecond / t.plainConcurrent.perSecond, 2),
    ]),
  );
  printTable(
    `audit verify on one chain of ${verifyEvents} entries (signed checkpoint every 10,000)`,
    ['target', 'events/s', 'seconds', 'checkpoints verified', 'chain built in (s)'],
    result.targets.map((t) => [t.target, rate(t.verify), fixed(t.verify.seconds, 1), String(t.verifyCheckpoints), fixed(t.fill.seconds, 1)]),
  );
  for (const note of result.notes) console.log(`(${note})`);
}

const options = parseArgs(process.argv.slice(2));
if (options.waitQuietMinutes > 0) await waitForQuiet(options.waitQuietMinutes);

const machine = describeMachine();
const loadBefore = loadAverage();
console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}`);
console.log(`Node ${machine.node} (${machine.nodePath}); ${machine.date}`);
console.log(`Load average (1, 5, 15 min) before: ${loadBefore}`);
if (currentLoad() > QUIET_LOAD) console.log(`  ⚠ load above ${QUIET_LOAD}: the machine is busy, figures are pessimistic`);

let failed = false;
for (const name of options.names) {
  try {
    if (name === 'cold-start') printColdStart(await coldStart({ runs: options.runs }), options.runs);
    else if (name === 'authenticated-read') printAuthenticatedRead(await authenticatedRead({ ...DEFAULT_LOAD, durationSeconds: options.durationSeconds }));
    else if (name === 'sign-in') printSignIn(await signInBench(DEFAULT_SIGN_IN));
    else if (name === 'audit') printAudit(await auditBench());
    else if (name === 'storage') printStorage(await storageBench({ ...DEFAULT_STORAGE, runs: options.runs }));
    else if (name === 'export') printExport(await exportBench(DEFAULT_EXPORT));
    else if (name === 'search') printSearch(await searchBench(options.postgresqlOnly ? { ...DEFAULT_SEARCH, pgliteDocuments: 0 } : DEFAULT_SEARCH)); // full-text search (helper Q)
    else if (name === 'ai-retrieval') printAiRetrieval(await aiRetrievalBench(DEFAULT_AI_RETRIEVAL)); // assistant retrieval (helper E3)
    else if (name === 'document-export') printDocumentExport(await documentExportBench(DEFAULT_DOCUMENT_EXPORT)); // ── document export (helper E) ──
    else if (name === 'ai-gateway') printAiGateway(await aiGatewayBench({ ...DEFAULT_AI_GATEWAY, phaseSeconds: options.durationSeconds, rounds: options.runs })); // ── AI gateway overhead (helper F) ──
    else if (name === 'ai-redaction') printAiRedaction(await aiRedactionBench({ ...DEFAULT_AI_REDACTION, runs: Math.max(options.runs, DEFAULT_AI_REDACTION.runs) })); // AI redaction (helper E2)
    else if (name === 'cat') printCat(await catBench(DEFAULT_CAT)); // adaptive-test simulation (skills, issue 8)
    else if (name === 'credentials') printCredentials(await credentialsBench(DEFAULT_CREDENTIALS)); // verifiable credentials (issue 9)
    else if (name === 'space-events') printSpaceEvents(await spaceEventsBench(DEFAULT_SPACE_EVENTS)); // live space pages
    else if (name === 'collab') printCollab(await collabBench({ ...DEFAULT_COLLAB, measuredSeconds: options.durationSeconds }));
    else printOidcToken(await oidcTokenBench({ ...DEFAULT_OIDC_TOKEN, measuredSeconds: options.durationSeconds }));
    // Each bench loads the machine itself: the load right after it says how much was ours.
    console.log(`Load average after ${name}: ${loadAverage()}`);
  } catch (error) {
    failed = true;
    console.error(`\n✗ ${name} failed: ${(error as Error).stack ?? error}`);
  }
}

console.log(`\nLoad average (1, 5, 15 min) after: ${loadAverage()}  (before: ${loadBefore})`);
process.exitCode = failed ? 1 : 0;
