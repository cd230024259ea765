import { type DragEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type DocumentSummary, documentPath, documentsApi, roleAtLeast, type SpaceRole } from './api.ts';
import { InlineTextForm } from './InlineTextForm.tsx';
import { useWorkspaceText } from './text.ts';
import { buildTree, type Move, type MoveKind, neighbourAfterRemoval, planDrop, planMove, type TreeNode } from './tree.ts';

interface TreeProps {
  spaceId: string;
  /** The documents' language (their space's): their titles are marked with it. */
  lang?: string;
  documents: DocumentSummary[];
  role: SpaceRole;
  currentId?: string;
  /** Runs a change, reloads the list, says the outcome (status) or the failure (alert). */
  act: (change: () => Promise<unknown>, done: string) => Promise<boolean>;
}

const MOVES: readonly MoveKind[] = ['up', 'down', 'indent', 'outdent'];

/**
 * The space's documents as nested lists: a disclosure button per parent, a link per document,
 * and an « Actions » disclosure per document (rename, new sub-document, move up/down/in/out,
 * duplicate, trash). Moves work by drag and drop too; each outcome is announced in the page's
 * status region, and focus stays on the moved document's actions.
 */
export function DocumentTree({ spaceId, lang, documents, role, currentId, act }: TreeProps) {
  const { w } = useWorkspaceText();
  const roots = useMemo(() => buildTree(documents), [documents]);
  const [expanded, setExpanded] = useState<Set<string>>(() => {
    // The current document's ancestors start open, so it is visible.
    const open = new Set<string>();
    const byId = new Map(documents.map((d) => [d.id, d]));
    let parent = currentId ? byId.get(currentId)?.parentId : null;
    while (parent && !open.has(parent)) {
      open.add(parent);
      parent = byId.get(parent)?.parentId ?? null;
    }
    return open;
  });
  const [dragging, setDragging] = useState<string | null>(null);
  const [openActions, setOpenActions] = useState<string | null>(null);
  // Where the keyboard goes once the list came back: a moved row's « ⋯ » (the row may be a new
  // element), a trashed row's neighbour's link, or the tree itself when nothing is left.
  const [refocus, setRefocus] = useState<{ id: string; on: 'actions' | 'link' } | { id: null } | null>(null);
  const nav = useRef<HTMLElement>(null);
  // A document that left the list (trash) closes its actions: it comes back (restore) closed.
  useEffect(() => {
    if (openActions && !documents.some((d) => d.id === openActions)) setOpenActions(null);
  }, [documents, openActions]);
  useEffect(() => {
    if (!refocus) return;
    const target =
      refocus.id === null
        ? nav.current
        : document.querySelector<HTMLElement>(
            `[data-document-id="${CSS.escape(refocus.id)}"] > .ws-tree-row ${refocus.on === 'actions' ? '.ws-tree-actions-toggle' : '.ws-tree-link'}`,
          );
    if (target) {
      target.focus();
      setRefocus(null);
    }
  }, [refocus, documents]);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const editor = roleAtLeast(role, 'editor');
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const titleOf = (id: string | null) => (id ? (documents.find((d) => d.id === id)?.title ?? '') : '');
  const move = async (doc: DocumentSummary, plan: Move) => {
    const where = plan.parentId
      ? w('workspace.tree.movedUnder', { title: doc.title, parent: titleOf(plan.parentId), position: plan.position + 1 })
      : w('workspace.tree.movedRoot', { title: doc.title, position: plan.position + 1 });
    if (plan.parentId) setExpanded((current) => new Set(current).add(plan.parentId as string));
    const ok = await act(() => documentsApi.update(doc.id, { parentId: plan.parentId, position: plan.position }), where);
    // The moved row may have been re-created under its new parent: give the keyboard back to it.
    if (ok) {
      setOpenActions(doc.id);
      setRefocus({ id: doc.id, on: 'actions' });
    }
  };
  const trash = async (doc: DocumentSummary) => {
    // Chosen before the list changes: the row and its place are gone after.
    const neighbour = neighbourAfterRemoval(roots, doc.id);
    if (await act(() => documentsApi.trash(doc.id), w('workspace.tree.trashed', { title: doc.title || w('workspace.tree.untitled') }))) {
      setRefocus(neighbour ? { id: neighbour, on: 'link' } : { id: null });
    }
  };

  const dropOn = (target: string | null) => (event: DragEvent) => {
    event.preventDefault();
    setDropTarget(null);
    const id = dragging ?? event.dataTransfer.getData('text/x-entente-document');
    setDragging(null);
    const doc = documents.find((d) => d.id === id);
    if (!doc || id === target) return;
    const plan = planDrop(roots, id, target);
    if (plan) void move(doc, plan);
  };

  const renderNodes = (nodes: TreeNode[], level: number) => (
    <ul className={level === 0 ? 'ws-tree' : 'ws-tree-group'}>
      {nodes.map((node) => (
        <TreeItem
          key={node.doc.id}
          node={node}
          spaceId={spaceId}
          lang={lang}
          current={node.doc.id === currentId}
          open={expanded.has(node.doc.id)}
          editor={editor}
          dropping={dropTarget === node.doc.id}
          onToggle={() => toggle(node.doc.id)}
          actionsOpen={openActions === node.doc.id}
          onActions={() => setOpenActions((current) => (current === node.doc.id ? null : node.doc.id))}
          onMove={(kind) => {
            const plan = planMove(roots, node.doc.id, kind);
            if (plan) void move(node.doc, plan);
          }}
          canMove={(kind) => planMove(roots, node.doc.id, kind) !== null}
          onTrash={() => void trash(node.doc)}
          act={act}
          drag={{
            onDragStart: (event) => {
              event.dataTransfer.setData('text/x-entente-document', node.doc.id);
              event.dataTransfer.effectAllowed = 'move';
              setDragging(node.doc.id);
            },
            onDragEnd: () => {
              setDragging(null);
              setDropTarget(null);
            },
            onDragOver: (event) => {
              if (!dragging || dragging === node.doc.id) return;
              event.preventDefault();
              event.stopPropagation();
              setDropTarget(node.doc.id);
            },
            onDrop: (event) => {
              event.stopPropagation();
              dropOn(node.doc.id)(event);
            },
          }}
        >
          {node.children.length > 0 && expanded.has(node.doc.id) && renderNodes(node.children, level + 1)}
        </TreeItem>
      ))}
    </ul>
  );

  return (
    <nav ref={nav} className="ws-tree-nav" aria-label={w('workspace.tree.label')} tabIndex={-1}>
      {editor && <CreateDocument spaceId={spaceId} parentId={null} act={act} />}
      {roots.length === 0 ? <p>{w('workspace.tree.empty')}</p> : renderNodes(roots, 0)}
      {editor && dragging && (
        <p
          className={`ws-drop-root${dropTarget === 'root' ? ' ws-dropping' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDropTarget('root');
          }}
          onDrop={dropOn(null)}
        >
          {w('workspace.tree.dropRoot')}
        </p>
      )}
    </nav>
  );
}

interface DragHandlers {
  onDragStart: (event: DragEvent) => void;
  onDragEnd: () => void;
  onDragOver: (event: DragEvent) => void;
  onDrop: (event: DragEvent) => void;
}

function TreeItem(props: {
  node: TreeNode;
  spaceId: string;
  lang: string | undefined;
  current: boolean;
  open: boolean;
  editor: boolean;
  dropping: boolean;
  onToggle: () => void;
  actionsOpen: boolean;
  onActions: () => void;
  onMove: (kind: MoveKind) => void;
  canMove: (kind: MoveKind) => boolean;
  onTrash: () => void;
  act: TreeProps['act'];
  drag: DragHandlers;
  children: React.ReactNode;
}) {
  const { node, editor, act } = props;
  const { doc } = node;
  const { w } = useWorkspaceText();
  const actions = props.actionsOpen;
  const [renaming, setRenaming] = useState(false);
  const [adding, setAdding] = useState(false);
  const panelId = useId();
  const toggleButton = useRef<HTMLButtonElement>(null);
  // The keyboard goes back to the row's « ⋯ » button once the rename form is gone (it was left on <body>).
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (!renaming && refocus) {
      toggleButton.current?.focus();
      setRefocus(false);
    }
  }, [renaming, refocus]);
  const stopRenaming = () => {
    // « Annuler » as Escape: the field goes, and the next « Renommer » starts from the title.
    setRenaming(false);
    setRefocus(true);
  };
  const hasChildren = node.children.length > 0;
  const label = doc.title || w('workspace.tree.untitled');

  const rename = async (title: string) => {
    const ok = await act(() => documentsApi.update(doc.id, { title }), w('workspace.tree.renamed', { title }));
    if (ok) {
      setRenaming(false);
      setRefocus(true);
    }
    return ok;
  };

  return (
    <li className="ws-tree-item" data-document-id={doc.id}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dragging is the pointer shortcut; the « Actions » panel moves documents by keyboard */}
      <div
        className={`ws-tree-row${props.current ? ' ws-tree-current' : ''}${props.dropping ? ' ws-dropping' : ''}`}
        draggable={editor}
        onDragStart={editor ? props.drag.onDragStart : undefined}
        onDragEnd={editor ? props.drag.onDragEnd : undefined}
        onDragOver={editor ? props.drag.onDragOver : undefined}
        onDrop={editor ? props.drag.onDrop : undefined}
      >
        {hasChildren ? (
          <button
            type="button"
            className="ws-tree-toggle"
            aria-expanded={props.open}
            aria-label={props.open ? w('workspace.tree.collapse', { title: label }) : w('workspace.tree.expand', { title: label })}
            onClick={props.onToggle}
          >
            <span aria-hidden="true">{props.open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="ws-tree-toggle-space" aria-hidden="true" />
        )}
        {renaming ? (
          <InlineTextForm
            label={w('workspace.tree.renameLabel', { title: label })}
            labelHidden
            submitLabel={w('workspace.tree.renameSave')}
            initial={doc.title}
            autoFocus
            onEscape={stopRenaming}
            onSubmit={rename}
          >
            <button type="button" className="button button-small button-secondary" onClick={stopRenaming}>
              {w('workspace.cancel')}
            </button>
          </InlineTextForm>
        ) : (
          <Link to={documentPath(props.spaceId, doc.id)} className="ws-tree-link" aria-current={props.current ? 'page' : undefined}>
            {doc.title ? <span lang={props.lang}>{label}</span> : label}
            {doc.restricted && <span className="ws-tree-restricted"> {w('workspace.tree.restricted')}</span>}
          </Link>
        )}
        {editor && !renaming && (
          <button
            ref={toggleButton}
            type="button"
            className="ws-tree-actions-toggle"
            aria-expanded={actions}
            aria-controls={panelId}
            aria-label={w('workspace.tree.actions', { title: label })}
            onClick={props.onActions}
          >
            <span aria-hidden="true">⋯</span>
          </button>
        )}
      </div>
      {editor && actions && (
        // biome-ignore lint/a11y/noStaticElementInteractions: Escape from any of its buttons closes the disclosure; the buttons are the controls
        <div
          id={panelId}
          className="ws-tree-actions"
          onKeyDown={(event) => {
            // Escape closes the actions, as it closes any disclosure, and gives the keyboard back to « ⋯ ».
            if (event.key !== 'Escape' || event.defaultPrevented) return;
            event.preventDefault();
            props.onActions();
            toggleButton.current?.focus();
          }}
        >
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => {
              // The rename field takes the row's place; the actions under it close (they come back with « ⋯ »).
              props.onActions();
              setRenaming(true);
            }}
          >
            {w('workspace.tree.rename')}
          </button>
          <button type="button" className="button button-small button-secondary" onClick={() => setAdding((v) => !v)} aria-expanded={adding}>
            {w('workspace.tree.addChild')}
          </button>
          {MOVES.map((kind) => (
            <button
              key={kind}
              type="button"
              className="button button-small button-secondary"
              aria-disabled={!props.canMove(kind) || undefined}
              onClick={() => props.canMove(kind) && props.onMove(kind)}
            >
              {w(`workspace.tree.move.${kind}`)}
            </button>
          ))}
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => void act(() => documentsApi.duplicate(doc.id), w('workspace.tree.duplicated', { title: label }))}
          >
            {w('workspace.tree.duplicate')}
          </button>
          <button type="button" className="button button-small button-danger" onClick={props.onTrash}>
            {w('workspace.tree.trash')}
          </button>
          {adding && <CreateDocument spaceId={props.spaceId} parentId={doc.id} parentTitle={label} act={act} onDone={() => setAdding(false)} />}
        </div>
      )}
      {props.children}
    </li>
  );
}

function CreateDocument(props: { spaceId: string; parentId: string | null; parentTitle?: string; act: TreeProps['act']; onDone?: () => void }) {
  const { w } = useWorkspaceText();
  return (
    <InlineTextForm
      className="ws-create-document"
      label={props.parentTitle ? w('workspace.tree.newChildLabel', { parent: props.parentTitle }) : w('workspace.tree.newLabel')}
      submitLabel={w('workspace.tree.create')}
      onSubmit={async (title) => {
        const ok = await props.act(() => documentsApi.create(props.spaceId, title, props.parentId), w('workspace.tree.created', { title }));
        if (ok) props.onDone?.();
        return ok;
      }}
    />
  );
}
