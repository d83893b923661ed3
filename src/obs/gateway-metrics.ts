import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestPlan } from '../engine/plan-request.js';
import type { BaselineCostFn } from './baseline-cost.js';
import { FastCounter, FastHistogram } from './fast-metrics.js';
import { registerRuntimeMetrics, type CacheStatsSource, type CircuitSource } from './runtime-metrics.js';
import { createTrafficTimeline, type TrafficTimeline } from './traffic-timeline.js';

/** Latency buckets in seconds: fine below a millisecond (gateway overhead) up to minutes (long generations). */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const DECISION_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];

/** Where the gateway reports what it does; the hot path's metrics find their label sets without hashing (see fast-metrics). */
export interface GatewayMetrics {
  readonly registry: Registry;
  request(route: string, status: number, seconds: number): void;
  /** Gateway time: total minus time waiting on the upstream. */
  overhead(route: string, seconds: number): void;
  decision(seconds: number): void;
  upstream(provider: string, model: string, status: string, seconds: number): void;
  fallback(reason: string): void;
  /** A `count_tokens` answer: the provider's own count, or the gateway's estimate. */
  tokenCount(source: 'exact' | 'estimate'): void;
  tokens(model: string, input: number, output: number): void;
  cost(model: string, usd: number): void;
  circuit(target: string, state: 'closed' | 'open' | 'half-open'): void;
  inFlight(delta: number): void;
  /** A chat request was planned: route share by model and bucket, and the cost saved against the best single model. */
  routed(plan: Pick<RequestPlan, 'bucket' | 'targets' | 'decision'>): void;
  /** Per-minute aggregates of chat traffic for the dashboard. */
  readonly timeline: TrafficTimeline;
  /** Every circuit breaker seen, with its state now. */
  circuitStates(): Array<{ target: string; state: 'closed' | 'open' | 'half-open' }>;
  /** Stops the runtime monitors (event loop, GC). */
  close(): void;
}

/** Routes whose requests the dashboard's timeline counts. */
const CHAT_ROUTES: ReadonlySet<string> = new Set(['chat_completions', 'messages']);

/** Options of {@link createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Decision cache counters, read at scrape time. */
  readonly cacheStats?: () => { readonly hits: number; readonly misses: number };
  /** Node process metrics (memory, event loop lag, GC). */
  readonly processMetrics?: boolean;
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Embedding caches (local, and remote when configured), read at scrape time. */
  readonly embeddingCacheStats?: () => { readonly local: CacheStatsSource; readonly remote?: CacheStatsSource };
  /** Circuit breakers, read at scrape time. */
  readonly circuits?: CircuitSource;
  /** Snapshot date of the catalog in service, epoch ms. */
  readonly catalogSnapshotAt?: () => number | undefined;
  /** Expected cost of a routed request on the artifact's best single model. */
  readonly baseline?: BaselineCostFn;
}

