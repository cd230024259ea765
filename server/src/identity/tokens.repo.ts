import { sql } from 'kysely';
import type { ControlDb } from '../platform/db/types.ts';
import type { AccessTokensTable, OrganisationRole, PlatformRole, TokenScope } from './identity.tables.ts';

const COLUMNS = ['id', 'principal_id', 'label', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;
export type AccessTokenRow = Omit<AccessTokensTable, 'token_hash' | 'created_at'> & { created_at: Date };

export async function insertAccessToken(db: ControlDb, row: Omit<AccessTokensTable, 'created_at' | 'last_used_at' | 'revoked_at'>): Promise<void> {
  await db.insertInto('access_tokens').values({ ...row, last_used_at: null, revoked_at: null }).execute();
}

export async function listAccessTokens(db: ControlDb, principalId: string): Promise<AccessTokenRow[]> {
  return db.selectFrom('access_tokens').select(COLUMNS).where('principal_id', '=', principalId).orderBy('created_at', 'desc').execute();
}

export async function countLiveAccessTokens(db: ControlDb, principalId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('principal_id', '=', principalId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The live tokens with these hashes (each row with its `token_hash`), with their principal's home
 * jurisdiction, status and grants (memberships and platform roles, as `loadGrants` reads them): one
 * round trip for a whole token-authenticated request — or for all the AI keys the gateway's cache
 * reads again together — which the AI gateway's added latency depends on.
 */
export async function findLiveAccessTokens(db: ControlDb, hashes: readonly Buffer[], now: Date) {
  if (hashes.length === 0) return [];
  return db
    .selectFrom('access_tokens')
    .innerJoin('principals', 'principals.id', 'access_tokens.principal_id')
    .select(['access_tokens.id', 'access_tokens.token_hash', 'access_tokens.principal_id', 'access_tokens.scopes', 'access_tokens.last_used_at', 'access_tokens.expires_at'])
    .select(['principals.home_jurisdiction', 'principals.status'])
    .select([
      sql<{ organisationId: string; roles: OrganisationRole[] }[]>`coalesce((
        select json_agg(json_build_object('organisationId', m.organisation_id, 'roles', m.roles))
        from memberships m where m.principal_id = access_tokens.principal_id), '[]'::json)`.as('memberships'),
      sql<PlatformRole[]>`coalesce((
        select array_agg(r.role order by r.role) from platform_roles r where r.principal_id = access_tokens.principal_id), '{}'::text[])`.as(
        'platform_roles',
      ),
    ])
    .where('access_tokens.token_hash', 'in', hashes as Buffer[])
    .where('access_tokens.revoked_at', 'is', null)
    .where('access_tokens.expires_at', '>', now)
    .execute();
}

/** Notes that these tokens were used now (one statement for all of them). */
export async function touchAccessTokens(db: ControlDb, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('access_tokens').set({ last_used_at: now }).where('id', 'in', ids as string[]).execute();
}

export async function revokeAccessToken(db: ControlDb, id: string, principalId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('access_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('principal_id', '=', principalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes every live token of the principal (they left their organisation, or were disabled); returns how many. */
export async function revokeAllAccessTokensFor(db: ControlDb, principalId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('access_tokens')
    .set({ revoked_at: now })
    .where('principal_id', '=', principalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type { TokenScope };
