import { GatewayError } from '../../errors/gateway-error.js';

/**
 * Yields the elements of the array under top-level key `key` of a JSON object, parsed one at a
 * time as the text streams in: memory stays bounded by one element, not the whole document (the
 * OpenRouter model list is several megabytes). Everything outside that array is scanned but not
 * kept. Each element goes through `JSON.parse`, so its own syntax is checked exactly.
 * @throws GatewayError `provider_bad_response` when the document is not an object, has no such
 *   array, or ends before the array is closed (a truncated body never looks like a short list).
 */
export async function* streamJsonArrayItems(source: AsyncIterable<Uint8Array | string>, key: string): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  // A string at depth 1 that is not a value is a key; it is collected across chunks.
  let keyParts: string[] | undefined;
  let keyFrom = 0;
  let currentKey: string | undefined;
  let afterColon = false;
  let phase: 'before' | 'in' | 'done' = 'before';
  // The element being read: its text so far from earlier chunks, and where it starts in this one.
  let itemParts: string[] = [];
  let itemFrom = -1;

  const fail = (message: string): never => {
    throw new GatewayError('provider_bad_response', `model list: ${message}`);
  };
  const takeItem = (text: string, end: number): unknown => {
    itemParts.push(text.slice(itemFrom, end));
    const json = itemParts.join('');
    itemParts = [];
    itemFrom = -1;
    try {
      return JSON.parse(json) as unknown;
    } catch (err) {
      return fail(`an element is not valid JSON: ${(err as Error).message}`);
    }
  };

  for await (const chunk of source) {
    let text = '';
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      fail('body is not valid UTF-8');
    }
    if (keyParts !== undefined) keyFrom = 0;
    if (itemFrom >= 0 || itemParts.length > 0) itemFrom = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (keyParts !== undefined) {
            keyParts.push(text.slice(keyFrom, i));
            currentKey = keyParts.join('');
            keyParts = undefined;
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (!started) {
        if (c !== 0x7b) fail('expected a JSON object');
        started = true;
        depth = 1;
        continue;
      }
      if (phase === 'in' && depth === 2 && itemFrom < 0 && c !== 0x2c && c !== 0x5d) itemFrom = i;
      if (c === 0x22) {
        inString = true;
        if (depth === 1 && !afterColon) {
          keyParts = [];
          keyFrom = i + 1;
        }
      } else if (c === 0x3a) {
        if (depth === 1) afterColon = true;
      } else if (c === 0x2c) {
        if (depth === 1) afterColon = false;
        else if (phase === 'in' && depth === 2) {
          if (itemFrom < 0) fail('empty array element');
          yield takeItem(text, i);
        }
      } else if (c === 0x7b || c === 0x5b) {
        if (depth === 1 && afterColon && currentKey === key && phase === 'before') {
          if (c !== 0x5b) fail(`"${key}" is not an array`);
          phase = 'in';
        }
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        if (phase === 'in' && depth === 2) {
          if (c !== 0x5d) fail('unbalanced brackets');
          if (itemFrom >= 0) yield takeItem(text, i);
          phase = 'done';
        }
        depth--;
        if (depth === 1) afterColon = false;
        if (depth === 0) {
          if (phase !== 'done') fail(`no "${key}" array`);
          return;
        }
      } else if (depth === 1 && afterColon && currentKey === key && phase === 'before') {
        fail(`"${key}" is not an array`);
      }
    }
    if (keyParts !== undefined) keyParts.push(text.slice(keyFrom));
    if (itemFrom >= 0) {
      itemParts.push(text.slice(itemFrom));
      itemFrom = 0;
    }
  }
  fail(phase === 'in' ? `the body ended inside the "${key}" array (truncated)` : 'the body ended before the object closed');
}
