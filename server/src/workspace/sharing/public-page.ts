import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { formatMessage } from '../../../../common/src/i18n/format.ts';
import type { Locale } from '../../../../common/src/i18n/locales.ts';
import { documentToHtml, escapeHtml, escapeHtmlAttr } from '../content/html.ts';
import { yDocToJson } from '../content/ydoc-json.ts';
import type { DocumentContent } from '../spaces/deps.ts';
import type { LinkByToken } from './share-links.repo.ts';
import { longDateFormat } from '../../../../common/src/i18n/long-date.ts';
import { contentLanguageOf } from '../../../../common/src/i18n/content-language.ts';

/**
 * The page a public link shows (`GET /p/<token>`): a complete, read-only HTML page rendered on
 * the server — no script at all, and a CSP that forbids any (`default-src 'none'`, the one
 * stylesheet allowed by its hash) —, `noindex` in a meta and in `X-Robots-Tag` unless the owner
 * allowed indexing, the document's images served through the link (`/p/<token>/images/<id>`),
 * `no-referrer` so that following a link in the document never hands the token to another site,
 * and `no-store` so that a revocation shows at the next load. Gone (revoked, expired, trashed) or
 * unknown links get a page in French and English.
 *
 * Not platform/http/server-page.ts: these pages need images, a robots value the owner chooses,
 * no-referrer, and the document's own headings under a header and before a footer.
 */
const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;line-height:1.6;color:#1a1a1a;background:#fff;margin:0}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem 1.25rem}
header{border-bottom:1px solid #d0d0d0}header p{margin:.25rem 0;color:#3a3a3a}
footer{border-top:1px solid #d0d0d0;color:#3a3a3a;font-size:.9rem}
h1{font-size:1.8rem;line-height:1.25}
img{max-width:100%;height:auto}
pre{background:#f4f4f4;padding:.75rem;overflow:auto}code{font-family:"DejaVu Sans Mono",monospace}
table{border-collapse:collapse}td,th{border:1px solid #8a8a8a;padding:.25rem .5rem}
blockquote{border-left:4px solid #5a5a5a;margin-left:0;padding-left:1rem}
aside{border:1px solid #5a5a5a;padding:.5rem 1rem;margin:1rem 0}
a{color:#0b4aa2}a:focus{outline:3px solid #0b4aa2;outline-offset:2px}
ul.task-list{list-style:none;padding-left:1.2rem}li.task-item>p:first-of-type{display:inline}
.gone{padding-top:3rem}`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** No script, no frame, no form; the inline stylesheet by its hash; images from this origin only. */
export const PUBLIC_PAGE_CSP = `default-src 'none'; img-src 'self'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const IMAGE_SRC = /^\/api\/images\/([0-9a-f-]{36})$/i;

function page(lang: string, title: string, robots: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtmlAttr(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="${escapeHtmlAttr(robots)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
}

export interface RenderedPage {
  html: string;
  robots: string;
}

export function robotsOf(link: Pick<LinkByToken, 'allow_indexing'>): string {
  return link.allow_indexing ? 'index, follow' : 'noindex, nofollow';
}

/** The shared document's page, in the reader's language for what Entente says around it. */
export async function renderPublicDocument(content: DocumentContent, link: LinkByToken, jurisdiction: 'FR' | 'QC', token: string, locale: Locale): Promise<RenderedPage> {
  const { state } = await content.load({ documentId: link.document_id, spaceId: link.space_id, jurisdiction });
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const json = yDocToJson(doc);
    const t = (key: string, values?: Record<string, string>) => formatMessage(locale, key, values);
    const article = documentToHtml(json, {
      // Only the document's own images, through the link; anything else is left out (its alt text stays).
      images: (src) => {
        const id = IMAGE_SRC.exec(src)?.[1];
        return id ? `/p/${token}/images/${id.toLowerCase()}` : null;
      },
    });
    const expires = link.expires_at ? longDateFormat(locale, { timeZone: 'UTC' }).format(link.expires_at) : null;
    const robots = robotsOf(link);
    // The document's title and text are in its space's language; « Sans titre » and the rest are the reader's.
    const lang = escapeHtmlAttr(contentLanguageOf(jurisdiction));
    const body = `<header>
<p>${escapeHtml(t('sharing.public.banner'))}</p>
${expires ? `<p>${escapeHtml(t('sharing.public.expires', { date: expires }))}</p>` : ''}
</header>
<main>
${link.title ? `<h1 lang="${lang}">${escapeHtml(link.title)}</h1>` : `<h1>${escapeHtml(t('sharing.public.untitled'))}</h1>`}
<article lang="${lang}">
${article}
</article>
</main>
<footer><p>${escapeHtml(t('sharing.public.footer'))}</p></footer>`;
    return { html: page(locale, link.title || t('sharing.public.untitled'), robots, body), robots };
  } finally {
    doc.destroy();
  }
}

/** 404 (unknown) or 410 (revoked, expired, no longer available): said in French and in English. */
export function renderGonePage(status: 404 | 410): string {
  const fr = (key: string) => formatMessage('fr-FR', key);
  const en = (key: string) => formatMessage('en', key);
  const which = status === 410 ? 'gone' : 'notFound';
  const body = `<main class="gone">
<h1>${escapeHtml(fr(`sharing.public.${which}.title`))}</h1>
<p>${escapeHtml(fr(`sharing.public.${which}.detail`))}</p>
<section lang="en">
<h2>${escapeHtml(en(`sharing.public.${which}.title`))}</h2>
<p>${escapeHtml(en(`sharing.public.${which}.detail`))}</p>
</section>
</main>`;
  return page('fr', `${fr(`sharing.public.${which}.title`)} — ${en(`sharing.public.${which}.title`)}`, 'noindex, nofollow', body);
}
