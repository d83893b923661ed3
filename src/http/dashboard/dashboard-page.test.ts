import { describe, expect, it } from 'vitest';
import { latencyBucket } from '../../obs/latency-sketch.js';
import { createTrafficTimeline } from '../../obs/traffic-timeline.js';
import { DASHBOARD_MODEL_JS } from './dashboard-model-js.js';
import { DASHBOARD_HTML } from './dashboard-page.js';
import { DASHBOARD_VIEW_JS } from './dashboard-view-js.js';

interface Merged {
  minutes: Array<{ t: number; requests: number; errors: number; saved_usd: number; latency: Record<string, number> }>;
  circuits: Array<{ target: string; state: string }>;
  workers: number;
  sketch: unknown;
  now: number;
}
interface Model {
  mergeSources(list: unknown[]): Merged;
  quantile(counts: Record<string, number>, q: number, sketch: unknown): number | null;
  routeTotals(minutes: unknown[]): Array<{ model: string; bucket: string; count: number }>;
  denseMinutes(merged: Merged, minSpan: number, maxSpan: number): Array<{ t: number; requests: number }>;
}

// The browser code, evaluated in Node: it uses no DOM.
const model = new Function(`${DASHBOARD_MODEL_JS}\nreturn HeimdallDashboard;`)() as Model;

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function workerData(pid: number, fill: (t: ReturnType<typeof createTrafficTimeline>) => void, circuits: Array<{ target: string; state: string }> = []): unknown {
  const tl = createTrafficTimeline({ now: () => T0 + 30_000 });
  fill(tl);
  return { version: 1, source: { pid, started_at: 0 }, now: T0 + 30_000, artifact_version: 'v1', ...tl.snapshot(), circuits };
}

describe('dashboard page', () => {
  it('is one self-contained document: inline script and style, nothing loaded from elsewhere', () => {
    expect(DASHBOARD_HTML).toMatch(/^<!doctype html>/);
    expect(DASHBOARD_HTML).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    // Both scripts parse.
    expect(() => new Function(DASHBOARD_MODEL_JS)).not.toThrow();
    expect(() => new Function(DASHBOARD_VIEW_JS)).not.toThrow();
  });

  it('adds up the answers of several workers', () => {
    const a = workerData(1, (t) => {
      t.request(0.01, 200);
      t.request(0.02, 502);
      t.routed('openai/small', 'cheap', 0.001, 0.01);
    }, [{ target: 'openai/x', state: 'half-open' }]);
    const b = workerData(2, (t) => {
      t.request(1, 200);
      t.routed('openai/small', 'cheap', 0.001, 0.01);
      t.routed('openai/large', 'hard', 0.01, 0.01);
    }, [{ target: 'openai/x', state: 'open' }, { target: 'openai/y', state: 'closed' }]);
    const merged = model.mergeSources([a, b]);
    expect(merged.workers).toBe(2);
    expect(merged.minutes).toHaveLength(1);
    expect(merged.minutes[0]).toMatchObject({ t: T0, requests: 3, errors: 1 });
    expect(merged.minutes[0]?.saved_usd).toBeCloseTo(0.018, 12);
    expect(model.routeTotals(merged.minutes)).toEqual([
      { model: 'openai/small', bucket: 'cheap', count: 2 },
      { model: 'openai/large', bucket: 'hard', count: 1 },
    ]);
    // The worst state wins when workers disagree; open first.
    expect(merged.circuits).toEqual([
      { target: 'openai/x', state: 'open' },
      { target: 'openai/y', state: 'closed' },
    ]);
    // Percentiles come from the merged sketch: the one-second request is the P99.
    const p99 = model.quantile(merged.minutes[0]?.latency ?? {}, 0.99, merged.sketch) as number;
    expect(p99).toBeGreaterThanOrEqual(1000);
    expect(p99).toBeLessThan(1150);
    expect(model.quantile(merged.minutes[0]?.latency ?? {}, 0.5, merged.sketch)).toBeCloseTo(20, -1);
    expect(Object.keys(merged.minutes[0]?.latency ?? {})).toContain(String(latencyBucket(1000)));
  });

  it('spreads the window over dense minutes ending now', () => {
    const merged = model.mergeSources([workerData(1, (t) => t.request(0.01, 200))]);
    const dense = model.denseMinutes(merged, 15, 60);
    expect(dense).toHaveLength(15);
    expect(dense[14]).toMatchObject({ t: T0, requests: 1 });
    expect(dense[0]).toMatchObject({ t: T0 - 14 * 60_000, requests: 0 });
  });
});
