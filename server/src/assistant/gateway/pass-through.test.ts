import { describe, expect, it } from 'vitest';
import { passThrough } from './gateway.ts';

/**
 * The gateway's fast path: a common content chunk relayed as raw text with the model alias put
 * in; anything it cannot be sure of goes to the parsed path (null), never out as written.
 */
const options = { upstreamModel: '"model":"mistral-small"', alias: '"entente-small"', wantUsage: false, ttftKnown: true, restores: false, restoring: false };
const chunk = '{"id":"c1","object":"chat.completion.chunk","model":"mistral-small","choices":[{"index":0,"delta":{"content":"Bonjour"},"finish_reason":null}]}';

describe('passThrough', () => {
  it('relays a plain content chunk with the alias and counts its characters', () => {
    const state = { relayedChars: 0 };
    expect(passThrough(chunk, options, state)).toBe(`data: ${chunk.replace('"mistral-small"', '"entente-small"')}\n\n`);
    expect(state.relayedChars).toBe('Bonjour'.length);
  });

  it('leaves to the parsed path what could smuggle events, keys or brackets past it', () => {
    const hostile = [
      // Several data: lines of one event, joined with a line break: raw, they would be two events.
      `${chunk}\ndata: {"model":"real-name","usage":{"prompt_tokens":1}}`,
      `${chunk}\r\rdata: {"x":1}`,
      // Escaped key and bracket: the client reads "model" and "[", these checks would not.
      chunk.replace('"model"', '"mod\\u0065l"'),
      chunk.replace('Bonjour', 'Bon\\u005bjour'),
      // Trailing text after the object.
      `${chunk} x`,
    ];
    for (const data of hostile) expect(passThrough(data, options, { relayedChars: 0 }), data).toBeNull();
  });
});
