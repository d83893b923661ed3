import { describe, expect, it } from 'vitest';
import { decodeFloat32 } from '../artifact/float32-codec.js';
import { createHookPipeline } from '../engine/hook-pipeline.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { describeEachStore } from '../store/__fixtures__/each-store.js';
import type { DecisionRecord, DecisionStore, PreparedDecision } from '../store/store.js';
import type { ChatRequest, ChatResponse } from '../types/chat.js';
import type { RoutingDecision } from '../types/routing-decision.js';
import { createDecisionLogger, setDecisionLogFacts, toRecord, type DecisionLogInput } from './create-decision-logger.js';
import { recordFeedback } from './record-feedback.js';
import { loadTrainingRecordsFromLogs, mergeWithDataset } from './training-from-logs.js';

const SECRET = 'sk-test-THIS-MUST-NEVER-BE-STORED';

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { format: 'openai', model: 'auto', system: [], messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream: false, ...extra };
}

const decision: RoutingDecision = {
  artifactVersion: 'art-1',
  bucket: 'mid',
  bucketProbabilities: { cheap: 0.2, mid: 0.7, hard: 0.1 },
  candidates: [
    { name: 'small', id: 'openai/gpt-5-mini', provider: 'openai', providerModel: 'gpt-5-mini', bucket: 'mid', quality: 0.8, cost: 0.1, costUsd: 0.001, contextRatio: 0.01, penalties: { ctxOver80pct: 0, latencySd: 0 }, score: 0.7 },
    { name: 'big', id: 'anthropic/claude-sonnet-4-5', provider: 'anthropic', providerModel: 'claude-sonnet-4-5', bucket: 'hard', quality: 0.9, cost: 0.5, costUsd: 0.01, contextRatio: 0.01, penalties: { ctxOver80pct: 0, latencySd: 0 }, score: 0.6 },
  ],
  explanation: { features: { tokens: 5, promptTokens: 9, expectedOutputTokens: 300, hasCode: false, hasMath: true, entropy: 3.2 }, clusters: [{ index: 2, similarity: 0.8, weight: 1 }], alpha: 0.6, excluded: [] },
};

function input(id: string, text: string, extra: Partial<DecisionLogInput> = {}): DecisionLogInput {
  return { requestId: id, createdAt: 1_000, request: request(text), decision, latencyMs: 42, ...extra };
}

/** A store whose inserts fail while `down` is set. */
function flakyStore() {
  const rows: DecisionRecord[] = [];
  const state = { down: false, inserts: 0 };
  const decisions: Pick<DecisionStore, 'insert'> = {
    async insert(records) {
      state.inserts++;
      if (state.down) throw new Error('connection refused');
      rows.push(...records);
    },
  };
  return { store: { decisions }, rows, state };
}

