import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS3rver, type TestS3 } from '../../../test/support/s3rver.ts';
import { LocalObjectStore } from './local-object-store.ts';
import { collect, objectStoreContract, randomStream, readAll } from './object-store.contract.ts';
import { ObjectNotFoundError } from './object-store.ts';
import { openObjectStore } from './open-object-store.ts';
import { MIN_PART_SIZE, parseS3Location, S3ObjectStore, s3ClientConfig } from './s3-object-store.ts';

/** The S3 store against a real S3 protocol server (s3rver) started here. */
let s3: TestS3;
let run = 0;

beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.close();
});

/** Each test gets its own prefix of the bucket: an empty store, and prefixes exercised everywhere. */
const fresh = (extra: Partial<ConstructorParameters<typeof S3ObjectStore>[0]> = {}) =>
  new S3ObjectStore({ client: s3.client, bucket: s3.bucket, prefix: `run-${++run}/`, partSize: MIN_PART_SIZE, ...extra });

// s3rver lists in its folders' walk order, not S3's byte order: only the set of keys is compared.
objectStoreContract('S3 (s3rver)', () => fresh(), { listsInByteOrder: false });

/** Records the commands a client sends, and how many UploadPart were in flight at most. */
function recordingClient(): { client: S3Client; commands: string[]; maxPartsInFlight: () => number } {
  const client = new S3Client(s3ClientConfig({ endpoint: s3.endpoint, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, forcePathStyle: true }));
  const commands: string[] = [];
  let inFlight = 0;
  let max = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?';
      commands.push(name);
      if (name === 'UploadPartCommand') max = Math.max(max, ++inFlight);
      try {
        return await next(args);
      } finally {
        if (name === 'UploadPartCommand') inFlight--;
      }
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client, commands, maxPartsInFlight: () => max };
}

