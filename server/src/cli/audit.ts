import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { type AuditStore, auditStores, isAuditStoreId } from '../platform/audit/audit-stores.ts';
import { PLATFORM_CHAIN } from '../platform/audit/chain.ts';
import type { ChainProblem, ProblemKind } from '../platform/audit/chain-walker.ts';
import { checkpointStore } from '../platform/audit/checkpoints.ts';
import { exportOrganisation, verifyExportFile } from '../platform/audit/export.ts';
import { type PublicSigningKey, readPublicKeys, SigningKeyFileError } from '../platform/audit/signing-keys.ts';
import { openSigningKeysAtStart, rotateOrReplaceSigningKeys } from '../platform/audit/signing-key-guard.ts'; // audit signing key safety (helper O)
import { type ChainReport, verifyStore } from '../platform/audit/verify.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { isUuid } from '../platform/ids.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';

const USAGE = say(
  `Usage :
  npm run entente -- audit verify [--org ID] [--store control|fr|qc]   vérifie les chaînes d’audit des bases
  npm run entente -- audit verify --file FICHIER [--keys CLÉS.json]     vérifie un export, sans base
  npm run entente -- audit export --org ID [--since DATE] [--out FICHIER]
  npm run entente -- audit checkpoint                                   signe maintenant un point de contrôle par chaîne
  npm run entente -- audit keys rotate                                  nouvelle clé de signature (les anciennes restent publiées)
  npm run entente -- audit keys rotate --force                          fichier de clés perdu : nouvelle clé, rupture inscrite au journal`,
  `Usage:
  npm run entente -- audit verify [--org ID] [--store control|fr|qc]   verifies the audit chains in the databases
  npm run entente -- audit verify --file FILE [--keys KEYS.json]        verifies an export, without any database
  npm run entente -- audit export --org ID [--since DATE] [--out FILE]
  npm run entente -- audit checkpoint                                   signs a checkpoint of every chain now
  npm run entente -- audit keys rotate                                  new signing key (old ones stay published)
  npm run entente -- audit keys rotate --force                          key file lost: new key, the break recorded in the log`,
);

/**
 * `entente audit …` (platform/audit/README.md, docs/operations.md "Audit"). Commands that read
 * the databases refuse while a server holds an embedded data directory (open-data.ts); on
 * PostgreSQL they run beside the servers. `verify --file` needs no database at all.
 * Exit codes: 0 intact / done, 1 tampering found or refused, 2 usage.
 */
export async function audit(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  try {
    if (verb === 'verify') return await verify(rest);
    if (verb === 'export') return await exportCommand(rest);
    if (verb === 'checkpoint' && rest.length === 0) return await checkpointCommand();
    if (verb === 'keys' && rest[0] === 'rotate' && rest.length === 1) return await rotateCommand();
    if (verb === 'keys' && rest[0] === 'rotate' && rest.length === 2 && rest[1] === '--force') return await rotateCommand({ force: true }); // helper O
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      console.error(USAGE);
      return 2;
    }
    if (error instanceof SigningKeyFileError) {
      console.error(say(`Refusé : ${error.message}`, `Refused: ${error.message}`));
      return 1;
    }
    throw error;
  }
  console.error(USAGE);
  return 2;
}

class UsageError extends Error {}

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function verify(args: string[]): Promise<number> {
  const values = parse(args, { org: { type: 'string' }, store: { type: 'string' }, file: { type: 'string' }, keys: { type: 'string' } });
  if (values.file) {
    if (values.org || values.store) throw new UsageError(say('--file ne se combine pas avec --org ni --store.', '--file does not combine with --org or --store.'));
    return verifyFile(values.file, values.keys);
  }
  if (values.keys) throw new UsageError(say('--keys va avec --file.', '--keys goes with --file.'));
  const org = values.org;
  if (org !== undefined && !isUuid(org)) throw new UsageError(say(`--org attend l’identifiant (UUID) d’une organisation, pas « ${org} ».`, `--org expects an organisation id (UUID), not "${org}".`));
  const storeId = values.store?.toLowerCase();
  if (storeId !== undefined && !isAuditStoreId(storeId)) throw new UsageError(say(`--store : control, fr ou qc, pas « ${values.store} ».`, `--store: control, fr or qc, not "${values.store}".`));

  const data = await openDataForCommand('audit verify');
  if (!data) return 1;
  try {
    await migrateStores(data.stores);
    const file = data.config.audit.signingKeyFile;
    const keys = await readPublicKeys(file);
    if (!keys) console.log(say(`⚠ Pas de fichier de clés de signature (${file}) : aucun point de contrôle ne peut être vérifié.`, `⚠ No signing key file (${file}): no checkpoint can be verified.`));
    const stores = auditStores(data.stores).filter((s) => !storeId || s.id === storeId);
    const reports: ChainReport[] = [];
    for (const store of stores) {
      for (const report of await verifyStore(store, { keys, ...(org ? { chains: [org] } : {}) })) {
        reports.push(report);
        printChain(report);
      }
    }
    return summarise(reports, org);
  } finally {
    await data.close();
  }
}

