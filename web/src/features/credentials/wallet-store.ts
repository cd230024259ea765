/**
 * The holder's wallet in this browser (IndexedDB): the agent's key pair, whose private key is a
 * non-extractable WebCrypto key (IndexedDB stores the CryptoKey object itself, so the key material
 * never exists as bytes the page could read or send), and the SD-JWT of each attestation, which
 * the server does not keep. Keyed by the agent's principal id: two agents sharing a browser do not
 * see each other's keys or attestations.
 */
import type { CredentialType } from '@entente/common/credentials.ts';
import { calculateJwkThumbprint, type JWK } from 'jose';

const DB_NAME = 'entente-wallet';
const DB_VERSION = 1;
const KEYS = 'keys';
const CREDENTIALS = 'credentials';

export interface HolderKey {
  principalId: string;
  privateKey: CryptoKey;
  /** The public key as a JWK (kty, crv, x, y only): what goes into the proof and `cnf.jwk`. */
  publicJwk: JWK;
  thumbprint: string;
  createdAt: string;
}

export interface StoredCredential {
  id: string;
  principalId: string;
  type: CredentialType;
  jurisdiction: 'FR' | 'QC';
  issuedAt: string;
  expiresAt: string;
  /** The SD-JWT VC as issued, `<JWS>~<disclosures>~`. */
  credential: string;
  claims: Record<string, unknown>;
  disclosable: string[];
  /** The thumbprint of the holder key it is bound to. */
  keyThumbprint: string;
}

export function walletSupported(): boolean {
  return typeof indexedDB !== 'undefined' && typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

function openWallet(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS, { keyPath: 'principalId' });
      if (!db.objectStoreNames.contains(CREDENTIALS)) {
        db.createObjectStore(CREDENTIALS, { keyPath: 'id' }).createIndex('principalId', 'principalId');
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(store: string, mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openWallet();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('aborted'));
    });
  } finally {
    db.close();
  }
}

export async function findHolderKey(principalId: string): Promise<HolderKey | null> {
  return ((await run(KEYS, 'readonly', (store) => store.get(principalId))) as HolderKey | undefined) ?? null;
}

/**
 * The agent's key on this device, created on first use: ECDSA P-256 (ES256), the private half
 * non-extractable. Only the public half is ever exported.
 */
export async function holderKeyFor(principalId: string): Promise<HolderKey> {
  const existing = await findHolderKey(principalId);
  if (existing) return existing;
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const exported = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JWK;
  const publicJwk: JWK = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y };
  const key: HolderKey = {
    principalId,
    privateKey: pair.privateKey,
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk),
    createdAt: new Date().toISOString(),
  };
  await run(KEYS, 'readwrite', (store) => store.put(key));
  return key;
}

export async function storeCredential(credential: StoredCredential): Promise<void> {
  await run(CREDENTIALS, 'readwrite', (store) => store.put(credential));
}

export async function storedCredentials(principalId: string): Promise<StoredCredential[]> {
  const all = (await run(CREDENTIALS, 'readonly', (store) => store.index('principalId').getAll(principalId))) as StoredCredential[];
  return all.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
}
