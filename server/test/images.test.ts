import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import { startTestApp, type TestApp, type TestSession } from './support/app.ts';

/**
 * Images of documents through the real server: bytes back identical for those who reach the
 * document, nothing for anyone else (a restricted document's images included), its editors only
 * for uploads, the type proved by the bytes (spoofing and SVG refused),
 * the size limit enforced before and while reading, ciphertext at rest, and a Québec space's
 * images in the Québec cell only.
 */
let t: TestApp;
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];
const sessions = new Map<string, TestSession>();
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await startTestApp();
  for (const agent of DEMO_AGENTS) {
    sessions.set(agent.id, await t.signIn(agent));
    await setEmailVerified(t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
  }
});
afterAll(async () => {
  await t?.close();
});

type Agent = { id: string };

async function json(agent: Agent | null, method: string, url: string, body?: unknown) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

async function upload(agent: Agent | null, documentId: string, bytes: Uint8Array, contentType?: string, extraHeaders: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}/api/documents/${documentId}/images`, {
    method: 'POST',
    headers: { ...(agent ? sessions.get(agent.id)?.headers : {}), ...(contentType ? { 'content-type': contentType } : {}), ...extraHeaders },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

async function download(agent: Agent | null, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}${url}`, { headers: { ...(agent ? { cookie: sessions.get(agent.id)?.cookie ?? '' } : {}), ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A space owned by `owner`, with the others as members in the given roles. */
async function space(jurisdiction: 'FR' | 'QC', members: [Agent & { email: string }, string][] = [], owner: Agent = camille, minAssurance = 'low') {
  const created = await json(owner, 'POST', '/api/spaces', { name: `Images ${Math.random().toString(36).slice(2, 8)}`, jurisdiction, minAssurance, classification: 'internal' });
  expect(created.status).toBe(201);
  for (const [agent, role] of members) {
    const invited = await json(owner, 'POST', `/api/spaces/${created.body.id}/invitations`, { email: agent.email, role });
    expect(invited.body.member?.role).toBe(role);
  }
  return created.body.id as string;
}

/** A document of the space, created by `by` (an editor or owner), under `parentId` if given. */
async function documentIn(spaceId: string, by: Agent = camille, parentId?: string) {
  const created = await json(by, 'POST', `/api/spaces/${spaceId}/documents`, { title: `Page ${Math.random().toString(36).slice(2, 8)}`, ...(parentId ? { parentId } : {}) });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** A space with one document in it: the place most tests upload into. */
async function spaceWithDocument(...args: Parameters<typeof space>) {
  const spaceId = await space(...args);
  return { spaceId, documentId: await documentIn(spaceId, args[2]) };
}

/** A real PNG (random pixels: incompressible, so several encryption segments). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 4)])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b])]);

/** Every file under a space's folder in a cell's object store (temporary files included). */
function storedFiles(jurisdiction: 'FR' | 'QC', spaceId: string): string[] {
  const root = path.join(t.entente.config.cells[jurisdiction].objects, 'spaces', spaceId);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function imageRows(jurisdiction: 'FR' | 'QC', spaceId: string) {
  return t.entente.stores.cells[jurisdiction].db.selectFrom('document_images').select(['id', 'document_id', 'content_type', 'size', 'sha256']).where('space_id', '=', spaceId).execute();
}

/**
 * A raw upload: the headers as given (a Content-Length that lies, or none: chunked), the chunks
 * written as the socket takes them, the answer as soon as it comes.
 */
function rawUpload(agent: Agent, documentId: string, headers: Record<string, string | number>, chunks: Iterable<Buffer>, end: boolean) {
  return new Promise<{ status: number; body: Record<string, unknown>; connection: string | undefined; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(`${t.baseUrl}/api/documents/${documentId}/images`, { method: 'POST', headers: { ...sessions.get(agent.id)?.headers, ...headers } });
    request.on('response', (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')), connection: response.headers.connection, sent });
        request.destroy();
      });
    });
    // The server closes the connection on a refusal: writing after it fails, which is expected.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        if (answered || request.destroyed) return;
        const next = iterator.next();
        if (next.done) {
          if (end) request.end();
          return;
        }
        sent += next.value.length;
        if (!request.write(next.value)) {
          request.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

function* pieces(head: Buffer, total: number, size = 64 * 1024): Generator<Buffer> {
  yield head;
  const filler = Buffer.alloc(size, 0x42);
  for (let left = total - head.length; left > 0; left -= size) yield left >= size ? filler : filler.subarray(0, left);
}

describe('images of documents', () => {
  it('stores an upload and gives back the identical bytes to every member, with safe headers', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR', [[hugo, 'reader']]);
    const image = png(256, 256);
    const uploaded = await upload(camille, documentId, image, 'image/png');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({ id: expect.any(String), url: `/api/images/${uploaded.body.id}`, contentType: 'image/png', size: image.length });
    expect(uploaded.headers.get('location')).toBe(uploaded.body.url);
    const sha256 = createHash('sha256').update(image).digest('hex');

    for (const member of [camille, hugo]) {
      const read = await download(member, uploaded.body.url);
      expect(read.status).toBe(200);
      expect(read.bytes.equals(image)).toBe(true);
      expect(read.headers.get('content-type')).toBe('image/png');
      expect(read.headers.get('content-length')).toBe(String(image.length));
      expect(read.headers.get('content-disposition')).toBe(`inline; filename="${uploaded.body.id}.png"`);
      expect(read.headers.get('x-content-type-options')).toBe('nosniff');
      expect(read.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect(read.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      expect(read.headers.get('etag')).toBe(`"${sha256}"`);
    }
    const head = await fetch(`${t.baseUrl}${uploaded.body.url}`, { method: 'HEAD', headers: { cookie: sessions.get(hugo.id)?.cookie ?? '' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    // Revalidation: the same ETag is answered 304 without the bytes.
    const again = await download(hugo, uploaded.body.url, { 'if-none-match': `"${sha256}"` });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);

    // A GIF too, served as a GIF.
    const gif = await upload(camille, documentId, GIF, 'image/gif');
    expect(gif.status).toBe(201);
    const gifRead = await download(hugo, gif.body.url);
    expect(gifRead.headers.get('content-type')).toBe('image/gif');
    expect(gifRead.bytes.equals(GIF)).toBe(true);

    expect(await imageRows('FR', spaceId)).toEqual(
      expect.arrayContaining([{ id: uploaded.body.id, document_id: documentId, content_type: 'image/png', size: image.length, sha256 }]),
    );
    const audit = await t.entente.audit.list({ jurisdiction: 'FR', resourceType: 'image', resourceId: uploaded.body.id, limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'workspace.image.uploaded', outcome: 'success', actor_id: camille.id });
    expect(audit[0]?.details).toMatchObject({ spaceId, documentId, contentType: 'image/png', size: image.length });
  });

  it('answers 404 to anyone outside the space, and to members once they are removed', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR', [[emilie, 'reader']]);
    const uploaded = await upload(camille, documentId, png(8, 8), 'image/png');
    expect(uploaded.status).toBe(201);

    const stranger = await download(olivier, uploaded.body.url);
    expect(stranger.status).toBe(404);
    expect(stranger.headers.get('content-type')).toContain('application/problem+json');
    // Same answer as for an image that does not exist, and for an upload to a space one is not in.
    expect((await download(olivier, '/api/images/019ac9f0-0000-7000-8000-00000000beef')).status).toBe(404);
    expect((await upload(olivier, documentId, png(8, 8), 'image/png')).status).toBe(404);
    // Without a session: 401, nothing served.
    const anonymous = await download(null, uploaded.body.url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.bytes.includes(PNG_SIGNATURE)).toBe(false);

    expect((await download(emilie, uploaded.body.url)).status).toBe(200);
    expect((await json(camille, 'DELETE', `/api/spaces/${spaceId}/members/${emilie.id}`)).status).toBe(204);
    expect((await download(emilie, uploaded.body.url)).status).toBe(404);
    expect(await imageRows('FR', spaceId)).toHaveLength(1);
  });

  it('lets readers and commenters read but not upload, and refuses an upload without the CSRF token', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR', [[hugo, 'reader'], [emilie, 'commenter'], [olivier, 'editor']]);
    for (const member of [hugo, emilie]) {
      const refused = await upload(member, documentId, png(8, 8), 'image/png');
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('urn:entente:problem:forbidden');
    }
    const noCsrf = await fetch(`${t.baseUrl}/api/documents/${documentId}/images`, {
      method: 'POST',
      headers: { cookie: sessions.get(olivier.id)?.cookie ?? '', 'content-type': 'image/png' },
      body: new Uint8Array(png(8, 8)),
    });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { type: string }).type).toBe('urn:entente:problem:csrf');
    expect(await imageRows('FR', spaceId)).toEqual([]);
    expect(storedFiles('FR', spaceId)).toEqual([]);

    // An editor may.
    const byEditor = await upload(olivier, documentId, png(8, 8), 'image/png');
    expect(byEditor.status).toBe(201);
    expect((await download(hugo, byEditor.body.url)).status).toBe(200);
  });

  it('refuses bytes that are not the declared raster type, and SVG whatever it claims', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>');
    const html = Buffer.from('<!doctype html><html><body><script>fetch("/api/spaces").then(r=>r.text()).then(alert)</script></body></html>');
    const cases: [Buffer, string | undefined, string][] = [
      [png(8, 8), 'image/jpeg', 'image-content-mismatch'], // a PNG claimed as JPEG
      [GIF, 'image/webp', 'image-content-mismatch'],
      [html, 'image/png', 'image-content-mismatch'], // HTML claimed as PNG
      [svg, 'image/png', 'image-content-mismatch'],
      [svg, 'image/svg+xml', 'image-type-unsupported'],
      [html, 'text/html', 'image-type-unsupported'],
      [png(8, 8), 'application/octet-stream', 'image-type-unsupported'],
      [png(8, 8), undefined, 'image-type-unsupported'], // no Content-Type at all
      [png(8, 8), 'image png', 'image-type-unsupported'], // a header that does not parse
      [PNG_SIGNATURE.subarray(0, 5), 'image/png', 'image-content-mismatch'], // cut short
      [Buffer.alloc(0), 'image/png', 'image-content-mismatch'], // empty
    ];
    for (const [bytes, contentType, slug] of cases) {
      const refused = await upload(camille, documentId, bytes, contentType);
      expect(refused.status, `${contentType} ${slug}`).toBe(415);
      expect(refused.body.type, `${contentType}`).toBe(`urn:entente:problem:${slug}`);
      expect(refused.body.detail).toBeTruthy();
    }
    expect(await imageRows('FR', spaceId)).toEqual([]);
    expect(storedFiles('FR', spaceId)).toEqual([]);
  });

  it('refuses an image over 10 MiB before reading it, and while streaming it, storing nothing', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR');
    const head = png(8, 8);

    // The declared length is too large: answered after a few kilobytes, the rest never read.
    const declared = await rawUpload(camille, documentId, { 'content-type': 'image/png', 'content-length': 11 * MiB }, pieces(head, 256 * 1024), false);
    expect(declared.status).toBe(413);
    expect(declared.body.type).toBe('urn:entente:problem:image-too-large');
    expect(declared.connection).toBe('close');

    // No length (chunked): cut as soon as the count passes the limit.
    const streamed = await rawUpload(camille, documentId, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' }, pieces(head, 10 * MiB + 1), true);
    expect(streamed.status).toBe(413);
    expect(streamed.body.type).toBe('urn:entente:problem:image-too-large');

    // A French answer says the limit in its own words.
    const french = await upload(camille, documentId, Buffer.concat([...pieces(head, 10 * MiB + 1)]), 'image/png', { 'accept-language': 'fr-FR' });
    expect(french.status).toBe(413);
    expect(french.body.detail).toContain('10 Mio');

    expect(await imageRows('FR', spaceId)).toEqual([]);
    expect(storedFiles('FR', spaceId)).toEqual([]);

    // Exactly at the limit is accepted.
    const atLimit = Buffer.concat([...pieces(head, 10 * MiB)]);
    const accepted = await upload(camille, documentId, atLimit, 'image/png');
    expect(accepted.status).toBe(201);
    expect(accepted.body.size).toBe(10 * MiB);
    expect((await download(camille, accepted.body.url)).bytes.equals(atLimit)).toBe(true);
  });

  it('keeps only ciphertext in the cell’s object store', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR');
    const image = png(64, 64);
    const uploaded = await upload(camille, documentId, image, 'image/png');
    expect(uploaded.status).toBe(201);
    const files = storedFiles('FR', spaceId);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`spaces/${spaceId}/images/${uploaded.body.id}$`));
    const stored = readFileSync(files[0] as string);
    expect(stored.subarray(0, 4).toString('latin1')).toBe('ENTO'); // Entente's encrypted object format
    expect(stored.includes(PNG_SIGNATURE)).toBe(false);
    expect(stored.includes(Buffer.from('IHDR'))).toBe(false);
    expect(stored.includes(image.subarray(200, 232))).toBe(false); // nor any run of the pixels
    expect(stored.length).toBeGreaterThan(image.length);
  });

  it('keeps a Québec space’s images in the Québec cell only', async () => {
    const { spaceId, documentId } = await spaceWithDocument('QC', [[camille, 'editor']], emilie);
    const image = png(32, 32);
    const uploaded = await upload(camille, documentId, image, 'image/png');
    expect(uploaded.status).toBe(201);

    expect(storedFiles('QC', spaceId)).toHaveLength(1);
    expect(storedFiles('FR', spaceId)).toEqual([]);
    expect(await imageRows('QC', spaceId)).toHaveLength(1);
    expect(await imageRows('FR', spaceId)).toEqual([]);
    // Nothing anywhere in the French store names it.
    const frenchRoot = t.entente.config.cells.FR.objects;
    const everywhere = existsSync(frenchRoot) ? readdirSync(frenchRoot, { recursive: true }).map(String) : [];
    expect(everywhere.some((name) => name.includes(uploaded.body.id))).toBe(false);
    // The audit event is in the Québec cell.
    expect(await t.entente.audit.list({ jurisdiction: 'QC', resourceType: 'image', resourceId: uploaded.body.id, limit: 5 })).toHaveLength(1);
    expect(await t.entente.audit.list({ jurisdiction: 'FR', resourceType: 'image', resourceId: uploaded.body.id, limit: 5 })).toEqual([]);

    const read = await download(emilie, uploaded.body.url);
    expect(read.status).toBe(200);
    expect(read.bytes.equals(image)).toBe(true);
  });

  it('documents both routes in the OpenAPI description', async () => {
    const spec = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/documents/{documentId}/images'] ?? {})).toContain('post');
    // The space-wide upload is gone: an image always belongs to a document.
    expect(spec.paths['/api/spaces/{spaceId}/images']).toBeUndefined();
    expect(Object.keys(spec.paths['/api/images/{imageId}'] ?? {})).toContain('get');
  });

  it('asks for the space’s level of assurance before serving its images', async () => {
    const { spaceId, documentId } = await spaceWithDocument('FR', [[hugo, 'reader']]);
    const uploaded = await upload(camille, documentId, png(8, 8), 'image/png');
    expect(uploaded.status).toBe(201);
    expect((await json(camille, 'PATCH', `/api/spaces/${spaceId}`, { minAssurance: 'substantial' })).status).toBe(200);

    // Test sessions carry no federation level: below « substantial ».
    const read = await download(hugo, uploaded.body.url);
    expect(read.status).toBe(403);
    const problem = JSON.parse(read.bytes.toString('utf8')) as { type: string; requiredLevel: string };
    expect(problem).toMatchObject({ type: 'urn:entente:problem:insufficient-assurance', requiredLevel: 'substantial' });
    expect(read.bytes.includes(PNG_SIGNATURE)).toBe(false);
    const refused = await upload(camille, documentId, png(8, 8), 'image/png');
    expect(refused.status).toBe(403);
    expect(await imageRows('FR', spaceId)).toHaveLength(1);
  });
});

