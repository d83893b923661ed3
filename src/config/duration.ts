import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// One or more `<number><unit>` groups, so "1h30m" and "1.5s" both work.
const GROUP = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Parses a duration written like `15ms`, `2s`, `10m`, `1h`, `1h30m`, `30d` (or a bare number of
 * milliseconds) into milliseconds. Returns `undefined` for anything else, including negatives.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // A bare numeric string ("250") comes from env vars; it means milliseconds like a YAML number.
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  GROUP.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = GROUP.exec(text); match !== null; match = GROUP.exec(text)) {
    const [whole, amount, unit] = match;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    consumed += whole.length;
  }
  return consumed === text.length ? total : undefined;
}

/** Formats milliseconds the way they are written in config files (`600s` → `10m`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Zod schema for a duration field: accepts the text forms above, outputs milliseconds. */
export function durationMs(defaultMs: number) {
  return optionalDurationMs().default(defaultMs);
}

/** Like {@link durationMs} but without a default. */
export function optionalDurationMs() {
  return z.union([z.string(), z.number()], { error: 'expected a duration such as "15ms", "2s", "10m", "1h" or a number of milliseconds' }).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(value)} (write e.g. "15ms", "2s", "10m", "1h" or a number of milliseconds)` });
      return z.NEVER;
    }
    return ms;
  });
}
