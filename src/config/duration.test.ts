import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['15ms', 15],
    ['2s', 2_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['1d12h', 129_600_000],
    ['1.5s', 1_500],
    [' 250ms ', 250],
    ['250', 250],
    [250, 250],
    [0, 0],
  ])('parses %j', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each(['', 'abc', '-5s', '5 s', '5sec', '1day', '5s5', 'ms', true, null, -1, Number.NaN, Infinity])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('round-trips through formatDuration', () => {
    for (const ms of [15, 2_000, 600_000, 3_600_000, 1_500]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    expect(formatDuration(600_000)).toBe('10m');
  });
});
