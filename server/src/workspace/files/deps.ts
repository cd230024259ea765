import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../identity/actor.ts';
import type { AuditEvent, AuditLog } from '../../platform/audit/audit-log.ts';
import type { Cells } from '../../platform/cells/cells.ts';
import type { KeyOwner } from '../../platform/crypto/keyring.ts';
import type { Stores } from '../../platform/db/stores.ts';
import type { EventBus } from '../../platform/events/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { MalwareScanner } from '../../platform/scanning/malware-scanner.ts';
import type { RequestMeta } from '../spaces/deps.ts';

/** What the files area needs, given once by the composition root. */
export interface FilesLimits {
  /** ENTENTE_MAX_FILE_BYTES. */
  maxFileBytes: number;
  /** ENTENTE_SPACE_QUOTA_BYTES: a space's quota unless an operator set another. */
  spaceQuotaBytes: number;
  /** ENTENTE_ORGANISATION_QUOTA_BYTES: an organisation's quota unless an operator set another. */
  organisationQuotaBytes: number;
}

export interface FilesDeps {
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  logger: Logger;
  scanner: MalwareScanner;
  limits: FilesLimits;
  /** Tells open files pages of a change (live/space-events); absent in tests that need none. */
  events?: EventBus;
  /** Tests move time (trash purge, upload expiry). */
  now?: () => Date;
}

export const nowOf = (deps: Pick<FilesDeps, 'now'>): Date => deps.now?.() ?? new Date();

/** Everything of a space is encrypted with the space's data key. */
export const spaceKeyOwner = (spaceId: string): KeyOwner => ({ type: 'space', id: spaceId });

// Object keys (common contract §3): everything of a space under `spaces/<spaceId>/`.
export const versionKey = (spaceId: string, fileId: string, versionId: string) => `spaces/${spaceId}/files/${fileId}/${versionId}`;
export const thumbnailKey = (spaceId: string, versionId: string) => `spaces/${spaceId}/thumbnails/${versionId}`;
export const uploadPrefix = (spaceId: string, uploadId: string) => `spaces/${spaceId}/uploads/${uploadId}/`;
/** The offset, then the part's own id: two PATCHes racing at one offset never write the same object. */
export const partKey = (spaceId: string, uploadId: string, offset: number, partId: string) => `${uploadPrefix(spaceId, uploadId)}${offset}-${partId}`;

export const fileUrl = (id: string) => `/api/files/${id}`;

/**
 * A rate limit's key: the signed-in agent (many agents may share an address), else the address.
 * Never the raw Cookie header: an agent adding a meaningless cookie would get a new allowance at
 * each request.
 */
export const perAgent = (prefix: string) => async (request: FastifyRequest) => {
  const actor = await request.actor();
  return actor ? `${prefix}:${actor.principalId}` : `${prefix}-ip:${request.ip}`;
};

/** An audit event of the files area, kept in the space's cell. */
export function fileEvent(
  actor: Actor | null,
  jurisdiction: Jurisdiction,
  action: string,
  resource: { type: 'file' | 'folder' | 'upload'; id: string },
  meta: RequestMeta | null,
  details: Record<string, string | number | boolean | null>,
): AuditEvent {
  return {
    action,
    outcome: 'success',
    actorId: actor?.principalId ?? null,
    jurisdiction,
    resource,
    ip: meta?.ip ?? null,
    requestId: meta?.requestId ?? null,
    details,
  };
}
