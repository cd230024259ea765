import path from 'node:path';
import { parseArgs } from 'node:util';
import { JURISDICTIONS, type Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { Config } from '../config.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { KeyUnavailableError } from '../platform/crypto/errors.ts';
import type { KeyProvider } from '../platform/crypto/key-provider.ts';
import { Keyring, type RewrapResult } from '../platform/crypto/keyring.ts';
import { openKeyProvider } from '../platform/crypto/open-key-provider.ts';
import { migrateStores } from '../platform/db/stores.ts';
import { openDataForCommand } from './open-data.ts';
import { say } from './output.ts';

const USAGE = say(
  `Usage :
  npm run entente -- kms rotate --cell FR|QC [--batch-size N] [--retire-old]
        nouvelle clé de chiffrement de clés (KEK) de la cellule, puis ré-emballage de toutes ses clés de données
  npm run entente -- kms status --cell FR|QC
        KEK courante et nombre de clés de données emballées par chaque KEK`,
  `Usage:
  npm run entente -- kms rotate --cell FR|QC [--batch-size N] [--retire-old]
        new key-encryption key (KEK) for the cell, then every data key of the cell re-wrapped under it
  npm run entente -- kms status --cell FR|QC
        current KEK and how many data keys each KEK wraps`,
);

class UsageError extends Error {}

/**
 * `entente kms …`: the cell's key-encryption keys (docs/operations.md, "Keys").
 *
 * `rotate` creates a new KEK in the cell's provider (a key file, or a key generated inside the
 * PKCS#11 token), then re-wraps every data key of the cell's keyring under it
 * (Keyring.rewrapAll), batch by batch; no data object is read or written. When a previous run
 * stopped midway (rows still under an older KEK than the current one), it finishes that run
 * instead of creating yet another KEK. Audited as `platform.kms.rotated` in the cell. With
 * `--retire-old`, once every row is under the new KEK, it says which old KEKs may be removed
 * (it never deletes a key itself).
 *
 * On an embedded data directory it refuses while the server runs; on PostgreSQL it runs beside
 * the servers, which wrap new data keys with the new KEK within a minute.
 * Exit codes: 0 done, 1 refused or some keys could not be re-wrapped, 2 usage.
 */
export async function kms(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  let options: Options;
  try {
    if (verb !== 'rotate' && verb !== 'status') throw new UsageError('');
    options = parseOptions(verb, rest);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    if (error.message) console.error(error.message);
    console.error(USAGE);
    return 2;
  }
  const data = await openDataForCommand(`kms ${verb}`);
  if (!data) return 1;
  let provider: KeyProvider | null = null;
  try {
    await migrateStores(data.stores);
    const cell = data.config.cells[options.cell];
    try {
      provider = await openKeyProvider(cell.keys, { pkcs11: cell.pkcs11, create: true });
    } catch (error) {
      if (!(error instanceof KeyUnavailableError)) throw error;
      console.error(say(`Refusé : les clés de la cellule ${options.cell} sont inaccessibles : ${error.message}`, `Refused: the keys of cell ${options.cell} cannot be used: ${error.message}`));
      return 1;
    }
    const keyring = new Keyring({ provider });
    const db = data.stores.cells[options.cell].db;
    if (verb === 'status') {
      printStatus(provider, await keyring.countByKek(db));
      return 0;
    }

    const before = await keyring.countByKek(db);
    const previous = provider.id;
    const unfinished = before.filter((c) => c.kekId !== previous).reduce((sum, c) => sum + c.count, 0);
    let created: string | null = null;
    if (unfinished > 0) {
      console.log(
        say(
          `Une rotation précédente n’est pas terminée : ${unfinished} clé(s) de données ne sont pas encore sous la KEK courante ${previous}. Elle est terminée maintenant, sans nouvelle KEK.`,
          `A previous rotation is not finished: ${unfinished} data key(s) are not yet under the current KEK ${previous}. It is finished now, without a new KEK.`,
        ),
      );
    } else {
      if (!provider.rotate) throw new Error(`The key provider of cell ${options.cell} cannot create keys`);
      created = await provider.rotate();
      console.log(say(`Nouvelle KEK de la cellule ${options.cell} : ${created} (la précédente : ${previous}).`, `New KEK of cell ${options.cell}: ${created} (previous: ${previous}).`));
    }

    let lastPrint = Date.now();
    const result: RewrapResult = await keyring.rewrapAll(db, {
      batchSize: options.batchSize,
      onBatch: ({ rewrapped, failed }) => {
        if (Date.now() - lastPrint < 2000) return;
        lastPrint = Date.now();
        console.log(say(`  … ${rewrapped} ré-emballée(s), ${failed} en échec`, `  … ${rewrapped} re-wrapped, ${failed} failed`));
      },
    });
    const remaining = result.byKek.filter((c) => c.kekId !== result.kekId).reduce((sum, c) => sum + c.count, 0);
    await createAuditLog(data.stores).record({
      action: 'platform.kms.rotated',
      outcome: result.failed.length === 0 ? 'success' : 'failure',
      jurisdiction: options.cell,
      resource: { type: 'kek', id: result.kekId },
      details: {
        previous,
        created: created !== null,
        resumed: unfinished > 0,
        rewrapped: result.rewrapped,
        failed: result.failed.length,
        remaining,
      },
    });

    console.log(
      say(
        `${result.rewrapped} clé(s) de données ré-emballée(s) sous ${result.kekId} ; aucun objet de données n’a été lu ni réécrit.`,
        `${result.rewrapped} data key(s) re-wrapped under ${result.kekId}; no data object was read or rewritten.`,
      ),
    );
    for (const failure of result.failed.slice(0, 20)) {
      console.error(
        say(
          `  ✗ clé ${failure.ownerType} ${failure.ownerId} v${failure.version} sous ${failure.kekId} : ${failure.reason}`,
          `  ✗ key ${failure.ownerType} ${failure.ownerId} v${failure.version} under ${failure.kekId}: ${failure.reason}`,
        ),
      );
    }
    if (result.failed.length > 20) console.error(say(`  … et ${result.failed.length - 20} autre(s)`, `  … and ${result.failed.length - 20} more`));
    printStatus(provider, result.byKek);
    if (options.retireOld) printRetirement(data.config, options.cell, provider, result, remaining);
    else if (remaining === 0) console.log(say('Les serveurs en marche emballent les nouvelles clés avec la nouvelle KEK dans la minute.', 'Running servers wrap new keys with the new KEK within a minute.'));
    return result.failed.length === 0 ? 0 : 1;
  } finally {
    await provider?.close?.();
    await data.close();
  }
}

interface Options {
  cell: Jurisdiction;
  batchSize: number;
  retireOld: boolean;
}

function parseOptions(verb: 'rotate' | 'status', args: string[]): Options {
  let values: { cell?: string; 'batch-size'?: string; 'retire-old'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { cell: { type: 'string' }, 'batch-size': { type: 'string' }, 'retire-old': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const cell = values.cell?.toUpperCase();
  if (!cell || !(JURISDICTIONS as readonly string[]).includes(cell)) {
    throw new UsageError(say(`--cell est obligatoire : ${JURISDICTIONS.join(' ou ')}.`, `--cell is required: ${JURISDICTIONS.join(' or ')}.`));
  }
  if (verb === 'status' && (values['batch-size'] !== undefined || values['retire-old'])) {
    throw new UsageError(say('kms status ne prend que --cell.', 'kms status takes --cell only.'));
  }
  const rawBatch = values['batch-size'];
  const batchSize = rawBatch === undefined ? 100 : Number(rawBatch);
  if (!/^\d+$/.test(rawBatch ?? '100') || batchSize < 1 || batchSize > 10_000) {
    throw new UsageError(say('--batch-size est un entier de 1 à 10000.', '--batch-size is an integer from 1 to 10000.'));
  }
  return { cell: cell as Jurisdiction, batchSize, retireOld: values['retire-old'] === true };
}

function printStatus(provider: KeyProvider, counts: { kekId: string; count: number }[]): void {
  console.log(say(`KEK courante : ${provider.id}`, `Current KEK: ${provider.id}`));
  const held = provider.kekIds ?? [provider.id];
  for (const kekId of new Set([...held, ...counts.map((c) => c.kekId)])) {
    const count = counts.find((c) => c.kekId === kekId)?.count ?? 0;
    const mark =
      kekId === provider.id
        ? say(' (courante)', ' (current)')
        : !held.includes(kekId)
          ? say(' (ABSENTE du fournisseur)', ' (MISSING from the provider)')
          : count === 0
            ? say(' (plus utilisée : peut être retirée)', ' (unused: may be retired)')
            : '';
    console.log(say(`  ${kekId}${mark} : ${count} clé(s) de données`, `  ${kekId}${mark}: ${count} data key(s)`));
  }
}

/** Says which old KEKs nothing needs any more, and how to remove them; removes nothing. */
function printRetirement(config: Config, cell: Jurisdiction, provider: KeyProvider, result: RewrapResult, remaining: number): void {
  if (remaining > 0 || result.failed.length > 0) {
    console.log(
      say(
        `Les anciennes KEK ne peuvent pas encore être retirées : ${remaining} clé(s) de données en dépendent. Relancez « kms rotate --cell ${cell} » après avoir corrigé les échecs.`,
        `The old KEKs cannot be retired yet: ${remaining} data key(s) still depend on them. Run "kms rotate --cell ${cell}" again once the failures are fixed.`,
      ),
    );
    return;
  }
  const old = (provider.kekIds ?? []).filter((id) => id !== result.kekId);
  if (old.length === 0) {
    console.log(say('Aucune ancienne KEK à retirer.', 'No old KEK to retire.'));
    return;
  }
  console.log(
    say(
      'Plus aucune clé de données de la base ne dépend de ces KEK ; elles peuvent être retirées, après le délai de garde ci-dessous :',
      'No data key in the database depends on these KEKs any more; they may be removed, after the waiting period below:',
    ),
  );
  const pkcs11 = config.cells[cell].pkcs11;
  for (const id of old) {
    if (id.startsWith('file:')) {
      console.log(`  ${id}: rm ${path.join(config.cells[cell].keys.slice('file:'.length), `kek-${id.slice('file:'.length)}.json`)}`);
    } else if (pkcs11) {
      console.log(`  ${id}: pkcs11-tool --module ${pkcs11.modulePath} --login --delete-object --type secrkey --label ${id.slice('pkcs11:'.length)}${pkcs11.token ? ` --token-label '${pkcs11.token}'` : ''}`);
    } else console.log(`  ${id}`);
  }
  console.log(
    say(
      'Attendez une minute (les serveurs en marche relisent les KEK) et gardez une ancienne KEK tant qu’une sauvegarde du trousseau emballée par elle peut devoir être restaurée (docs/operations.md).',
      'Wait a minute (running servers re-read the KEKs), and keep an old KEK as long as a keyring backup wrapped under it may have to be restored (docs/operations.md).',
    ),
  );
}
