/**
 * Reads a server-sent events stream from a fetch Response (EventSource cannot POST nor send the
 * CSRF header). Yields `{ event, data }` per event; `event` is `message` when the server names none
 * (the OpenAI-format gateway). Ends when the body ends or the request's signal aborts.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = boundary(buffer);
      while (end) {
        const block = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end.length);
        const parsed = parseBlock(block);
        if (parsed) yield parsed;
        end = boundary(buffer);
      }
    }
    const last = parseBlock(buffer);
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}

function boundary(buffer: string): { index: number; length: number } | null {
  const match = /\r?\n\r?\n/.exec(buffer);
  return match ? { index: match.index, length: match[0].length } : null;
}

function parseBlock(block: string): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : null;
}
