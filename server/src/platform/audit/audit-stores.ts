import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Stores } from '../db/stores.ts';
import type { AuditDb } from './audit.repo.ts';

/**
 * The stores that keep audit chains, by the id checkpoints sign and commands name:
 * `control` (the control plane), `fr` and `qc` (the cells).
 */
export type AuditStoreId = 'control' | Lowercase<Jurisdiction>;

export interface AuditStore {
  id: AuditStoreId;
  db: AuditDb;
  /** Whether the store is PGlite (one connection: keep transactions short). */
  embedded: boolean;
}

export function auditStoreIds(): AuditStoreId[] {
  return ['control', ...JURISDICTIONS.map((j) => j.toLowerCase() as Lowercase<Jurisdiction>)];
}

export function isAuditStoreId(value: string): value is AuditStoreId {
  return (auditStoreIds() as string[]).includes(value);
}

export function auditStores(stores: Stores): AuditStore[] {
  return [
    { id: 'control', db: stores.control.db as unknown as AuditDb, embedded: stores.control.kind === 'pglite' },
    ...JURISDICTIONS.map((j) => ({
      id: j.toLowerCase() as Lowercase<Jurisdiction>,
      db: stores.cells[j].db as unknown as AuditDb,
      embedded: stores.cells[j].kind === 'pglite',
    })),
  ];
}
