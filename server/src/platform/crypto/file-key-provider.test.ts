import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecryptionError, KeyFileError, KeyUnavailableError } from './errors.ts';
import { FileKeyProvider } from './file-key-provider.ts';

let dir: string;
let folder: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'entente-keys-'));
  folder = path.join(dir, 'cells', 'fr', 'keys');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function onlyKeyFile(): Promise<string> {
  const names = (await readdir(folder)).filter((n) => n.startsWith('kek-'));
  expect(names).toHaveLength(1);
  return path.join(folder, names[0] as string);
}

describe('FileKeyProvider', () => {
  it('creates a random 256-bit KEK on first start, in a 0600 file in a 0700 folder', async () => {
    const provider = await FileKeyProvider.open(`file:${folder}`);
    expect(provider.id).toMatch(/^file:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const file = await onlyKeyFile();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    const content = JSON.parse(await readFile(file, 'utf8'));
    expect(content).toMatchObject({ format: 'entente-kek', version: 1, id: provider.id, algorithm: 'AES-256-GCM' });
    expect(Buffer.from(content.key, 'base64')).toHaveLength(32);
    // Nothing of the key shows when the provider is inspected or serialised.
    expect(inspect(provider, { depth: 5 })).not.toContain(content.key);
    expect(JSON.stringify(provider)).not.toContain(content.key);
  });

  it('round-trips a data key and keeps it across restarts', async () => {
    const provider = await FileKeyProvider.open(`file:${folder}`);
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey, 'space:1');
    expect(wrapped.kekId).toBe(provider.id);
    expect(wrapped.ciphertext).toHaveLength(1 + 12 + 32 + 16);
    expect(wrapped.ciphertext.includes(dataKey)).toBe(false);
    expect((await provider.unwrap(wrapped, 'space:1')).equals(dataKey)).toBe(true);

    const again = await FileKeyProvider.open(folder); // a plain path works too
    expect(again.id).toBe(provider.id);
    expect((await again.unwrap(wrapped, 'space:1')).equals(dataKey)).toBe(true);
    expect(await readdir(folder)).toHaveLength(1);
  });

  it('refuses another AAD, a tampered ciphertext and an unknown KEK', async () => {
    const provider = await FileKeyProvider.open(`file:${folder}`);
    const wrapped = await provider.wrap(randomBytes(32), 'space:1');
    await expect(provider.unwrap(wrapped, 'space:2')).rejects.toBeInstanceOf(DecryptionError);
    for (const index of [0, 5, 20, wrapped.ciphertext.length - 1]) {
      const tampered = Buffer.from(wrapped.ciphertext);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      await expect(provider.unwrap({ kekId: wrapped.kekId, ciphertext: tampered }, 'space:1')).rejects.toBeInstanceOf(
        DecryptionError,
      );
    }
    await expect(provider.unwrap({ kekId: wrapped.kekId, ciphertext: Buffer.alloc(3) }, 'space:1')).rejects.toBeInstanceOf(
      DecryptionError,
    );
    await expect(
      provider.unwrap({ kekId: 'file:0190a4b2-1c3d-7e8f-9a0b-1c2d3e4f5a6b', ciphertext: wrapped.ciphertext }, 'space:1'),
    ).rejects.toBeInstanceOf(KeyUnavailableError);
    await expect(provider.unwrap({ kekId: 'pkcs11:x', ciphertext: wrapped.ciphertext }, 'space:1')).rejects.toBeInstanceOf(
      KeyUnavailableError,
    );
    // Another cell's KEK cannot unwrap it either.
    const other = await FileKeyProvider.open(path.join(dir, 'other'));
    await expect(other.unwrap(wrapped, 'space:1')).rejects.toBeInstanceOf(KeyUnavailableError);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %o, naming the file and the fix', async (mode) => {
    await FileKeyProvider.open(`file:${folder}`);
    const file = await onlyKeyFile();
    await chmod(file, mode);
    const error = await FileKeyProvider.open(`file:${folder}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as KeyFileError).path).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(`chmod 600 ${file}`);
  });

  it('reports a key file that became readable by others in check()', async () => {
    const provider = await FileKeyProvider.open(`file:${folder}`);
    expect(await provider.check()).toMatchObject({ ok: true });
    expect((await provider.check()).detail).toContain(provider.id);
    await chmod(await onlyKeyFile(), 0o644);
    const result = await provider.check();
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('chmod 600');
  });

  it('refuses a malformed key file', async () => {
    await FileKeyProvider.open(`file:${folder}`);
    const file = await onlyKeyFile();
    await writeFile(file, '{"format":"entente-kek","version":1,"key":"c2hvcnQ="}', { mode: 0o600 });
    await expect(FileKeyProvider.open(`file:${folder}`)).rejects.toBeInstanceOf(KeyFileError);
    await writeFile(file, 'not json', { mode: 0o600 });
    await expect(FileKeyProvider.open(`file:${folder}`)).rejects.toThrow(file);
  });

  it('does not create keys when told not to', async () => {
    await expect(FileKeyProvider.open(`file:${folder}`, { create: false })).rejects.toBeInstanceOf(KeyUnavailableError);
  });

  it('rotates: the newest KEK wraps, older ones still unwrap, other processes pick it up', async () => {
    const a = await FileKeyProvider.open(`file:${folder}`);
    const b = await FileKeyProvider.open(`file:${folder}`);
    const oldId = a.id;
    const before = await a.wrap(randomBytes(32), 'x');
    const newId = await a.rotate();
    expect(newId > oldId).toBe(true);
    expect(a.id).toBe(newId);
    const after = await a.wrap(Buffer.alloc(32, 7), 'x');
    expect(after.kekId).toBe(newId);
    expect(await a.unwrap(before, 'x')).toHaveLength(32);
    // b loaded the folder before the rotation: it finds the new KEK when it first meets it.
    expect(b.id).toBe(oldId);
    expect((await b.unwrap(after, 'x')).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(b.id).toBe(newId);
    for (const name of (await readdir(folder)).filter((n) => n.startsWith('kek-'))) {
      expect((await stat(path.join(folder, name))).mode & 0o777).toBe(0o600);
    }
  });
});
