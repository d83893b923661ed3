import * as crypto from 'node:crypto';
import { encodeFloat32 } from '../artifact/float32-codec.js';
import { estimateCostUsd } from '../catalog/estimate-cost.js';
import type { ModelCatalog } from '../catalog/model-catalog.js';
import { routedText } from '../core/request/routing-text.js';
import { castToError } from '../errors/gateway-error.js';
import type { HookContext, HookOutcome, Plugin } from '../engine/hook-pipeline.js';
import type { DecisionRecord, DecisionStore, PreparedDecision } from '../store/store.js';
import type { ChatRequest, Usage } from '../types/chat.js';
import type { ProviderId } from '../types/provider-id.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import { backgroundTimer } from './background-timer.js';

/** Everything known about one finished request; the logger turns it into a {@link DecisionRecord}. */
export interface DecisionLogInput {
  readonly requestId: string;
  /** Epoch ms when the request arrived. */
  readonly createdAt: number;
  readonly request: ChatRequest;
  /** Present when the router chose the model. */
  readonly decision?: RoutingDecision;
  /** The artifact in service (for explicit models too, so reports can group every request). */
  readonly artifactVersion?: string;
  /** The target that answered, or was tried last when the request failed. */
  readonly target?: { readonly id: string; readonly provider: ProviderId; readonly providerModel: string };
  readonly fallbacks?: readonly string[];
  readonly latencyMs: number;
  readonly decisionMs?: number;
  readonly usage?: Usage;
  /** Cost in USD when the caller already computed it; otherwise estimated from `usage` and the catalog. */
  readonly costUsd?: number;
  /** Undefined means success. */
  readonly errorCode?: string;
  /** A gateway key's name or the client's user id. Never pass a credential here. */
  readonly client?: string;
  readonly sessionId?: string;
  /** The routing text's embedding as the router used it; when absent the logger's `embed` makes it. */
  readonly embedding?: Float32Array;
}

/** Counters of the logger, for metrics and the `heimdall logs` command. */
export interface DecisionLoggerStats {
  /** Records waiting to be written. */
  readonly queued: number;
  readonly written: number;
  /** Records thrown away because the queue was full (the store was down or too slow). */
  readonly dropped: number;
  /** Flushes the store rejected (their records stayed queued). */
  readonly failedFlushes: number;
  readonly lastError?: string;
}

export interface DecisionLoggerOptions {
  /**
   * Records that start a flush without waiting for `flushMs` (default 32). Such a flush writes whole
   * batches and leaves the rest queued; the timer's flush and `flush()` write everything.
   */
  readonly batchSize?: number;
  /**
   * Most records one store call writes (default 1,000): a flush takes everything queued up to this.
   * Under a backlog the store is reached once per this many records, not once per `batchSize`.
   */
  readonly maxFlushRecords?: number;
  /** Longest a record waits before it is written, and the retry interval while the store is down (default 1000). */
  readonly flushMs?: number;
  /** Most records held in memory; beyond it new records are dropped and counted (default 10 000). */
  readonly maxQueue?: number;
  /** Keep the routing text (`logging.store_prompts`); off by default. */
  readonly storePrompts?: boolean;
  /** The routing text's embedding (the router's embedder, normally a cache hit) stored with the record, so training can reuse it. */
  readonly embed?: (text: string) => Float32Array | undefined;
  /** Prices usage when `costUsd` is not given. */
  readonly catalog?: () => ModelCatalog;
  /** Timer used for the periodic flush (tests inject one; default `setTimeout`, unref'd). */
  readonly schedule?: (fn: () => void, ms: number) => { cancel(): void };
  /** Told about each failed flush (e.g. to log a warning). */
  readonly onError?: (error: Error) => void;
}

/** Where the gateway leaves the dispatch facts for the logger's PostHook (see {@link setDecisionLogFacts}). */
export const DECISION_LOG_FACTS = 'heimdall.decision-log.facts';
const PLUGIN_NAME = 'heimdall-decision-log';

