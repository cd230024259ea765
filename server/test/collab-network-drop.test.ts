import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { FRAGMENT_NAME, yDocToJson } from '../src/workspace/content/ydoc-json.ts';
import { acknowledged, addDocument, addSpace, type Client, openClient, synced, ticketFor, until } from './collab-support.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * A real network drop under a real provider: the socket goes silent (what is typed then is lost on
 * the way, and the client does not know yet), then breaks; the agent types again as the new socket
 * opens. That change hangs from the lost one, which the server cannot measure (update-depth.ts):
 * it used to be refused as « too-deep », which stops the editor for good. Now it is refused as
 * too early, the provider reconnects, and its resync carries everything.
 */
let t: TestApp;
const [QC1] = DEMO_AGENTS as unknown as [(typeof DEMO_AGENTS)[number]];
let emilie: TestSession;
let spaceId: string;
const clients: Client[] = [];
const relays: net.Server[] = [];

/** A TCP relay to the test server that can go silent, then be cut, as a network does. */
async function relay(port: number) {
  const sockets = new Set<net.Socket>();
  let up = true;
  let silent = false;
  const server = net.createServer((inbound) => {
    if (!up) return inbound.destroy();
    const outbound = net.connect(port, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    inbound.on('data', (chunk) => silent || outbound.write(chunk));
    outbound.on('data', (chunk) => silent || inbound.write(chunk));
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  relays.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    /** Whatever is sent is lost; both ends still think the socket is up. */
    silence() {
      silent = true;
    },
    /** The sockets break (the client notices), and no new one gets through. */
    cut() {
      silent = false;
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      up = true;
    },
  };
}

beforeAll(async () => {
  t = await startTestApp();
  emilie = await t.signIn(QC1);
  spaceId = await addSpace(t.entente, { jurisdiction: 'QC', members: [{ principalId: QC1.id, role: 'owner' }] });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const r of relays) r.close();
  await t?.close();
});

const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
};

/** The paragraphs' texts of the document as the database holds it. */
async function storedParagraphs(ref: { documentId: string; spaceId: string; jurisdiction: 'QC' | 'FR' }): Promise<string[]> {
  const { state } = await t.entente.collab.store.load(ref);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const json = yDocToJson(doc) as { content?: { content?: { text?: string }[] }[] };
  doc.destroy();
  return (json.content ?? []).map((p) => (p.content ?? []).map((c) => c.text ?? '').join(''));
}

describe('a network drop', () => {
  it('keeps what was typed into the dead socket and as the new one opened; the editor is never stopped', async () => {
    const ref = await addDocument(t.entente, spaceId, 'QC');
    const network = await relay(Number(new URL(t.baseUrl).port));
    // Tickets come straight from the API (only /collab goes through the relay).
    const client = openClient(network.url, ref.documentId, () => ticketFor(t.baseUrl, emilie, ref.documentId));
    clients.push(client);
    await synced(client);
    const fragment = client.doc.getXmlFragment(FRAGMENT_NAME);
    fragment.insert(0, [paragraph('avant')]);
    await acknowledged(client);

    network.silence();
    fragment.insert(fragment.length, [paragraph('hors ligne')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    network.cut();
    await until(() => client.closes.length > 0, 10_000, 'the drop noticed');
    expect(await storedParagraphs(ref)).toEqual(['avant']);

    network.restore();
    await new Promise<void>((resolve) => {
      const typeAsItOpens = () => {
        client.provider.off('open', typeAsItOpens);
        // Before the provider has even sent its ticket: this change hangs from « hors ligne ».
        fragment.insert(fragment.length, [paragraph('au retour')]);
        resolve();
      };
      client.provider.on('open', typeAsItOpens);
    });
    await until(() => client.closes.includes('too-early'), 10_000, 'the early change refused as too early');
    await acknowledged(client);
    fragment.insert(fragment.length, [paragraph('ensuite')]);
    await acknowledged(client);

    expect(client.closes).not.toContain('too-deep');
    expect(client.refusals).toEqual([]);
    // Everything, once each, in the order typed.
    expect(await storedParagraphs(ref)).toEqual(['avant', 'hors ligne', 'au retour', 'ensuite']);
  }, 60_000);
});
