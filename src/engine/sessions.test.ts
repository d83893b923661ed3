import { describe, expect, it } from 'vitest';
import { ALL_PROVIDERS, buildTestState, TOPIC_PROMPTS } from '../../test/helpers/test-artifact.js';
import { createMemorySharedState } from '../state/memory-shared-state.js';
import type { ChatRequest } from '../types/chat.js';
import { createRouter } from './create-router.js';
import { createSessionTracker, decideWithFloor, sessionIdOf } from './sessions.js';

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ format: 'openai', model: 'auto', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false, ...extra });

describe('sessionIdOf', () => {
  it('takes the header, then metadata.session_id / conversation_id, then the user id', () => {
    expect(sessionIdOf('h-1', request({ metadata: { session_id: 'm-1' }, user: 'u-1' }))).toBe('h-1');
    expect(sessionIdOf(undefined, request({ metadata: { session_id: 'm-1' }, user: 'u-1' }))).toBe('m-1');
    expect(sessionIdOf(undefined, request({ metadata: { conversation_id: 'c-1' } }))).toBe('c-1');
    expect(sessionIdOf('  ', request({ user: 'u-1' }))).toBe('u-1');
    expect(sessionIdOf(undefined, request())).toBeUndefined();
    expect(sessionIdOf('x'.repeat(300), request())).toBeUndefined();
  });
});

describe('createSessionTracker', () => {
  it('keeps the highest bucket reached, for the TTL', async () => {
    const clock = { t: 1_000_000 };
    const state = createMemorySharedState({ now: () => clock.t });
    const sessions = createSessionTracker({ kv: state.kv, ttlMs: 60_000 });
    expect(await sessions.floor('s')).toBeUndefined();
    sessions.reached('s', 'mid', undefined);
    await sessions.flush();
    expect(await sessions.floor('s')).toBe('mid');
    // A lower turn (served above its own decision by the floor) keeps the floor.
    sessions.reached('s', 'cheap', 'mid');
    await sessions.flush();
    expect(await sessions.floor('s')).toBe('mid');
    sessions.reached('s', 'hard', 'mid');
    await sessions.flush();
    expect(await sessions.floor('s')).toBe('hard');
    clock.t += 60_001;
    expect(await sessions.floor('s')).toBeUndefined();
  });

  it('answers no floor when the store fails', async () => {
    const errors: unknown[] = [];
    const failing = { get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')), delete: () => Promise.resolve() };
    const sessions = createSessionTracker({ kv: failing, ttlMs: 1_000, onError: (e) => errors.push(e) });
    expect(await sessions.floor('s')).toBeUndefined();
    sessions.reached('s', 'hard', undefined);
    await sessions.flush();
    expect(errors).toHaveLength(2);
  });
});

describe('decideWithFloor', () => {
  it('re-decides with the bucket forced up to the floor, and leaves higher decisions alone', () => {
    const router = createRouter({ state: () => buildTestState() });
    const easy = request({ messages: [{ role: 'user', content: [{ type: 'text', text: TOPIC_PROMPTS.trivia[0] as string }] }] });
    const plain = router.decide(easy, { providers: ALL_PROVIDERS });
    const floored = decideWithFloor(router, 'hard')(easy, { providers: ALL_PROVIDERS });
    expect(floored.bucket).toBe('hard');
    expect(floored.explanation.escalation ?? '').toContain('forced');
    if (plain.bucket === 'hard') throw new Error('precondition: the easy prompt must not be hard');
    expect(decideWithFloor(router, 'cheap')(easy, { providers: ALL_PROVIDERS })).toEqual(plain);
    expect(decideWithFloor(router, undefined)(easy, { providers: ALL_PROVIDERS })).toEqual(plain);
  });
});
