import { existsSync } from 'node:fs';
import type { AuditStore } from './audit-stores.ts';
import { type AuditSigningKeys, openSigningKeys, readPublicKeys, rotateSigningKeys, SigningKeyFileError } from './signing-keys.ts';
import './audit.tables.ts';

/**
 * The audit signing key file must never be replaced silently (docs/security.md, "Audit").
 *
 * Signed checkpoints are what makes a rewritten audit log detectable; their public keys are read
 * from the key file only. A server that found the file missing and made a new key would go on
 * signing as if nothing happened, while every checkpoint signed before could no longer be checked
 * against a key the operator holds — a stolen or lost file would pass unnoticed. So:
 *  - first start of an empty installation (no checkpoint anywhere): the file is created;
 *  - file missing but signed checkpoints exist: the server refuses to start, naming the file and
 *    the two ways out — restore the file (it is backed up with the keyring), or record the break
 *    explicitly with `npm run entente -- audit keys rotate --force` (a new key, and an audited
 *    `audit.signing_key_replaced` event saying which keys were lost).
 */
export class SigningKeyMissingError extends SigningKeyFileError {
  readonly checkpoints: number;
  constructor(file: string, state: CheckpointState) {
    super(
      file,
      `The audit signing key file ${file} is missing, but ${state.checkpoints} signed checkpoint(s) exist (${state.stores.join(', ')}; keys ${state.keyIds.join(', ')}). ` +
        'Entente will not create a new key silently: the checkpoints signed before could no longer be verified. ' +
        `Restore the file from the key backup (npm run entente -- restore --keyring-from DIR, or copy it back to ${file}, mode 0600), ` +
        'or, if it is lost for good, record the break in the audit chain: npm run entente -- audit keys rotate --force',
    );
    this.name = 'SigningKeyMissingError';
    this.checkpoints = state.checkpoints;
  }
}

export interface CheckpointState {
  /** Signed checkpoints in every store. */
  checkpoints: number;
  /** Stores holding some. */
  stores: string[];
  /** Key ids that signed the latest checkpoint of each chain. */
  keyIds: string[];
}

/** How many signed checkpoints exist, where, and which keys signed the latest of each chain. */
export async function checkpointState(stores: readonly AuditStore[]): Promise<CheckpointState> {
  const state: CheckpointState = { checkpoints: 0, stores: [], keyIds: [] };
  const keyIds = new Set<string>();
  for (const store of stores) {
    const count = await store.db
      .selectFrom('audit_checkpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
      // A database not migrated yet (doctor before the first start) has signed nothing.
      .catch((error: { code?: string }) => {
        if (error?.code === '42P01') return { n: 0 };
        throw error;
      });
    const n = Number(count?.n ?? 0);
    if (n === 0) continue;
    state.checkpoints += n;
    state.stores.push(store.id);
    const latest = await store.db
      .selectFrom('audit_checkpoints as c')
      .select('c.key_id')
      .where(({ eb, selectFrom }) => eb('c.seq', '=', selectFrom('audit_checkpoints as l').select((l) => l.fn.max('l.seq').as('m')).whereRef('l.chain_id', '=', 'c.chain_id')))
      .execute();
    for (const row of latest) keyIds.add(row.key_id);
  }
  state.keyIds = [...keyIds].sort();
  return state;
}

/** The server's start: opens the key file, creating it only on an installation that has never signed. */
export async function openSigningKeysAtStart(file: string, stores: readonly AuditStore[]): Promise<AuditSigningKeys> {
  if (!existsSync(file)) {
    const state = await checkpointState(stores);
    if (state.checkpoints > 0) throw new SigningKeyMissingError(file, state);
  }
  return openSigningKeys(file);
}

/**
 * `audit keys rotate`: a new current key. With the file missing and checkpoints signed, refused
 * unless `force` — then the new file is created and the break is the caller's to audit, with the
 * returned key ids that signed checkpoints and are now gone (`lost`).
 */
export async function rotateOrReplaceSigningKeys(
  file: string,
  stores: readonly AuditStore[],
  options: { force: boolean },
): Promise<{ kid: string; retired: string[]; replaced: boolean; lost: string[]; checkpoints: number }> {
  if (existsSync(file)) return { ...(await rotateSigningKeys(file)), replaced: false, lost: [], checkpoints: 0 };
  const state = await checkpointState(stores);
  if (state.checkpoints > 0 && !options.force) throw new SigningKeyMissingError(file, state);
  const { kid, retired } = await rotateSigningKeys(file);
  return { kid, retired, replaced: state.checkpoints > 0, lost: state.keyIds, checkpoints: state.checkpoints };
}

export type KeyFileHealth =
  | { state: 'missing'; checkpoints: CheckpointState | null }
  | { state: 'unreadable'; message: string }
  | { state: 'present'; keyIds: string[]; current: string | null; unknownSigners: string[] | null };

/** What `entente doctor` says of the key file; `stores` null when the databases cannot be read here. */
export async function signingKeyFileHealth(file: string, stores: readonly AuditStore[] | null): Promise<KeyFileHealth> {
  let keys: Awaited<ReturnType<typeof readPublicKeys>>;
  try {
    keys = await readPublicKeys(file);
  } catch (error) {
    return { state: 'unreadable', message: (error as Error).message };
  }
  const state = stores ? await checkpointState(stores) : null;
  if (!keys) return { state: 'missing', checkpoints: state };
  let current: string | null = null;
  try {
    current = (await openSigningKeys(file, { create: false })).currentKid;
  } catch (error) {
    return { state: 'unreadable', message: (error as Error).message };
  }
  const known = new Set(keys.list().map((k) => k.kid));
  return { state: 'present', keyIds: [...known], current, unknownSigners: state ? state.keyIds.filter((kid) => !known.has(kid)) : null };
}
