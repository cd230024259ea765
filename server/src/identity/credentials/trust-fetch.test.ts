import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchLimited, isFetchableUrl, TrustFetchError } from './trust-fetch.ts';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/big') {
      // No content-length: the limit must hold while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('x'.repeat(600));
      res.end('y'.repeat(600));
    } else if (req.url === '/redirect') res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
    else if (req.url === '/slow') setTimeout(() => res.end('{}'), 2000);
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('fetching an issuer’s documents', () => {
  it('wants https, except for this machine', () => {
    expect(isFetchableUrl('https://emetteur.example/x')).toBe(true);
    expect(isFetchableUrl('http://localhost:3000/x')).toBe(true);
    expect(isFetchableUrl('http://127.0.0.1:3000/x')).toBe(true);
    expect(isFetchableUrl('http://emetteur.example/x')).toBe(false);
    expect(isFetchableUrl('https://user:pw@emetteur.example/x')).toBe(false);
    expect(isFetchableUrl('file:///etc/passwd')).toBe(false);
    expect(isFetchableUrl('not a url')).toBe(false);
  });

  it('reads a small document, and refuses a large one, a redirect and a slow server', async () => {
    expect((await fetchLimited(`${base}/ok`)).text).toBe('{"ok":true}');
    await expect(fetchLimited(`${base}/big`, { maxBytes: 1000 })).rejects.toThrow(/larger than 1000/);
    await expect(fetchLimited(`${base}/redirect`)).rejects.toBeInstanceOf(TrustFetchError);
    await expect(fetchLimited(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(/did not answer/);
    await expect(fetchLimited('http://emetteur.example/x')).rejects.toThrow(/https is required/);
  });
});

describe('addresses a production server never fetches from', () => {
  it('knows loopback, private, link-local and mapped addresses, and lets public ones pass', async () => {
    const { isPrivateAddress } = await import('./trust-fetch.ts');
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '[::1]', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '193.51.0.1', '2001:db8::1', 'entente.gouv.fr']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
