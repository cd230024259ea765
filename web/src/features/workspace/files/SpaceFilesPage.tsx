import { contentLanguageOf } from '@entente/common/i18n/content-language.ts';
import { useMemo } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Page } from '../../../app/Page.tsx';
import { DocumentTree } from '../DocumentTree.tsx';
import { SpaceMeta, SpaceNotReady } from '../SpacePage.tsx';
import { useSpace } from '../useSpace.ts';
import { useWorkspaceText } from '../text.ts';
import { FilesPanel } from './FilesPanel.tsx';
import { SpaceSections } from './SpaceSections.tsx';
import { useFilesText } from './text.ts';
import '../workspace.css';

/** `/espaces/:spaceId/fichiers[/:folderId][?vue=corbeille]`: the space's files beside its documents tree. */
export function SpaceFilesPage() {
  const { spaceId = '', folderId = null } = useParams();
  const [search] = useSearchParams();
  const trash = search.get('vue') === 'corbeille';
  const { w } = useWorkspaceText();
  const { f } = useFilesText();
  const { loaded, act, status, alert, setStatus, setAlert, filesTick } = useSpace(spaceId);
  const say = useMemo(() => ({ status: setStatus, alert: setAlert }), [setStatus, setAlert]);

  if (loaded.state !== 'ready') return <SpaceNotReady state={loaded} />;
  const { space, documents, me } = loaded;
  return (
    <Page title={f('files.title', { space: space.name })} heading={space.name} className="workspace ws-files-page" meta={<SpaceMeta space={space} />}>
      <p role="status" className="ws-status">
        {status}
      </p>
      <p role="alert" className="ws-alert">
        {alert}
      </p>
      <div className="ws-layout">
        <aside className="ws-sidebar" aria-labelledby="tree-heading">
          <h2 id="tree-heading">{w('workspace.tree.heading')}</h2>
          <DocumentTree spaceId={space.id} lang={contentLanguageOf(space.jurisdiction)} documents={documents} role={space.role} act={act} />
        </aside>
        <div className="ws-content">
          <SpaceSections spaceId={space.id} />
          <FilesPanel
            key={space.id}
            spaceId={space.id}
            folderId={trash ? null : folderId}
            trash={trash}
            isOwner={space.role === 'owner'}
            myId={me?.principalId ?? null}
            refreshKey={filesTick}
            say={say}
          />
        </div>
      </div>
    </Page>
  );
}
