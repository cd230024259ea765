import net from 'node:net';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPostgres } from './database.ts';

const url = process.env.ENTENTE_TEST_DATABASE_URL?.trim();

/**
 * A connection that drops while checked out (between two queries of a transaction, say) must
 * not crash the process: pg emits 'error' on the idle client, which without a listener is an
 * uncaught exception. Seen in CI during the outage test; this reproduces it deterministically.
 */
describe.skipIf(!url)('PostgreSQL connection loss', () => {
  it('fails the next query cleanly and recovers with a new connection', async () => {
    const upstream = new URL(url as string);
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
      for (const s of [client, server]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(url as string);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((proxy.address() as net.AddressInfo).port);
    const database = await openPostgres<unknown>('probe', proxied.href, { poolSize: 2 });
    try {
      await database.db.connection().execute(async (connection) => {
        await sql`select 1`.execute(connection);
        for (const s of sockets) s.destroy(); // the network goes away while we hold the client
        await new Promise((r) => setTimeout(r, 200));
        await expect(sql`select 1`.execute(connection)).rejects.toThrow();
      });
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      await database.close();
      proxy.close();
    }
  });
});
