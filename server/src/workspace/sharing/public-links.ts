import { createHmac } from 'node:crypto';
import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { GetResult } from '../../platform/objects/object-store.ts';
import { openImage } from '../images/images.ts';
import { findImageAmong, type ImageForReading } from '../images/images.repo.ts';
import type { RequestMeta } from '../spaces/deps.ts';
import { renderPublicDocument, type RenderedPage } from './public-page.ts';
import type { LinkByToken } from './share-links.repo.ts';
import { findLinkByToken, linkGone, publicLinksAllowed, type SharingDeps, usable } from './share-links.ts';
import { viewTally } from './view-tally.ts';

/**
 * Public links: anyone with the address reads the document, signed in or not. Every view (and
 * every image served through the link) is audited as `workspace.share_link.used` (`via: public`),
 * counted rather than recorded one by one so that a reader reloading the page, or a crawler the
 * owner let in, does not flood the chain: per link, address and outcome, the first view of a
 * minute is recorded at once and the others of that minute in one event with their `count`
 * (view-tally.ts) — an auditor sums `count` to know how many views there were. The address is
 * kept as a keyed hash (HMAC with the server secret), never in clear: these readers are not
 * agents, and an investigator who has an address can still find its events by hashing it.
 */
const AUDIT_WINDOW_MS = 60_000;
const AUDIT_MEMORY = 20_000;

export interface PublicViews {
  /** The page, or a thrown 404 (unknown, or not a public link) / 410 (revoked, expired, unavailable). */
  page(token: string, locale: Locale, meta: RequestMeta): Promise<RenderedPage>;
  image(token: string, imageId: string, meta: RequestMeta): Promise<{ image: ImageForReading; opened: GetResult }>;
  /** Whether the token names a link that is not public (the app's `/partage/` page opens those). */
  isAppLink(token: string): Promise<boolean>;
  /** Records the views counted but not yet recorded (at shutdown; tests). */
  flush(): Promise<void>;
  stop(): void;
}

interface ViewSubject {
  link: LinkByToken;
  jurisdiction: Jurisdiction;
  address: string;
  action: 'read' | 'image';
  outcome: 'success' | 'denied';
  reason: string;
  requestId: string;
}

const reasonOf = (link: LinkByToken) => (link.revoked_at ? 'revoked' : link.live ? 'unavailable' : 'expired');

/**
 * A public page is served only while the space allows the open web: classified `public` and
 * asking for no level of assurance (`low`), both read now — a space reclassified or raised after
 * the link was made stops serving it (attack review).
 */
const openToTheWeb = (link: LinkByToken) => usable(link) && publicLinksAllowed({ classification: link.classification, minAssurance: link.min_assurance });

export function publicViews(deps: SharingDeps, options: { windowMs?: number } = {}): PublicViews {
  const tally = viewTally<ViewSubject>(
    async ({ subject, count, from, to }) =>
      deps.audit.record({
        action: 'workspace.share_link.used',
        outcome: subject.outcome,
        actorId: null,
        jurisdiction: subject.jurisdiction,
        resource: { type: 'share_link', id: subject.link.id },
        ip: null,
        // The request of the first view counted.
        requestId: subject.requestId,
        details: {
          documentId: subject.link.document_id,
          via: 'public',
          reach: subject.link.reach,
          action: subject.action,
          reason: subject.reason,
          address: subject.address,
          count,
          from: from.toISOString(),
          to: to.toISOString(),
        },
      }),
    { windowMs: options.windowMs ?? AUDIT_WINDOW_MS, maxKeys: AUDIT_MEMORY, onError: (err) => deps.logger.warn({ err }, 'recording counted public views failed') },
  );
  const addressOf = (ip: string | null) => createHmac('sha256', deps.secret).update(`share-link-address:${ip ?? '-'}`).digest('base64url').slice(0, 22);
  const count = (subject: Omit<ViewSubject, 'address'> & { ip: string | null }) => {
    const { ip, ...rest } = subject;
    const address = addressOf(ip);
    return tally.add(`${rest.link.id}:${address}:${rest.action}:${rest.outcome}:${rest.reason}`, { ...rest, address });
  };

  async function publicLink(token: string) {
    const found = await findLinkByToken(deps, token);
    if (found.link.reach !== 'public') throw notFound();
    return found;
  }

  return {
    async page(token, locale, meta) {
      const { link, jurisdiction } = await publicLink(token);
      const gone = !openToTheWeb(link);
      await count({ link, jurisdiction, ip: meta.ip, requestId: meta.requestId, action: 'read', outcome: gone ? 'denied' : 'success', reason: gone ? reasonOf(link) : 'opened' });
      if (gone) throw linkGone();
      const content = deps.content?.();
      if (!content) throw notFound();
      return renderPublicDocument(content, link, jurisdiction, token, locale);
    },

    async image(token, imageId, meta) {
      if (!isUuid(imageId.toLowerCase())) throw notFound();
      const { link, jurisdiction } = await publicLink(token);
      if (!openToTheWeb(link)) {
        await count({ link, jurisdiction, ip: meta.ip, requestId: meta.requestId, action: 'image', outcome: 'denied', reason: reasonOf(link) });
        throw linkGone();
      }
      const image = await findImageAmong(deps.stores.cells[jurisdiction].db, imageId.toLowerCase(), [link.space_id]);
      // Only the images of the shared document, never another of its space.
      if (!image || image.document_id !== link.document_id) throw notFound();
      // Counted before the object is opened: a failed audit write leaves no stream open.
      await count({ link, jurisdiction, ip: meta.ip, requestId: meta.requestId, action: 'image', outcome: 'success', reason: 'opened' });
      const opened = await openImage(deps, { image, jurisdiction });
      return { image, opened };
    },

    async isAppLink(token) {
      try {
        return (await findLinkByToken(deps, token)).link.reach !== 'public';
      } catch {
        return false;
      }
    },

    flush: () => tally.flush(),
    stop: () => tally.stop(),
  };
}
