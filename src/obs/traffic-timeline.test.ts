import { describe, expect, it } from 'vitest';
import { latencyBucket, latencyBucketUpperMs, sketchQuantile } from './latency-sketch.js';
import { createTrafficTimeline } from './traffic-timeline.js';

describe('latency sketch', () => {
  it('puts a value in the bucket whose bounds hold it', () => {
    for (const ms of [0.005, 0.01, 0.0123, 0.5, 1, 7.3, 20, 999, 60_000]) {
      const i = latencyBucket(ms);
      expect(latencyBucketUpperMs(i)).toBeGreaterThanOrEqual(ms * (1 - 1e-9));
      if (i > 0) expect(latencyBucketUpperMs(i - 1)).toBeLessThan(ms);
    }
    expect(latencyBucket(1e12)).toBe(140);
  });

  it('reads quantiles within one bucket of the exact value', () => {
    const counts = new Map<number, number>();
    for (let ms = 1; ms <= 1000; ms++) counts.set(latencyBucket(ms), (counts.get(latencyBucket(ms)) ?? 0) + 1);
    const p50 = sketchQuantile(counts, 0.5) as number;
    const p99 = sketchQuantile(Object.fromEntries(counts), 0.99) as number;
    expect(p50).toBeGreaterThanOrEqual(500);
    expect(p50).toBeLessThan(500 * 1.15);
    expect(p99).toBeGreaterThanOrEqual(990);
    expect(p99).toBeLessThan(990 * 1.15);
    expect(sketchQuantile(new Map(), 0.5)).toBeUndefined();
  });
});

describe('traffic timeline', () => {
  it('aggregates per minute and forgets minutes older than the window', () => {
    let t = Date.UTC(2025, 0, 1, 12, 0, 10);
    const tl = createTrafficTimeline({ minutes: 3, now: () => t });
    tl.request(0.02, 200);
    tl.request(0.5, 502);
    tl.request(0.001, 400);
    tl.routed('openai/a', 'cheap', 0.001, 0.01);
    tl.routed('openai/a', 'cheap', 0.001, 0.01);
    tl.routed('openai/b', 'explicit', 0, undefined);
    tl.cost(0.002);
    tl.fallback('status_5xx');
    tl.decision(0.00005);
    let snap = tl.snapshot();
    expect(snap.minutes).toHaveLength(1);
    const m = snap.minutes[0];
    expect(m).toMatchObject({ t: Date.UTC(2025, 0, 1, 12, 0, 0), requests: 3, errors: 1, client_errors: 1, fallbacks: { status_5xx: 1 } });
    expect(m?.routes).toEqual([
      ['openai/a', 'cheap', 2],
      ['openai/b', 'explicit', 1],
    ]);
    expect(m?.saved_usd).toBeCloseTo(0.018, 12);
    expect(m?.baseline_usd).toBeCloseTo(0.02, 12);
    expect(m?.cost_usd).toBeCloseTo(0.002, 12);
    expect(Object.values(m?.latency ?? {}).reduce((a, b) => a + b, 0)).toBe(3);
    expect(sketchQuantile(m?.decision ?? {}, 0.5)).toBeCloseTo(0.05, 1);

    t += 60_000;
    tl.request(0.01, 200);
    snap = tl.snapshot();
    expect(snap.minutes.map((x) => x.requests)).toEqual([3, 1]);
    // Three minutes later the first slot is reused for a new minute, its old counts gone.
    t += 2 * 60_000;
    tl.request(0.01, 200);
    snap = tl.snapshot();
    expect(snap.minutes.map((x) => x.requests)).toEqual([1, 1]);
    expect(snap.minutes.every((x) => x.routes.length === 0)).toBe(true);
  });
});