/** Facts only the dispatcher knows; the gateway sets them on the hook context before PostHooks run. */
export type DecisionLogFacts = Partial<Pick<DecisionLogInput, 'target' | 'fallbacks' | 'usage' | 'costUsd' | 'client' | 'sessionId' | 'decisionMs' | 'artifactVersion'>>;

/** Records the dispatch facts of a request for the decision logger's PostHook. */
export function setDecisionLogFacts(context: HookContext, facts: DecisionLogFacts): void {
  context.values.set(DECISION_LOG_FACTS, Object.assign({}, context.values.get(DECISION_LOG_FACTS) as DecisionLogFacts | undefined, facts));
}

/** The decision logger: a PostHook plugin plus a direct `log` for handlers that do not run the pipeline. */
export interface DecisionLogger {
  readonly plugin: Plugin;
  /** Builds one record (prompt hash, embedding from the cache, rounded decision, its row: 13-17 us in bench/decision-record.ts) and queues it; never throws, never waits on the store. */
  log(input: DecisionLogInput): void;
  /** True while a record with this id is queued and not yet written. */
  isPending(requestId: string): boolean;
  /** Writes everything queued now; resolves when done or when the store refused (records stay queued). */
  flush(): Promise<void>;
  stats(): DecisionLoggerStats;
  /** Stops the timer and tries a last flush. */
  close(): Promise<void>;
}

/** Store calls of the decision log in flight at once under a backlog (see `run`). */
const MAX_WRITES_IN_FLIGHT = 2;

/**
 * Creates the decision logger. Each request's record is built when it is logged (after the answer
 * was sent), and turned into its row then too when the store can `prepare` one; the INSERTs happen
 * at flush time, in batches. The queue holds built records or rows, a few kB each, never the
 * requests: with the store down it would otherwise hold up to `maxQueue` request bodies of any size. When the store is down, records stay queued (up to `maxQueue`, then
 * new ones are dropped and counted) and the next flush retries, so the logger recovers by itself
 * when the store returns.
 */
