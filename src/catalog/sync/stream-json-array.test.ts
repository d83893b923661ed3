import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../errors/gateway-error.js';
import { streamJsonArrayItems } from './stream-json-array.js';

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function collect(text: string, size: number, key = 'data'): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of streamJsonArrayItems(chunks(text, size), key)) out.push(item);
  return out;
}

async function failure(text: string, size = 3, key = 'data'): Promise<string> {
  try {
    await collect(text, size, key);
  } catch (err) {
    expect(isGatewayError(err)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a failure');
}

const DOC = {
  meta: { data: ['not this one'], note: 'a "quoted" ] } [ string' },
  'da\\"ta': [1],
  data: [
    { id: 'a/b', name: 'Ünïcødé 🚀 "quoted" \\ back', pricing: { prompt: '0.000001' }, nested: [[1, 2], { x: ']' }] },
    'plain string, with comma',
    42,
    null,
    [],
    { id: 'c' },
  ],
  tail: { data: 'ignored' },
};

describe('streamJsonArrayItems', () => {
  it('yields exactly the elements of the top-level array, whatever the chunking', async () => {
    const text = JSON.stringify(DOC, null, 1);
    for (const size of [1, 2, 3, 7, 64, 100_000]) expect(await collect(text, size), `chunk size ${size}`).toEqual(DOC.data);
    expect(await collect(JSON.stringify({ data: [] }), 1)).toEqual([]);
  });

  it('rejects a truncated body instead of returning a short list', async () => {
    const text = JSON.stringify(DOC);
    const cut = text.indexOf('"plain');
    expect(await failure(text.slice(0, cut))).toContain('truncated');
    expect(await failure(text.slice(0, text.length - 1))).toContain('ended before the object closed');
  });

  it('rejects documents of the wrong shape', async () => {
    expect(await failure('[1,2]')).toContain('expected a JSON object');
    expect(await failure('{"models": []}')).toContain('no "data" array');
    expect(await failure('{"data": {"a": 1}}')).toContain('"data" is not an array');
    expect(await failure('{"data": 5}')).toContain('"data" is not an array');
    expect(await failure('{"data": [{"a": 1}, {"a": tru}]}')).toContain('not valid JSON');
    expect(await failure('{"data": [1,,2]}')).toContain('empty array element');
  });
});
