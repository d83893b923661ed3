import { describe, it, expect } from 'vitest';
import { parseRetryAfterSeconds } from './retry-after.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfterSeconds', () => {
  it('prefers retry-after-ms, in fractional seconds', () => {
    expect(parseRetryAfterSeconds({ 'retry-after-ms': '1500', 'retry-after': '9' }, NOW)).toBe(1.5);
  });

  it('reads delta-seconds', () => {
    expect(parseRetryAfterSeconds({ 'retry-after': ' 20 ' }, NOW)).toBe(20);
    expect(parseRetryAfterSeconds({ 'retry-after': '0' }, NOW)).toBe(0);
  });

  it('reads an HTTP-date against the given clock, clamping the past to 0', () => {
    expect(parseRetryAfterSeconds({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, NOW)).toBe(30);
    expect(parseRetryAfterSeconds({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, NOW)).toBe(0);
  });

  it('ignores absent, negative and malformed values', () => {
    expect(parseRetryAfterSeconds({}, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds({ 'retry-after': '-5' }, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds({ 'retry-after-ms': 'abc', 'retry-after': '3' }, NOW)).toBe(3);
  });
});
