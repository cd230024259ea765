import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { createBatchWriter } from './batch-writer.ts';

const logger = createLogger({ logLevel: 'silent' });

describe('createBatchWriter', () => {
  it('returns at once while the sink is blocked, and writes everything on flush', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    const written: number[][] = [];
    const writer = createBatchWriter<number>({
      name: 'test',
      logger,
      intervalMs: 5,
      maxRows: 3,
      write: async (rows) => {
        await blocked;
        written.push(rows);
      },
    });
    const started = performance.now();
    for (let i = 0; i < 7; i++) writer.push(i);
    expect(performance.now() - started).toBeLessThan(50);
    expect(written).toEqual([]);
    const flushed = writer.flush();
    release();
    await flushed;
    expect(written).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('retries a failed write once, then drops it without throwing', async () => {
    let calls = 0;
    const writer = createBatchWriter<string>({
      name: 'test',
      logger,
      write: async () => {
        calls++;
        throw new Error('database down');
      },
    });
    writer.push('a');
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('succeeds on the retry', async () => {
    const written: string[] = [];
    let failed = false;
    const writer = createBatchWriter<string>({
      name: 'test',
      logger,
      write: async (rows) => {
        if (!failed) {
          failed = true;
          throw new Error('blip');
        }
        written.push(...rows);
      },
    });
    writer.push('a');
    writer.push('b');
    await writer.flush();
    expect(written).toEqual(['a', 'b']);
  });

  // review fix (helper R1): rows with a logged prompt may be large; the buffer is bounded in bytes
  it('drops rows beyond maxBufferedBytes while the sink is blocked, and writes the rest', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    const written: string[] = [];
    const writer = createBatchWriter<string>({
      name: 'test',
      logger,
      intervalMs: 5,
      maxRows: 2,
      sizeOf: (row) => row.length,
      maxBufferedBytes: 10,
      write: async (rows) => {
        await blocked;
        written.push(...rows);
      },
    });
    writer.push('aaaa'); // drained at once (2 rows) with the next: the buffer is empty again
    writer.push('bbbb');
    writer.push('cccc'); // 4 bytes buffered
    writer.push('dddddd'); // 10
    writer.push('e'); // 11 > 10: dropped
    writer.push('ffffffffffff'); // dropped: alone it passes the bound
    const flushed = writer.flush();
    release();
    await flushed;
    expect(written).toEqual(['aaaa', 'bbbb', 'cccc', 'dddddd']);
    // Written rows free their bytes: the buffer takes rows again.
    writer.push('gggggggggg');
    await writer.flush();
    expect(written.at(-1)).toBe('gggggggggg');
  });

  it('flushes by itself after the interval', async () => {
    const written: string[] = [];
    const writer = createBatchWriter<string>({ name: 'test', logger, intervalMs: 10, write: async (rows) => void written.push(...rows) });
    writer.push('x');
    await new Promise((r) => setTimeout(r, 60));
    expect(written).toEqual(['x']);
  });
});
