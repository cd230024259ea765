import Collaboration from '@tiptap/extension-collaboration';
import { useEffect, useMemo, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { type Draft, deleteCopy } from './collab/local-copies.ts';
import { ReadOnlyDocument } from './ReadOnlyDocument.tsx';
import { useWorkspaceText } from './text.ts';

/**
 * Drafts (« brouillons ») of this document kept in this browser: edits made on a copy whose
 * content was since replaced wholesale on the server (a new epoch). They are never merged into
 * the document; the agent opens one read-only, copies what they need, then deletes it.
 */
export function DraftsPanel({ drafts, onDeleted }: { drafts: Draft[]; onDeleted: () => void }) {
  const { w } = useWorkspaceText();
  const [open, setOpen] = useState<string | null>(null);
  if (drafts.length === 0) return null;
  return (
    <section className="ws-drafts" aria-labelledby="drafts-heading">
      <h2 id="drafts-heading">{w('workspace.drafts.heading')}</h2>
      <p>{w('workspace.drafts.intro')}</p>
      <ul className="ws-member-list">
        {drafts.map((draft) => (
          <li key={draft.name}>
            <span>{w('workspace.drafts.item', { epoch: draft.epoch })}</span>{' '}
            <button type="button" className="button button-small button-secondary" aria-expanded={open === draft.name} onClick={() => setOpen(open === draft.name ? null : draft.name)}>
              {open === draft.name ? w('workspace.drafts.close') : w('workspace.drafts.open')}
            </button>{' '}
            <button
              type="button"
              className="button button-small button-danger"
              onClick={() => {
                setOpen(null);
                void deleteCopy(draft.name).then(onDeleted);
              }}
            >
              {w('workspace.drafts.delete')}
            </button>
            {open === draft.name && <DraftView draft={draft} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DraftView({ draft }: { draft: Draft }) {
  const { w } = useWorkspaceText();
  const [doc, setDoc] = useState<Y.Doc | null>(null);
  const [copied, setCopied] = useState('');
  useEffect(() => {
    const ydoc = new Y.Doc();
    const persistence = new IndexeddbPersistence(draft.name, ydoc);
    let alive = true;
    void persistence.whenSynced.then(() => {
      if (alive) setDoc(ydoc);
    });
    return () => {
      alive = false;
      void persistence.destroy();
      ydoc.destroy();
    };
  }, [draft.name]);
  const extensions = useMemo(() => (doc ? [Collaboration.configure({ document: doc, field: 'default' })] : undefined), [doc]);
  if (!doc || !extensions) return <p role="status">{w('workspace.loading')}</p>;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(plainText(doc));
      setCopied(w('workspace.drafts.copied'));
    } catch {
      setCopied(w('workspace.drafts.copyFailed'));
    }
  };
  return (
    <div className="ws-draft-view">
      <button type="button" className="button button-small" onClick={() => void copy()}>
        {w('workspace.drafts.copy')}
      </button>
      <p role="status" className="ws-status">
        {copied}
      </p>
      <ReadOnlyDocument extensions={extensions} label={w('workspace.drafts.label', { epoch: draft.epoch })} />
    </div>
  );
}

/** The draft's text, one block per line (what a paste into the live document needs). */
function plainText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlFragment) => {
    if (node instanceof Y.XmlText) {
      const text = (node.toDelta() as { insert?: unknown }[]).map((part) => (typeof part.insert === 'string' ? part.insert : '')).join('');
      lines[lines.length - 1] = (lines[lines.length - 1] ?? '') + text;
      return;
    }
    const isBlock = node instanceof Y.XmlElement && ['paragraph', 'heading', 'codeBlock', 'tableCell', 'tableHeader'].includes(node.nodeName);
    if (isBlock) lines.push('');
    for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
  };
  walk(doc.getXmlFragment('default'));
  return lines.join('\n');
}
