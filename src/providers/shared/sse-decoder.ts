import { StringDecoder } from 'node:string_decoder';

/** One dispatched server-sent event. */
export interface SseEvent {
  /** The `event:` field, when the event set one (absent means the default `message`). */
  readonly event?: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last event id seen on the stream, when any event set one. */
  readonly id?: string;
}

const LF = 0x0a;
const COLON = 0x3a;
const SPACE = 0x20;
const BOM = 0xfeff;

/**
 * Decodes a `text/event-stream` body per the WHATWG HTML spec: `\n`, `\r\n` and `\r` line
 * endings (including a `\r\n` split across chunks), multi-line `data`, `:` comments, a leading
 * BOM, and UTF-8 sequences split across chunks. Events without data are not dispatched, and an
 * event cut off before its blank line at end of stream is dropped (so truncation is visible to
 * the consumer as a missing terminal event). Errors from `body` propagate unchanged.
 *
 * Every event of a long answer passes through here, so lines are found with `indexOf` rather
 * than a loop over characters, a `data:` line is sliced once, and the bytes are decoded by
 * node's `StringDecoder` rather than `TextDecoder` (ICU's converter when streaming): 0.64 against
 * 1.7-2.1 us an OpenAI chunk in a loop (docs/benchmarks.md, session 19).
 */
export async function* decodeSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new StringDecoder('utf8');
  let atStart = true;
  let buffer = '';
  // A chunk ending in `\r` may be the first half of `\r\n`: the next `\n` must then be skipped.
  let skipLeadingLf = false;
  /** The event's data lines joined so far; undefined until a `data` field arrives. */
  let data: string | undefined;
  let eventType: string | undefined;
  let lastId: string | undefined;

  /** Handles the field line `line` (neither blank nor a `data` line, which are handled inline). */
  const onField = (line: string): void => {
    if (line.charCodeAt(0) === COLON) return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === SPACE ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        data = data === undefined ? value : `${data}\n${value}`;
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) lastId = value;
        break;
      default:
        // `retry` and unknown fields are ignored: the gateway never reconnects an upstream stream.
        break;
    }
  };

  const dispatch = (): SseEvent | undefined => {
    const type = eventType;
    eventType = undefined;
    if (data === undefined) return undefined;
    const d = data;
    data = undefined;
    if (type === undefined) return lastId === undefined ? { data: d } : { data: d, id: lastId };
    return lastId === undefined ? { data: d, event: type } : { data: d, event: type, id: lastId };
  };

  for await (const chunk of body) {
    let text = decoder.write(chunk);
    if (text.length === 0) continue;
    if (atStart) {
      atStart = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    if (skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === LF) text = text.slice(1);
      skipLeadingLf = false;
    }
    if (text.length === 0) continue;
    buffer = buffer.length === 0 ? text : buffer + text;
    const len = buffer.length;
    let start = 0;
    let cr = buffer.indexOf('\r');
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 < len) {
          next = buffer.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        } else {
          next = cr + 1;
          skipLeadingLf = true;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      if (end === start) {
        const ev = dispatch();
        start = next;
        if (ev !== undefined) yield ev;
        continue;
      }
      // `data:` lines are most of a stream: sliced once, straight from the buffer.
      if (end - start >= 5 && buffer.charCodeAt(start) === 0x64 && buffer.startsWith('data:', start)) {
        const from = buffer.charCodeAt(start + 5) === SPACE && start + 5 < end ? start + 6 : start + 5;
        const value = buffer.slice(from, end);
        data = data === undefined ? value : `${data}\n${value}`;
      } else {
        onField(buffer.slice(start, end));
      }
      start = next;
    }
    buffer = start >= len ? '' : buffer.slice(start);
  }
  // A line without its terminator is never processed; a trailing incomplete UTF-8 sequence is
  // dropped with it.
  decoder.end();
}
