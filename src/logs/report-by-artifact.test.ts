import { describe, expect, it } from 'vitest';
import type { StoredDecision } from '../store/store.js';
import { parseSince, summarise } from './report-by-artifact.js';

function row(id: string, version: string | undefined, extra: Partial<StoredDecision> = {}): StoredDecision {
  return { requestId: id, createdAt: 0, ...(version === undefined ? {} : { artifactVersion: version }), routed: true, requestedModel: 'auto', fallbacks: [], latencyMs: 10, status: 'ok', ...extra };
}

describe('summarise', () => {
  it('compares cost, latency, fallbacks, errors and feedback per artifact version', () => {
    const report = summarise([
      row('1', 'main', { costUsd: 0.01, latencyMs: 100, feedback: { score: 1, createdAt: 0 } }),
      row('2', 'main', { costUsd: 0.03, latencyMs: 300, fallbacks: ['provider_timeout'] }),
      row('3', 'main', { status: 'error', latencyMs: 200, feedback: { score: 0, createdAt: 0 } }),
      row('4', 'canary', { costUsd: 0.002, latencyMs: 50, feedback: { score: 0.5, createdAt: 0 } }),
      row('5', undefined),
    ]);
    expect(report.map((r) => r.artifactVersion)).toEqual(['main', '-', 'canary']);
    const main = report[0];
    expect(main).toMatchObject({ requests: 3, feedbackCount: 2, meanFeedback: 0.5, latencyP50Ms: 200, latencyP99Ms: 300 });
    expect(main?.errorRate).toBeCloseTo(1 / 3, 10);
    expect(main?.fallbackRate).toBeCloseTo(1 / 3, 10);
    expect(main?.costUsd).toBeCloseTo(0.04, 10);
    expect(main?.meanCostUsd).toBeCloseTo(0.02, 10);
    expect(report[2]).toMatchObject({ requests: 1, meanFeedback: 0.5, costUsd: 0.002 });
    expect(report[1]?.meanFeedback).toBeNull();
  });
});

describe('parseSince', () => {
  it('reads ages and ISO dates', () => {
    expect(parseSince('7d', 1_000_000_000)).toBe(1_000_000_000 - 7 * 86_400_000);
    expect(parseSince('90m', 10_000_000)).toBe(10_000_000 - 90 * 60_000);
    expect(parseSince('2027-01-15')).toBe(Date.UTC(2027, 0, 15));
    expect(parseSince('2027-01-15T12:00:00Z')).toBe(Date.UTC(2027, 0, 15, 12));
    expect(parseSince('yesterday')).toBeUndefined();
    expect(parseSince('2027-13-45')).toBeUndefined();
  });
});
