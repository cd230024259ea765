import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { parseRange } from './download.ts';
import { parseMetadata } from './uploads.ts';

describe('Range', () => {
  it.each([
    ['bytes=0-0', 10, { start: 0, end: 0 }],
    ['bytes=2-5', 10, { start: 2, end: 5 }],
    ['bytes=7-', 10, { start: 7, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-30', 10, { start: 0, end: 9 }],
    ['bytes=5-100', 10, { start: 5, end: 9 }],
    ['BYTES=1-2', 10, { start: 1, end: 2 }],
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it.each([
    ['bytes=10-', 10],
    ['bytes=10-20', 10],
    ['bytes=-0', 10],
    ['bytes=0-', 0],
    ['bytes=-5', 0],
  ])('%s of %d bytes is unsatisfiable', (header, size) => {
    expect(parseRange(header, size)).toBe('unsatisfiable');
  });

  it.each([undefined, '', 'bytes=', 'bytes=-', 'bytes=5-2', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b', 'bytes= 1-2', `bytes=${'1'.repeat(17)}-`])('ignores %j', (header) => {
    expect(parseRange(header, 10)).toBeNull();
  });
});

describe('Upload-Metadata', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

  it('decodes pairs, values in UTF-8, an absent value as empty', () => {
    const parsed = parseMetadata(`filename ${b64('Été.pdf')},spaceId ${b64('x')},flag`);
    expect([...parsed]).toEqual([
      ['filename', 'Été.pdf'],
      ['spaceId', 'x'],
      ['flag', ''],
    ]);
    expect(parseMetadata(undefined).size).toBe(0);
  });

  it.each([
    ['duplicate keys', `a ${b64('1')},a ${b64('2')}`],
    ['not base64', 'a !!!'],
    ['too many parts', `a ${b64('1')} extra`],
    ['empty key', ` ${b64('1')},`],
    ['invalid UTF-8', `a ${Buffer.from([0xff, 0xfe]).toString('base64')}`],
    ['too long', `a ${'A'.repeat(20_000)}`],
  ])('refuses %s with a 400', (_case, header) => {
    try {
      parseMetadata(header);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
    }
  });
});
