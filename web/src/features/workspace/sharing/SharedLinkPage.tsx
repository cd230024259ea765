import { contentLanguageOf } from '@entente/common/i18n/content-language.ts';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Problem } from '../../../app/api.ts';
import { fetchMe } from '../../../app/me.ts';
import { CommentsPanel } from '../comments/CommentsPanel.tsx';
import { Page } from '../../../app/Page.tsx';
import { PATHS } from '../../../app/routes.ts';
import { type DocumentDetails, documentsApi, type Me, roleAtLeast } from '../api.ts';
import { LiveEditor } from '../LiveEditor.tsx';
import { useWorkspaceText } from '../text.ts';
import { type Redeemed, sharingApi } from './api.ts';
import { useSharingText } from './text.ts';
import '../workspace.css';
import './sharing.css';

type Opened =
  | { state: 'opening' }
  | { state: 'signedOut' }
  | { state: 'notFound' }
  | { state: 'gone' }
  | { state: 'reach' }
  | { state: 'failed'; error: unknown }
  | { state: 'ready'; redeemed: Redeemed; doc: DocumentDetails; me: Me | null };

/**
 * `/partage/<token>`: opens a share link as the signed-in agent. A member of the space goes to the
 * document in its space; a public link goes to its server-rendered page; anyone else the link
 * admits reads (or edits, as the link says) this one document here, without the space's tree.
 */
export function SharedLinkPage() {
  const { token = '' } = useParams();
  const s = useSharingText();
  const { w, problem } = useWorkspaceText();
  const navigate = useNavigate();
  const [opened, setOpened] = useState<Opened>({ state: 'opening' });

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const redeemed = await sharingApi.redeem(token);
        if (!redeemed || cancelled) return;
        if (redeemed.publicUrl) {
          window.location.replace(redeemed.publicUrl);
          return;
        }
        if (redeemed.member) {
          navigate(`/espaces/${encodeURIComponent(redeemed.spaceId)}/documents/${encodeURIComponent(redeemed.documentId)}`, { replace: true });
          return;
        }
        const [doc, me] = await Promise.all([documentsApi.get(redeemed.documentId), fetchMe<Me>().catch(() => null)]);
        if (!cancelled) setOpened({ state: 'ready', redeemed, doc, me });
      } catch (error) {
        if (cancelled) return;
        if (error instanceof Problem && error.status === 401) setOpened({ state: 'signedOut' });
        else if (error instanceof Problem && error.status === 404) setOpened({ state: 'notFound' });
        else if (error instanceof Problem && error.status === 410) setOpened({ state: 'gone' });
        else if (error instanceof Problem && error.slug === 'share_link_reach') setOpened({ state: 'reach' });
        else setOpened({ state: 'failed', error });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [token, navigate]);

  if (opened.state !== 'ready') {
    return (
      <Page title={s('sharing.open.title')} className="workspace">
        {opened.state === 'opening' && <p role="status">{s('sharing.open.loading')}</p>}
        {opened.state === 'signedOut' && (
          <p>
            {s('sharing.open.signIn')} <Link to={`${PATHS.signIn}?${new URLSearchParams({ retour: `/partage/${token}` })}`}>{s('sharing.open.signInLink')}</Link>
          </p>
        )}
        {opened.state === 'notFound' && <p role="alert">{s('sharing.open.notFound')}</p>}
        {opened.state === 'gone' && <p role="alert">{s('sharing.open.gone')}</p>}
        {opened.state === 'reach' && <p role="alert">{s('sharing.open.reach')}</p>}
        {opened.state === 'failed' && <p role="alert">{w('workspace.loadFailed', { reason: problem(opened.error) })}</p>}
      </Page>
    );
  }
  const { doc, me } = opened;
  const title = doc.title || w('workspace.tree.untitled');
  return (
    <Page title={title} headingLang={doc.title ? contentLanguageOf(doc.jurisdiction) : undefined} className="workspace ws-document-page" meta={<p className="ws-breadcrumb">{s('sharing.open.space', { space: doc.spaceName })}</p>}>
      <p className="ws-share-note">{s('sharing.open.through', { role: w(`workspace.role.${doc.role}`) })}</p>
      {doc.insufficientAssurance ? (
        <p role="alert">{w('workspace.document.assurance', { level: w(`workspace.assurance.${doc.minAssurance}`) })}</p>
      ) : (
        <>
          <LiveEditor documentId={doc.id} epoch={doc.epoch} readOnly={!roleAtLeast(doc.role, 'editor') || doc.trashedAt !== null} me={me} title={title} lang={contentLanguageOf(doc.jurisdiction)} onEpochChanged={() => window.location.reload()} />
          {/* A commenter link is for commenting: the panel (the server decides who may write). */}
          <CommentsPanel documentId={doc.id} spaceId={doc.spaceId} />
        </>
      )}
    </Page>
  );
}
