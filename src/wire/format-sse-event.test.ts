import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSseEvent } from './format-sse-event.js';

/** A minimal SSE reader per the WHATWG spec: joins the `data:` lines of one event with `\n`. */
function readEvent(frame: string): { event: string | undefined; data: string } {
  expect(frame.endsWith('\n\n')).toBe(true);
  const lines = frame.slice(0, -2).split('\n');
  let event: string | undefined;
  const data: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else throw new Error(`unexpected field in ${JSON.stringify(frame)}`);
  }
  return { event, data: data.join('\n') };
}

describe('formatSseEvent', () => {
  it('frames data with and without an event name', () => {
    expect(formatSseEvent('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(formatSseEvent('{}', 'ping')).toBe('event: ping\ndata: {}\n\n');
    expect(formatSseEvent('')).toBe('data: \n\n');
  });

  it('splits every kind of line break into separate data lines', () => {
    expect(formatSseEvent('a\nb\r\nc\rd')).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(formatSseEvent('end\n')).toBe('data: end\ndata: \n\n');
  });

  it('cannot be broken out of through the event name', () => {
    expect(formatSseEvent('x', 'evil\ndata: injected')).toBe('event: evildata: injected\ndata: x\n\n');
  });

  it('a spec-following reader gets the data back (line breaks normalised to \\n)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom('\n', '\r\n', '\r'), fc.string(), (a, br, b) => {
        const data = `${a}${br}${b}`;
        const frame = formatSseEvent(data, 'message');
        expect(frame.includes('\n\n') && frame.indexOf('\n\n') === frame.length - 2).toBe(true);
        expect(readEvent(frame)).toStrictEqual({ event: 'message', data: data.replace(/\r\n|\r/g, '\n') });
      }),
      { numRuns: 500 },
    );
  });
});
