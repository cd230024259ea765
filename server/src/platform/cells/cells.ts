import { JURISDICTIONS, type Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Config, S3CellConfig } from '../../config.ts';
import { EncryptedObjects } from '../crypto/encrypted-objects.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { Keyring } from '../crypto/keyring.ts';
import { openKeyProvider } from '../crypto/open-key-provider.ts';
import type { Database } from '../db/database.ts';
import type { Stores } from '../db/stores.ts';
import type { CellDb, CellTables } from '../db/types.ts';
import type { ObjectStore } from '../objects/object-store.ts';
import { openObjectStore, type S3ConnectionOptions } from '../objects/open-object-store.ts';

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
  /** Releases the cells' S3 connections and HSM sessions (the databases belong to Stores). */
  close(): Promise<void>;
}

/**
 * Opens each cell's object store (a folder or an S3 bucket) and KEK provider (a key folder or a
 * PKCS#11 token) as configured. Nothing is sent to S3 here (readiness checks it); a PKCS#11
 * token is logged in to at once, so a wrong PIN stops the start with a message naming the token.
 */
export async function openCells(config: Config, stores: Stores): Promise<Cells> {
  const cells = {} as Record<Jurisdiction, Cell>;
  const opened: { close?: () => Promise<void> }[] = [];
  const closeAll = async () => {
    for (const item of opened.splice(0).reverse()) await item.close?.().catch(() => {});
  };
  try {
    for (const j of JURISDICTIONS) {
      const cellConfig = config.cells[j];
      const objects = await openObjectStore(cellConfig.objects, cellConfig.s3 ? s3Options(cellConfig.s3) : null);
      opened.push(objects);
      const keys = await openKeyProvider(cellConfig.keys, { pkcs11: cellConfig.pkcs11, create: true });
      opened.push(keys);
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
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    get: (j) => cells[j],
    all: () => JURISDICTIONS.map((j) => cells[j]),
    close: closeAll,
  };
}

/** The S3 store's options from the configuration; the secret is revealed only to the SDK's client. */
function s3Options(s3: S3CellConfig): S3ConnectionOptions {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: s3.credentials ? { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: s3.credentials.secretAccessKey.reveal() } : null,
  };
}
