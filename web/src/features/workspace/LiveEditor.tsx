import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
// ProseMirror's own rules (white-space, selection…), from a file: the page's CSP (style-src 'self')
// refuses the <style> Tiptap would inject (injectCSS: false below).
import 'prosemirror-view/style/prosemirror.css';
import 'prosemirror-gapcursor/style/gapcursor.css';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Me } from './api.ts';
import { CollabSession, isRefused, type SessionSnapshot, type SessionUser } from './collab/session.ts';
import { documentExtensions } from './editor/extensions.ts';
import { ImageFiles } from './editor/image-files.ts';
import { ImageInsert, type QueuedImage } from './editor/ImageInsert.tsx';
import { Toolbar } from './editor/Toolbar.tsx';
import { AiActions } from './editor/ai/AiActions.tsx'; // editor AI actions (helper D2)
import { useWorkspaceText } from './text.ts';

/** Caret colours: each carries its white name label at ≥ 4.5:1 (WCAG AA). */
const COLOURS = ['#1f4e9c', '#8c1d18', '#00643c', '#6a1b9a', '#7a4100', '#005f73', '#a3005a', '#3b3b3b'];

function colourOf(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length] as string;
}

interface LiveEditorProps {
  /** Also where uploaded images go: they are readable by those who reach this document. */
  documentId: string;
  epoch: number;
  /** From the document's role: readers and commenters never get an editable editor. */
  readOnly: boolean;
  me: Me | null;
  title: string;
  /** The document's language (contentLanguageOf its space's jurisdiction), whatever the interface's. */
  lang?: string;
  onEpochChanged: () => void;
}

/**
 * The live editor of one document at one epoch: the Y.Doc kept in IndexedDB and synced through
 * `/collab`, presence avatars, named carets, the connection indicator, and a warning before
 * leaving the page while edits are not confirmed by the server.
 */
export function LiveEditor({ documentId, epoch, readOnly, me, title, lang, onEpochChanged }: LiveEditorProps) {
  const { w } = useWorkspaceText();
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    const created = new CollabSession(documentId, epoch, { readOnly, onEpochChanged });
    setSession(created);
    return () => created.destroy();
    // onEpochChanged and readOnly are read once per session: a new epoch or role remounts this.
  }, [documentId, epoch]);

  const user = useMemo<SessionUser>(
    () => ({ name: [me?.givenName, me?.familyName].filter(Boolean).join(' ') || w('workspace.presence.anonymous'), color: colourOf(me?.principalId ?? 'x') }),
    [me, w],
  );
  if (!session) return <p role="status">{w('workspace.loading')}</p>;
  return <SessionEditor key={`${documentId}-${epoch}`} session={session} user={user} readOnly={readOnly} title={title} lang={lang} documentId={documentId} />;
}

