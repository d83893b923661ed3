/**
 * Reads how long the upstream asked us to wait, in seconds (fractional when given in ms):
 * `retry-after-ms` (OpenAI) first, then `Retry-After` as delta-seconds or an HTTP-date measured
 * against `nowMs`. Absent, malformed or negative values yield `undefined`; a date in the past
 * yields 0. Header names must be lower-case (as {@link HttpResponse} gives them).
 */
export function parseRetryAfterSeconds(
  headers: Readonly<Record<string, string | undefined>>,
  nowMs: number = Date.now(),
): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined) {
    const value = parseNumber(ms);
    if (value !== undefined) return value / 1000;
  }
  const raw = headers['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = parseNumber(raw);
  if (seconds !== undefined) return seconds;
  const trimmed = raw.trim();
  // Only date-looking strings: Date.parse accepts bare numbers and other junk.
  if (!/^[A-Za-z]{3},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
