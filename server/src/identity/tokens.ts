import { createHash, randomBytes } from 'node:crypto';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Stores } from '../platform/db/stores.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { uuidv7 } from '../platform/ids.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorization.ts';
import type { OrganisationRole, PlatformRole, TokenScope } from './identity.tables.ts';
import {
  type AccessTokenRow,
  countLiveAccessTokens,
  findLiveAccessTokens,
  insertAccessToken,
  listAccessTokens,
  revokeAccessToken,
  touchAccessTokens,
} from './tokens.repo.ts';

/**
 * The scoped-token service: everything that authenticates without a browser session — personal
 * access tokens for the REST API (`api:read`, `api:write`) and API keys for the AI gateway (`ai`).
 * A token is shown once at creation; only its SHA-256 is kept; it expires (at most a year), can be
 * revoked, records its last use, and every creation and revocation is audited. Tokens are made
 * from a browser session only: a token cannot mint tokens.
 */
export const TOKEN_PREFIX = 'ent_pat_';
const TOKEN_PATTERN = /^ent_pat_[A-Za-z0-9_-]{43}$/;
const MAX_LIVE_TOKENS = 50;
const TOUCH_EVERY_MS = 60_000;

const hash = (token: string) => createHash('sha256').update(token).digest();

export interface TokenView {
  id: string;
  label: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const view = (row: AccessTokenRow): TokenView => ({
  id: row.id,
  label: row.label,
  prefix: row.prefix,
  scopes: row.scopes,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

function requireSession(actor: Actor | null): Actor {
  const me = authorize(actor, 'sessions.manage_own');
  if (me.via !== 'session') throw forbidden();
  return me;
}

export async function createToken(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  input: { label: string; scopes: TokenScope[]; expiresInDays: number },
  meta: { ip: string | null; requestId: string },
): Promise<TokenView & { token: string }> {
  const me = requireSession(actor);
  const now = new Date();
  if ((await countLiveAccessTokens(stores.control.db, me.principalId, now)) >= MAX_LIVE_TOKENS) {
    throw new AppError('conflict', { errors: [{ path: 'body', message: `at most ${MAX_LIVE_TOKENS} live tokens`, code: 'too_big' }] });
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = uuidv7();
  const row = {
    id,
    principal_id: me.principalId,
    label: input.label.trim(),
    token_hash: hash(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 4),
    scopes: [...new Set(input.scopes)],
    expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000),
  };
  await insertAccessToken(stores.control.db, row);
  await audit.record({
    action: 'token.created',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'access_token', id },
    jurisdiction: me.homeJurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
    details: { scopes: row.scopes.join(' '), expiresInDays: input.expiresInDays },
  });
  return { ...view({ ...row, created_at: now, last_used_at: null, revoked_at: null }), token };
}

export async function listTokens(stores: Stores, actor: Actor | null): Promise<TokenView[]> {
  const me = requireSession(actor);
  return (await listAccessTokens(stores.control.db, me.principalId)).map(view);
}

export async function revokeToken(
  stores: Stores,
  audit: AuditLog,
  actor: Actor | null,
  tokenId: string,
  meta: { ip: string | null; requestId: string },
): Promise<void> {
  const me = requireSession(actor);
  // Another agent's token answers like a missing one.
  if (!(await revokeAccessToken(stores.control.db, tokenId, me.principalId, new Date()))) throw notFound();
  await audit.record({
    action: 'token.revoked',
    outcome: 'success',
    actorId: me.principalId,
    resource: { type: 'access_token', id: tokenId },
    jurisdiction: me.homeJurisdiction,
    ip: meta.ip,
    requestId: meta.requestId,
  });
}

export interface TokenIdentity {
  tokenId: string;
  principalId: string;
  homeJurisdiction: Jurisdiction;
  scopes: TokenScope[];
  /** When the token stops working (a cache must not serve it beyond). */
  expiresAt: Date;
  /** The principal's grants, read with the token (one query). */
  grants: { memberships: { organisationId: string; roles: OrganisationRole[] }[]; platformRoles: PlatformRole[] };
}

/** The identity behind a bearer token, or null (malformed, unknown, expired, revoked, disabled). */
export async function resolveToken(stores: Stores, token: string): Promise<TokenIdentity | null> {
  return (await resolveTokens(stores, [token])).get(token) ?? null;
}

/**
 * The identities behind several bearer tokens in one query (the AI keys' cache reads the keys in
 * use again together): each token maps to its identity, or null as `resolveToken` would say.
 */
export async function resolveTokens(stores: Stores, tokens: readonly string[]): Promise<Map<string, TokenIdentity | null>> {
  const out = new Map<string, TokenIdentity | null>(tokens.map((token) => [token, null]));
  const byHash = new Map<string, string>();
  const hashes: Buffer[] = [];
  for (const token of tokens) {
    if (!TOKEN_PATTERN.test(token)) continue;
    const digest = hash(token);
    byHash.set(digest.toString('hex'), token);
    hashes.push(digest);
  }
  if (hashes.length === 0) return out;
  const now = new Date();
  const touched: string[] = [];
  for (const row of await findLiveAccessTokens(stores.control.db, hashes, now)) {
    const token = byHash.get(Buffer.from(row.token_hash).toString('hex'));
    if (token === undefined || row.status !== 'active') continue;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_EVERY_MS) touched.push(row.id);
    out.set(token, {
      tokenId: row.id,
      principalId: row.principal_id,
      homeJurisdiction: row.home_jurisdiction,
      scopes: row.scopes,
      expiresAt: row.expires_at,
      grants: { memberships: row.memberships, platformRoles: row.platform_roles },
    });
  }
  await touchAccessTokens(stores.control.db, touched, now);
  return out;
}
