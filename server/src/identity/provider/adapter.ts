import type { ControlDb } from '../../platform/db/types.ts';
import { OidcErrors } from './oidc.ts';
import {
  consumeModel,
  destroyByGrantId,
  destroyModel,
  findModel,
  findModelBy,
  type StoredModel,
  upsertModel,
} from './models.repo.ts';

/** What oidc-provider asks of a storage adapter (one instance per model name). */
export interface OidcAdapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
  findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

function present(row: StoredModel | undefined): Record<string, unknown> | undefined {
  if (!row) return undefined;
  // oidc-provider reads `consumed` (epoch seconds) to detect a reused authorization code.
  return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
}

/** Authorization parameters naming or identifying the agent: not needed once the request is checked. */
const PERSONAL_PARAMS = ['login_hint', 'id_token_hint'] as const;

/**
 * An interaction as stored: without the hints (an email address, an ID token) the client sent.
 * oidc-provider checks `id_token_hint` when the request arrives, and does not again on resume;
 * Entente's sign-in does not use `login_hint`. So the control plane never keeps them.
 */
export function withoutPersonalHints(payload: Record<string, unknown>): Record<string, unknown> {
  const params = payload.params as Record<string, unknown> | undefined;
  const prompt = payload.prompt as { details?: Record<string, unknown> } | undefined;
  const has = (o: Record<string, unknown> | undefined) => o !== undefined && PERSONAL_PARAMS.some((k) => k in o);
  if (!has(params) && !has(prompt?.details)) return payload;
  const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !(PERSONAL_PARAMS as readonly string[]).includes(k)));
  return {
    ...payload,
    ...(params ? { params: strip(params) } : {}),
    ...(prompt?.details ? { prompt: { ...prompt, details: strip(prompt.details) } } : {}),
  };
}

/**
 * oidc-provider's storage on the control plane (Kysely, PostgreSQL or PGlite): every node of a
 * deployment sees the same sessions, codes and tokens. Expired rows are invisible at once and
 * deleted by the purge job. Clients are not stored here: `Client` reads `oidc_clients` (clients.ts).
 */
export function createKyselyAdapterClass(
  db: ControlDb,
  clientFinder: (id: string) => Promise<Record<string, unknown> | undefined>,
): new (model: string) => OidcAdapter {
  return class KyselyOidcAdapter implements OidcAdapter {
    readonly model: string;
    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are registered by operators, not through the provider');
      await upsertModel(db, {
        model: this.model,
        id,
        payload: this.model === 'Interaction' ? withoutPersonalHints(payload) : payload,
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null,
      });
    }

    async find(id: string): Promise<Record<string, unknown> | undefined> {
      if (this.model === 'Client') return clientFinder(id);
      if (id.length > 200) return undefined;
      return present(await findModel(db, this.model, id));
    }

    async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
      return present(await findModelBy(db, this.model, 'user_code', userCode));
    }

    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      return present(await findModelBy(db, this.model, 'uid', uid));
    }

    async consume(id: string): Promise<void> {
      const result = await consumeModel(db, this.model, id, new Date());
      if (result.consumed) return;
      // Used in the meantime (another request, maybe another node): treated as a reuse, as
      // oidc-provider treats one it sees: what the grant gave is revoked, the exchange refused.
      if (result.grantId) await destroyByGrantId(db, result.grantId);
      throw new OidcErrors.InvalidGrant('grant already used');
    }

    async destroy(id: string): Promise<void> {
      await destroyModel(db, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await destroyByGrantId(db, grantId);
    }
  };
}
