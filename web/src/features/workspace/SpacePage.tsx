import { contentLanguageOf } from '@entente/common/i18n/content-language.ts';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Page } from '../../app/Page.tsx';
import { PATHS } from '../../app/routes.ts';
import { SignInLink } from '../../app/SignInLink.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { type DocumentSummary, documentsApi, roleAtLeast, type Space } from './api.ts';
import { DocumentTree } from './DocumentTree.tsx';
import { SpaceSections } from './files/SpaceSections.tsx';
import { SpaceExportMenu } from './exports/ExportMenu.tsx'; // ── exports (helper E) ──
import { ImportPanel } from './imports/ImportPanel.tsx'; // ── document imports (helper I) ──
import { AssistantButton } from '../assistant/panel/AssistantButton.tsx'; // ── assistant panel (helper D1) ──
import { MembersPanel } from './MembersPanel.tsx';
import { SpaceSettingsSection } from './SpaceSettingsSection.tsx';
import { ClassificationControl } from './ClassificationControl.tsx'; // classification labels (helper B)
import { useWorkspaceText } from './text.ts';
import { useSpace } from './useSpace.ts';
import './workspace.css';

/** A space: its document tree (sidebar), its members, and its trash. */
export function SpacePage() {
  const { spaceId = '' } = useParams();
  const { w } = useWorkspaceText();
  const navigate = useNavigate();
  const { loaded, act, reload, status, alert, setStatus, membersTick, spaceTick } = useSpace(spaceId);

  if (loaded.state !== 'ready') return <SpaceNotReady state={loaded} />;
  const { space, documents, me } = loaded;
  return (
    <Page title={space.name} className="workspace" meta={<SpaceMeta space={space} />}>
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
          <SpaceExportMenu space={space} /> {/* ── exports (helper E) ── */}
          <AssistantButton spaceId={space.id} documentId={null} /> {/* ── assistant panel (helper D1) ── */}
          {space.description && <p className="ws-description">{space.description}</p>}
          {space.role === 'owner' && (
            <SpaceSettingsSection
              space={space}
              onSaved={async (message) => {
                await reload();
                setStatus(message);
              }}
            />
          )}
          <ClassificationControl kind="space" id={space.id} refreshKey={spaceTick} /> {/* ── classification labels (helper B) ── */}
          <MembersPanel spaceId={space.id} role={space.role} myId={me?.principalId ?? null} act={act} refreshKey={membersTick} onLeft={() => void navigate(PATHS.spaces)} />
          {roleAtLeast(space.role, 'editor') && <ImportPanel spaceId={space.id} spaceName={space.name} documents={documents} act={act} />} {/* ── document imports (helper I) ── */}
          {roleAtLeast(space.role, 'editor') && <TrashPanel space={space} act={act} liveDocuments={documents} />}
        </div>
      </div>
    </Page>
  );
}


export function SpaceMeta({ space }: { space: Pick<Space, 'jurisdiction' | 'role' | 'classification'> }) {
  const { w } = useWorkspaceText();
  return (
    <p className="ws-tags">
      <span className={`ws-badge ws-badge-${space.jurisdiction.toLowerCase()}`}>{w(`workspace.jurisdiction.${space.jurisdiction}`)}</span>
      <span>{w('workspace.spaces.role', { role: w(`workspace.role.${space.role}`) })}</span>
      <span>{w('workspace.spaces.classification', { classification: w(`workspace.classification.${space.classification}`) })}</span>
    </p>
  );
}

export function SpaceNotReady({ state }: { state: { state: 'loading' } | { state: 'signedOut' } | { state: 'notFound' } | { state: 'failed'; error: unknown } }) {
  const { w, problem } = useWorkspaceText();
  const title = w('workspace.space.title');
  return (
    <Page title={title}>
      {state.state === 'loading' && <p role="status">{w('workspace.loading')}</p>}
      {state.state === 'signedOut' && (
        <p>
          {w('workspace.signInNeeded')} <SignInLink>{w('workspace.signIn')}</SignInLink>
        </p>
      )}
      {state.state === 'notFound' && (
        <p role="alert">
          {w('workspace.space.notFound')} <Link to={PATHS.spaces}>{w('workspace.space.backToSpaces')}</Link>
        </p>
      )}
      {state.state === 'failed' && <p role="alert">{w('workspace.loadFailed', { reason: problem(state.error) })}</p>}
    </Page>
  );
}

/** The trash: documents sent there (children follow), restorable; owners delete for good, after confirming. */
function TrashPanel({
  space,
  act,
  liveDocuments,
}: {
  space: Space;
  act: (change: () => Promise<unknown>, done: string) => Promise<boolean>;
  /** The tree's list: when it changes (a document trashed from the tree), the trash is read again. */
  liveDocuments: DocumentSummary[];
}) {
  const { w, dateTime } = useWorkspaceText();
  const [open, setOpen] = useState(false);
  const [trashed, setTrashed] = useState<DocumentSummary[] | null>(null);
  const [pending, setPending] = useState<DocumentSummary | null>(null);
  const load = useCallback(async () => {
    try {
      setTrashed((await documentsApi.list(space.id, true)).documents.filter((d) => d.trashedAt));
    } catch {
      setTrashed([]);
    }
  }, [space.id]);
  // liveDocuments is only the signal to read the trash again.
  useEffect(() => {
    if (open) void load();
  }, [open, load, liveDocuments]);
  const run = async (change: () => Promise<unknown>, done: string) => {
    if (await act(change, done)) await load();
  };
  return (
    <section aria-labelledby="trash-heading" className="ws-trash">
      <h2 id="trash-heading">{w('workspace.trash.heading')}</h2>
      <button type="button" className="button button-secondary" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {open ? w('workspace.trash.hide') : w('workspace.trash.show')}
      </button>
      {open &&
        (trashed === null ? (
          <p>{w('workspace.loading')}</p>
        ) : trashed.length === 0 ? (
          <p>{w('workspace.trash.empty')}</p>
        ) : (
          <ul className="ws-member-list">
            {trashed.map((doc) => (
              <li key={doc.id}>
                <span>{doc.title}</span> <span className="ws-muted">{doc.trashedAt && w('workspace.trash.since', { date: dateTime(doc.trashedAt) })}</span>{' '}
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => void run(() => documentsApi.restore(doc.id), w('workspace.trash.restored', { title: doc.title }))}
                >
                  {w('workspace.trash.restore', { title: doc.title })}
                </button>{' '}
                {space.role === 'owner' && (
                  <button type="button" className="button button-small button-danger" onClick={() => setPending(doc)}>
                    {w('workspace.trash.destroy', { title: doc.title })}
                  </button>
                )}
              </li>
            ))}
          </ul>
        ))}
      <ConfirmDialog
        open={pending !== null}
        title={w('workspace.trash.destroyTitle', { title: pending?.title ?? '' })}
        text={w('workspace.trash.destroyText')}
        cancelLabel={w('workspace.cancel')}
        confirmLabel={w('workspace.trash.destroyConfirm')}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          const doc = pending;
          setPending(null);
          if (doc) void run(() => documentsApi.destroy(doc.id), w('workspace.trash.destroyed', { title: doc.title }));
        }}
      />
    </section>
  );
}