function chainName(chain: string): string {
  return chain === PLATFORM_CHAIN ? say('plateforme', 'platform') : `org ${chain}`;
}

const n = (value: number) => value.toLocaleString(say('fr-FR', 'en'));

function printChain(report: ChainReport): void {
  const where = `${report.store} · ${chainName(report.chain)}`;
  if (report.problem) {
    console.log(`✗ ${where}: ${describeProblem(report.problem)}`);
    return;
  }
  const range = report.entries > 0 ? ` (seq ${report.firstSeq}–${report.lastSeq})` : '';
  const anchor = report.anchorSeq !== null ? say(`, à partir de l’ancre seq ${report.anchorSeq} (rétention)`, `, from the anchor at seq ${report.anchorSeq} (retention)`) : '';
  const tail = report.unsignedTail > 0 ? say(` ; ${n(report.unsignedTail)} après le dernier point de contrôle`, `; ${n(report.unsignedTail)} after the last checkpoint`) : '';
  console.log(
    say(
      `✓ ${where} : ${n(report.entries)} entrée(s)${range}${anchor}, ${report.checkpoints} point(s) de contrôle signé(s) vérifié(s)${tail}`,
      `✓ ${where}: ${n(report.entries)} entr${report.entries === 1 ? 'y' : 'ies'}${range}${anchor}, ${report.checkpoints} signed checkpoint(s) verified${tail}`,
    ),
  );
}

function summarise(reports: { problem: ChainProblem | null; entries: number }[], org: string | undefined): number {
  const broken = reports.filter((r) => r.problem).length;
  const entries = reports.reduce((sum, r) => sum + r.entries, 0);
  if (reports.length === 0) {
    console.log(org ? say(`Aucune entrée d’audit pour l’organisation ${org}.`, `No audit entry for organisation ${org}.`) : say('Aucune entrée d’audit.', 'No audit entry.'));
    return 0;
  }
  if (broken === 0) {
    console.log(say(`Journal d’audit intact : ${reports.length} chaîne(s), ${n(entries)} entrée(s).`, `Audit log intact: ${reports.length} chain(s), ${n(entries)} entr${entries === 1 ? 'y' : 'ies'}.`));
    return 0;
  }
  console.log(say(`Journal d’audit ALTÉRÉ : ${broken} chaîne(s) sur ${reports.length}.`, `Audit log TAMPERED WITH: ${broken} chain(s) of ${reports.length}.`));
  return 1;
}

const WHAT: Record<ProblemKind, [string, string]> = {
  hash_mismatch: ['contenu modifié (le hachage ne correspond plus)', 'content edited (the hash no longer matches)'],
  broken_link: ['lien rompu avec l’entrée précédente (entrée insérée, supprimée ou déplacée)', 'broken link to the previous entry (an entry was inserted, deleted or moved)'],
  missing_entry: ['entrée manquante (supprimée)', 'missing entry (deleted)'],
  duplicate_entry: ['deux entrées au même rang', 'two entries at the same position'],
  out_of_order: ['entrées dans le désordre', 'entries out of order'],
  wrong_chain: ['entrée rangée dans la chaîne d’une autre organisation', 'entry filed in another organisation’s chain'],
  unanchored_start: ['le début de la chaîne a été supprimé sans point de contrôle d’ancrage', 'the start of the chain was deleted without an anchor checkpoint'],
  young_anchor: ['entrées supprimées avant la fin de la durée de conservation minimale', 'entries deleted before the minimum retention period'],
  checkpoint_signature: ['signature de point de contrôle invalide', 'invalid checkpoint signature'],
  checkpoint_unknown_key: ['point de contrôle signé par une clé inconnue', 'checkpoint signed by an unknown key'],
  checkpoint_misplaced: ['point de contrôle signé pour une autre base ou chaîne', 'checkpoint signed for another store or chain'],
  checkpoint_mismatch: ['la chaîne a été réécrite (un point de contrôle signé atteste un autre hachage)', 'the chain was rewritten (a signed checkpoint attests another hash)'],
  checkpoint_beyond_end: ['la fin de la chaîne a été supprimée (un point de contrôle signé va plus loin)', 'the end of the chain was deleted (a signed checkpoint goes further)'],
  head_mismatch: ['la tête de chaîne ne correspond pas à la dernière entrée (fin supprimée ou ajout forgé)', 'the chain head does not match the last entry (end deleted or forged append)'],
  export_mismatch: ['l’export ne correspond pas à son résumé signé (lignes ajoutées ou retirées)', 'the export does not match its signed summary (lines added or removed)'],
};

