import { castToError } from '../errors/gateway-error.js';
import type { DecisionStore } from '../store/store.js';
import { backgroundTimer } from './background-timer.js';

/** Options of {@link startDecisionRetention}. */
export interface DecisionRetentionOptions {
  readonly decisions: Pick<DecisionStore, 'purgeBatch'>;
  /** Records older than this are deleted; read at every pass (a config reload changes it), 0 skips the pass. */
  readonly retentionMs: () => number;
  /** Time between passes (default 10 minutes). */
  readonly intervalMs?: number;
  /** Delay before the first pass, so start-up does not pay for it (default 1 minute). */
  readonly firstPassMs?: number;
  /** Records per delete transaction (default 5,000). */
  readonly batchSize?: number;
  readonly now?: () => number;
  /** Timer (tests inject one; default `setTimeout`, unref'd). */
  readonly schedule?: (fn: () => void, ms: number) => { cancel(): void };
  /** Told about every pass that deleted something, and about failures. */
  readonly onPass?: (report: { readonly deleted: number; readonly before: number; readonly error?: Error }) => void;
}

/** A running retention job. */
export interface DecisionRetention {
  /** One pass now (or the one already running): deletes everything older than the retention, batch by batch; resolves with how many. */
  runOnce(): Promise<number>;
  /** Stops the timer; a pass under way finishes its current batch and stops. Resolves once it has (before the store closes). */
  stop(): Promise<void>;
}

/**
 * Deletes decision records (and their feedback) older than `retentionMs()`, a pass every
 * `intervalMs`. A pass deletes in batches of `batchSize`, each its own short transaction, and
 * yields between batches, so the decision logger's inserts and the CLI's reads are never locked
 * out for long however large the backlog (a first pass over months of records, say). A failed
 * pass is reported and retried at the next interval; it never throws into the process.
 */
export function startDecisionRetention(options: DecisionRetentionOptions): DecisionRetention {
  const interval = options.intervalMs ?? 600_000;
  const batchSize = Math.max(1, options.batchSize ?? 5_000);
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? backgroundTimer;
  let stopped = false;
  let timer: { cancel(): void } | undefined;
  let running: Promise<number> | undefined;

  const pass = async (): Promise<number> => {
    const retention = options.retentionMs();
    if (!(retention > 0)) return 0;
    const before = now() - retention;
    let deleted = 0;
    try {
      for (;;) {
        const n = await options.decisions.purgeBatch(before, batchSize);
        deleted += n;
        if (n < batchSize || stopped) break;
        // Lets queued store calls (the logger's inserts) run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (deleted > 0) options.onPass?.({ deleted, before });
    } catch (err) {
      options.onPass?.({ deleted, before, error: castToError(err) });
    }
    return deleted;
  };

  const runOnce = (): Promise<number> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  const arm = (ms: number): void => {
    if (stopped) return;
    timer = schedule(() => {
      void runOnce().then(() => arm(interval));
    }, ms);
  };
  arm(options.firstPassMs ?? 60_000);

  return {
    runOnce,
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = undefined;
      await running;
    },
  };
}
