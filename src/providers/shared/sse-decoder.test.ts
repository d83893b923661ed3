import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeSse, type SseEvent } from './sse-decoder.js';

async function* chunksOf(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for (const part of parts) yield typeof part === 'string' ? enc.encode(part) : part;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of decodeSse(body)) out.push(ev);
  return out;
}

describe('decodeSse', () => {
  it('decodes data events with \\n, \\r\\n and \\r line endings', async () => {
    expect(await collect(chunksOf('data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n'))).toEqual([
      { data: 'a' },
      { data: 'b' },
      { data: 'c' },
      { data: 'd' },
    ]);
  });

  it('joins multi-line data, keeps event names and ids, strips only one leading space', async () => {
    const events = await collect(chunksOf('event: message_start\nid: 7\ndata:  x\ndata:y\n\ndata\n\n'));
    expect(events).toEqual([
      { event: 'message_start', id: '7', data: ' x\ny' },
      { id: '7', data: '' },
    ]);
  });

  it('skips comments such as OpenRouter keep-alives and events without data', async () => {
    expect(await collect(chunksOf(': OPENROUTER PROCESSING\n\nevent: ping\n\ndata: {"a":1}\n\n'))).toEqual([{ data: '{"a":1}' }]);
  });

  it('handles a \\r\\n pair split across chunks without inventing a blank line', async () => {
    expect(await collect(chunksOf('data: a\r', '\ndata: b\r', '\n\r', '\n'))).toEqual([{ data: 'a\nb' }]);
  });

  it('handles multi-byte UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo 🌍\n\n');
    const parts = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(await collect(chunksOf(...parts))).toEqual([{ data: 'héllo 🌍' }]);
  });

  it('drops an event cut off before its blank line and strips a BOM', async () => {
    expect(await collect(chunksOf('\uFEFFdata: 1\n\ndata: 2\n'))).toEqual([{ data: '1' }]);
  });

  it('propagates errors from the body', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('data: 1\n\n');
      throw new Error('socket closed');
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const ev of decodeSse(failing())) seen.push(ev.data);
      })(),
    ).rejects.toThrow('socket closed');
    expect(seen).toEqual(['1']);
  });

  it('decodes the same events however the bytes are chunked', async () => {
    const text = 'event: a\r\ndata: première\r\ndata: 2\r\n\r\n: c\n\ndata: 😀\r\r\ndata: z\n\n';
    const expected = await collect(chunksOf(text));
    expect(expected).toHaveLength(3);
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parts: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          parts.push(bytes.subarray(prev, p));
          prev = p;
        }
        expect(await collect(chunksOf(...parts))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes like the spec on arbitrary streams, however the bytes are chunked', async () => {
    const token = fc.constantFrom('data', 'data:', 'data: ', 'event:', 'event: ', 'id: ', 'id:', ':', 'retry: 5', 'x', 'é', '😀', '\u0000', ' ', '\n', '\r', '\r\n', '\n\n');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(token, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), async (bom, tokens, cuts) => {
        const text = (bom ? '\ufeff' : '') + tokens.join('');
        const bytes = new TextEncoder().encode(text);
        const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
        const parts: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          parts.push(bytes.subarray(prev, p));
          prev = p;
        }
        expect(await collect(chunksOf(...parts))).toStrictEqual(specDecode(text));
      }),
      { numRuns: 500 },
    );
  });
});

/** The WHATWG event-stream interpretation of a whole body, written from the spec as the oracle. */
function specDecode(text: string): SseEvent[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\r|\n/);
  lines.pop(); // the last piece has no terminator: never processed
  const events: SseEvent[] = [];
  let data: string[] = [];
  let type: string | undefined;
  let id: string | undefined;
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) events.push({ data: data.join('\n'), ...(type === undefined ? {} : { event: type }), ...(id === undefined ? {} : { id }) });
      data = [];
      type = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\u0000')) id = value;
  }
  return events;
}
