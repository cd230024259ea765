import { createHash, randomBytes } from 'node:crypto';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { OrganisationRole, PlatformRole } from './identity.tables.ts';
import type { Stores } from '../platform/db/stores.ts';
import { uuidv7 } from '../platform/ids.ts';
import {
  endSessionRow,
  findLiveSessionByTokenHash,
  insertSession,
  insertSessionDetails,
  listLiveSessions,
  rotateSessionToken,
  selectSessionDetails,
  touchSession,
} from './sessions.repo.ts';

/**
 * Server-side sessions. The browser holds an opaque random token in an HttpOnly cookie; the
 * control plane holds only its SHA-256, the principal and the timeouts; where the session came
 * from (IP, user agent, how the agent signed in) is personal data and lives in the home cell.
 *
 * A session ends after `idleMs` without use or `absoluteMs` after creation, whichever is first.
 * The token is rotated every `rotateAfterMs` of use (and on demand, e.g. after a step-up): the
 * previous token stays valid for a few seconds so that requests already in flight do not fail.
 */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  rotateAfterMs: number;
  /** How long a replaced token is still accepted. */
  rotationGraceMs: number;
  /** last_seen_at is written at most this often (a write per request would be wasteful). */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  rotateAfterMs: 15 * 60_000,
  rotationGraceMs: 30_000,
  touchEveryMs: 60_000,
};

export interface ResolvedSession {
  id: string;
  principalId: string;
  homeJurisdiction: Jurisdiction;
  createdAt: Date;
  /** eIDAS level of the sign-in (null: not through a federation, e.g. tests). */
  assuranceLevel: string | null;
  upstream: string | null;
  /** What the control plane grants the principal, read with the session. */
  grants: {
    memberships: { organisationId: string; roles: OrganisationRole[] }[];
    platformRoles: PlatformRole[];
  };
  /** A new token to send to the browser when this request rotated it. */
  newToken: string | null;
}

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export interface SessionService {
  create(input: {
    principalId: string;
    homeJurisdiction: Jurisdiction;
    ip: string | null;
    userAgent: string | null;
    authMethod: string | null;
    requestId?: string;
    /** How the federation vouched for the agent, when the sign-in came through one. */
    federation?: { upstream: string; assuranceLevel: string; acr: string | null; idToken: string | null };
  }): Promise<{ id: string; token: string; absoluteExpiresAt: Date }>;
  resolve(token: string | undefined): Promise<ResolvedSession | null>;
  rotate(sessionId: string): Promise<string | null>;
  end(input: {
    sessionId: string;
    principalId?: string;
    reason: string;
    actorId?: string;
    ip?: string | null;
    /** Home cell of the session's agent, where the event is audited. */
    jurisdiction?: Jurisdiction;
  }): Promise<boolean>;
  /**
   * Ends every live session of an agent (they left their organisation, an operator disabled
   * them, their federation logged them out everywhere). Returns the ids of the sessions ended.
   */
  endAllFor(input: { principalId: string; reason: string; actorId?: string; ip?: string | null; jurisdiction?: Jurisdiction }): Promise<string[]>;
  list(principalId: string, homeJurisdiction: Jurisdiction): Promise<SessionView[]>;
  /**
   * Called after a session ended, whatever the cause (sign-out, ended from the list, left the
   * organisation, upstream back-channel logout). The OpenID provider uses it to send back-channel
   * logout to downstream services. A listener's failure is logged by the caller, never thrown.
   */
  onEnded(listener: SessionEndedListener): void;
}

export interface EndedSession {
  sessionId: string;
  principalId: string;
  reason: string;
}
export type SessionEndedListener = (ended: EndedSession) => Promise<void> | void;

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  authMethod: string | null;
}