export function describeProblem(problem: ChainProblem): string {
  const [fr, en] = WHAT[problem.kind];
  const at = problem.seq !== null ? `seq ${problem.seq}${problem.id ? `, id ${problem.id}` : ''}` : '';
  return say(`première entrée invalide ${at} — ${fr} [${problem.kind}] : ${problem.detail}`, `first bad entry ${at} — ${en} [${problem.kind}]: ${problem.detail}`);
}

async function verifyFile(file: string, keysFile: string | undefined): Promise<number> {
  let trustedKeys: PublicSigningKey[] | undefined;
  if (keysFile) {
    try {
      const parsed = JSON.parse(readFileSync(keysFile, 'utf8')) as { keys?: PublicSigningKey[] };
      if (!Array.isArray(parsed.keys)) throw new Error('no "keys" array');
      trustedKeys = parsed.keys;
    } catch (error) {
      console.error(say(`Clés illisibles dans ${keysFile} (attendu : la réponse de GET /api/audit/signing-keys) : ${(error as Error).message}`, `Unreadable keys in ${keysFile} (expected: the answer of GET /api/audit/signing-keys): ${(error as Error).message}`));
      return 1;
    }
  }
  let result: Awaited<ReturnType<typeof verifyExportFile>>;
  try {
    result = await verifyExportFile(file, trustedKeys ? { trustedKeys } : {});
  } catch (error) {
    console.error(say(`Fichier illisible : ${(error as Error).message}`, `Unreadable file: ${(error as Error).message}`));
    return 1;
  }
  console.log(say(`Export de l’organisation ${result.organisationId ?? '?'} du ${result.exportedAt ?? '?'}`, `Export of organisation ${result.organisationId ?? '?'} made ${result.exportedAt ?? '?'}`));
  for (const problem of result.fileProblems) console.log(`✗ ${problem}`);
  for (const chain of result.chains) {
    const where = `${chain.store} · ${chainName(chain.chain)}`;
    console.log(
      chain.problem
        ? `✗ ${where}: ${describeProblem(chain.problem)}`
        : say(`✓ ${where} : ${n(chain.entries)} entrée(s), ${chain.checkpoints} point(s) de contrôle signé(s) vérifié(s)`, `✓ ${where}: ${n(chain.entries)} entries, ${chain.checkpoints} signed checkpoint(s) verified`),
    );
  }
  console.log(
    trustedKeys
      ? say(`Clés de confiance : ${result.keyIds.join(', ')}`, `Trusted keys: ${result.keyIds.join(', ')}`)
      : say(
          `Signé par : ${result.keyIds.join(', ')} — comparez avec GET /api/audit/signing-keys de l’Entente d’origine (ou passez --keys).`,
          `Signed by: ${result.keyIds.join(', ')} — compare with GET /api/audit/signing-keys of the originating Entente (or pass --keys).`,
        ),
  );
  console.log(result.ok ? say('Export intact.', 'Export intact.') : say('Export ALTÉRÉ ou incomplet.', 'Export TAMPERED WITH or incomplete.'));
  return result.ok ? 0 : 1;
}

