import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FRAGMENT_NAME } from '../content/ydoc-json.ts';
import { deepestInsertion, measureInsertion } from './update-depth.ts';

/** Runs `change` on a copy of `server`'s document and returns the update it makes. */
function changeOn(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(client);
  client.transact(() => change(client));
  return Y.encodeStateAsUpdate(client, before);
}

/** `levels` quotes nested under `parent` (each inserted into the previous one); returns the deepest. */
function quotes(parent: Y.XmlFragment | Y.XmlElement, levels: number): Y.XmlElement {
  let current = parent;
  for (let i = 0; i < levels; i++) {
    const quote = new Y.XmlElement('blockquote');
    current.insert(current.length, [quote]);
    current = quote;
  }
  return current as Y.XmlElement;
}

function deepest(doc: Y.Doc): Y.XmlElement {
  let current = doc.getXmlFragment(FRAGMENT_NAME).get(0) as Y.XmlElement;
  for (;;) {
    const next = current.toArray().find((c) => c instanceof Y.XmlElement) as Y.XmlElement | undefined;
    if (!next) return current;
    current = next;
  }
}

describe('deepestInsertion', () => {
  it('measures a new chain in one update, stopping past the cap', () => {
    const server = new Y.Doc();
    expect(deepestInsertion(server, changeOn(server, (d) => quotes(d.getXmlFragment(FRAGMENT_NAME), 10)), 64)).toBe(10);
    expect(deepestInsertion(server, changeOn(server, (d) => quotes(d.getXmlFragment(FRAGMENT_NAME), 5_000)), 64)).toBe(65);
  });

  it('measures under what the document holds: typing and siblings cost nothing, one more level counts', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, changeOn(server, (d) => quotes(d.getXmlFragment(FRAGMENT_NAME), 60)));
    // A text run at the bottom: at its element's depth, no deeper.
    expect(
      deepestInsertion(
        server,
        changeOn(server, (d) => deepest(d).insert(0, [new Y.XmlText('bonjour')])),
        64,
      ),
    ).toBe(60);
    Y.applyUpdate(server, changeOn(server, (d) => deepest(d).insert(0, [new Y.XmlText('bonjour')])));
    // An element next to the text (its parent known only through its neighbour): depth 61.
    expect(deepestInsertion(server, changeOn(server, (d) => deepest(d).insert(1, [new Y.XmlElement('paragraph')])), 64)).toBe(61);
    // Five more levels under the deepest quote, then a sibling of a top-level block.
    expect(deepestInsertion(server, changeOn(server, (d) => quotes(deepest(d), 5)), 64)).toBe(65);
    expect(deepestInsertion(server, changeOn(server, (d) => d.getXmlFragment(FRAGMENT_NAME).insert(1, [new Y.XmlElement('paragraph')])), 64)).toBe(1);
  });

  it('counts a nested type hanging from content the document lacks as too deep (a chain sent in pieces)', () => {
    const source = new Y.Doc();
    const first = changeOn(source, (d) => quotes(d.getXmlFragment(FRAGMENT_NAME), 30));
    Y.applyUpdate(source, first);
    const second = changeOn(source, (d) => quotes(deepest(d), 10));
    // Pending in Yjs until the first arrives: it cannot be measured, so it is over the cap...
    expect(deepestInsertion(new Y.Doc(), second, 64)).toBe(65);
    expect(deepestInsertion(source, second, 64)).toBe(40);
    // ...and measureInsertion says why: nothing known is deep, it waits for what is missing.
    expect(measureInsertion(new Y.Doc(), second, 64)).toEqual({ deepest: 0, waitsForMissing: true });
    expect(measureInsertion(source, second, 64)).toEqual({ deepest: 40, waitsForMissing: false });
    // Both pieces together are measured whole: waiting for nothing, and as deep as they are.
    expect(measureInsertion(new Y.Doc(), Y.mergeUpdates([first, second]), 64)).toEqual({ deepest: 40, waitsForMissing: false });
    // A text run waiting for its element too: text can hold text (embeds), so a chain of them
    // sent in pieces would otherwise be assembled unmeasured.
    const typed = changeOn(source, (d) => deepest(d).insert(0, [new Y.XmlText('texte')]));
    expect(deepestInsertion(new Y.Doc(), typed, 64)).toBe(65);
    expect(measureInsertion(new Y.Doc(), typed, 64).waitsForMissing).toBe(true);
    // Characters typed into an existing run are no nested type: never measured.
    const letters = changeOn(source, (d) => deepest(d).insert(0, [new Y.XmlText('')]));
    Y.applyUpdate(source, letters);
    expect(deepestInsertion(new Y.Doc(), changeOn(source, (d) => (deepest(d).get(0) as Y.XmlText).insert(0, 'abc')), 64)).toBe(0);
  });

  it('counts text embedded in text (Y.Text embeds) as nesting: a chain of 5,000 is refused', () => {
    const server = new Y.Doc();
    Y.applyUpdate(server, changeOn(server, (d) => d.getXmlFragment(FRAGMENT_NAME).insert(0, [new Y.XmlElement('paragraph')])));
    const update = changeOn(server, (d) => {
      const paragraph = d.getXmlFragment(FRAGMENT_NAME).get(0) as Y.XmlElement;
      let text = new Y.XmlText('a');
      paragraph.insert(0, [text]);
      for (let i = 0; i < 5_000; i++) {
        const inner = new Y.XmlText('b');
        text.insertEmbed(0, inner);
        text = inner;
      }
    });
    expect(deepestInsertion(server, update, 64)).toBe(65);
    // One text run in a paragraph is depth 1, as its paragraph.
    expect(deepestInsertion(server, changeOn(server, (d) => (d.getXmlFragment(FRAGMENT_NAME).get(0) as Y.XmlElement).insert(0, [new Y.XmlText('x')])), 64)).toBe(1);
  });

  it('is not fooled by a forged copy of a struct the document holds (same id, shallow parent)', () => {
    const writer = new Y.Doc();
    const server = new Y.Doc();
    // The server holds 60 nested quotes written by `writer` (ids writer:0 … writer:59).
    quotes(writer.getXmlFragment(FRAGMENT_NAME), 60);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(writer));
    // A forger reuses writer's client id: 59 paragraphs, then writer:59 again — a quote at the top.
    const forger = new Y.Doc();
    forger.clientID = writer.clientID;
    const fragment = forger.getXmlFragment(FRAGMENT_NAME);
    for (let i = 0; i < 59; i++) fragment.insert(fragment.length, [new Y.XmlElement('paragraph')]);
    const fake = new Y.XmlElement('blockquote');
    fragment.insert(fragment.length, [fake]);
    // Under the fake copy, 63 more levels (another client): 64 deep by the forged copy,
    // 123 under the real writer:59 where Yjs hangs them (it ignores the copy).
    const attacker = new Y.Doc();
    Y.applyUpdate(attacker, Y.encodeStateAsUpdate(forger));
    quotes(attacker.getXmlFragment(FRAGMENT_NAME).get(59) as Y.XmlElement, 63);
    const update = Y.encodeStateAsUpdate(attacker);
    expect(deepestInsertion(server, update, 64)).toBe(65);
    Y.applyUpdate(server, update);
    let depth = 0;
    for (let e: Y.XmlElement | undefined = server.getXmlFragment(FRAGMENT_NAME).get(0) as Y.XmlElement; e; e = e.toArray().find((c) => c instanceof Y.XmlElement) as Y.XmlElement | undefined) depth++;
    expect(depth).toBe(123);
  });
});