export function createDecisionLogger(
  store: { readonly decisions: Pick<DecisionStore, 'insert'> & Partial<Pick<DecisionStore, 'prepare' | 'insertPrepared'>> },
  options: DecisionLoggerOptions = {},
): DecisionLogger {
  const batchSize = Math.max(1, options.batchSize ?? 32);
  // Each store call is a round trip through the event loop (the SQLite writer's reply waits its
  // turn there): with 32 records a call, a saturated gateway wrote fewer records a second than it
  // logged, and the queue filled and dropped (15,937 of 44,804 answered requests' records at 4,500
  // req/s, bench/decision-log-overload.ts, docs/benchmarks.md session 10).
  const maxFlush = Math.max(batchSize, options.maxFlushRecords ?? 1000);
  const flushMs = options.flushMs ?? 1000;
  const maxQueue = Math.max(1, options.maxQueue ?? 10_000);
  const schedule = options.schedule ?? backgroundTimer;
  // With a store that prepares rows, each record is serialized when it is logged and the queue
  // holds rows; otherwise it holds records. `queuedIds[i]` is the request id of `queue[i]`.
  const decisions = store.decisions;
  const insertPrepared = decisions.prepare === undefined ? undefined : decisions.insertPrepared?.bind(decisions);
  const prepare = insertPrepared === undefined ? undefined : decisions.prepare?.bind(decisions);
  const queue: Array<DecisionRecord | PreparedDecision> = [];
  const queuedIds: string[] = [];
  const pendingIds = new Map<string, number>();
  let written = 0;
  let dropped = 0;
  let failedFlushes = 0;
  let lastError: string | undefined;
  let timer: { cancel(): void } | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  // Set by a flush of everything (explicit, or the `flushMs` timer) until the run that writes ends.
  let drainAll = false;

  /** `all`: everything queued is written; otherwise full batches only, and the rest waits for the timer. */
  const arm = (ms: number, all: boolean): void => {
    if (timer !== undefined || closed) return;
    timer = schedule(() => {
      timer = undefined;
      void run(all);
    }, ms);
  };

  // Records taken by writes still in flight: out of `queue`, but still held (and counted as queued).
  let writing = 0;

  const flushOnce = async (): Promise<void> => {
    // Between full flushes only whole batches: 35 queued records are one 32-row INSERT and three
    // that wait, not several statements in a transaction, which cost SQLite a third more a row or
    // worse (bench/sqlite-decision-commits.ts).
    const take = drainAll ? maxFlush : Math.min(maxFlush, queue.length - (queue.length % batchSize));
    if (take === 0) return;
    const batch = queue.splice(0, take);
    const ids = queuedIds.splice(0, batch.length);
    writing += batch.length;
    try {
      if (insertPrepared === undefined) await decisions.insert(batch as DecisionRecord[]);
      else await insertPrepared(batch as PreparedDecision[]);
    } catch (err) {
      // Back at the front, for the next flush to retry.
      queue.unshift(...batch);
      queuedIds.unshift(...ids);
      throw err;
    } finally {
      writing -= batch.length;
    }
    forget(ids);
    written += batch.length;
  };

  const forget = (ids: readonly string[]): void => {
    for (const id of ids) {
      const n = (pendingIds.get(id) ?? 1) - 1;
      if (n <= 0) pendingIds.delete(id);
      else pendingIds.set(id, n);
    }
  };

  // Records logged while a batch was being written wait for a batch of their own (or the timer):
  // writing each small remainder at once made most commits one or two rows at 1,000 req/s, each
  // rewriting the last pages of the table and its three indexes.
  const moreToWrite = (): boolean => queue.length > 0 && (drainAll || queue.length >= batchSize);

  const run = (all: boolean): Promise<void> => {
    if (all) drainAll = true;
    // A flush supersedes the pending timer; a failure re-arms it at `flushMs`.
    timer?.cancel();
    timer = undefined;
    running ??= (async () => {
      // A second write in flight only under a backlog (a full write's worth waiting): each store
      // call is a round trip, and across a saturated worker's IPC channel most of it was turns of
      // the event loop in which nothing moved; the second write keeps the channel busy meanwhile
      // (docs/benchmarks.md, session 20). Short of that, records wait for the write in flight and
      // go in the next one together: fewer, larger commits.
      const inFlight = new Set<Promise<void>>();
      let failure: unknown;
      try {
        for (;;) {
          while (failure === undefined && inFlight.size < MAX_WRITES_IN_FLIGHT && moreToWrite() && (inFlight.size === 0 || queue.length >= maxFlush)) {
            const write: Promise<void> = flushOnce().then(
              () => void inFlight.delete(write),
              (err: unknown) => {
                inFlight.delete(write);
                failure ??= err;
              },
            );
            inFlight.add(write);
          }
          if (inFlight.size === 0) break;
          await Promise.race(inFlight);
        }
        if (failure !== undefined) throw failure;
      } catch (err) {
        failedFlushes++;
        const error = castToError(err);
        lastError = error.message;
        options.onError?.(error);
      } finally {
        running = undefined;
        drainAll = false;
        if (queue.length > 0) arm(flushMs, true);
      }
    })();
    return running;
  };

  const flush = (): Promise<void> => run(true);

  const log = (input: DecisionLogInput): void => {
    if (queue.length + writing >= maxQueue) {
      dropped++;
      return;
    }
    let queued: DecisionRecord | PreparedDecision;
    try {
      const record = toRecord(input, options);
      queued = prepare === undefined ? record : prepare(record);
    } catch (err) {
      // `log` never throws: a record that cannot be built is counted as dropped.
      dropped++;
      lastError = castToError(err).message;
      return;
    }
    queue.push(queued);
    queuedIds.push(input.requestId);
    pendingIds.set(input.requestId, (pendingIds.get(input.requestId) ?? 0) + 1);
    if (queue.length >= batchSize && running === undefined) {
      timer?.cancel();
      timer = undefined;
      arm(0, false);
    } else arm(flushMs, true);
  };

  const plugin: Plugin = {
    name: PLUGIN_NAME,
    preHook(request, context) {
      context.values.set(PLUGIN_NAME, { request, startedAt: Date.now(), started: performance.now() });
      return { kind: 'continue' };
    },
    postHook(outcome: HookOutcome, context: HookContext): HookOutcome {
      const seen = context.values.get(PLUGIN_NAME) as { request: ChatRequest; startedAt: number; started: number } | undefined;
      if (seen === undefined) return outcome;
      const facts = (context.values.get(DECISION_LOG_FACTS) as DecisionLogFacts | undefined) ?? {};
      const usage = facts.usage ?? outcome.response?.usage;
      const decision = context.decision;
      log({
        requestId: context.requestId,
        createdAt: seen.startedAt,
        request: seen.request,
        ...(decision === undefined ? {} : { decision }),
        ...facts,
        ...(facts.artifactVersion === undefined && decision !== undefined ? { artifactVersion: decision.artifactVersion } : {}),
        ...(usage === undefined ? {} : { usage }),
        latencyMs: performance.now() - seen.started,
        ...(outcome.error === undefined ? {} : { errorCode: outcome.error.code }),
      });
      return outcome;
    },
  };

  return {
    plugin,
    log,
    isPending: (id) => pendingIds.has(id),
    flush,
    stats: () => ({ queued: queue.length + writing, written, dropped, failedFlushes, ...(lastError === undefined ? {} : { lastError }) }),
    async close() {
      closed = true;
      timer?.cancel();
      timer = undefined;
      await flush();
    },
  };
}

