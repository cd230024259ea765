/**
 * The space's documents as a tree, built on the client from the API's flat list (each document
 * names its parent and its position among its siblings), and the moves the tree offers: up,
 * down, indent (under the sibling above), outdent (after the parent), or drop onto a document.
 */
import type { DocumentSummary } from './api.ts';

export interface TreeNode {
  doc: DocumentSummary;
  depth: number;
  children: TreeNode[];
}

export function buildTree(documents: readonly DocumentSummary[]): TreeNode[] {
  const ids = new Set(documents.map((d) => d.id));
  const byParent = new Map<string | null, DocumentSummary[]>();
  for (const doc of documents) {
    // A parent the agent cannot see (restricted) or that is not in this list: shown at the root.
    const parent = doc.parentId && ids.has(doc.parentId) ? doc.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), doc]);
  }
  const seen = new Set<string>();
  const grow = (parent: string | null, depth: number): TreeNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.position - b.position || a.title.localeCompare(b.title))
      .filter((doc) => !seen.has(doc.id) && seen.add(doc.id))
      .map((doc) => ({ doc, depth, children: grow(doc.id, depth + 1) }));
  return grow(null, 0);
}

/** The nodes in reading order, skipping the children of collapsed nodes. */
export function visibleNodes(roots: readonly TreeNode[], expanded: ReadonlySet<string>): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (nodes: readonly TreeNode[]) => {
    for (const node of nodes) {
      out.push(node);
      if (node.children.length > 0 && expanded.has(node.doc.id)) walk(node.children);
    }
  };
  walk(roots);
  return out;
}

export function findNode(roots: readonly TreeNode[], id: string): { node: TreeNode; siblings: TreeNode[]; parent: TreeNode | null } | null {
  const search = (nodes: TreeNode[], parent: TreeNode | null): ReturnType<typeof findNode> => {
    for (const node of nodes) {
      if (node.doc.id === id) return { node, siblings: nodes, parent };
      const found = search(node.children, node);
      if (found) return found;
    }
    return null;
  };
  return search(roots as TreeNode[], null);
}

/**
 * Where the keyboard goes when `id` leaves the tree (trash): the next document at its level, else
 * the one before it, else its parent; null when it was the only document.
 */
export function neighbourAfterRemoval(roots: readonly TreeNode[], id: string): string | null {
  const found = findNode(roots, id);
  if (!found) return null;
  const at = found.siblings.indexOf(found.node);
  return (found.siblings[at + 1] ?? found.siblings[at - 1] ?? found.parent)?.doc.id ?? null;
}

/** Whether `candidate` is `id` itself or lies under it (a move there would make a cycle). */
export function isWithin(roots: readonly TreeNode[], id: string, candidate: string): boolean {
  const found = findNode(roots, id);
  if (!found) return false;
  const walk = (node: TreeNode): boolean => node.doc.id === candidate || node.children.some(walk);
  return walk(found.node);
}

export type MoveKind = 'up' | 'down' | 'indent' | 'outdent';

/** A move as the API takes it: the new parent and the position among the new siblings. */
export interface Move {
  parentId: string | null;
  position: number;
}

/** The move `kind` of document `id`, or null when there is none (first child cannot go up…). */
export function planMove(roots: readonly TreeNode[], id: string, kind: MoveKind): Move | null {
  const found = findNode(roots, id);
  if (!found) return null;
  const { siblings, parent } = found;
  const index = siblings.findIndex((s) => s.doc.id === id);
  const parentId = parent?.doc.id ?? null;
  switch (kind) {
    case 'up':
      return index > 0 ? { parentId, position: index - 1 } : null;
    case 'down':
      return index < siblings.length - 1 ? { parentId, position: index + 1 } : null;
    case 'indent': {
      const above = siblings[index - 1];
      return above ? { parentId: above.doc.id, position: above.children.length } : null;
    }
    case 'outdent': {
      if (!parent) return null;
      const grand = findNode(roots, parent.doc.id);
      if (!grand) return null;
      const parentIndex = grand.siblings.findIndex((s) => s.doc.id === parent.doc.id);
      return { parentId: grand.parent?.doc.id ?? null, position: parentIndex + 1 };
    }
  }
}

/** Dropping `id` onto `target`: it becomes target's last child (never into itself or its own subtree). */
export function planDrop(roots: readonly TreeNode[], id: string, target: string | null): Move | null {
  if (target === null) return { parentId: null, position: roots.filter((r) => r.doc.id !== id).length };
  if (isWithin(roots, id, target)) return null;
  const found = findNode(roots, target);
  if (!found) return null;
  return { parentId: target, position: found.node.children.filter((c) => c.doc.id !== id).length };
}