function SessionEditor({
  session,
  user,
  readOnly,
  title,
  lang,
  documentId,
}: { session: CollabSession; user: SessionUser; readOnly: boolean; title: string; lang?: string; documentId: string }) {
  const { w } = useWorkspaceText();
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const locked = readOnly || snapshot.readOnly || isRefused(snapshot.state) || snapshot.state === 'epochChanged';

  // Images chosen, pasted or dropped wait here for their alt text (ImageInsert), one at a time.
  const [images, setImages] = useState<QueuedImage[]>([]);
  const nextImageKey = useRef(0);
  const lockedRef = useRef(locked);
  lockedRef.current = locked;
  const queueImages = useCallback((files: File[]) => {
    if (lockedRef.current) return;
    setImages((queued) => [...queued, ...files.map((file) => ({ key: nextImageKey.current++, file }))]);
  }, []);

  const editor = useEditor(
    {
      extensions: [
        ...documentExtensions({ collaborative: true, checkboxLabel: (text, checked) => w(checked ? 'workspace.editor.taskDone' : 'workspace.editor.taskTodo', { text }) }),
        Collaboration.configure({ document: session.doc, field: 'default' }),
        ImageFiles.configure({ onFiles: queueImages }),
        CollaborationCaret.configure({
          provider: session.provider,
          user,
          render: (u: Record<string, unknown>) => {
            const caret = document.createElement('span');
            caret.className = 'collaboration-carets__caret';
            caret.style.borderColor = String(u.color);
            const label = document.createElement('span');
            label.className = 'collaboration-carets__label';
            label.style.backgroundColor = String(u.color);
            label.textContent = String(u.name);
            caret.append(label);
            return caret;
          },
          // A class, not an inline style attribute: the page's CSP (style-src 'self') refuses those.
          selectionRender: () => ({ nodeName: 'span', class: 'collaboration-carets__selection' }),
        }),
      ],
      editable: !locked,
      injectCSS: false,
      editorProps: {
        attributes: {
          class: 'ws-prose',
          ...(lang ? { lang } : {}),
          'aria-label': w('workspace.editor.label', { title }),
          'aria-multiline': 'true',
          role: 'textbox',
          ...(locked ? { 'aria-readonly': 'true' } : {}),
        },
      },
    },
    [session],
  );

  useEffect(() => {
    if (editor && editor.isEditable === locked) editor.setEditable(!locked);
  }, [editor, locked]);

  useEffect(() => {
    session.setUser(user);
  }, [session, user]);

  // Leaving with edits the server has not confirmed: the browser asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      const now = session.getSnapshot();
      if (now.unsynced > 0 || now.pendingLocal) {
        event.preventDefault();
        event.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [session]);

  return (
    <div className="ws-editor" data-connection={snapshot.state}>
      <div className="ws-editor-bar">
        <ConnectionIndicator snapshot={snapshot} />
        <Presence session={session} />
      </div>
      {locked && !isRefused(snapshot.state) && <p className="ws-readonly-note">{w('workspace.editor.readOnly')}</p>}
      {editor && !locked && <Toolbar editor={editor} onImages={queueImages} />}
      {/* ── editor AI actions (helper D2): the « IA » menu and its proposals, for those who may edit ── */}
      {editor && !locked && <AiActions editor={editor} documentId={documentId} whenSaved={session.whenSaved} />}
      {/* ── end editor AI actions ── */}
      {editor && !locked && <ImageInsert editor={editor} documentId={documentId} queue={images} onSettled={() => setImages((queued) => queued.slice(1))} />}
      <EditorContent editor={editor} className="ws-editor-content" />
    </div>
  );
}

export function ConnectionIndicator({ snapshot }: { snapshot: SessionSnapshot }) {
  const { w } = useWorkspaceText();
  const text = w(`workspace.connection.${snapshot.state}`);
  // In the trash: not stopped (the page asks again and sends the edits on a restore), but said as loudly.
  const refused = isRefused(snapshot.state) || snapshot.state === 'inTrash';
  return (
    <p className={`ws-connection ws-connection-${snapshot.state}`} role={refused ? 'alert' : 'status'} data-testid="connection">
      <span className="ws-connection-dot" aria-hidden="true" />
      {text}
    </p>
  );
}

interface Peer {
  clientId: number;
  name: string;
  color: string;
}

/** Who else has the document open (from the provider's awareness), as initials with full names. */
function Presence({ session }: { session: CollabSession }) {
  const { w } = useWorkspaceText();
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    const awareness = session.provider.awareness;
    if (!awareness) return;
    const update = () => {
      const list: Peer[] = [];
      for (const [clientId, state] of awareness.getStates()) {
        const u = (state as { user?: { name?: unknown; color?: unknown } }).user;
        if (!u || typeof u.name !== 'string') continue;
        list.push({ clientId, name: u.name, color: typeof u.color === 'string' ? u.color : COLOURS[0] as string });
      }
      list.sort((a, b) => (a.clientId === session.doc.clientID ? -1 : b.clientId === session.doc.clientID ? 1 : a.name.localeCompare(b.name)));
      setPeers(list);
    };
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [session]);
  if (peers.length === 0) return null;
  return (
    <ul className="ws-presence" aria-label={w('workspace.presence.label')}>
      {peers.map((peer) => {
        const initials = peer.name
          .split(/\s+/)
          .map((part) => part[0] ?? '')
          .join('')
          .slice(0, 2)
          .toUpperCase();
        const you = peer.clientId === session.doc.clientID;
        return (
          <li key={peer.clientId} className="ws-avatar" style={{ backgroundColor: peer.color }} title={peer.name}>
            <span aria-hidden="true">{initials}</span>
            <span className="ws-sr-only">{you ? w('workspace.presence.you', { name: peer.name }) : peer.name}</span>
          </li>
        );
      })}
    </ul>
  );
}
