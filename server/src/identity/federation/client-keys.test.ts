import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { checkUpstream } from '../../cli/idp.ts';
import { ClientKeyError, clientAssertionKey, readClientKey } from './client-keys.ts';
import { type Upstream, upstreamsFromConfigFile } from './upstream.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'entente-client-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, content: string, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

const upstream = (file: string, extra: Record<string, unknown> = {}): Upstream =>
  upstreamsFromConfigFile([
    {
      name: 'etranger',
      label: { 'fr-FR': 'Étranger', en: 'Stranger' },
      issuer: 'http://127.0.0.1:1/op',
      clientId: 'entente',
      clientAuth: 'private_key_jwt',
      clientKey: { file, kid: 'rp-1', ...extra },
      scopes: ['openid'],
      jurisdiction: 'QC',
      claims: { givenName: 'a', familyName: 'b', email: 'c', organisationId: 'd' },
      acr: { 'loa-1': 'low' },
    },
  ])[0]!;

describe('private_key_jwt keys', () => {
  it('reads an RSA PEM and an EC JWK, and publishes only their public half', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const fromPem = readClientKey(upstream(keyFile('rsa.pem', rsa.export({ type: 'pkcs8', format: 'pem' }) as string)));
    expect(fromPem).toMatchObject({ kid: 'rp-1', alg: 'RS256', publicJwk: { kty: 'RSA', kid: 'rp-1', alg: 'RS256', use: 'sig' } });
    expect(fromPem.publicJwk).not.toHaveProperty('d');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const fromJwk = readClientKey(upstream(keyFile('ec.json', JSON.stringify(ec.export({ format: 'jwk' })))));
    expect(fromJwk).toMatchObject({ alg: 'ES256', publicJwk: { kty: 'EC', crv: 'P-256' } });
    expect(fromJwk.publicJwk).not.toHaveProperty('d');
    // The key signs what its published half verifies.
    const { key } = await clientAssertionKey(fromJwk);
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'ES256' }).sign(key);
    const [h, p, s] = jwt.split('.');
    const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: fromJwk.publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'));
    expect(ok).toBe(true);
  });

  it('refuses a key others can read, naming the file and the fix', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const file = keyFile('open.pem', ec.export({ type: 'pkcs8', format: 'pem' }) as string, 0o644);
    expect(() => readClientKey(upstream(file))).toThrow(ClientKeyError);
    expect(() => readClientKey(upstream(file))).toThrow(`chmod 600 ${file}`);
  });

  it('refuses a missing file, garbage, a short RSA key and an algorithm the key cannot sign, without echoing the file', () => {
    expect(() => readClientKey(upstream(path.join(dir, 'nope.pem')))).toThrow(/ENOENT/);
    const garbage = keyFile('garbage.pem', 'SECRET-LOOKING-CONTENT');
    expect(() => readClientKey(upstream(garbage))).toThrow(/not a private key/);
    expect(() => readClientKey(upstream(garbage))).not.toThrow(/SECRET-LOOKING/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => readClientKey(upstream(keyFile('small.pem', small.export({ type: 'pkcs8', format: 'pem' }) as string)))).toThrow(/2048/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => readClientKey(upstream(keyFile('ec2.pem', ec.export({ type: 'pkcs8', format: 'pem' }) as string), { alg: 'RS256' }))).toThrow(/cannot sign RS256/);
  });

  it('is required with private_key_jwt, and a secret is refused with it', () => {
    const base = { name: 'x1', label: { 'fr-FR': 'X', en: 'X' }, issuer: 'https://x.example', clientId: 'c', scopes: ['openid'], jurisdiction: 'FR', claims: { givenName: 'a', familyName: 'b', email: 'c', organisationId: 'd' }, acr: { a: 'low' } };
    expect(() => upstreamsFromConfigFile([{ ...base, clientAuth: 'private_key_jwt' }])).toThrow(/clientKey/);
    expect(() => upstreamsFromConfigFile([{ ...base, clientAuth: 'private_key_jwt', clientKey: { file: 'k', kid: 'k' }, clientSecret: 's'.repeat(20) }])).toThrow(/clientSecret/);
    expect(() => upstreamsFromConfigFile([{ ...base, clientAuth: 'client_secret_post' }])).toThrow(/clientSecret/);
  });

  it('`entente idp check` reports a key file problem clearly', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const file = keyFile('check.pem', ec.export({ type: 'pkcs8', format: 'pem' }) as string, 0o640);
    const lines = await checkUpstream(upstream(file), { allowHttp: true });
    const key = lines.find((l) => l.label === 'Client key' || l.label === 'Clé du client');
    expect(key?.ok).toBe(false);
    expect(key?.detail).toContain(`chmod 600 ${file}`);
    chmodSync(file, 0o600);
    const fixed = (await checkUpstream(upstream(file), { allowHttp: true })).find((l) => l.label === key?.label);
    expect(fixed).toMatchObject({ ok: true, detail: 'kid rp-1, ES256' });
  });
});
