import { randomInt } from 'node:crypto';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { createStatusList, setStatus, signStatusListToken, STATUS_INVALID } from './sd-jwt/index.ts';
import type { Issuers } from './issuers.ts';
import { countInList, findStatusList, insertIssued, insertStatusList, type IssuedRow, latestStatusList, revokedIndices } from './issued.repo.ts';

/**
 * Token Status Lists (draft-ietf-oauth-status-list) of each issuer, kept in its cell. A list's bits
 * are not stored apart: bit i is set when the credential holding index i is revoked
 * (issued_credentials is the one truth, so a revocation is one row update and cannot disagree
 * with the list). Indices are drawn at random among the free ones, so neighbours in a list say
 * nothing about each other (issuance order, organisation). A list is closed once half full: the
 * random draw stays cheap and a list never reveals how many credentials were issued.
 */
export const STATUS_LIST_SIZE = 131_072;
const MAX_FILL = STATUS_LIST_SIZE / 2;
const DRAWS = 32;
/** How long a verifier may cache a token (`ttl`), and how long one is valid at all (`exp`). */
export const STATUS_TOKEN_TTL_S = 300;
export const STATUS_TOKEN_VALIDITY_S = 86_400;

export function statusListUri(publicUrl: URL, id: string): string {
  return `${publicUrl.href.replace(/\/+$/, '')}/credentials/status/${id}`;
}

/** Inserts the credential's row at a random free index of the current list (a new list when needed). */
export async function insertWithStatusIndex(db: CellDb, row: Omit<IssuedRow, 'status_list_id' | 'status_index'>): Promise<IssuedRow> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let list = await latestStatusList(db);
    if (!list || (await countInList(db, list.id)) >= Math.min(MAX_FILL, list.size / 2)) {
      list = { id: uuidv7(), size: STATUS_LIST_SIZE };
      await insertStatusList(db, list.id, list.size);
    }
    for (let draw = 0; draw < DRAWS; draw++) {
      const full: IssuedRow = { ...row, status_list_id: list.id, status_index: randomInt(list.size) };
      if (await insertIssued(db, full)) return full;
    }
  }
  throw new Error('no free status index after many draws');
}

export interface StatusTokens {
  /** The signed token of a list, or null for an unknown list. Cached until a change or its ttl. */
  token(id: string, now?: number): Promise<{ token: string; maxAge: number } | null>;
  /** Forgets a list's cached token (after a revocation here, or one another node announced). */
  forget(id: string): void;
  /** Forgets every cached token (a key rotation: the lists are signed with the new key from now on). */
  forgetAll(): void;
}

export function createStatusTokens(cells: Cells, issuers: Issuers, publicUrl: URL): StatusTokens {
  const cache = new Map<string, { token: string; iat: number; generation: number }>();
  let generation = 0;
  const find = async (id: string): Promise<{ jurisdiction: Jurisdiction; size: number } | null> => {
    for (const cell of cells.all()) {
      const list = await findStatusList(cell.db, id);
      if (list) return { jurisdiction: cell.jurisdiction, size: list.size };
    }
    return null;
  };
  return {
    async token(id, now = Math.floor(Date.now() / 1000)) {
      const cached = cache.get(id);
      if (cached && now < cached.iat + STATUS_TOKEN_TTL_S) return { token: cached.token, maxAge: cached.iat + STATUS_TOKEN_TTL_S - now };
      const started = generation;
      const found = await find(id);
      if (!found) return null;
      const db = cells.get(found.jurisdiction).db;
      const list = createStatusList(found.size, 1);
      for (const idx of await revokedIndices(db, id)) setStatus(list, idx, STATUS_INVALID);
      const key = await issuers.signingKey(found.jurisdiction);
      const token = await signStatusListToken({
        list,
        uri: statusListUri(publicUrl, id),
        iss: issuers.url(found.jurisdiction),
        iat: now,
        exp: now + STATUS_TOKEN_VALIDITY_S,
        ttl: STATUS_TOKEN_TTL_S,
        key: { key: key.key, kid: key.kid },
        alg: 'ES256',
      });
      // A revocation that landed while this was built must not be hidden behind the cache.
      if (generation === started) {
        if (cache.size > 1000) cache.clear();
        cache.set(id, { token, iat: now, generation: started });
      }
      return { token, maxAge: STATUS_TOKEN_TTL_S };
    },
    forget(id) {
      generation += 1;
      cache.delete(id);
    },
    forgetAll() {
      generation += 1;
      cache.clear();
    },
  };
}
