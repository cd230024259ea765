import type { QuotaView } from './files-api.ts';
import type { UploadFailure } from './uploads.ts';

/**
 * Whether `size` more bytes fit, in the space and in the agent's organisation, counting the bytes
 * already queued (not yet in the listing's figures). The server checks again before any byte is
 * accepted; this check only spares the agent an upload that is bound to be refused.
 */
export function quotaRefusal(size: number, quota: QuotaView, pending: { space: number; organisation: number }): UploadFailure | null {
  const spaceFree = Math.max(0, quota.space.limit - quota.space.used - pending.space);
  if (size > spaceFree) return { kind: 'quota', scope: 'space', organisation: null, size, free: spaceFree, limit: quota.space.limit };
  const organisation = quota.organisation;
  if (organisation) {
    const free = Math.max(0, organisation.limit - organisation.used - pending.organisation);
    if (size > free) return { kind: 'quota', scope: 'organisation', organisation: organisation.name, size, free, limit: organisation.limit };
  }
  return null;
}
