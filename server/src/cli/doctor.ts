import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import { JURISDICTIONS, type Jurisdiction } from '../../../common/src/jurisdiction.ts';
import { type Config, ConfigError, loadConfig, usesEmbeddedDatabase } from '../config.ts';
import { FileKeyProvider } from '../platform/crypto/file-key-provider.ts';
import type { KeyProvider } from '../platform/crypto/key-provider.ts';
import { openKeyProvider } from '../platform/crypto/open-key-provider.ts';
import { acquireDataDirLock, type DataDirLock, readLock } from '../platform/db/data-dir-lock.ts';
import type { Database } from '../platform/db/database.ts';
import { describeSearchSetup } from '../platform/db/extensions.ts';
import { pendingMigrations } from '../platform/db/migrations.ts';
import { openPglite, openPostgres } from '../platform/db/database.ts';
import { LocalObjectStore } from '../platform/objects/local-object-store.ts';
import { openObjectStore } from '../platform/objects/open-object-store.ts';
import { createMalwareScanner } from '../platform/scanning/malware-scanner.ts';
import { type CheckLine, printCheck, say } from './output.ts';
import { checkAuditSigningKey } from './doctor-audit-key.ts'; // audit signing key safety (helper O)

/**
 * `entente doctor`: checks everything Entente needs and says, in plain words, what is wrong and
 * how to fix it. Read-only. Exit code 0 when everything needed is fine, 1 otherwise.
 */
