import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Config } from '../../config.ts';
import { EncryptedObjects } from '../crypto/encrypted-objects.ts';
import { FileKeyProvider } from '../crypto/file-key-provider.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { Keyring } from '../crypto/keyring.ts';
import type { Database } from '../db/database.ts';
import type { Stores } from '../db/stores.ts';
import type { CellDb, CellTables } from '../db/types.ts';
import { LocalObjectStore } from '../objects/local-object-store.ts';
import type { ObjectStore } from '../objects/object-store.ts';

/**
 * A cell: one jurisdiction's database, object store and key-encryption keys (DESIGN.md). Modules
 * ask the registry for the cell of a space's or an agent's jurisdiction and never reach another
 * cell's data by accident: everything about a jurisdiction comes from one object.
 */
export interface Cell {
  jurisdiction: Jurisdiction;
  database: Database<CellTables>;
  db: CellDb;
  objects: ObjectStore;
  keys: KeyProvider;
  /** Wrapped data keys of this cell's owners (spaces, agents), unwrapped by `keys`. */
  keyring: Keyring;
  /** Objects encrypted with their owner's data key, in this cell's store. */
  encryptedObjects: EncryptedObjects;
}

export interface Cells {
  get(jurisdiction: Jurisdiction): Cell;
  all(): Cell[];
}

export async function openCells(config: Config, stores: Stores): Promise<Cells> {
  const cells = {} as Record<Jurisdiction, Cell>;
  for (const j of JURISDICTIONS) {
    const cellConfig = config.cells[j];
    const objects = await LocalObjectStore.open(cellConfig.objects);
    const keys = await FileKeyProvider.open(cellConfig.keys, { create: true });
    const keyring = new Keyring({ provider: keys });
    cells[j] = {
      jurisdiction: j,
      database: stores.cells[j],
      db: stores.cells[j].db,
      objects,
      keys,
      keyring,
      encryptedObjects: new EncryptedObjects({ store: objects, keyring }),
    };
  }
  return {
    get: (j) => cells[j],
    all: () => JURISDICTIONS.map((j) => cells[j]),
  };
}
