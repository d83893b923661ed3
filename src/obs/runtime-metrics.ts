import { monitorEventLoopDelay, performance, PerformanceObserver, constants, type EventLoopUtilization } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CircuitState } from '../engine/circuit-breaker.js';

/** Lookup counters and size of one cache, read at scrape time. */
export interface CacheStatsSource {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

/** What the circuit-breaker gauge reads on scrape (the engine's `CircuitBreakers` fits). */
export interface CircuitSource {
  state(key: string): CircuitState;
  snapshot(): ReadonlyArray<{ readonly key: string; readonly state: CircuitState }>;
}

/** Options of {@link registerRuntimeMetrics}; every source is read on scrape, never on the request path. */
export interface RuntimeMetricsOptions {
  /** Caches by name (`decision`, `embedding`, `embedding_remote`); absent entries are skipped. */
  readonly caches?: () => Readonly<Record<string, CacheStatsSource | undefined>>;
  readonly circuits?: CircuitSource;
  /**
   * Snapshot date of the catalog in service (a refresh moves it to the newest figure it stored), epoch ms.
   * Time since the last refresh attempt is `heimdall_catalog_age_seconds`, registered with the catalog sync.
   */
  readonly catalogSnapshotAt?: () => number | undefined;
  readonly now?: () => number;
}

/** Handles to the runtime metrics. */
export interface RuntimeMetrics {
  /** Remembers a target whose breaker changed state, so its gauge is kept (at closed) after it recovers. */
  noteCircuit(key: string): void;
  /** Every known target with its state now, open ones first. */
  circuitStates(): Array<{ target: string; state: CircuitState }>;
  /** Stops the event-loop monitor and the GC observer. */
  close(): void;
}

const GC_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half-open', 'open'];
const LAG_QUANTILES = [50, 90, 99] as const;

function gcKinds(): Map<number, string> {
  return new Map([
    [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
    [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
    [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
  ]);
}

/**
 * Registers the process and runtime series that go beyond the request metrics: event-loop lag and
 * utilisation since the previous scrape, GC pauses, cache sizes and lookups, circuit-breaker states
 * and the catalog snapshot's age. Heap and RSS come from prom-client's default metrics (`heimdall_nodejs_heap_*`,
 * `heimdall_process_resident_memory_bytes`). Everything but the GC observer is computed on scrape.
 */
export function registerRuntimeMetrics(registry: Registry, options: RuntimeMetricsOptions = {}): RuntimeMetrics {
  const now = options.now ?? Date.now;
  const registers = [registry];

  // 10 ms resolution: the sampling timer wakes 100 times a second, which costs nothing measurable.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  new Gauge({
    name: 'heimdall_event_loop_lag_seconds',
    help: 'Event-loop delay since the previous scrape, by quantile (1 = max)',
    labelNames: ['quantile'],
    registers,
    collect() {
      if (lag.count === 0) return;
      for (const q of LAG_QUANTILES) this.set({ quantile: String(q / 100) }, lag.percentile(q) / 1e9);
      this.set({ quantile: '1' }, lag.max / 1e9);
      lag.reset();
    },
  });
  let elu: EventLoopUtilization = performance.eventLoopUtilization();
  new Gauge({
    name: 'heimdall_event_loop_utilization',
    help: 'Share of time the event loop was busy since the previous scrape (0..1)',
    registers,
    collect() {
      const next = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(next, elu).utilization);
      elu = next;
    },
  });

  const gc = new Histogram({ name: 'heimdall_gc_pause_seconds', help: 'Garbage-collection pauses by kind', labelNames: ['kind'], buckets: GC_BUCKETS, registers });
  const kinds = gcKinds();
  const gcChildren = new Map<number, { observe(v: number): void }>();
  const gcObserver = new PerformanceObserver((list) => {
    // Every entry of the batch: a burst of minor GCs arrives together.
    for (const entry of list.getEntries()) {
      const kind = (entry as { readonly detail?: { readonly kind?: number } | null }).detail?.kind ?? -1;
      let c = gcChildren.get(kind);
      if (c === undefined) {
        c = gc.labels(kinds.get(kind) ?? 'other');
        gcChildren.set(kind, c);
      }
      c.observe(entry.duration / 1000);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const caches = options.caches;
  new Gauge({
    name: 'heimdall_cache_entries',
    help: 'Entries held by each cache',
    labelNames: ['cache'],
    registers,
    collect() {
      if (caches === undefined) return;
      for (const [name, s] of Object.entries(caches())) if (s !== undefined) this.set({ cache: name }, s.size);
    },
  });
  // Caches count since they were built; an artifact reload builds a new embedding cache whose
  // counters restart at zero. Turning them into deltas keeps this a true counter across that.
  const last = new Map<string, number>();
  new Counter({
    name: 'heimdall_cache_lookups_total',
    help: 'Cache lookups by cache and result (hit or miss)',
    labelNames: ['cache', 'result'],
    registers,
    collect() {
      if (caches === undefined) return;
      for (const [name, s] of Object.entries(caches())) {
        if (s === undefined) continue;
        for (const [result, value] of [['hit', s.hits], ['miss', s.misses]] as const) {
          const key = `${name}|${result}`;
          const prev = last.get(key) ?? 0;
          const delta = value >= prev ? value - prev : value;
          last.set(key, value);
          this.inc({ cache: name, result }, delta);
        }
      }
    },
  });

  const known = new Set<string>();
  const circuits = options.circuits;
  const circuitStates = (): Array<{ target: string; state: CircuitState }> => {
    if (circuits === undefined) return [];
    for (const s of circuits.snapshot()) known.add(s.key);
    const out = [...known].map((target) => ({ target, state: circuits.state(target) }));
    const rank = (s: CircuitState): number => (s === 'open' ? 0 : s === 'half-open' ? 1 : 2);
    return out.sort((a, b) => rank(a.state) - rank(b.state) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  };
  new Gauge({
    name: 'heimdall_circuit_state',
    help: 'Circuit-breaker state per target: 1 for the current state (closed, half-open, open), 0 for the others',
    labelNames: ['target', 'state'],
    registers,
    collect() {
      for (const { target, state } of circuitStates()) {
        for (const s of CIRCUIT_STATES) this.set({ target, state: s }, s === state ? 1 : 0);
      }
    },
  });

  const catalogAt = options.catalogSnapshotAt;
  new Gauge({
    name: 'heimdall_catalog_snapshot_age_seconds',
    help: 'Seconds since the snapshot date of the model catalog in service (prices and limits are this old at most)',
    registers,
    collect() {
      const at = catalogAt?.();
      if (at === undefined || !Number.isFinite(at)) return;
      this.set(Math.max(0, (now() - at) / 1000));
    },
  });

  return {
    noteCircuit(key) {
      known.add(key);
    },
    circuitStates,
    close() {
      lag.disable();
      gcObserver.disconnect();
    },
  };
}