describe('images of restricted documents', () => {
  /** Restricts the document to the given members (owners of the space always reach it). */
  async function restrict(documentId: string, entries: [Agent, string][]) {
    const put = await json(camille, 'PUT', `/api/documents/${documentId}/access`, {
      restricted: true,
      entries: entries.map(([agent, role]) => ({ principalId: agent.id, role })),
    });
    expect(put.status).toBe(200);
  }

  it('serves a restricted document’s image only to those listed on it and to owners, 404 to the other members', async () => {
    // Hugo is listed; Émilie is an editor of the space but not listed; Olivier is not a member.
    const spaceId = await space('FR', [[hugo, 'editor'], [emilie, 'editor']]);
    const secret = await documentIn(spaceId);
    const open = await documentIn(spaceId);
    // Uploaded while the page is still open to the whole space, then restricted: the image follows.
    const before = await upload(camille, secret, png(8, 8), 'image/png');
    expect(before.status).toBe(201);
    expect((await download(emilie, before.body.url)).status).toBe(200);
    await restrict(secret, [[hugo, 'editor']]);
    const after = await upload(hugo, secret, png(16, 16), 'image/png');
    expect(after.status).toBe(201);
    const inOpenPage = await upload(emilie, open, png(8, 8), 'image/png');
    expect(inOpenPage.status).toBe(201);

    for (const url of [before.body.url, after.body.url]) {
      for (const reader of [camille, hugo]) expect((await download(reader, url)).status, `${reader.id} ${url}`).toBe(200);
      for (const outsider of [emilie, olivier]) {
        const refused = await download(outsider, url);
        expect(refused.status, `${outsider.id} ${url}`).toBe(404);
        expect(refused.bytes.includes(PNG_SIGNATURE)).toBe(false);
        // Not even a revalidation with the right ETag tells it exists.
        const etag = (await download(camille, url)).headers.get('etag') ?? '';
        expect((await download(outsider, url, { 'if-none-match': etag })).status).toBe(404);
      }
    }
    // The page open to all stays readable by every member.
    for (const member of [camille, hugo, emilie]) expect((await download(member, inOpenPage.body.url)).status).toBe(200);
    // Nor can an unlisted member upload into the restricted page: 404, as for the page itself.
    expect((await upload(emilie, secret, png(8, 8), 'image/png')).status).toBe(404);
    expect((await upload(olivier, secret, png(8, 8), 'image/png')).status).toBe(404);

    // Listed later, Émilie reads it; taken off the list again, she no longer does.
    await restrict(secret, [[hugo, 'editor'], [emilie, 'reader']]);
    expect((await download(emilie, after.body.url)).status).toBe(200);
    await restrict(secret, [[hugo, 'editor']]);
    expect((await download(emilie, after.body.url)).status).toBe(404);
  });

  it('protects the images of a page under a restricted page the same way', async () => {
    const spaceId = await space('FR', [[hugo, 'editor'], [emilie, 'editor']]);
    const parent = await documentIn(spaceId);
    // Created before the restriction, the child is not restricted itself (one created after would
    // copy the list): only the restriction above it covers it.
    const child = await documentIn(spaceId, camille, parent);
    await restrict(parent, [[hugo, 'editor']]);
    const uploaded = await upload(hugo, child, png(8, 8), 'image/png');
    expect(uploaded.status).toBe(201);
    expect((await download(hugo, uploaded.body.url)).status).toBe(200);
    expect((await download(camille, uploaded.body.url)).status).toBe(200);
    expect((await download(emilie, uploaded.body.url)).status).toBe(404);
    expect((await download(olivier, uploaded.body.url)).status).toBe(404);
    expect((await upload(emilie, child, png(8, 8), 'image/png')).status).toBe(404);

    // Moved out from under the restricted page, the child (and its image) is open to the space again.
    expect((await json(hugo, 'PATCH', `/api/documents/${child}`, { parentId: null })).status).toBe(200);
    expect((await download(emilie, uploaded.body.url)).status).toBe(200);
  });

  it('lets someone listed as reader on the document read its images but not upload, even as an editor of the space', async () => {
    const spaceId = await space('FR', [[hugo, 'editor']]);
    const documentId = await documentIn(spaceId);
    const uploaded = await upload(camille, documentId, png(8, 8), 'image/png');
    await restrict(documentId, [[hugo, 'reader']]);
    expect((await download(hugo, uploaded.body.url)).status).toBe(200);
    const refused = await upload(hugo, documentId, png(8, 8), 'image/png');
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('urn:entente:problem:forbidden');
    expect(await imageRows('FR', spaceId)).toHaveLength(1);
  });

  it('refuses uploads into a page in the trash, keeps its images readable there, and lets nobody read them once it is deleted for good', async () => {
    const spaceId = await space('FR', [[hugo, 'editor'], [emilie, 'editor']]);
    const documentId = await documentIn(spaceId);
    const uploaded = await upload(camille, documentId, png(8, 8), 'image/png');
    await restrict(documentId, [[hugo, 'editor']]);
    expect((await json(camille, 'POST', `/api/documents/${documentId}/trash`)).status).toBe(200);

    const refused = await upload(hugo, documentId, png(8, 8), 'image/png');
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:entente:problem:document-in-trash');
    expect(await imageRows('FR', spaceId)).toHaveLength(1);
    expect(storedFiles('FR', spaceId)).toHaveLength(1);
    // In the trash, as the page itself: readable by those who reach it, by no one else.
    expect((await download(hugo, uploaded.body.url)).status).toBe(200);
    expect((await download(emilie, uploaded.body.url)).status).toBe(404);

    // Deleted for good: the image still names its document, which nobody reaches any more — not
    // even the space's owner (it is not opened to the space).
    expect((await json(camille, 'DELETE', `/api/documents/${documentId}`)).status).toBe(204);
    expect(await imageRows('FR', spaceId)).toEqual([expect.objectContaining({ id: uploaded.body.id, document_id: documentId })]);
    for (const agent of [camille, hugo, emilie, olivier]) expect((await download(agent, uploaded.body.url)).status).toBe(404);
  });
});
