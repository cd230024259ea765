import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { GetResult } from '../../platform/objects/object-store.ts';
import { openImage } from '../images/images.ts';
import { findImageAmong, type ImageForReading } from '../images/images.repo.ts';
import type { RequestMeta } from '../spaces/deps.ts';
import { renderPublicDocument, type RenderedPage } from './public-page.ts';
import type { LinkByToken } from './share-links.repo.ts';
import { findLinkByToken, linkGone, type SharingDeps, usable } from './share-links.ts';

/**
 * Public links: anyone with the address reads the document, signed in or not. Each view is
 * audited (`workspace.share_link.used`, via `public`), at most once a minute per link and address
 * so that a reader reloading the page, or a crawler the owner let in, does not flood the chain —
 * but every link and address is recorded at least once.
 */
const AUDIT_EVERY_MS = 60_000;
const AUDIT_MEMORY = 20_000;

export interface PublicViews {
  /** The page, or a thrown 404 (unknown, or not a public link) / 410 (revoked, expired, unavailable). */
  page(token: string, locale: Locale, meta: RequestMeta): Promise<RenderedPage>;
  image(token: string, imageId: string): Promise<{ image: ImageForReading; opened: GetResult }>;
  /** Whether the token names a link that is not public (the app's `/partage/` page opens those). */
  isAppLink(token: string): Promise<boolean>;
}

/**
 * A public page is served only while the space allows the open web: not classified `restricted`
 * and asking for no level of assurance (`low`), both read now — a space reclassified or raised
 * after the link was made stops serving it (attack review).
 */
const openToTheWeb = (link: LinkByToken) => usable(link) && link.classification !== 'restricted' && link.min_assurance === 'low';

export function publicViews(deps: SharingDeps): PublicViews {
  const lastAudit = new Map<string, number>();
  const shouldAudit = (key: string): boolean => {
    const now = Date.now();
    const last = lastAudit.get(key);
    if (last !== undefined && now - last < AUDIT_EVERY_MS) return false;
    if (lastAudit.size >= AUDIT_MEMORY) lastAudit.clear();
    lastAudit.set(key, now);
    return true;
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
      if (shouldAudit(`${link.id}:${meta.ip ?? '-'}:${gone ? 'gone' : 'ok'}`)) {
        await deps.audit.record({
          action: 'workspace.share_link.used',
          outcome: gone ? 'denied' : 'success',
          actorId: null,
          jurisdiction,
          resource: { type: 'share_link', id: link.id },
          ip: meta.ip,
          requestId: meta.requestId,
          details: { documentId: link.document_id, via: 'public', reach: link.reach, reason: gone ? (link.revoked_at ? 'revoked' : link.live ? 'unavailable' : 'expired') : 'opened' },
        });
      }
      if (gone) throw linkGone();
      const content = deps.content?.();
      if (!content) throw notFound();
      return renderPublicDocument(content, link, jurisdiction, token, locale);
    },

    async image(token, imageId) {
      if (!isUuid(imageId.toLowerCase())) throw notFound();
      const { link, jurisdiction } = await publicLink(token);
      if (!openToTheWeb(link)) throw linkGone();
      const image = await findImageAmong(deps.stores.cells[jurisdiction].db, imageId.toLowerCase(), [link.space_id]);
      // Only the images of the shared document, never another of its space.
      if (!image || image.document_id !== link.document_id) throw notFound();
      return { image, opened: await openImage(deps, { image, jurisdiction }) };
    },

    async isAppLink(token) {
      try {
        return (await findLinkByToken(deps, token)).link.reach !== 'public';
      } catch {
        return false;
      }
    },
  };
}
