import { Counter, Gauge, type Registry } from 'prom-client';
import type { DecisionLoggerStats } from '../logs/create-decision-logger.js';
import type { SharedStateHealth } from '../state/resilient-shared-state.js';

/** What {@link registerOperationsMetrics} reads at scrape time. */
export interface OperationsMetricsSources {
  readonly decisionLog?: () => DecisionLoggerStats;
  /** Undefined: no Redis configured. */
  readonly sharedState?: () => SharedStateHealth | undefined;
  /** Epoch ms of the last catalog refresh that succeeded, if any. */
  readonly catalogRefreshedAt?: () => number | undefined;
}

/** A counter whose value is read from a cumulative source at scrape time. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const v = read();
      this.reset();
      if (v !== undefined && v > 0) this.inc(v);
    },
  });
}

/**
 * Registers the operations metrics on the gateway's registry; every value is read when Prometheus
 * scrapes, so the request path pays nothing for them.
 */
export function registerOperationsMetrics(registry: Registry, sources: OperationsMetricsSources): void {
  const log = sources.decisionLog;
  if (log !== undefined) {
    mirroredCounter(registry, 'heimdall_decision_log_written_total', 'Decision records written to the store', () => log().written);
    mirroredCounter(registry, 'heimdall_decision_log_dropped_total', 'Decision records dropped because the queue was full (store down or too slow)', () => log().dropped);
    mirroredCounter(registry, 'heimdall_decision_log_failed_flushes_total', 'Decision log flushes the store rejected (records stayed queued)', () => log().failedFlushes);
    new Gauge({
      name: 'heimdall_decision_log_queued',
      help: 'Decision records waiting to be written',
      registers: [registry],
      collect() {
        this.set(log().queued);
      },
    });
  }
  const shared = sources.sharedState;
  if (shared !== undefined) {
    new Gauge({
      name: 'heimdall_redis_up',
      help: '1 while shared state is served by Redis, 0 while by the in-process fallback',
      registers: [registry],
      collect() {
        const h = shared();
        if (h !== undefined) this.set(h.redis === 'up' ? 1 : 0);
      },
    });
    mirroredCounter(registry, 'heimdall_redis_fallback_calls_total', 'Shared-state calls served in-process because Redis was unavailable', () => shared()?.fallbackCalls);
  }
  const refreshed = sources.catalogRefreshedAt;
  if (refreshed !== undefined) {
    new Gauge({
      name: 'heimdall_catalog_age_seconds',
      help: 'Seconds since the catalog was last refreshed from the providers',
      registers: [registry],
      collect() {
        const at = refreshed();
        if (at !== undefined) this.set(Math.max(0, (Date.now() - at) / 1000));
      },
    });
  }
}