export async function doctor(): Promise<number> {
  const lines: CheckLine[] = [];
  const report = (line: CheckLine) => {
    lines.push(line);
    printCheck(line);
  };

  const major = Number(process.versions.node.split('.')[0]);
  report({
    ok: major >= 22,
    label: 'Node.js',
    detail: process.version,
    fix: say('utilisez « npm run … », qui prend le Node 24 du projet (node_modules/.bin/node)', 'use "npm run …", which uses the project’s Node 24 (node_modules/.bin/node)'),
  });

  let config: Config;
  try {
    config = loadConfig();
    report({
      ok: true,
      label: say('Configuration', 'Configuration'),
      detail: `${config.production ? 'production' : say('développement', 'development')}${config.demo ? say(', démo', ', demo') : ''}, ${config.publicUrl.href}`,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) {
      report({ ok: false, label: 'Configuration', detail: problem, fix: say('corrigez la variable nommée (voir README, Configuration)', 'fix the variable named (see README, Configuration)') });
    }
    return 1;
  }

  // Data directory and its lock.
  const embedded = usesEmbeddedDatabase(config);
  let lock: DataDirLock | null = null;
  let serverHolds = false;
  if (embedded) {
    const holder = readLock(config.dataDir);
    if (holder) {
      serverHolds = true;
      report({
        ok: 'skipped',
        label: say('Dossier de données', 'Data directory'),
        detail: say(
          `${config.dataDir} est utilisé par ${holder.purpose} (pid ${holder.pid}, depuis ${holder.since}) : les bases intégrées ne sont pas ouvertes ici (un seul processus à la fois) ; l’état vient de son /readyz`,
          `${config.dataDir} is in use by ${holder.purpose} (pid ${holder.pid}, since ${holder.since}): the embedded databases are not opened here (one process at a time); their state comes from its /readyz`,
        ),
      });
    } else {
      try {
        lock = acquireDataDirLock(config.dataDir, 'doctor');
        accessSync(config.dataDir, constants.W_OK);
        report({ ok: true, label: say('Dossier de données', 'Data directory'), detail: say(`${config.dataDir}, libre et accessible en écriture`, `${config.dataDir}, free and writable`) });
      } catch (error) {
        report({
          ok: false,
          label: say('Dossier de données', 'Data directory'),
          detail: (error as Error).message,
          fix: say('créez le dossier ou donnez-en l’écriture à l’utilisateur du serveur (ENTENTE_DATA_DIR)', 'create the folder or let the server’s user write to it (ENTENTE_DATA_DIR)'),
        });
      }
    }
  }

  try {
    if (serverHolds) await checkRunningServer(config, report);
    else await checkDatabases(config, report);
    await checkObjectsAndKeys(config, report);
    await checkAuditSigningKey(config, report, !serverHolds); // audit signing key safety (helper O)
    await checkRedis(config, report);
    await checkSmtp(config, report);
    // A running server reports its scanner in /readyz (above); otherwise ask clamd here.
    if (!serverHolds) await checkScanner(config, report); // malware scanning (helper E)
  } finally {
    lock?.release();
  }

  const failed = lines.filter((l) => l.ok === false).length;
  console.log(
    failed === 0
      ? say('\nTout est en ordre.', '\nEverything is in order.')
      : say(`\n${failed} problème(s) à corriger.`, `\n${failed} problem(s) to fix.`),
  );
  return failed === 0 ? 0 : 1;
}

type Report = (line: CheckLine) => void;

async function checkDatabases(config: Config, report: Report): Promise<void> {
  const missing = (url: string | null, dir: string) => (url === null && !existsSync(dir) ? dir : null);
  const targets: { label: string; store: 'control' | 'cell'; fresh: string | null; open: () => Promise<Database<unknown>> }[] = [
    {
      label: say('Plan de contrôle', 'Control plane'),
      store: 'control',
      fresh: missing(config.control.databaseUrl, config.control.pgliteDir),
      open: () =>
        config.control.databaseUrl
          ? openPostgres('control', config.control.databaseUrl, { schema: JURISDICTIONS.some((j) => config.cells[j].schema) ? 'control' : null, poolSize: 1, createSchema: false })
          : openExistingPglite('control', config.control.pgliteDir),
    },
    ...JURISDICTIONS.map((j) => ({
      label: say(`Cellule ${j}`, `Cell ${j}`),
      store: 'cell' as const,
      fresh: missing(config.cells[j].databaseUrl, config.cells[j].pgliteDir),
      open: () => {
        const cell = config.cells[j];
        return cell.databaseUrl
          ? openPostgres(`cell ${j}`, cell.databaseUrl, { schema: cell.schema, poolSize: 1, createSchema: false })
          : openExistingPglite(`cell ${j}`, cell.pgliteDir);
      },
    })),
  ];
  for (const target of targets) {
    let database: Database<unknown> | null = null;
    if (target.fresh) {
      report({ ok: 'skipped', label: target.label, detail: say(`${target.fresh} sera créé au premier « npm start »`, `${target.fresh} will be created by the first "npm start"`) });
      continue;
    }
    try {
      database = await target.open();
      await database.ping();
      const pending = await pendingMigrations(database.db, target.store, database.schema);
      const search = await describeSearchSetup(database.db);
      const vector = await database.hasVector();
      const problems = [
        pending.length > 0 ? say(`${pending.length} migration(s) en attente`, `${pending.length} pending migration(s)`) : null,
        search.unaccent ? null : say('extension unaccent absente', 'unaccent extension missing'),
        search.french ? null : say('configuration de recherche entente_french absente', 'entente_french search configuration missing'),
      ].filter(Boolean);
      report({
        ok: problems.length === 0,
        label: target.label,
        detail:
          problems.length > 0
            ? `${database.location} — ${problems.join(', ')}`
            : `${database.kind} ${database.location}, ${say('à jour', 'up to date')}${
                vector ? ', pgvector' : say(', sans pgvector (similarité calculée par l’application)', ', no pgvector (similarity computed by the application)')
              }`,
        fix: say('lancez « npm run entente -- migrate » (installez postgresql-contrib si unaccent manque)', 'run "npm run entente -- migrate" (install postgresql-contrib if unaccent is missing)'),
      });
    } catch (error) {
      report({
        ok: false,
        label: target.label,
        detail: say(`injoignable : ${(error as Error).message}`, `unreachable: ${(error as Error).message}`),
        fix: say(
          'vérifiez que PostgreSQL tourne et que l’URL (hôte, port, base, utilisateur) est juste',
          'check that PostgreSQL is running and that the URL (host, port, database, user) is right',
        ),
      });
    } finally {
      await database?.close();
    }
  }
}

function openExistingPglite(name: string, dir: string): Promise<Database<unknown>> {
  return openPglite(name, dir);
}

async function checkRunningServer(config: Config, report: Report): Promise<void> {
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/readyz`;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(3000),
      headers: config.metricsToken ? { authorization: `Bearer ${config.metricsToken}` } : {},
    });
    const body = (await response.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    for (const [name, check] of Object.entries(body.checks)) {
      report({ ok: check.ok, label: name, detail: `${check.detail ?? (check.ok ? 'ok' : 'not ready')} (${url})`, fix: say('voir les journaux du serveur', 'see the server’s logs') });
    }
  } catch (error) {
    report({
      ok: false,
      label: say('Serveur', 'Server'),
      detail: say(`le verrou est tenu mais ${url} ne répond pas (${(error as Error).message})`, `the lock is held but ${url} does not answer (${(error as Error).message})`),
      fix: say('le serveur démarre peut-être encore ; sinon arrêtez le processus qui tient le verrou', 'the server may still be starting; otherwise stop the process holding the lock'),
    });
  }
}

async function checkObjectsAndKeys(config: Config, report: Report): Promise<void> {
  for (const j of JURISDICTIONS) {
    const cell = config.cells[j];
    const objectsLabel = say(`Objets ${j}`, `Objects ${j}`);
    if (cell.s3) {
      // An S3 bucket: reachable with these credentials, writable (a probe object, deleted at once).
      const store = await openObjectStore(cell.objects, {
        endpoint: cell.s3.endpoint,
        region: cell.s3.region,
        forcePathStyle: cell.s3.forcePathStyle,
        credentials: cell.s3.credentials ? { accessKeyId: cell.s3.credentials.accessKeyId, secretAccessKey: cell.s3.credentials.secretAccessKey.reveal() } : null,
      });
      try {
        const check = await store.check();
        report({
          ...check,
          label: objectsLabel,
          fix: say(
            `vérifiez ENTENTE_CELL_${j}_OBJECTS (le compartiment existe), ENTENTE_CELL_${j}_S3_ENDPOINT, _S3_REGION, _S3_ACCESS_KEY_ID/_S3_SECRET_ACCESS_KEY (droits de lecture, d’écriture et de suppression) et _S3_FORCE_PATH_STYLE`,
            `check ENTENTE_CELL_${j}_OBJECTS (the bucket exists), ENTENTE_CELL_${j}_S3_ENDPOINT, _S3_REGION, _S3_ACCESS_KEY_ID/_S3_SECRET_ACCESS_KEY (read, write and delete rights) and _S3_FORCE_PATH_STYLE`,
          ),
        });
      } finally {
        await store.close?.();
      }
    } else if (!existsSync(cell.objects)) {
      report({ ok: 'skipped', label: objectsLabel, detail: say(`${cell.objects} sera créé au premier démarrage`, `${cell.objects} will be created at first start`) });
    } else {
      const check = await new LocalObjectStore(cell.objects).check();
      report({ ...check, label: objectsLabel, fix: say('donnez l’écriture sur ce dossier à l’utilisateur du serveur', 'let the server’s user write to this folder') });
    }
    if (cell.pkcs11) {
      await checkPkcs11(j, config, report);
      continue;
    }
    const folder = cell.keys.slice('file:'.length);
    if (!existsSync(folder)) {
      report({ ok: 'skipped', label: say(`Clés ${j}`, `Keys ${j}`), detail: say(`${folder} sera créé au premier démarrage`, `${folder} will be created at first start`) });
      continue;
    }
    try {
      const mode = statSync(folder).mode & 0o777;
      const provider = await FileKeyProvider.open(cell.keys, { create: false });
      const check = await provider.check();
      report({
        ...check,
        ok: check.ok && (mode & 0o077) === 0,
        detail: (mode & 0o077) === 0 ? check.detail : say(`${folder} est lisible par d’autres (mode ${mode.toString(8)})`, `${folder} is readable by others (mode ${mode.toString(8)})`),
        label: say(`Clés ${j}`, `Keys ${j}`),
        fix: `chmod 700 ${folder} && chmod 600 ${folder}/*`,
      });
    } catch (error) {
      report({ ok: false, label: say(`Clés ${j}`, `Keys ${j}`), detail: (error as Error).message, fix: `chmod 700 ${folder} && chmod 600 ${folder}/*` });
    }
  }
}

/** A PKCS#11 token: the module loads, the token is there, the PIN is accepted, a KEK wraps and unwraps. Creates nothing. */
async function checkPkcs11(j: Jurisdiction, config: Config, report: Report): Promise<void> {
  const cell = config.cells[j];
  const label = say(`Clés ${j}`, `Keys ${j}`);
  const fix = say(
    `vérifiez ENTENTE_CELL_${j}_KEYS (module-path, token=<étiquette> ; « softhsm2-util --show-slots » ou « pkcs11-tool --list-slots » les montrent) et ENTENTE_CELL_${j}_PKCS11_PIN ; le premier démarrage du serveur crée la première KEK`,
    `check ENTENTE_CELL_${j}_KEYS (module-path, token=<label>; "softhsm2-util --show-slots" or "pkcs11-tool --list-slots" show them) and ENTENTE_CELL_${j}_PKCS11_PIN; the server's first start creates the first KEK`,
  );
  let provider: KeyProvider | null = null;
  try {
    provider = await openKeyProvider(cell.keys, { pkcs11: cell.pkcs11, create: false });
    report({ ...(await provider.check()), label, fix });
  } catch (error) {
    report({ ok: false, label, detail: (error as Error).message, fix });
  } finally {
    await provider?.close?.();
  }
}

async function checkRedis(config: Config, report: Report): Promise<void> {
  if (!config.redisUrl) {
    report({ ok: 'skipped', label: 'Redis', detail: say('non configuré (un seul processus ; REDIS_URL pour plusieurs)', 'not configured (one process; REDIS_URL for several)') });
    return;
  }
  const redis = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const pong = await redis.ping();
    report({ ok: pong === 'PONG', label: 'Redis', detail: say('répond', 'answers') });
  } catch (error) {
    report({ ok: false, label: 'Redis', detail: say(`injoignable : ${(error as Error).message}`, `unreachable: ${(error as Error).message}`), fix: say('vérifiez REDIS_URL et que Redis tourne', 'check REDIS_URL and that Redis is running') });
  } finally {
    redis.disconnect();
  }
}

async function checkSmtp(config: Config, report: Report): Promise<void> {
  if (!config.smtpUrl) {
    report({ ok: 'skipped', label: 'SMTP', detail: say('non configuré : les courriels vont à la boîte de démo', 'not configured: mails go to the demo outbox') });
    return;
  }
  const transport = nodemailer.createTransport(config.smtpUrl, { connectionTimeout: 3000, greetingTimeout: 3000 } as never);
  try {
    await transport.verify();
    report({ ok: true, label: 'SMTP', detail: say('le serveur accepte la connexion', 'the server accepts the connection') });
  } catch (error) {
    report({ ok: false, label: 'SMTP', detail: (error as Error).message, fix: say('vérifiez ENTENTE_SMTP_URL', 'check ENTENTE_SMTP_URL') });
  } finally {
    transport.close();
  }
}

// ── malware scanning (helper E) ──
async function checkScanner(config: Config, report: Report): Promise<void> {
  const label = say('Analyse antivirus', 'Malware scanning');
  const scanner = createMalwareScanner(config.scanning);
  if (scanner.name === 'none') {
    report({
      ok: 'skipped',
      label,
      detail: say(
        'non configurée : les fichiers déposés sont marqués « non analysés » (ENTENTE_CLAMD_SOCKET pour les analyser)',
        'not configured: uploaded files are marked "unscanned" (ENTENTE_CLAMD_SOCKET to scan them)',
      ),
    });
    return;
  }
  const check = await scanner.check();
  report({
    ...check,
    label,
    fix: say(
      'démarrez clamd (paquet clamav-daemon) et vérifiez ENTENTE_CLAMD_SOCKET ou ENTENTE_CLAMD_HOST/PORT ; sans lui les dépôts sont refusés',
      'start clamd (package clamav-daemon) and check ENTENTE_CLAMD_SOCKET or ENTENTE_CLAMD_HOST/PORT; without it uploads are refused',
    ),
  });
}
// ── end malware scanning ──