/** Builds the stored record (off the hot path). Exported for tests and for batch importers. */
export function toRecord(input: DecisionLogInput, options: Pick<DecisionLoggerOptions, 'storePrompts' | 'embed' | 'catalog'> = {}): DecisionRecord {
  const text = routedText(input.request);
  const decision = input.decision;
  const target = input.target ?? (decision?.candidates[0] === undefined ? undefined : { id: decision.candidates[0].id, provider: decision.candidates[0].provider, providerModel: decision.candidates[0].providerModel });
  const answered = target === undefined ? undefined : decision?.candidates.find((c) => c.id === target.id);
  let costUsd = input.costUsd;
  if (costUsd === undefined && input.usage !== undefined && target !== undefined && options.catalog !== undefined) {
    const model = options.catalog().findByProviderModel(target.provider, target.providerModel);
    if (model !== undefined) {
      costUsd = estimateCostUsd(model, {
        inputTokens: input.usage.inputTokens,
        outputTokens: input.usage.outputTokens,
        ...(input.usage.cacheReadTokens === undefined ? {} : { cachedInputTokens: input.usage.cacheReadTokens }),
      });
    }
  }
  const embedding = text === '' ? undefined : (input.embedding ?? options.embed?.(text));
  const metadata = input.request.metadata;
  const sessionId = input.sessionId ?? metadata?.['session_id'] ?? metadata?.['conversation_id'];
  const client = input.client ?? input.request.user;
  const artifactVersion = input.artifactVersion ?? decision?.artifactVersion;
  // Assigned field by field rather than spread from conditional literals: one record per request,
  // and the spreads allocated a temporary object each (bench/decision-record.ts).
  const record: Mutable<DecisionRecord> = {
    requestId: input.requestId,
    createdAt: input.createdAt,
    routed: decision !== undefined,
    requestedModel: input.request.model,
    fallbacks: input.fallbacks === undefined || input.fallbacks.length === 0 ? NO_FALLBACKS : [...input.fallbacks],
    latencyMs: input.latencyMs,
    status: input.errorCode === undefined ? 'ok' : 'error',
  };
  if (artifactVersion !== undefined) record.artifactVersion = artifactVersion;
  if (decision !== undefined) record.bucket = answered?.bucket ?? decision.bucket;
  if (answered !== undefined) record.modelName = answered.name;
  if (target !== undefined) {
    record.modelId = target.id;
    record.provider = target.provider;
  }
  if (client !== undefined) record.client = client;
  if (sessionId !== undefined) record.sessionId = sessionId;
  if (decision !== undefined) record.features = decision.explanation.features;
  if (embedding !== undefined) record.embedding = encodeFloat32(embedding);
  if (decision !== undefined) record.decision = decisionSummary(decision);
  if (input.decisionMs !== undefined) record.decisionMs = input.decisionMs;
  if (input.usage !== undefined) {
    record.inputTokens = input.usage.inputTokens;
    record.outputTokens = input.usage.outputTokens;
  }
  if (costUsd !== undefined) record.costUsd = costUsd;
  if (input.errorCode !== undefined) record.errorCode = input.errorCode;
  if (text !== '') record.promptHash = sha256Hex(text);
  if (options.storePrompts === true && text !== '') record.prompt = text;
  return record;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// `crypto.hash` (Node 20.12+) hashes in one call, without a Hash object and its stream machinery:
// 0.22 against 0.6 us for a short prompt in a loop, more on the request path where it runs cold.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = (text: string): string => (oneShotHash === undefined ? crypto.createHash('sha256').update(text).digest('hex') : oneShotHash('sha256', text, 'hex'));
const NO_FALLBACKS: readonly string[] = Object.freeze([]);

/**
 * The decision as stored: everything but the per-candidate reasoning objects (the bucket implies
 * them), with scores, qualities and ratios rounded to 1e-6 and costs to 1e-10 USD, and penalties
 * only where they applied. Formatting full-precision doubles was most of the cost of a record
 * (~60 numbers, 2.1 KB of JSON per request); this keeps what an audit reads at about half the size.
 */
function decisionSummary(decision: RoutingDecision): unknown {
  const p = decision.bucketProbabilities;
  const e = decision.explanation;
  const candidates = new Array<unknown>(decision.candidates.length);
  for (let i = 0; i < decision.candidates.length; i++) {
    const c = decision.candidates[i]!;
    const pen = c.penalties;
    candidates[i] =
      pen.ctxOver80pct === 0 && pen.latencySd === 0
        ? { name: c.name, id: c.id, bucket: c.bucket, score: r6(c.score), quality: r6(c.quality), cost: r6(c.cost), costUsd: r10(c.costUsd), contextRatio: r6(c.contextRatio) }
        : {
            name: c.name,
            id: c.id,
            bucket: c.bucket,
            score: r6(c.score),
            quality: r6(c.quality),
            cost: r6(c.cost),
            costUsd: r10(c.costUsd),
            contextRatio: r6(c.contextRatio),
            penalties: { ctxOver80pct: r6(pen.ctxOver80pct), latencySd: r6(pen.latencySd) },
          };
  }
  const clusters = new Array<unknown>(e.clusters.length);
  for (let i = 0; i < e.clusters.length; i++) {
    const k = e.clusters[i]!;
    clusters[i] = { index: k.index, similarity: r6(k.similarity), weight: r6(k.weight) };
  }
  // The features have their own column; the JSON does not repeat them. Key order as before.
  const explanation: Record<string, unknown> = { alpha: e.alpha };
  if (e.escalation !== undefined) explanation['escalation'] = e.escalation;
  explanation['excluded'] = e.excluded;
  explanation['clusters'] = clusters;
  return { bucket: decision.bucket, bucketProbabilities: { cheap: r6(p.cheap), mid: r6(p.mid), hard: r6(p.hard) }, candidates, explanation };
}

function r10(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
