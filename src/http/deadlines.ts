import { LiveList } from './live-list.js';

/** What a deadline aborts: an `AbortController`, or the gateway's per-request `Cancellation`. */
export interface Abortable {
  abort(reason?: unknown): void;
}

/** Aborts requests that outlive their deadline, checked by one shared timer instead of a timer per request. */
export interface Deadlines {
  /** Registers `controller` to be aborted (with a `TimeoutError`) `ms` from now; returns the function that cancels it. */
  add(controller: Abortable, ms: number): () => void;
  close(): void;
}

/**
 * A coarse deadline sweeper: one interval (default 1 s resolution, unref'd) scans the live
 * deadlines. Request deadlines are minutes long, so a second of slack is irrelevant, and a list
 * insert/delete per request is far cheaper than arming and clearing a timer.
 */
export function createDeadlines(resolutionMs = 1000, now: () => number = Date.now): Deadlines {
  // A LiveList, not a Map keyed by controller: see LiveList for what a churning Map costs the GC.
  const live = new LiveList<{ readonly controller: Abortable; readonly at: number }>();
  let timer: NodeJS.Timeout | undefined;
  const sweep = (): void => {
    const t = now();
    for (const entry of live.entries()) {
      const d = entry.value;
      if (d !== undefined && d.at <= t) {
        live.delete(entry);
        d.controller.abort(new DOMException('request deadline passed', 'TimeoutError'));
      }
    }
    if (live.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    add(controller, ms) {
      const entry = live.add({ controller, at: now() + ms });
      if (timer === undefined) {
        timer = setInterval(sweep, resolutionMs);
        timer.unref();
      }
      return () => {
        live.delete(entry);
      };
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      live.clear();
    },
  };
}
