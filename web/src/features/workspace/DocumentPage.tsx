import { contentLanguageOf } from '@entente/common/i18n/content-language.ts';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../../app/Page.tsx';
import { Problem } from '../../app/api.ts';
import { type DocumentDetails, documentsApi, roleAtLeast, spacePath } from './api.ts';
import { type Draft, sortOtherEpochs } from './collab/local-copies.ts';
import { DocumentTree } from './DocumentTree.tsx';
import { DraftsPanel } from './DraftsPanel.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { LiveEditor } from './LiveEditor.tsx';
import { SpaceMeta, SpaceNotReady } from './SpacePage.tsx';
import { useWorkspaceText } from './text.ts';
import { useSpace } from './useSpace.ts';
import { ShareButton } from './sharing/ShareButton.tsx'; // share links (helper S)
import { DocumentExportMenu } from './exports/ExportMenu.tsx'; // ── exports (helper E) ──
import { CommentsPanel } from './comments/CommentsPanel.tsx'; // comments (helper C)
// ── assistant panel (helper D1) ──
import { AssistantButton } from '../assistant/panel/AssistantButton.tsx';
import { PassageLocator } from '../assistant/panel/PassageLocator.tsx';
// ── end assistant panel ──
import './workspace.css';
import { ClassificationControl } from './ClassificationControl.tsx'; // classification labels (helper B)

type DocState = { state: 'loading' } | { state: 'notFound' } | { state: 'failed'; error: unknown } | { state: 'ready'; doc: DocumentDetails };

/** One document: the space's tree beside it, the live editor, this browser's drafts, the history. */
export function DocumentPage() {
  const { spaceId = '', documentId = '' } = useParams();
  const { w, problem } = useWorkspaceText();
  const space = useSpace(spaceId);
  const [loaded, setLoaded] = useState<DocState>({ state: 'loading' });
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [epochNotice, setEpochNotice] = useState('');

  const load = useCallback(async () => {
    try {
      const doc = await documentsApi.get(documentId);
      setLoaded({ state: 'ready', doc });
      setDrafts(await sortOtherEpochs(doc.id, doc.epoch));
    } catch (error) {
      setLoaded(error instanceof Problem && (error.status === 404 || error.status === 403) ? { state: 'notFound' } : { state: 'failed', error });
    }
  }, [documentId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (space.loaded.state !== 'ready') return <SpaceNotReady state={space.loaded} />;
  const { space: info, documents } = space.loaded;
  // The tree's copy is fresher: a rename from the tree shows at once in the heading.
  const current = documents.find((d) => d.id === documentId)?.title ?? (loaded.state === 'ready' ? loaded.doc.title : null);
  const title = current === null ? w('workspace.document.title') : current || w('workspace.tree.untitled');

  return (
    <Page
      title={title}
      // The document's own title is in its language; « Sans titre » and the like are the interface's.
      headingLang={current ? contentLanguageOf(info.jurisdiction) : undefined}
      className="workspace ws-document-page"
      meta={
        <p className="ws-breadcrumb">
          <Link to={spacePath(info.id)}>{info.name}</Link>
        </p>
      }
    >
      <p role="status" className="ws-status">
        {space.status || epochNotice}
      </p>
      <p role="alert" className="ws-alert">
        {space.alert}
      </p>
      <div className="ws-layout">
        <aside className="ws-sidebar" aria-labelledby="tree-heading">
          <h2 id="tree-heading">{w('workspace.tree.heading')}</h2>
          <DocumentTree spaceId={info.id} lang={contentLanguageOf(info.jurisdiction)} documents={documents} role={info.role} currentId={documentId} act={space.act} />
        </aside>
        <div className="ws-content">
          <SpaceMeta space={info} />
          <ClassificationControl kind="document" id={documentId} /> {/* ── classification labels (helper B) ── */}
          {loaded.state === 'ready' && <ShareButton doc={loaded.doc} publicAllowed={info.classification === 'public' && info.minAssurance === 'low'} />} {/* share links (helper S) */}
          {loaded.state === 'ready' && <DocumentExportMenu doc={{ ...loaded.doc, title }} />} {/* ── exports (helper E) ── */}
          {/* ── assistant panel (helper D1): the « Assistant » button, and ?passage= from a citation scrolled to and highlighted ── */}
          {loaded.state === 'ready' && <AssistantButton spaceId={loaded.doc.spaceId} documentId={loaded.doc.id} />}
          <PassageLocator />
          {/* ── end assistant panel ── */}
          {loaded.state === 'loading' && <p role="status">{w('workspace.loading')}</p>}
          {loaded.state === 'notFound' && <p role="alert">{w('workspace.document.notFound')}</p>}
          {loaded.state === 'failed' && <p role="alert">{w('workspace.loadFailed', { reason: problem(loaded.error) })}</p>}
          {loaded.state === 'ready' && loaded.doc.trashedAt && <p className="ws-readonly-note">{w('workspace.document.inTrash')}</p>}
          {loaded.state === 'ready' && loaded.doc.insufficientAssurance && <p role="alert">{w('workspace.document.assurance', { level: w(`workspace.assurance.${loaded.doc.minAssurance}`) })}</p>}
          {loaded.state === 'ready' && !loaded.doc.insufficientAssurance && (
            <>
              <DraftsPanel drafts={drafts} onDeleted={() => void sortOtherEpochs(loaded.doc.id, loaded.doc.epoch).then(setDrafts)} />
              <LiveEditor
                key={`${loaded.doc.id}-${loaded.doc.epoch}`}
                documentId={loaded.doc.id}
                epoch={loaded.doc.epoch}
                readOnly={!roleAtLeast(loaded.doc.role, 'editor') || loaded.doc.trashedAt !== null}
                me={space.loaded.me}
                title={title}
                lang={contentLanguageOf(loaded.doc.jurisdiction)}
                onEpochChanged={() => {
                  setEpochNotice(w('workspace.document.epochChanged'));
                  void load();
                }}
              />
              <CommentsPanel key={loaded.doc.id} documentId={loaded.doc.id} spaceId={loaded.doc.spaceId} /> {/* comments (helper C) */}
              <HistoryPanel documentId={loaded.doc.id} canEdit={roleAtLeast(loaded.doc.role, 'editor') && loaded.doc.trashedAt === null} lang={contentLanguageOf(loaded.doc.jurisdiction)} />
            </>
          )}
        </div>
      </div>
    </Page>
  );
}
