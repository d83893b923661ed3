/**
 * Frames one Server-Sent Event. Every line of `data` gets its own `data:` field, because a raw
 * newline inside a single `data:` line would end the field early and corrupt the event; the
 * receiver joins the lines back with `\n`. CR, LF and CRLF all count as line breaks (per the SSE spec).
 */
export function formatSseEvent(data: string, event?: string): string {
  let out = '';
  // An event name cannot span lines; stripping breaks keeps a bad name from injecting fields.
  if (event !== undefined) out += `event: ${event.replace(/[\r\n]/g, '')}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