async function exportCommand(args: string[]): Promise<number> {
  const values = parse(args, { org: { type: 'string' }, since: { type: 'string' }, out: { type: 'string' } });
  const org = values.org;
  if (!org || !isUuid(org)) throw new UsageError(say('--org ID (UUID de l’organisation) est obligatoire.', '--org ID (the organisation’s UUID) is required.'));
  let since: Date | null = null;
  if (values.since !== undefined) {
    since = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(values.since) ? new Date(values.since) : null;
    if (!since || Number.isNaN(since.getTime())) throw new UsageError(say(`--since attend une date (2026-01-31 ou ISO 8601), pas « ${values.since} ».`, `--since expects a date (2026-01-31 or ISO 8601), not "${values.since}".`));
  }
  const data = await openDataForCommand('audit export');
  if (!data) return 1;
  try {
    await migrateStores(data.stores);
    const keys = await openSigningKeysAtStart(data.config.audit.signingKeyFile, auditStores(data.stores)); // never a new key silently (helper O)
    // Data on stdout; every message on stderr so that `> file` captures the export alone.
    const out = values.out ? createWriteStream(values.out, { mode: 0o600 }) : process.stdout;
    const write = async (line: string) => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    };
    const result = await exportOrganisation({ stores: auditStores(data.stores), organisationId: org, since, keys, write });
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    await createAuditLog(data.stores).record({
      action: 'audit.exported',
      outcome: 'success',
      organisationId: org,
      resource: { type: 'organisation', id: org },
      details: { lines: result.lines, since: since?.toISOString() ?? null, chains: result.chains.length },
    });
    for (const chain of result.chains) {
      console.error(say(`✓ ${chain.store} : ${n(chain.entries)} entrée(s) (seq ${chain.firstSeq}–${chain.lastSeq})`, `✓ ${chain.store}: ${n(chain.entries)} entr${chain.entries === 1 ? 'y' : 'ies'} (seq ${chain.firstSeq}–${chain.lastSeq})`));
    }
    for (const problem of result.problems) console.error(`✗ ${problem.store} · ${chainName(problem.chain)}: ${describeProblem(problem)}`);
    if (result.chains.length === 0) console.error(say(`Aucune entrée d’audit pour l’organisation ${org}.`, `No audit entry for organisation ${org}.`));
    else if (values.out) console.error(say(`Export écrit dans ${values.out} (${n(result.lines)} lignes).`, `Export written to ${values.out} (${n(result.lines)} lines).`));
    return result.problems.length > 0 ? 1 : 0;
  } finally {
    await data.close();
  }
}

async function checkpointCommand(): Promise<number> {
  const data = await openDataForCommand('audit checkpoint');
  if (!data) return 1;
  try {
    await migrateStores(data.stores);
    const keys = await openSigningKeysAtStart(data.config.audit.signingKeyFile, auditStores(data.stores)); // never a new key silently (helper O)
    let failed = 0;
    for (const store of auditStores(data.stores) as AuditStore[]) {
      for (const result of await checkpointStore(store, keys)) {
        if (result.problem) {
          failed++;
          console.log(`✗ ${store.id} · ${chainName(result.chain)}: ${describeProblem(result.problem)}`);
        } else if (result.seq !== null) console.log(say(`✓ ${store.id} · ${chainName(result.chain)} : signé à seq ${result.seq}`, `✓ ${store.id} · ${chainName(result.chain)}: signed at seq ${result.seq}`));
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await data.close();
  }
}

async function rotateCommand(options: { force?: boolean } = {}): Promise<number> {
  const data = await openDataForCommand('audit keys rotate');
  if (!data) return 1;
  try {
    const file = data.config.audit.signingKeyFile;
    // ── audit signing key safety (helper O): a missing file with signed checkpoints is replaced
    // only with --force, and the break is recorded in the platform chain ──
    await migrateStores(data.stores);
    const { kid, retired, replaced, lost, checkpoints } = await rotateOrReplaceSigningKeys(file, auditStores(data.stores), { force: options.force === true });
    if (replaced) {
      await createAuditLog(data.stores).record({
        action: 'audit.signing_key_replaced',
        outcome: 'success',
        resource: { type: 'audit_signing_key', id: kid },
        details: { reason: 'key_file_missing', lost: lost.join(','), checkpoints },
      });
      console.log(
        say(
          `⚠ Fichier de clés absent : nouvelle clé ${kid}. Les ${checkpoints} point(s) de contrôle signés par ${lost.join(', ')} ne se vérifient plus avec ce fichier ; la rupture est inscrite au journal (audit.signing_key_replaced). Gardez les clés publiques publiées auparavant (GET /api/audit/signing-keys) si vous les avez.`,
          `⚠ Key file missing: new key ${kid}. The ${checkpoints} checkpoint(s) signed by ${lost.join(', ')} no longer verify with this file; the break is recorded in the log (audit.signing_key_replaced). Keep the public keys published before (GET /api/audit/signing-keys) if you have them.`,
        ),
      );
    } else {
      await createAuditLog(data.stores).record({
        action: 'audit.signing_key_rotated',
        outcome: 'success',
        resource: { type: 'audit_signing_key', id: kid },
        details: { retired: retired.join(',') },
      });
    }
    // ── end audit signing key safety ──
    console.log(say(`Nouvelle clé de signature : ${kid}.`, `New signing key: ${kid}.`));
    if (retired.length > 0) console.log(say(`Retirée(s), toujours publiée(s) pour vérifier : ${retired.join(', ')}.`, `Retired, still published for verification: ${retired.join(', ')}.`));
    console.log(say(`Copiez ${file} sur chaque nœud et dans la sauvegarde des clés.`, `Copy ${file} to every node and into the key backup.`));
    return 0;
  } finally {
    await data.close();
  }
}
