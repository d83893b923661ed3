import { describe, expect, it } from 'vitest';
import { startDecisionRetention } from './decision-retention.js';

/** A store of record timestamps whose purgeBatch deletes the oldest ones before the cutoff. */
function fakeDecisions(createdAt: number[], failFirst = 0): { rows: number[]; calls: Array<[number, number]>; purgeBatch(before: number, limit: number): Promise<number> } {
  const rows = [...createdAt].sort((a, b) => a - b);
  const calls: Array<[number, number]> = [];
  let failures = failFirst;
  return {
    rows,
    calls,
    async purgeBatch(before, limit) {
      calls.push([before, limit]);
      if (failures-- > 0) throw new Error('database is locked');
      let n = 0;
      while (n < limit && rows.length > 0 && (rows[0] as number) < before) {
        rows.shift();
        n++;
      }
      return n;
    },
  };
}

/** A timer the test fires by hand. */
function manualTimer(): { schedule: (fn: () => void, ms: number) => { cancel(): void }; pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> } {
  const pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  return {
    pending,
    schedule: (fn, ms) => {
      const entry = { fn, ms, cancelled: false };
      pending.push(entry);
      return { cancel: () => void (entry.cancelled = true) };
    },
  };
}

describe('startDecisionRetention', () => {
  it('deletes everything older than the retention in batches, keeps the rest, and reports the pass', async () => {
    const decisions = fakeDecisions([1, 2, 3, 4, 5, 6, 7, 950, 990]);
    const timer = manualTimer();
    const passes: Array<{ deleted: number; before: number }> = [];
    const job = startDecisionRetention({ decisions, retentionMs: () => 100, batchSize: 3, now: () => 1000, schedule: timer.schedule, onPass: (r) => passes.push(r) });
    expect(await job.runOnce()).toBe(7);
    expect(decisions.rows).toEqual([950, 990]);
    // Three full batches, then one that came back short.
    expect(decisions.calls).toEqual([[900, 3], [900, 3], [900, 3]]);
    expect(passes).toEqual([{ deleted: 7, before: 900 }]);
    expect(await job.runOnce()).toBe(0);
    expect(passes).toHaveLength(1);
    job.stop();
  });

  it('runs its first pass after the start-up delay and then at every interval; stop cancels the timer', async () => {
    const decisions = fakeDecisions([]);
    const timer = manualTimer();
    const job = startDecisionRetention({ decisions, retentionMs: () => 100, now: () => 1000, intervalMs: 600_000, firstPassMs: 60_000, schedule: timer.schedule });
    expect(timer.pending.map((p) => p.ms)).toEqual([60_000]);
    timer.pending[0]?.fn();
    await new Promise((r) => setImmediate(r));
    expect(decisions.calls).toHaveLength(1);
    expect(timer.pending.map((p) => p.ms)).toEqual([60_000, 600_000]);
    await job.stop();
    expect(timer.pending[1]?.cancelled).toBe(true);
  });

  it('skips the pass while the retention is 0 (keep forever), read again at every pass', async () => {
    let retention = 0;
    const decisions = fakeDecisions([1, 2]);
    const job = startDecisionRetention({ decisions, retentionMs: () => retention, now: () => 1000, schedule: manualTimer().schedule });
    expect(await job.runOnce()).toBe(0);
    expect(decisions.calls).toEqual([]);
    retention = 500;
    expect(await job.runOnce()).toBe(2);
    job.stop();
  });

  it('stop waits for a pass under way, which ends after its current batch', async () => {
    let release: () => void = () => undefined;
    const calls: number[] = [];
    const decisions = {
      purgeBatch: (_before: number, limit: number) =>
        new Promise<number>((resolve) => {
          calls.push(limit);
          release = () => resolve(limit);
        }),
    };
    const job = startDecisionRetention({ decisions, retentionMs: () => 100, batchSize: 2, now: () => 1000, schedule: manualTimer().schedule });
    const pass = job.runOnce();
    let stopped = false;
    const stopping = job.stop().then(() => void (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;
    // A full batch would have led to another one; the stop ended the pass instead.
    expect(await pass).toBe(2);
    expect(calls).toEqual([2]);
  });

  it('reports a failed pass instead of throwing, and the next pass retries', async () => {
    const decisions = fakeDecisions([1, 2], 1);
    const reports: Array<{ deleted: number; error?: Error }> = [];
    const job = startDecisionRetention({ decisions, retentionMs: () => 100, now: () => 1000, schedule: manualTimer().schedule, onPass: (r) => reports.push(r) });
    expect(await job.runOnce()).toBe(0);
    expect(reports[0]?.error?.message).toBe('database is locked');
    expect(await job.runOnce()).toBe(2);
    expect(reports[1]).toEqual({ deleted: 2, before: 900 });
    job.stop();
  });
});