describe('measureInsertion', () => {
  it('tells a paragraph typed after one the server lacks (a network drop) from a deep one, and still sees depth next to what waits', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    /** What `change` does to the client's own document, as the update it sends. */
    const edit = (change: (fragment: Y.XmlFragment) => void) => {
      const before = Y.encodeStateVector(client);
      client.transact(() => change(client.getXmlFragment(FRAGMENT_NAME)));
      return Y.encodeStateAsUpdate(client, before);
    };
    const paragraph = (text: string) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    };
    Y.applyUpdate(server, edit((f) => f.insert(0, [paragraph('avant')])));
    // Typed while the socket was dead: never reached the server.
    edit((f) => f.insert(1, [paragraph('hors ligne')]));
    const afterDrop = edit((f) => f.insert(2, [paragraph('au retour')]));
    expect(measureInsertion(server, afterDrop, 64)).toEqual({ deepest: 0, waitsForMissing: true });
    // The resync carries everything the server lacks: nothing waits, and it is one level deep.
    const resync = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(measureInsertion(server, resync, 64)).toEqual({ deepest: 1, waitsForMissing: false });
    // A change both waiting and too deep is too deep: the waiting part does not hide the rest.
    const both = Y.mergeUpdates([afterDrop, changeOn(new Y.Doc(), (d) => quotes(d.getXmlFragment('autre'), 70))]);
    expect(measureInsertion(server, both, 64).deepest).toBe(65);
  });
});
