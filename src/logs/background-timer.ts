/** A cancellable one-shot timer. */
export interface CancellableTimer {
  cancel(): void;
}

/** Schedules `fn` after `ms` on a timer that does not keep the process alive (background jobs' default). */
export function backgroundTimer(fn: () => void, ms: number): CancellableTimer {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
}