/** A manual timer: tests fire it instead of waiting. */
function manualSchedule() {
  const pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  return {
    schedule: (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      pending.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    live: () => pending.filter((t) => !t.cancelled),
    async fire() {
      const due = pending.splice(0).filter((t) => !t.cancelled);
      for (const t of due) t.fn();
      await Promise.resolve();
    },
  };
}

describe('createDecisionLogger', () => {
  it('batches records and writes them on flush, without prompt text by default', async () => {
    const { store, rows } = flakyStore();
    const timer = manualSchedule();
    const logger = createDecisionLogger(store, { batchSize: 10, flushMs: 500, schedule: timer.schedule, embed: () => new Float32Array([0.5, -1]) });
    logger.log(input('a', `my key is ${SECRET}`, { target: { id: 'openai/gpt-5-mini', provider: 'openai', providerModel: 'gpt-5-mini' }, usage: { inputTokens: 9, outputTokens: 30 }, costUsd: 0.002, fallbacks: ['provider_rate_limited'] }));
    expect(rows).toHaveLength(0);
    expect(timer.live().map((t) => t.ms)).toEqual([500]);
    expect(logger.isPending('a')).toBe(true);
    await logger.flush();
    expect(logger.isPending('a')).toBe(false);
    expect(rows).toHaveLength(1);
    const r = rows[0] as DecisionRecord;
    expect(r).toMatchObject({
      requestId: 'a', artifactVersion: 'art-1', routed: true, requestedModel: 'auto', bucket: 'mid', modelName: 'small', modelId: 'openai/gpt-5-mini',
      provider: 'openai', fallbacks: ['provider_rate_limited'], latencyMs: 42, inputTokens: 9, outputTokens: 30, costUsd: 0.002, status: 'ok',
      features: { tokens: 5, hasMath: true },
    });
    expect(Array.from(decodeFloat32(r.embedding as string, 2, 'embedding'))).toEqual([0.5, -1]);
    expect(r.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(JSON.stringify(r)).not.toContain('my key');
  });

  it('stores the routing text only when store_prompts is on, and names the fallback model that answered', async () => {
    const { store, rows } = flakyStore();
    const logger = createDecisionLogger(store, { storePrompts: true, schedule: manualSchedule().schedule });
    logger.log(input('b', 'what is 2+2?', { target: { id: 'anthropic/claude-sonnet-4-5', provider: 'anthropic', providerModel: 'claude-sonnet-4-5' } }));
    logger.log(input('c', 'fails', { errorCode: 'provider_timeout' }));
    await logger.flush();
    expect(rows.map((r) => [r.prompt, r.modelName, r.bucket, r.status, r.errorCode])).toEqual([
      ['what is 2+2?', 'big', 'hard', 'ok', undefined],
      ['fails', 'small', 'mid', 'error', 'provider_timeout'],
    ]);
  });

  it('stores the decision rounded, with penalties only where they applied and the escalation when there was one', () => {
    const escalated: RoutingDecision = {
      ...decision,
      candidates: [
        { ...decision.candidates[0]!, score: 0.123456789, costUsd: 0.00012345678912, penalties: { ctxOver80pct: 0.5, latencySd: 0.0123456789 } },
        decision.candidates[1]!,
      ],
      // Keys in the order the router writes them.
      explanation: {
        features: decision.explanation.features,
        clusters: decision.explanation.clusters,
        alpha: 0.6,
        escalation: 'mid -> hard: no candidate with room in mid',
        excluded: [{ name: 'gem', reason: 'no_credentials' }],
      },
    };
    const record = toRecord({ ...input('r-esc', 'why'), decision: escalated, fallbacks: ['provider_timeout'] });
    expect(JSON.stringify(record.decision)).toBe(
      JSON.stringify({
        bucket: 'mid',
        bucketProbabilities: { cheap: 0.2, mid: 0.7, hard: 0.1 },
        candidates: [
          { name: 'small', id: 'openai/gpt-5-mini', bucket: 'mid', score: 0.123457, quality: 0.8, cost: 0.1, costUsd: 0.0001234568, contextRatio: 0.01, penalties: { ctxOver80pct: 0.5, latencySd: 0.012346 } },
          { name: 'big', id: 'anthropic/claude-sonnet-4-5', bucket: 'hard', score: 0.6, quality: 0.9, cost: 0.5, costUsd: 0.01, contextRatio: 0.01 },
        ],
        explanation: { alpha: 0.6, escalation: 'mid -> hard: no candidate with room in mid', excluded: [{ name: 'gem', reason: 'no_credentials' }], clusters: [{ index: 2, similarity: 0.8, weight: 1 }] },
      }),
    );
    expect(record).toMatchObject({ routed: true, bucket: 'mid', modelName: 'small', modelId: 'openai/gpt-5-mini', provider: 'openai', fallbacks: ['provider_timeout'], status: 'ok' });
    // Fields with nothing to say are absent, not undefined.
    expect(Object.keys(toRecord({ requestId: 'r-min', createdAt: 1, request: request(''), latencyMs: 1 }))).toEqual(['requestId', 'createdAt', 'routed', 'requestedModel', 'fallbacks', 'latencyMs', 'status']);
  });

  it('flushes a full batch without waiting for the timer', async () => {
    const { store, rows } = flakyStore();
    const timer = manualSchedule();
    const logger = createDecisionLogger(store, { batchSize: 3, flushMs: 60_000, schedule: timer.schedule });
    for (const id of ['1', '2', '3']) logger.log(input(id, `p${id}`));
    expect(timer.live().map((t) => t.ms)).toEqual([0]);
    await timer.fire();
    await logger.flush();
    expect(rows.map((r) => r.requestId)).toEqual(['1', '2', '3']);
  });

  it('writes whole batches, leaving the rest for the next batch or the timer; an explicit flush writes it all', async () => {
    const calls: string[][] = [];
    const releases: Array<() => void> = [];
    const store = {
      decisions: {
        insert(records: readonly DecisionRecord[]) {
          calls.push(records.map((r) => r.requestId));
          return new Promise<void>((resolve) => releases.push(resolve));
        },
      },
    };
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    const timer = manualSchedule();
    const logger = createDecisionLogger(store, { batchSize: 3, flushMs: 1000, schedule: timer.schedule });
    for (const id of ['1', '2', '3']) logger.log(input(id, `p${id}`));
    await timer.fire();
    expect(calls).toEqual([['1', '2', '3']]);
    logger.log(input('4', 'p4'));
    releases.shift()?.();
    await settle();
    // One record is not a batch: it waits for the timer instead of a write of its own.
    expect(calls).toHaveLength(1);
    expect(logger.stats()).toMatchObject({ queued: 1, written: 3 });
    expect(timer.live().map((t) => t.ms)).toEqual([1000]);
    logger.log(input('5', 'p5'));
    logger.log(input('6', 'p6'));
    expect(timer.live().map((t) => t.ms)).toEqual([0]);
    logger.log(input('7', 'p7'));
    await timer.fire();
    // Whole batches only: four queued records are a write of three, and one that waits.
    expect(calls).toEqual([['1', '2', '3'], ['4', '5', '6']]);
    const flushed = logger.flush();
    releases.shift()?.();
    await settle();
    releases.shift()?.();
    await flushed;
    expect(calls).toEqual([['1', '2', '3'], ['4', '5', '6'], ['7']]);
    expect(logger.stats()).toMatchObject({ queued: 0, written: 7 });
    expect(timer.live()).toEqual([]);
  });

  it('writes a backlog in store calls of up to maxFlushRecords, not one per batch', async () => {
    const { store, rows, state } = flakyStore();
    const logger = createDecisionLogger(store, { batchSize: 2, schedule: manualSchedule().schedule });
    for (let i = 0; i < 100; i++) logger.log(input(`k${i}`, `prompt ${i}`));
    await logger.flush();
    expect(state.inserts).toBe(1);
    expect(rows).toHaveLength(100);
    const small = flakyStore();
    const capped = createDecisionLogger(small.store, { batchSize: 2, maxFlushRecords: 30, schedule: manualSchedule().schedule });
    for (let i = 0; i < 100; i++) capped.log(input(`c${i}`, `prompt ${i}`));
    await capped.flush();
    expect(small.state.inserts).toBe(4);
    expect(small.rows.map((r) => r.requestId)).toEqual(Array.from({ length: 100 }, (_, i) => `c${i}`));
    expect(capped.stats()).toMatchObject({ queued: 0, written: 100, dropped: 0 });
  });

  it('keeps a second write in flight only under a backlog; a failed one goes back to the queue, and nothing is lost or doubled', async () => {
    const calls: string[][] = [];
    const settles: Array<{ ok: () => void; fail: (err: Error) => void }> = [];
    const store = {
      decisions: {
        insert(records: readonly DecisionRecord[]) {
          calls.push(records.map((r) => r.requestId));
          return new Promise<void>((ok, fail) => settles.push({ ok, fail }));
        },
      },
    };
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    const errors: string[] = [];
    const logger = createDecisionLogger(store, { batchSize: 2, maxFlushRecords: 2, schedule: manualSchedule().schedule, onError: (e) => errors.push(e.message) });
    for (let i = 0; i < 6; i++) logger.log(input(`b${i}`, `prompt ${i}`));
    const flushed = logger.flush();
    await settle();
    expect(calls).toEqual([['b0', 'b1'], ['b2', 'b3']]);
    // Records being written still count as queued, and a full queue counts them too.
    expect(logger.stats()).toMatchObject({ queued: 6, written: 0 });
    settles[0]!.ok();
    await settle();
    expect(calls).toEqual([['b0', 'b1'], ['b2', 'b3'], ['b4', 'b5']]);
    settles[1]!.fail(new Error('disk full'));
    settles[2]!.ok();
    await flushed;
    expect(errors).toEqual(['disk full']);
    expect(logger.stats()).toMatchObject({ queued: 2, written: 4, failedFlushes: 1 });
    expect(logger.isPending('b2')).toBe(true);
    expect(logger.isPending('b4')).toBe(false);
    const retried = logger.flush();
    await settle();
    expect(calls[3]).toEqual(['b2', 'b3']);
    settles[3]!.ok();
    await retried;
    expect(logger.stats()).toMatchObject({ queued: 0, written: 6, dropped: 0 });
    expect(calls).toHaveLength(4);
    // Short of a full write's worth waiting, the rest waits for the write in flight and joins one write.
    calls.length = 0;
    settles.length = 0;
    const patient = createDecisionLogger(store, { batchSize: 2, maxFlushRecords: 4, schedule: manualSchedule().schedule });
    for (let i = 0; i < 6; i++) patient.log(input(`p${i}`, `prompt ${i}`));
    const drained = patient.flush();
    await settle();
    expect(calls).toEqual([['p0', 'p1', 'p2', 'p3']]);
    for (let i = 6; i < 8; i++) patient.log(input(`p${i}`, `prompt ${i}`));
    settles[0]!.ok();
    await settle();
    expect(calls).toEqual([['p0', 'p1', 'p2', 'p3'], ['p4', 'p5', 'p6', 'p7']]);
    settles[1]!.ok();
    await drained;
    expect(patient.stats()).toMatchObject({ queued: 0, written: 8 });
  });

  it('buffers while the store is down, drops beyond maxQueue with a count, and recovers', async () => {
    const { store, rows, state } = flakyStore();
    const timer = manualSchedule();
    const errors: string[] = [];
    const logger = createDecisionLogger(store, { batchSize: 2, maxQueue: 5, flushMs: 1000, schedule: timer.schedule, onError: (e) => errors.push(e.message) });
    state.down = true;
    for (let i = 0; i < 8; i++) logger.log(input(`r${i}`, `prompt ${i}`));
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 5, written: 0, dropped: 3, failedFlushes: 1, lastError: 'connection refused' });
    expect(errors).toEqual(['connection refused']);
    expect(timer.live().some((t) => t.ms === 1000)).toBe(true);
    state.down = false;
    await timer.fire();
    await logger.flush();
    expect(logger.stats()).toMatchObject({ queued: 0, written: 5, dropped: 3 });
    expect(rows.map((r) => r.requestId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('builds each record when it is logged: a record that cannot be built is dropped and counted, the rest are written', async () => {
    const { store, rows } = flakyStore();
    const timer = manualSchedule();
    const logger = createDecisionLogger(store, {
      batchSize: 10,
      schedule: timer.schedule,
      embed: (text) => {
        if (text.includes('poison')) throw new Error('embedder broke');
        return new Float32Array([1, 2]);
      },
    });
    logger.log(input('a', 'first'));
    expect(() => logger.log(input('b', 'poison pill'))).not.toThrow();
    logger.log(input('c', 'third'));
    expect(logger.stats()).toMatchObject({ queued: 2, dropped: 1, lastError: 'embedder broke' });
    expect(logger.isPending('b')).toBe(false);
    await logger.flush();
    expect(rows.map((r) => r.requestId)).toEqual(['a', 'c']);
    expect(logger.stats()).toMatchObject({ queued: 0, written: 2, dropped: 1 });
  });

  it('serializes each record when it is logged with a store that prepares rows, and writes the prepared rows', async () => {
    const { store, rows, state } = flakyStore();
    const prepared: string[] = [];
    const preparing = {
      decisions: {
        ...store.decisions,
        // The row form of this fake: the record's JSON, made when `prepare` is called.
        prepare: (record: DecisionRecord) => {
          const row = JSON.stringify(record);
          prepared.push(record.requestId);
          return row as unknown as PreparedDecision;
        },
        async insertPrepared(batch: readonly PreparedDecision[]) {
          await store.decisions.insert(batch.map((row) => JSON.parse(row as unknown as string) as DecisionRecord));
        },
      },
    };
    const logger = createDecisionLogger(preparing, { batchSize: 10, schedule: manualSchedule().schedule, embed: () => new Float32Array([1, 2]) });
    logger.log(input('a', 'first'));
    // A decision JSON.stringify refuses: the record is dropped when it is logged, not the batch when it is written.
    expect(() => logger.log(input('b', 'second', { decision: { ...decision, explanation: { ...decision.explanation, alpha: 1n as unknown as number } } }))).not.toThrow();
    logger.log(input('c', 'third'));
    expect(prepared).toEqual(['a', 'c']);
    expect(logger.stats()).toMatchObject({ queued: 2, dropped: 1 });
    expect(logger.isPending('a')).toBe(true);
    await logger.flush();
    expect(state.inserts).toBe(1);
    expect(rows).toEqual([toRecord(input('a', 'first'), { embed: () => new Float32Array([1, 2]) }), toRecord(input('c', 'third'), { embed: () => new Float32Array([1, 2]) })]);
    expect(logger.isPending('a')).toBe(false);
    expect(logger.stats()).toMatchObject({ queued: 0, written: 2, dropped: 1 });
  });

  it('records through the hook pipeline with facts the dispatcher left', async () => {
    const { store, rows } = flakyStore();
    const logger = createDecisionLogger(store, { schedule: manualSchedule().schedule });
    const router = { name: 'router', preHook: (_r: ChatRequest, ctx: { decision?: RoutingDecision }) => ((ctx.decision = decision), { kind: 'continue' as const }) };
    const pipeline = createHookPipeline([logger.plugin, router]);
    const response: ChatResponse = { id: 'x', model: 'gpt-5-mini', content: [{ type: 'text', text: 'hi' }], stopReason: 'stop', usage: { inputTokens: 3, outputTokens: 4 } };
    const ctx = { requestId: 'req-p', providers: new Set(['openai']), values: new Map<string, unknown>() };
    await pipeline.run(request('hello'), ctx, async (_req, c) => {
      setDecisionLogFacts(c, { target: { id: 'openai/gpt-5-mini', provider: 'openai', providerModel: 'gpt-5-mini' }, fallbacks: [], client: 'team-a' });
      return response;
    });
    const ctx2 = { requestId: 'req-e', providers: new Set(['openai']), values: new Map<string, unknown>() };
    await pipeline.run(request('boom'), ctx2, async () => {
      throw new GatewayError('provider_server_error', 'upstream 500');
    });
    await logger.flush();
    expect(rows.map((r) => [r.requestId, r.status, r.client, r.inputTokens, r.errorCode])).toEqual([
      ['req-p', 'ok', 'team-a', 3, undefined],
      ['req-e', 'error', undefined, undefined, 'provider_server_error'],
    ]);
  });
});

describeEachStore('feedback and training from logs', (h) => {
  it('attaches feedback; 404 for unknown ids, 400 for bad scores', async () => {
    const { store } = h();
    const logger = createDecisionLogger(store, { schedule: manualSchedule().schedule, storePrompts: true });
    logger.log(input('req-1', 'explain monads'));
    // Still queued: recordFeedback flushes it first instead of answering 404.
    const ok = await recordFeedback(store, { request_id: 'req-1', score: 0.9, label: 'good' }, { logger, now: () => 5_000 });
    expect(ok).toEqual({ object: 'feedback', request_id: 'req-1', score: 0.9, label: 'good', created: 5 });
    expect((await store.decisions.get('req-1'))?.feedback).toEqual({ score: 0.9, label: 'good', createdAt: 5_000 });
    const notFound = await recordFeedback(store, { request_id: 'nope', score: 0.5 }).catch((e: unknown) => e);
    expect(isGatewayError(notFound) && notFound.code).toBe('caller_not_found');
    expect((notFound as GatewayError).status).toBe(404);
    for (const body of [{ request_id: 'req-1', score: 1.5 }, { request_id: 'req-1', score: -0.1 }, { request_id: 'req-1', score: '1' }, { request_id: '', score: 1 }, { score: 1 }, null, [], { request_id: 'req-1', score: 1, extra: 1 }, { request_id: 'req-1', score: Number.NaN }]) {
      const err = await recordFeedback(store, body).catch((e: unknown) => e);
      expect(isGatewayError(err) && err.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('turns feedback into dataset records grouped by prompt, and merges them with a dataset', async () => {
    const { store } = h();
    const logger = createDecisionLogger(store, { schedule: manualSchedule().schedule, storePrompts: true });
    const big = { id: 'anthropic/claude-sonnet-4-5', provider: 'anthropic' as const, providerModel: 'claude-sonnet-4-5' };
    logger.log(input('q1', 'prove it', { createdAt: 100, costUsd: 0.001 }));
    logger.log(input('q2', 'prove it', { createdAt: 200, target: big, costUsd: 0.01 }));
    logger.log(input('q3', 'prove it', { createdAt: 300, costUsd: 0.003 }));
    logger.log(input('q4', 'new topic', { createdAt: 400 }));
    logger.log(input('q5', 'no feedback', { createdAt: 500 }));
    logger.log(input('q6', 'failed', { createdAt: 600, errorCode: 'provider_timeout' }));
    logger.log(input('q7', 'too old', { createdAt: 50 }));
    await logger.flush();
    const noPrompts = createDecisionLogger(store, { schedule: manualSchedule().schedule });
    noPrompts.log(input('q8', 'secret prompt', { createdAt: 700 }));
    await noPrompts.flush();
    for (const [id, score] of [['q1', 0.2], ['q2', 1], ['q3', 0.4], ['q4', 0.9], ['q6', 0], ['q7', 1], ['q8', 1]] as const) {
      await recordFeedback(store, { request_id: id, score });
    }
    const set = await loadTrainingRecordsFromLogs(store, { since: 100 });
    expect(set.feedbackCount).toBe(6);
    expect(set.skipped).toEqual({ noPrompt: 1, noModel: 1 });
    expect(set.records).toHaveLength(2);
    const proveIt = set.records.find((r) => r.prompt === 'prove it');
    expect(proveIt?.id).toBe('q1');
    expect(proveIt?.task).toBe('mid');
    expect(proveIt?.scores['small']).toBeCloseTo(0.3, 10);
    expect(proveIt?.scores['big']).toBe(1);
    expect(proveIt?.costs?.['small']).toBeCloseTo(0.002, 10);

    const base = [
      { id: 'd1', prompt: 'prove it', scores: { small: 0.9, big: 0.9, other: 0.1 } },
      { id: 'd2', prompt: 'hello', scores: { small: 0.7, big: 0.9, other: 0.5 } },
    ];
    const merged = mergeWithDataset(base, set.records);
    expect(merged.models).toEqual(['big', 'other', 'small']);
    expect(merged.overridden).toBe(1);
    expect(merged.imputed).toBe(1);
    const over = merged.records.find((r) => r.id === 'd1');
    expect(over?.scores).toMatchObject({ big: 1, other: 0.1 });
    expect(over?.scores['small']).toBeCloseTo(0.3, 10);
    // New prompt: small scored 0.9 against its base mean 0.8 (+0.1), so the others get mean + 0.1.
    const added = merged.records.find((r) => r.prompt === 'new topic');
    expect(added?.id).toBe('log-q4');
    expect(added?.scores['small']).toBe(0.9);
    expect(added?.scores['big']).toBeCloseTo(1, 10);
    expect(added?.scores['other']).toBeCloseTo(0.4, 10);
    const strict = mergeWithDataset(base, set.records, { impute: 'drop' });
    expect(strict.records).toHaveLength(2);
    expect(strict.dropped).toBe(1);
  });
});
