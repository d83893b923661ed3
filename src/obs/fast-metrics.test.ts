import fc from 'fast-check';
import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastHistogram } from './fast-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

type Op =
  | { kind: 'inc'; labels: [string, string]; value: number }
  | { kind: 'incPlain'; value: number }
  | { kind: 'observe'; labels: [string]; value: number }
  | { kind: 'observePlain'; value: number };

/** The same metrics twice: prom-client's own classes in one registry, the fast ones in another. */
function pair(defaultLabels?: Record<string, string>) {
  const reference = new Registry();
  const fast = new Registry();
  if (defaultLabels !== undefined) {
    reference.setDefaultLabels(defaultLabels);
    fast.setDefaultLabels(defaultLabels);
  }
  const r = {
    counter: new Counter({ name: 'x_requests_total', help: 'requests "by" route\\status', labelNames: ['route', 'status'], registers: [reference] }),
    plainCounter: new Counter({ name: 'x_saved_total', help: 'saved', registers: [reference] }),
    histogram: new Histogram({ name: 'x_seconds', help: 'latency', labelNames: ['route'], buckets: BUCKETS, registers: [reference] }),
    plainHistogram: new Histogram({ name: 'x_decision_seconds', help: 'decision', buckets: BUCKETS, registers: [reference] }),
  };
  const f = {
    counter: new FastCounter({ name: 'x_requests_total', help: 'requests "by" route\\status', labelNames: ['route', 'status'], registers: [fast] }),
    plainCounter: new FastCounter({ name: 'x_saved_total', help: 'saved', registers: [fast] }),
    histogram: new FastHistogram({ name: 'x_seconds', help: 'latency', labelNames: ['route'], buckets: BUCKETS, registers: [fast] }),
    plainHistogram: new FastHistogram({ name: 'x_decision_seconds', help: 'decision', buckets: BUCKETS, registers: [fast] }),
  };
  const apply = (op: Op): void => {
    if (op.kind === 'inc') {
      r.counter.labels(...op.labels).inc(op.value);
      f.counter.labels(...op.labels).inc(op.value);
    } else if (op.kind === 'incPlain') {
      r.plainCounter.inc(op.value);
      f.plainCounter.inc(op.value);
    } else if (op.kind === 'observe') {
      r.histogram.labels(...op.labels).observe(op.value);
      f.histogram.labels(...op.labels).observe(op.value);
    } else {
      r.plainHistogram.observe(op.value);
      f.plainHistogram.observe(op.value);
    }
  };
  return { reference, fast, apply };
}

// Label values that need escaping in the text format, and bucket edges exactly.
const label = fc.constantFrom('chat', 'messages', 'a "quoted" one', 'back\\slash', 'new\nline', '');
const amount = fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(0, 0.001, 0.01, 0.1, 1, 1.0000001, 3));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('inc' as const), labels: fc.tuple(label, label), value: amount }),
  fc.record({ kind: fc.constant('incPlain' as const), value: amount }),
  fc.record({ kind: fc.constant('observe' as const), labels: fc.tuple(label), value: amount }),
  fc.record({ kind: fc.constant('observePlain' as const), value: amount }),
);

describe('FastCounter and FastHistogram', () => {
  it("scrape the same text and export the same JSON as prom-client's metrics given the same updates", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.boolean(), async (ops, withDefaults) => {
        const { reference, fast, apply } = pair(withDefaults ? { worker: '3' } : undefined);
        for (const o of ops) apply(o);
        expect(await fast.metrics()).toBe(await reference.metrics());
        const [referenceJson, fastJson] = [await reference.getMetricsAsJSON(), await fast.getMetricsAsJSON()];
        expect(fastJson).toEqual(referenceJson);
        // What `GET /metrics` under --workers N does with two workers' exports.
        expect(await AggregatorRegistry.aggregate([fastJson, fastJson]).metrics()).toBe(await AggregatorRegistry.aggregate([referenceJson, referenceJson]).metrics());
      }),
      { numRuns: 300 },
    );
  });

  it('start again from zero on reset, as the registry resets its metrics', async () => {
    const { reference, fast, apply } = pair();
    apply({ kind: 'inc', labels: ['chat', '200'], value: 2 });
    apply({ kind: 'observe', labels: ['chat'], value: 0.5 });
    apply({ kind: 'observePlain', value: 0.5 });
    apply({ kind: 'incPlain', value: 1 });
    reference.resetMetrics();
    fast.resetMetrics();
    expect(await fast.metrics()).toBe(await reference.metrics());
    apply({ kind: 'observe', labels: ['chat'], value: 0.002 });
    expect(await fast.metrics()).toBe(await reference.metrics());
  });

  it('count a label given as a number and as its text in one series, and find each child again after a reset', async () => {
    const registry = new Registry();
    const counter = new FastCounter({ name: 'r_total', help: 'r', labelNames: ['route', 'status'], registers: [registry] });
    counter.labels('chat', 200).inc();
    counter.labels('chat', '200').inc(2);
    counter.labels('chat', 200).inc();
    expect(await registry.metrics()).toContain('r_total{route="chat",status="200"} 4\n');
    expect((await registry.getMetricsAsJSON())[0]?.values).toEqual([{ value: 4, labels: { route: 'chat', status: '200' } }]);
    registry.resetMetrics();
    counter.labels('chat', 200).inc();
    expect((await registry.getMetricsAsJSON())[0]?.values).toEqual([{ value: 1, labels: { route: 'chat', status: '200' } }]);
  });

  it('refuse increments and observations that would corrupt a series, and label values that do not fit', () => {
    const registry = new Registry();
    const counter = new FastCounter({ name: 'c_total', help: 'c', labelNames: ['a'], registers: [registry] });
    const histogram = new FastHistogram({ name: 'h', help: 'h', buckets: BUCKETS, registers: [registry] });
    expect(() => counter.labels('x').inc(-1)).toThrow(/>= 0/);
    expect(() => counter.labels('x').inc(Number.NaN)).toThrow(/finite/);
    expect(() => counter.labels('x', 'y')).toThrow(/expected 1 label values, got 2/);
    expect(() => counter.inc()).toThrow(/has labels/);
    expect(() => histogram.observe(Number.POSITIVE_INFINITY)).toThrow(/not a valid number/);
    expect(() => new FastHistogram({ name: 'bad', help: 'b', buckets: [1, 1], registers: [registry] })).toThrow(/buckets must increase/);
    expect(() => new FastCounter({ name: 'c_total', help: 'again', registers: [registry] })).toThrow(/already been registered/);
  });
});
