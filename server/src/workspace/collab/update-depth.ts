import * as Y from 'yjs';

/**
 * How deep the elements an update inserts would sit in `doc`, without applying it: the collaboration
 * server refuses an update that nests content deeper than MAX_CONTENT_DEPTH
 * (common/src/content-depth.ts) — Yjs itself recurses once per level when such content is
 * deleted or collected, and the editor of every co-author when it renders it.
 *
 * Cost: only the update's new nested types are measured. Each one's parent is found in the update
 * (memoised, without recursion) or in the document, where the walk up its ancestors stops past
 * `cap` and is memoised per parent type; so an ordinary keystroke costs a few steps.
 *
 * A nested type whose parent is known neither to the update nor to the document (its dependencies
 * have not arrived: Yjs would keep it pending) counts as deeper than `cap`: otherwise a chain sent
 * in pieces, the deepest first, would be measured piece by piece and assembled when the top
 * arrives. An honest client does send one, though, after a network drop: what it typed while the
 * old socket was silently dead never arrived, and what it types as the new socket opens goes out
 * before its resync does. `measureInsertion` says so (`waitsForMissing`), so that the server asks
 * that client to resync rather than calling its change too deep.
 */
export function deepestInsertion(doc: Y.Doc, update: Uint8Array, cap: number): number {
  const { deepest, waitsForMissing } = measureInsertion(doc, update, cap);
  return waitsForMissing ? Math.max(deepest, cap + 1) : deepest;
}

export interface InsertionMeasure {
  /** The deepest new nested type whose ancestors are all known, counted up to cap + 1. */
  readonly deepest: number;
  /** Some new nested type hangs from content neither the update nor the document holds. */
  readonly waitsForMissing: boolean;
}

export function measureInsertion(doc: Y.Doc, update: Uint8Array, cap: number): InsertionMeasure {
  const { structs } = Y.decodeUpdate(update);
  const byClient = new Map<number, Y.Item[]>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);

  const inUpdate = (id: Y.ID): Y.Item | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid] as Y.Item;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  };

  const typeDepths = new Map<Y.AbstractType<unknown>, number>();
  /** Depth of a type of the document (a root type is 0), counted up to cap + 1. */
  const docTypeDepth = (type: Y.AbstractType<unknown>): number => {
    const known = typeDepths.get(type);
    if (known !== undefined) return known;
    let depth = 0;
    let item = type._item;
    while (item !== null && depth <= cap) {
      depth += 1;
      item = (item.parent as Y.AbstractType<unknown> | null)?._item ?? null;
    }
    typeDepths.set(type, depth);
    return depth;
  };
  /** A parent depth that cannot be known yet (the content it hangs from has not arrived). */
  const unknown = Number.POSITIVE_INFINITY;
  const missing = (id: Y.ID): boolean => id.clock >= Y.getState(doc.store, id.client);
  /** The document's item with that id; null when it was collected (Yjs then drops what hangs from it). */
  const inDoc = (id: Y.ID): Y.Item | null => {
    const struct = Y.getItem(doc.store, id);
    return struct instanceof Y.Item ? struct : null;
  };

  /**
   * What an update item's parent depth depends on: a number when it is known at once, or another
   * update item whose parent depth (`same`) or own depth (`below`) gives it.
   */
  type Dependency = number | { item: Y.Item; plus: 0 | 1 };
  const dependency = (item: Y.Item): Dependency => {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return 0;
    // The document first: Yjs ignores an update's copy of a struct it already holds, so a forged
    // copy (same id, another parent) must not stand for the real one.
    if (parent instanceof Y.ID) {
      if (!missing(parent)) {
        const fromDoc = inDoc(parent);
        return fromDoc && fromDoc.content instanceof Y.ContentType ? docTypeDepth(fromDoc.content.type) : 0;
      }
      const fromUpdate = inUpdate(parent);
      return fromUpdate ? { item: fromUpdate, plus: 1 } : unknown;
    }
    // No parent written: it is that of the item's neighbour (origin, else right origin).
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) return 0;
    if (!missing(neighbour)) {
      const fromDoc = inDoc(neighbour);
      const docParent = fromDoc?.parent as Y.AbstractType<unknown> | null | undefined;
      return docParent instanceof Y.AbstractType ? docTypeDepth(docParent) : 0;
    }
    const fromUpdate = inUpdate(neighbour);
    return fromUpdate ? { item: fromUpdate, plus: 0 } : unknown;
  };

  /** Parent depth of each update item (its parent type's depth: a root is 0). */
  const parentDepths = new Map<Y.Item, number>();
  const parentDepth = (start: Y.Item): number => {
    const chain: { item: Y.Item; plus: 0 | 1 }[] = [];
    const seen = new Set<Y.Item>();
    let current: Y.Item = start;
    let base = 0;
    for (;;) {
      const memo = parentDepths.get(current);
      if (memo !== undefined) {
        base = memo;
        break;
      }
      if (seen.has(current)) break; // a cycle (a forged update): counted from here
      seen.add(current);
      const dep = dependency(current);
      if (typeof dep === 'number') {
        base = dep;
        parentDepths.set(current, dep);
        break;
      }
      chain.push({ item: current, plus: dep.plus });
      current = dep.item;
    }
    // Unwind: each link's parent depth is its dependency's parent depth, plus one when the
    // dependency is the parent itself.
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i] as { item: Y.Item; plus: 0 | 1 };
      base = base === unknown ? unknown : Math.min(base + link.plus, cap + 1);
      parentDepths.set(link.item, base);
    }
    return base;
  };

  let deepest = 0;
  let waitsForMissing = false;
  for (const list of byClient.values()) {
    for (const item of list) {
      // Only nested types make depth. A text run (XmlText) sits at its element's depth, but it is a
      // container too (Y.Text embeds): text inside text adds a level each time, through the parent
      // chain. Structs the document already holds are skipped, as Yjs skips them.
      if (!(item.content instanceof Y.ContentType) || !missing(item.id)) continue;
      const parent = parentDepth(item);
      if (parent === unknown) {
        waitsForMissing = true;
        continue;
      }
      const depth = Math.min(parent + (item.content.type instanceof Y.XmlText ? 0 : 1), cap + 1);
      if (depth > deepest) deepest = depth;
      if (deepest > cap) return { deepest, waitsForMissing };
    }
  }
  return { deepest, waitsForMissing };
}
