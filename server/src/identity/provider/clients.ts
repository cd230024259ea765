import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { ControlDb } from '../../platform/db/types.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Actor } from '../actor.ts';
import { authorize } from '../authorization.ts';
import { type ClientRow, deleteClientRow, findClientRow, insertClient, listClientRows } from './clients.repo.ts';
import { CLIENT_AUTH_METHODS } from './provider.tables.ts';
import type { Sealer } from './sealed.ts';

/** The scopes a client may be allowed (provider.ts maps them to claims). */
export const PROVIDER_SCOPES = ['openid', 'profile', 'email', 'organization', 'jurisdiction', 'offline_access'] as const;

const uri = z.string().min(1).max(2000);
export const registerClientInput = z
  .object({
    name: z.object({ 'fr-FR': z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }).strict(),
    redirectUris: z.array(uri).min(1).max(10),
    postLogoutRedirectUris: z.array(uri).max(10).default([]),
    backchannelLogoutUri: uri.optional(),
    /** Pairwise subjects are per sector; clients of one service on several hosts share one. */
    sector: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/)
      .optional(),
    tokenEndpointAuthMethod: z.enum(CLIENT_AUTH_METHODS).default('client_secret_basic'),
    scopes: z.array(z.enum(PROVIDER_SCOPES)).min(1).max(PROVIDER_SCOPES.length).default([...PROVIDER_SCOPES]),
  })
  .strict();
export type RegisterClientInput = z.input<typeof registerClientInput>;

export interface ClientView {
  clientId: string;
  name: { 'fr-FR': string; en: string };
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  sector: string;
  tokenEndpointAuthMethod: string;
  scopes: string[];
  createdAt: string;
}

export interface ClientsDeps {
  db: ControlDb;
  audit: AuditLog;
  /** Seals client secrets (the keyring of ENTENTE_OIDC_KEYS_CELL). */
  sealer: Sealer;
  /** Production refuses http redirect URIs, except on loopback. */
  allowHttp: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A redirect-like URI an operator registers: absolute, no fragment, no wildcard, https (http only
 * for loopback addresses, or anywhere outside production). Compared later character for
 * character by oidc-provider: no trailing-slash leniency, so it is stored exactly as given.
 */
function checkUri(value: string, field: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('oidc_client_uri_refused', { params: { uri: value.slice(0, 200) }, errors: [{ path: field, message: 'not an absolute URL', code: 'invalid_format' }] });
  }
  const refuse = (why: string) =>
    new AppError('oidc_client_uri_refused', { params: { uri: value.slice(0, 200) }, errors: [{ path: field, message: why, code: 'invalid_value' }] });
  if (value.includes('#') || url.hash) throw refuse('no fragment');
  if (value.includes('*')) throw refuse('no wildcard');
  if (url.username || url.password) throw refuse('no credentials');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || allowHttp)) return url;
  throw refuse('https required');
}