describe('S3ObjectStore', () => {
  let recorder: ReturnType<typeof recordingClient>;
  beforeEach(() => {
    recorder = recordingClient();
    return () => recorder.client.destroy();
  });

  it('streams a large body as a multipart upload, a few parts at a time', async () => {
    const store = fresh({ client: recorder.client, partConcurrency: 2 });
    const total = 3 * MIN_PART_SIZE + 12_345;
    const { stream, digest } = randomStream(total, 300_000);
    expect((await store.put('spaces/s/files/f/v', stream, { contentType: 'application/octet-stream' })).size).toBe(total);
    expect(recorder.commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(4);
    expect(recorder.commands).toContain('CreateMultipartUploadCommand');
    expect(recorder.commands.at(-1)).toBe('CompleteMultipartUploadCommand');
    expect(recorder.maxPartsInFlight()).toBeLessThanOrEqual(2);
    const back = await readAll((await store.get('spaces/s/files/f/v')).body);
    expect(createHash('sha256').update(back).digest('hex')).toBe(digest());
    // A range across a part boundary.
    const range = await store.get('spaces/s/files/f/v', { range: { start: MIN_PART_SIZE - 3, end: MIN_PART_SIZE + 2 } });
    expect((await readAll(range.body)).equals(back.subarray(MIN_PART_SIZE - 3, MIN_PART_SIZE + 3))).toBe(true);
  });

  it('uploads a large buffer in parts too, and a small one in one request', async () => {
    const store = fresh({ client: recorder.client });
    const big = randomBytes(MIN_PART_SIZE + 10);
    await store.put('big', big);
    expect(recorder.commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(2);
    expect((await readAll((await store.get('big')).body)).equals(big)).toBe(true);
    recorder.commands.length = 0;
    await store.put('small', randomBytes(MIN_PART_SIZE));
    expect(recorder.commands).toEqual(['PutObjectCommand']);
  });

  it('aborts the multipart upload when the body fails midway and keeps the old object', async () => {
    const store = fresh({ client: recorder.client });
    await store.put('doc', Buffer.from('old'));
    let sent = 0;
    const failing = new Readable({
      read() {
        if (sent >= 2 * MIN_PART_SIZE + 1000) return void this.destroy(new Error('client went away'));
        sent += 1_000_000;
        this.push(randomBytes(1_000_000));
      },
    });
    await expect(store.put('doc', failing)).rejects.toThrow('client went away');
    expect(recorder.commands).toContain('UploadPartCommand');
    expect(recorder.commands).toContain('AbortMultipartUploadCommand');
    expect(recorder.commands).not.toContain('CompleteMultipartUploadCommand');
    expect((await readAll((await store.get('doc')).body)).toString()).toBe('old');
  });

  it('keeps each store under its prefix: two cells can share a bucket without seeing each other', async () => {
    const fr = new S3ObjectStore({ client: s3.client, bucket: s3.bucket, prefix: 'iso/cells/fr' });
    const qc = new S3ObjectStore({ client: s3.client, bucket: s3.bucket, prefix: 'iso/cells/qc/' });
    await fr.put('spaces/a/files/1', Buffer.from('fr'));
    await qc.put('spaces/b/files/2', Buffer.from('qc'));
    expect(await collect(fr.list(''))).toEqual([{ key: 'spaces/a/files/1', size: 2 }]);
    expect(await collect(qc.list(''))).toEqual([{ key: 'spaces/b/files/2', size: 2 }]);
    await expect(fr.get('spaces/b/files/2')).rejects.toBeInstanceOf(ObjectNotFoundError);
    const raw = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'iso/' }));
    expect((raw.Contents ?? []).map((o) => o.Key).sort()).toEqual(['iso/cells/fr/spaces/a/files/1', 'iso/cells/qc/spaces/b/files/2']);
    expect(fr.description).toBe(`S3 bucket s3://${s3.bucket}/iso/cells/fr/ at AWS us-east-1`);
  });

  it('pages through long listings in byte order', async () => {
    const store = fresh({ pageSize: 2 });
    // (Keys where s3rver's walk order is byte order: see the contract's listsInByteOrder.)
    const keys = ['k/a', 'k/b', 'k/c', 'k/d', 'k/e', 'l', 'm'];
    for (const key of keys) await store.put(key, Buffer.from(key));
    expect((await collect(store.list(''))).map((o) => o.key)).toEqual([...keys].sort());
    expect((await collect(store.list('k/'))).map((o) => o.key)).toEqual(['k/a', 'k/b', 'k/c', 'k/d', 'k/e']);
  });

  it('skips objects that another tool wrote under the prefix with keys Entente cannot have', async () => {
    const store = fresh();
    await store.put('ok', Buffer.from('1'));
    for (const foreign of ['Upper/Case', 'with space', 'é']) {
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${store.prefix}${foreign}`, Body: Buffer.from('x') }));
    }
    expect(await collect(store.list(''))).toEqual([{ key: 'ok', size: 1 }]);
  });

  it('stores the content type as metadata', async () => {
    const store = fresh();
    await store.put('typed', Buffer.from('%PDF-'), { contentType: 'application/pdf' });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${store.prefix}typed` }));
    expect(head.ContentType).toBe('application/pdf');
  });

  it('lets a range reader stop early without breaking the next request', async () => {
    const store = fresh();
    await store.put('r', randomBytes(2_000_000));
    for (let i = 0; i < 20; i++) {
      const got = await store.get('r', { range: { start: 10 } });
      got.body.destroy();
    }
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${store.prefix}r`, Range: 'bytes=0-0' }));
    (raw.Body as Readable).destroy();
    expect((await store.head('r'))?.size).toBe(2_000_000);
  });

  describe('check', () => {
    it('fails with the bucket named and no secret when the credentials are wrong', async () => {
      // (s3rver checks the access key id, not V4 signatures: the id is the wrong part here.)
      const secret = 'not-the-right-secret-0123456789';
      const store = new S3ObjectStore({
        bucket: s3.bucket,
        prefix: 'x',
        endpoint: s3.endpoint,
        credentials: { accessKeyId: 'NOT-A-KNOWN-KEY', secretAccessKey: secret },
        forcePathStyle: true,
      });
      try {
        const check = await store.check();
        expect(check.ok).toBe(false);
        expect(check.detail).toContain(s3.bucket);
        expect(check.detail).not.toContain(secret);
        await expect(store.put('a', Buffer.from('x'))).rejects.toThrow();
        expect(JSON.stringify(store)).not.toContain(secret);
      } finally {
        await store.close();
      }
    });

    it('fails on a missing bucket and on an endpoint that does not answer', async () => {
      const missing = new S3ObjectStore({ client: s3.client, bucket: 'no-such-bucket', prefix: '' });
      expect((await missing.check()).ok).toBe(false);
      const dead = new S3ObjectStore({
        bucket: 'b-1',
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        forcePathStyle: true,
      });
      try {
        const check = await dead.check();
        expect(check.ok).toBe(false);
        expect(check.detail).toContain('127.0.0.1:9');
      } finally {
        await dead.close();
      }
    });
  });
});

describe('S3 locations', () => {
  it('parses s3://bucket[/prefix]', () => {
    expect(parseS3Location('s3://entente-qc')).toEqual({ bucket: 'entente-qc', prefix: '' });
    expect(parseS3Location('s3://entente-qc/')).toEqual({ bucket: 'entente-qc', prefix: '' });
    expect(parseS3Location('s3://entente-qc/prod/cell')).toEqual({ bucket: 'entente-qc', prefix: 'prod/cell/' });
    expect(parseS3Location('s3://entente.qc/prod/')).toEqual({ bucket: 'entente.qc', prefix: 'prod/' });
  });

  it.each([
    's3://',
    's3://ab',
    's3://Entente',
    's3://key:secret@bucket/x',
    's3://bucket/../x',
    's3://bucket//x',
    's3://bucket/x?versionId=1',
    's3://bucket/X',
    's3://-bucket',
    's3://a..b',
    'http://bucket',
  ])('refuses %j', (location) => {
    expect(() => parseS3Location(location)).toThrow(TypeError);
  });

  it('opens an S3 store or a folder from the configured location', async () => {
    const opened = await openObjectStore(`s3://${s3.bucket}/open/test`, {
      endpoint: s3.endpoint,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
    });
    expect(opened).toBeInstanceOf(S3ObjectStore);
    expect((await opened.check()).ok).toBe(true);
    await opened.put('a', Buffer.from('x'));
    expect(await collect(opened.list(''))).toEqual([{ key: 'a', size: 1 }]);
    await (opened as S3ObjectStore).close();
    const dir = mkdtempSync(path.join(tmpdir(), 'entente-open-'));
    try {
      const local = await openObjectStore(path.join(dir, 'objects'));
      expect(local).toBeInstanceOf(LocalObjectStore);
      expect((await local.check()).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
