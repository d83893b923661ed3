/**
 * Frames one Server-Sent Event. Every line of `data` gets its own `data:` field, because a raw
 * newline inside a single `data:` line would end the field early and corrupt the event; the
 * receiver joins the lines back with `\n`. CR, LF and CRLF all count as line breaks (per the SSE spec).
 */
export function formatSseEvent(data: string, event?: string): string {
  let out = '';
  // An event name cannot span lines; stripping breaks keeps a bad name from injecting fields.
  if (event !== undefined) out += `event: ${event.replace(/[\r\n]/g, '')}\n`;
  // The common case, one line (JSON text never holds a raw break): no split, no array, once per
  // streamed event (bench/long-stream.ts).
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `${out}data: ${data}\n\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
