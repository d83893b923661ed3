/** One dispatched server-sent event. */
export interface SseEvent {
  /** The `event:` field, when the event set one (absent means the default `message`). */
  readonly event?: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last event id seen on the stream, when any event set one. */
  readonly id?: string;
}

/**
 * Decodes a `text/event-stream` body per the WHATWG HTML spec: `\n`, `\r\n` and `\r` line
 * endings (including a `\r\n` split across chunks), multi-line `data`, `:` comments, a leading
 * BOM, and UTF-8 sequences split across chunks. Events without data are not dispatched, and an
 * event cut off before its blank line at end of stream is dropped (so truncation is visible to
 * the consumer as a missing terminal event). Errors from `body` propagate unchanged.
 */
export async function* decodeSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  // A chunk ending in `\r` may be the first half of `\r\n`: the next `\n` must then be skipped.
  let skipLeadingLf = false;
  let data: string[] = [];
  let eventType: string | undefined;
  let lastId: string | undefined;

  const onLine = (line: string): SseEvent | undefined => {
    if (line === '') {
      if (data.length === 0) {
        eventType = undefined;
        return undefined;
      }
      const ev: SseEvent = {
        data: data.join('\n'),
        ...(eventType === undefined ? {} : { event: eventType }),
        ...(lastId === undefined ? {} : { id: lastId }),
      };
      data = [];
      eventType = undefined;
      return ev;
    }
    if (line.charCodeAt(0) === 0x3a /* ':' */) return undefined;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 0x20 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        data.push(value);
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
    return undefined;
  };

  for await (const chunk of body) {
    let text = decoder.decode(chunk, { stream: true });
    if (skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === 0x0a) text = text.slice(1);
      skipLeadingLf = false;
    }
    if (text.length === 0) continue;
    buffer = buffer.length === 0 ? text : buffer + text;
    let start = 0;
    const len = buffer.length;
    for (let i = 0; i < len; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      const ev = onLine(buffer.slice(start, i));
      if (c === 0x0d) {
        if (i + 1 < len) {
          if (buffer.charCodeAt(i + 1) === 0x0a) i++;
        } else {
          skipLeadingLf = true;
        }
      }
      start = i + 1;
      if (ev !== undefined) yield ev;
    }
    buffer = start >= len ? '' : buffer.slice(start);
  }
  // Flush a trailing incomplete UTF-8 sequence; a line without its terminator is never processed.
  decoder.decode();
}