/** Creates the Prometheus metrics on a fresh registry. */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultLabels !== undefined) registry.setDefaultLabels({ ...options.defaultLabels });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'heimdall_' });
  const requests = new FastCounter({ name: 'heimdall_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] });
  const requestSeconds = new FastHistogram({ name: 'heimdall_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['route'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const overheadSeconds = new FastHistogram({
    name: 'heimdall_gateway_overhead_seconds',
    help: "The gateway's own time per request: total minus time waiting on the upstream",
    labelNames: ['route'],
    buckets: OVERHEAD_BUCKETS,
    registers: [registry],
  });
  const decisionSeconds = new FastHistogram({ name: 'heimdall_decision_duration_seconds', help: 'Routing decision latency', buckets: DECISION_BUCKETS, registers: [registry] });
  const upstreamSeconds = new FastHistogram({
    name: 'heimdall_upstream_duration_seconds',
    help: 'Upstream call latency by provider, model and status (streams: time to first content)',
    labelNames: ['provider', 'model', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fallbacks = new FastCounter({ name: 'heimdall_fallbacks_total', help: 'Fallbacks to the next target, by reason', labelNames: ['reason'], registers: [registry] });
  const tokenCounts = new FastCounter({
    name: 'heimdall_token_counts_total',
    help: "count_tokens answers by source: the provider's own count (exact) or the gateway's estimate",
    labelNames: ['source'],
    registers: [registry],
  });
  const tokens = new FastCounter({ name: 'heimdall_tokens_total', help: 'Tokens by model and direction', labelNames: ['model', 'direction'], registers: [registry] });
  const cost = new FastCounter({ name: 'heimdall_cost_usd_total', help: 'Estimated cost in USD by model (catalog prices)', labelNames: ['model'], registers: [registry] });
  const circuit = new Gauge({ name: 'heimdall_circuit_open', help: 'Circuit breaker state per target: 0 closed, 0.5 half-open, 1 open', labelNames: ['target'], registers: [registry] });
  const inFlight = new Gauge({ name: 'heimdall_requests_in_flight', help: 'Requests being served', registers: [registry] });
  const stats = options.cacheStats;
  const embeddings = options.embeddingCacheStats;
  const runtime = registerRuntimeMetrics(registry, {
    caches: () => {
      const e = embeddings?.();
      return { decision: stats?.() as CacheStatsSource | undefined, embedding: e?.local, embedding_remote: e?.remote };
    },
    ...(options.circuits === undefined ? {} : { circuits: options.circuits }),
    ...(options.catalogSnapshotAt === undefined ? {} : { catalogSnapshotAt: options.catalogSnapshotAt }),
  });
  const timeline = createTrafficTimeline();
  const routedRequests = new FastCounter({ name: 'heimdall_routed_requests_total', help: 'Chat requests by chosen model and bucket (explicit: the client named the model)', labelNames: ['model', 'bucket'], registers: [registry] });
  const baselineUsd = new FastCounter({ name: 'heimdall_cost_baseline_usd_total', help: "Expected cost had every routed request gone to the artifact's best single model", registers: [registry] });
  const expectedUsd = new FastCounter({ name: 'heimdall_cost_expected_usd_total', help: 'Expected cost of the routed requests on the models chosen for them', registers: [registry] });
  const savedUsd = new FastCounter({
    name: 'heimdall_cost_saved_usd_total',
    help: "Expected cost saved against always using the artifact's best single model (requests where routing chose a pricier model add 0; baseline minus expected is the net)",
    registers: [registry],
  });
  const baseline = options.baseline;
  new Gauge({
    name: 'heimdall_decision_cache_hit_ratio',
    help: 'Decision cache hits over lookups since start',
    registers: [registry],
    collect() {
      if (stats === undefined) return;
      const s = stats();
      const total = s.hits + s.misses;
      this.set(total === 0 ? 0 : s.hits / total);
    },
  });
  new Gauge({
    name: 'heimdall_decision_cache_lookups',
    help: 'Decision cache lookups since start, by result',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      if (stats === undefined) return;
      const s = stats();
      this.set({ result: 'hit' }, s.hits);
      this.set({ result: 'miss' }, s.misses);
    },
  });

  return {
    registry,
    request(route, status, seconds) {
      requests.labels(route, status).inc();
      requestSeconds.labels(route).observe(seconds);
      if (CHAT_ROUTES.has(route)) timeline.request(seconds, status);
    },
    overhead(route, seconds) {
      overheadSeconds.labels(route).observe(seconds);
    },
    decision(seconds) {
      decisionSeconds.observe(seconds);
      if (seconds > 0) timeline.decision(seconds);
    },
    upstream(provider, model, status, seconds) {
      upstreamSeconds.labels(provider, model, status).observe(seconds);
    },
    tokenCount(source) {
      tokenCounts.labels(source).inc();
    },
    fallback(reason) {
      fallbacks.labels(reason).inc();
      timeline.fallback(reason);
    },
    tokens(model, input, output) {
      if (input > 0) tokens.labels(model, 'input').inc(input);
      if (output > 0) tokens.labels(model, 'output').inc(output);
    },
    cost(model, usd) {
      if (usd > 0) {
        cost.labels(model).inc(usd);
        timeline.cost(usd);
      }
    },
    circuit(target, state) {
      runtime.noteCircuit(target);
      circuit.labels(target).set(state === 'open' ? 1 : state === 'half-open' ? 0.5 : 0);
    },
    inFlight(delta) {
      inFlight.inc(delta);
    },
    routed(plan) {
      const target = plan.targets[0];
      if (target === undefined) return;
      routedRequests.labels(target.id, plan.bucket).inc();
      const b = plan.decision === undefined || baseline === undefined ? undefined : baseline(plan.decision, target.id);
      if (b !== undefined) {
        baselineUsd.inc(b.baselineUsd);
        expectedUsd.inc(b.chosenUsd);
        if (b.baselineUsd > b.chosenUsd) savedUsd.inc(b.baselineUsd - b.chosenUsd);
      }
      timeline.routed(target.id, plan.bucket, b?.chosenUsd ?? 0, b?.baselineUsd);
    },
    timeline,
    circuitStates: runtime.circuitStates,
    close: runtime.close,
  };
}