export function createSessionService(
  stores: Stores,
  audit: AuditLog,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  clock: () => Date = () => new Date(),
  onListenerError: (error: unknown) => void = () => {},
): SessionService {
  const control = stores.control.db;
  const listeners: SessionEndedListener[] = [];
  const notify = async (ended: EndedSession) => {
    for (const listener of listeners) {
      try {
        await listener(ended);
      } catch (error) {
        onListenerError(error);
      }
    }
  };
  return {
    async create(input) {
      const now = clock();
      const id = uuidv7();
      const token = newToken();
      const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteMs);
      // Cell first, then the control plane (DESIGN.md): a details row without its session is
      // harmless and unreachable; a session without details would show an empty line.
      await insertSessionDetails(stores.cells[input.homeJurisdiction].db, {
        session_id: id,
        principal_id: input.principalId,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 1000) ?? null,
        auth_method: input.authMethod,
        upstream_id_token: input.federation?.idToken ?? null,
        upstream_acr: input.federation?.acr ?? null,
      });
      await insertSession(control, {
        id,
        principal_id: input.principalId,
        token_hash: hashToken(token),
        previous_token_hash: null,
        rotated_at: now,
        created_at: now,
        last_seen_at: now,
        idle_expires_at: new Date(Math.min(now.getTime() + policy.idleMs, absoluteExpiresAt.getTime())),
        absolute_expires_at: absoluteExpiresAt,
        ended_at: null,
        end_reason: null,
        assurance_level: input.federation?.assuranceLevel ?? null,
        upstream: input.federation?.upstream ?? null,
      });
      await audit.record({
        action: 'session.created',
        outcome: 'success',
        actorId: input.principalId,
        resource: { type: 'session', id },
        jurisdiction: input.homeJurisdiction,
        ip: input.ip,
        requestId: input.requestId ?? null,
        details: {
          authMethod: input.authMethod,
          upstream: input.federation?.upstream ?? null,
          assuranceLevel: input.federation?.assuranceLevel ?? null,
        },
      });
      return { id, token, absoluteExpiresAt };
    },

    async resolve(token) {
      if (!token || !TOKEN_PATTERN.test(token)) return null;
      const now = clock();
      const row = await findLiveSessionByTokenHash(control, hashToken(token), now, policy.rotationGraceMs);
      if (row?.principal_status !== 'active') return null;
      let rotated: string | null = null;
      const current = row.token_hash.equals(hashToken(token));
      if (current && now.getTime() - row.rotated_at.getTime() >= policy.rotateAfterMs) {
        rotated = newToken();
        if (!(await rotateSessionToken(control, row.id, hashToken(rotated), now, row.token_hash))) rotated = null;
      }
      if (now.getTime() - row.last_seen_at.getTime() >= policy.touchEveryMs) {
        const idle = Math.min(now.getTime() + policy.idleMs, row.absolute_expires_at.getTime());
        await touchSession(control, row.id, now, new Date(idle));
      }
      return {
        id: row.id,
        principalId: row.principal_id,
        homeJurisdiction: row.home_jurisdiction,
        createdAt: row.created_at,
        assuranceLevel: row.assurance_level,
        upstream: row.upstream,
        grants: { memberships: row.memberships, platformRoles: row.platform_roles },
        newToken: rotated,
      };
    },

    async rotate(sessionId) {
      const token = newToken();
      return (await rotateSessionToken(control, sessionId, hashToken(token), clock(), null)) ? token : null;
    },

    async end({ sessionId, principalId, reason, actorId, ip, jurisdiction }) {
      const ended = await endSessionRow(control, { id: sessionId, principalId }, reason, clock());
      if (ended) {
        await audit.record({
          action: 'session.ended',
          outcome: 'success',
          actorId: actorId ?? ended.principalId,
          resource: { type: 'session', id: sessionId },
          jurisdiction: jurisdiction ?? null,
          ip: ip ?? null,
          details: { reason },
        });
        await notify({ sessionId, principalId: ended.principalId, reason });
      }
      return ended !== null;
    },

    async endAllFor({ principalId, reason, actorId, ip, jurisdiction }) {
      const ended: string[] = [];
      for (const session of await listLiveSessions(control, principalId, clock())) {
        if (await this.end({ sessionId: session.id, principalId, reason, actorId, ip, jurisdiction })) ended.push(session.id);
      }
      return ended;
    },

    onEnded(listener) {
      listeners.push(listener);
    },

    async list(principalId, homeJurisdiction) {
      const now = clock();
      const sessions = await listLiveSessions(control, principalId, now);
      const details = new Map(
        (await selectSessionDetails(stores.cells[homeJurisdiction].db, principalId)).map((d) => [d.session_id, d]),
      );
      return sessions.map((s) => {
        const d = details.get(s.id);
        return {
          id: s.id,
          createdAt: s.created_at,
          lastSeenAt: s.last_seen_at,
          expiresAt: new Date(Math.min(s.idle_expires_at.getTime(), s.absolute_expires_at.getTime())),
          ip: d?.ip ?? null,
          userAgent: d?.user_agent ?? null,
          authMethod: d?.auth_method ?? null,
        };
      });
    },
  };
}
