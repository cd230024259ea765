/**
 * `npm test`: the whole suite, layer by layer, with the time each took (CI's budget is bounded:
 * watch these figures as the product grows).
 *
 *   typecheck → lint → unit (PGlite) → integration (PostgreSQL + Redis) → browser (Chromium)
 *
 * PostgreSQL, Redis and Chromium are used when available (ENTENTE_TEST_DATABASE_URL,
 * ENTENTE_TEST_REDIS_URL, /usr/bin/chromium; the machine's defaults are tried when the variables
 * are unset) and the run says clearly what it skipped. With CI=true a missing one is a failure.
 * Extra arguments are passed to vitest (e.g. `npm test -- server/test/collab.test.ts`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TestReport } from './test-reporter.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CI = process.env.CI === 'true';
const extra = process.argv.slice(2);
const TMP = path.join(ROOT, '.tmp');
mkdirSync(TMP, { recursive: true });

interface Layer {
  name: string;
  seconds: number;
  status: 'passed' | 'failed' | 'skipped';
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
  report?: TestReport;
}
const layers: Layer[] = [];

function reachable(url: string, defaultPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    let host = '127.0.0.1';
    let port = defaultPort;
    try {
      const parsed = new URL(url);
      host = parsed.hostname || host;
      port = Number(parsed.port) || defaultPort;
    } catch {
      resolve(false);
      return;
    }
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Layer {
  console.log(`\n━━ ${name} ━━ ${command} ${args.join(' ')}`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  const layer: Layer = { name, seconds, status: result.status === 0 ? 'passed' : 'failed', passed: 0, failed: 0, skipped: 0 };
  layers.push(layer);
  return layer;
}

function vitest(name: string, project: string, env: NodeJS.ProcessEnv = {}): Layer {
  const output = path.join(TMP, `results-${project}.json`);
  const reportFile = path.join(TMP, `report-${project}.json`);
  rmSync(output, { force: true });
  rmSync(reportFile, { force: true });
  const reporter = path.join(ROOT, 'scripts', 'test-reporter.ts');
  const layer = run(name, 'vitest', ['run', '--project', project, '--reporter=default', '--reporter=json', `--reporter=${reporter}`, `--outputFile.json=${output}`, ...extra], { ...env, ENTENTE_TEST_REPORT: reportFile });
  if (existsSync(reportFile)) layer.report = JSON.parse(readFileSync(reportFile, 'utf8')) as TestReport;
  if (existsSync(output)) {
    const results = JSON.parse(readFileSync(output, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numTotalTests: number };
    layer.passed = results.numPassedTests;
    layer.failed = results.numFailedTests;
    layer.skipped = results.numPendingTests + results.numTodoTests;
    if (results.numTotalTests === 0 && extra.length === 0) {
      layer.status = 'failed';
      layer.note = 'no test ran';
    }
  } else if (layer.status === 'passed') {
    layer.status = 'failed';
    layer.note = 'no results file';
  }
  return layer;
}

function skip(name: string, why: string): void {
  console.log(`\n━━ ${name} ━━ SKIPPED: ${why}`);
  layers.push({ name, seconds: 0, status: CI ? 'failed' : 'skipped', passed: 0, failed: 0, skipped: 0, note: CI ? `missing in CI: ${why}` : why });
}

const databaseUrl = process.env.ENTENTE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.ENTENTE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const chromium = process.env.ENTENTE_CHROMIUM || '/usr/bin/chromium';

if (extra.length === 0) {
  run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  run('lint', 'npm', ['run', '--silent', 'lint']);
}
// The unit layer runs on PGlite only, whatever the environment says.
vitest('unit + integration on PGlite', 'unit', { ENTENTE_TEST_DATABASE_URL: '', ENTENTE_TEST_REDIS_URL: '' });

const hasPostgres = await reachable(databaseUrl, 5432);
const hasRedis = await reachable(redisUrl, 6379);
if (!hasRedis) skip('Redis', `no Redis at ${redisUrl} (set ENTENTE_TEST_REDIS_URL)`);
if (hasPostgres) {
  vitest(`integration on PostgreSQL${hasRedis ? ' + Redis' : ''}`, 'integration', {
    ENTENTE_TEST_DATABASE_URL: databaseUrl,
    ENTENTE_TEST_REDIS_URL: hasRedis ? redisUrl : '',
  });
} else {
  skip('integration on PostgreSQL', `no PostgreSQL at ${databaseUrl.replace(/\/\/[^@]*@/, '//')} (set ENTENTE_TEST_DATABASE_URL)`);
}
if (existsSync(chromium)) vitest('browser (Chromium + axe-core)', 'browser', { ENTENTE_CHROMIUM: chromium });
else skip('browser (Chromium + axe-core)', `${chromium} is not installed (apt-get install chromium)`);

// Failures and flaky tests are named here, just before the summary, where a log read from its tail shows them.
for (const layer of layers) {
  const report = layer.report;
  if (!report) continue;
  const sections: [string, { file: string; name: string; error: string }[]][] = [
    ['FAILED', report.failed],
    ['FAILED FILE', report.failedFiles],
    ['FLAKY (passed on retry)', report.flaky],
  ];
  for (const [label, entries] of sections) {
    for (const entry of entries) {
      console.log(`\n${label} · ${layer.name} · ${entry.file} › ${entry.name}`);
      if (entry.error) console.log(entry.error.replace(/^/gm, '    '));
    }
  }
  for (const error of report.unhandled) console.log(`\nUNHANDLED ERROR · ${layer.name}\n${error.replace(/^/gm, '    ')}`);
}
console.log('\n━━ summary ━━');
for (const layer of layers) {
  const counts = layer.passed + layer.failed + layer.skipped > 0 ? ` ${layer.passed} passed, ${layer.failed} failed, ${layer.skipped} skipped` : '';
  console.log(`${layer.status.padEnd(8)} ${layer.name.padEnd(40)} ${layer.seconds.toFixed(1).padStart(7)} s${counts}${layer.note ? ` (${layer.note})` : ''}`);
}
const total = layers.reduce((sum, l) => sum + l.seconds, 0);
console.log(`total ${total.toFixed(1)} s`);
const passed = layers.reduce((sum, l) => sum + l.passed, 0);
const failedTests = layers.reduce((sum, l) => sum + l.failed, 0);
const skipped = layers.reduce((sum, l) => sum + l.skipped, 0);
const failedLayers = layers.filter((l) => l.status === 'failed');
// A failed layer without failed tests (typecheck, lint, a crash) still counts as a failure.
const failed = failedTests + failedLayers.filter((l) => l.failed === 0).length;
const flaky = layers.reduce((sum, l) => sum + (l.report?.flaky.length ?? 0), 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped${flaky > 0 ? `, ${flaky} flaky (passed on retry: see above)` : ''}`);
process.exit(failedLayers.length > 0 ? 1 : 0);