function view(row: ClientRow): ClientView {
  return {
    clientId: row.client_id,
    name: { 'fr-FR': row.name_fr, en: row.name_en },
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    backchannelLogoutUri: row.backchannel_logout_uri,
    sector: row.sector,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Where a client change came from. An operator's change is kept in their home cell with their
 * address (an IP address never goes to the control plane); the console's in the control plane.
 */
type AuditMeta = { ip?: string | null; requestId?: string; jurisdiction?: Jurisdiction | null };

export const clientSecretAad = (clientId: string) => `entente-oidc-client-secret/v1\0${clientId}`;

/** Registers a client; the secret is in the answer once, and only sealed in the database. */
export async function registerClient(
  deps: ClientsDeps,
  actor: Actor | null,
  input: RegisterClientInput,
  meta: { ip?: string | null; requestId?: string } = {},
): Promise<ClientView & { clientSecret: string }> {
  const by = actor ? authorize(actor, 'platform.operate') : null;
  return registerClientAs(deps, by?.principalId ?? null, input, { ...meta, jurisdiction: by?.homeJurisdiction ?? null });
}

/** The CLI's path: an operator at the server's console is not a signed-in actor. */
export async function registerClientAs(
  deps: ClientsDeps,
  createdBy: string | null,
  raw: RegisterClientInput,
  meta: AuditMeta = {},
): Promise<ClientView & { clientSecret: string }> {
  const parsed = registerClientInput.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('validation', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })) });
  }
  const input = parsed.data;
  const redirects = input.redirectUris.map((u, i) => checkUri(u, `redirectUris.${i}`, deps.allowHttp));
  for (const [i, u] of input.postLogoutRedirectUris.entries()) checkUri(u, `postLogoutRedirectUris.${i}`, deps.allowHttp);
  if (input.backchannelLogoutUri) checkUri(input.backchannelLogoutUri, 'backchannelLogoutUri', deps.allowHttp);
  // Pairwise subjects need one sector: oidc-provider derives it from the redirect URIs' host.
  const hosts = new Set(redirects.map((u) => u.host));
  if (hosts.size > 1) {
    throw new AppError('oidc_client_uri_refused', {
      params: { uri: input.redirectUris[1]?.slice(0, 200) ?? '' },
      errors: [{ path: 'redirectUris', message: 'all redirect URIs on one host', code: 'invalid_value' }],
    });
  }
  const scopes = [...new Set(['openid', ...input.scopes])];
  const clientId = `ent_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const { sealed, keyVersion } = await deps.sealer.seal(Buffer.from(secret, 'utf8'), clientSecretAad(clientId));
  const row: Omit<ClientRow, 'created_at'> = {
    client_id: clientId,
    name_fr: input.name['fr-FR'],
    name_en: input.name.en,
    secret_sealed: sealed,
    secret_key_version: keyVersion,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris,
    backchannel_logout_uri: input.backchannelLogoutUri ?? null,
    sector: input.sector ?? (redirects[0] as URL).host,
    token_endpoint_auth_method: input.tokenEndpointAuthMethod,
    scopes,
    created_by: createdBy,
  };
  await insertClient(deps.db, row);
  await deps.audit.record({
    action: 'oidc.client.registered',
    outcome: 'success',
    actorId: createdBy,
    jurisdiction: meta.jurisdiction ?? null,
    resource: { type: 'oidc_client', id: clientId },
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
    details: { sector: row.sector, scopes: scopes.join(' '), redirectUris: row.redirect_uris.length, backchannelLogout: row.backchannel_logout_uri !== null },
  });
  return { ...view({ ...row, created_at: new Date() }), clientSecret: secret };
}

export async function listClients(deps: Pick<ClientsDeps, 'db'>, actor: Actor | null | 'console'): Promise<ClientView[]> {
  if (actor !== 'console') authorize(actor, 'platform.operate');
  return (await listClientRows(deps.db)).map(view);
}

/**
 * Removes a client: its consents go with it (foreign key), its grants and tokens are revoked by
 * the caller's `revokeAll` (the provider's storage), so that nothing it holds still works.
 */
export async function removeClient(
  deps: Pick<ClientsDeps, 'db' | 'audit'> & { revokeAll: (clientId: string) => Promise<void> },
  actor: Actor | null | 'console',
  clientId: string,
  meta: AuditMeta = {},
): Promise<void> {
  const by = actor === 'console' ? null : authorize(actor, 'platform.operate');
  if (!(await findClientRow(deps.db, clientId))) throw notFound();
  await deps.revokeAll(clientId);
  if (!(await deleteClientRow(deps.db, clientId))) throw notFound();
  await deps.audit.record({
    action: 'oidc.client.removed',
    outcome: 'success',
    actorId: by?.principalId ?? null,
    jurisdiction: by?.homeJurisdiction ?? null,
    resource: { type: 'oidc_client', id: clientId },
    ip: meta.ip ?? null,
    requestId: meta.requestId ?? null,
  });
}

/** The client as oidc-provider takes it (with its secret unsealed), or undefined. */
export async function clientMetadata(deps: Pick<ClientsDeps, 'db' | 'sealer'>, clientId: string): Promise<Record<string, unknown> | undefined> {
  if (clientId.length > 100) return undefined;
  const row = await findClientRow(deps.db, clientId);
  if (!row) return undefined;
  const secret =
    row.secret_sealed && row.secret_key_version !== null
      ? (await deps.sealer.open(row.secret_sealed, clientSecretAad(row.client_id), row.secret_key_version)).toString('utf8')
      : undefined;
  return {
    client_id: row.client_id,
    ...(secret ? { client_secret: secret } : {}),
    client_name: row.name_fr,
    entente_name_en: row.name_en,
    entente_sector: row.sector,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    ...(row.backchannel_logout_uri ? { backchannel_logout_uri: row.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    grant_types: row.scopes.includes('offline_access') ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: row.token_endpoint_auth_method,
    subject_type: 'pairwise',
    scope: row.scopes.join(' '),
  };
}
