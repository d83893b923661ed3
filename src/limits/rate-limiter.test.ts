import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { isGatewayError } from '../errors/gateway-error.js';
import { createMemorySharedState } from '../state/memory-shared-state.js';
import { budgetWindow, limitsFromConfig, type KeyLimits } from './key-limits.js';
import { createRateLimiter } from './rate-limiter.js';

const MINUTE = 1_700_000_040_000; // a minute boundary

function setup(limits: KeyLimits, start = MINUTE) {
  const clock = { t: start };
  const state = createMemorySharedState({ now: () => clock.t });
  const limiter = createRateLimiter({ counters: state.counters, limits: new Map([['team', limits]]), now: () => clock.t });
  return { clock, limiter };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number; retryAfterSeconds: number | undefined; message: string }> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isGatewayError(err)) throw new Error(`expected a GatewayError, got ${String(err)}`);
  return { code: err.code, status: err.status, retryAfterSeconds: err.retryAfterSeconds, message: err.message };
}

describe('createRateLimiter', () => {
  it('does not limit keys without limits', async () => {
    const { limiter } = setup({ rpm: 1 });
    expect(await limiter.reserve('other', { tokens: 1e9, costUsd: 1e9 })).toBeUndefined();
    expect(await limiter.reserve('other', { tokens: 1e9, costUsd: 1e9 })).toBeUndefined();
  });

  it('refuses requests over the per-minute limit with 429 and a retry time', async () => {
    const { clock, limiter } = setup({ rpm: 2 });
    await limiter.reserve('team', { tokens: 0, costUsd: 0 });
    await limiter.reserve('team', { tokens: 0, costUsd: 0 });
    const r = await refusal(limiter.reserve('team', { tokens: 0, costUsd: 0 }));
    expect(r).toMatchObject({ code: 'policy_rate_limited', status: 429, retryAfterSeconds: 90 });
    expect(r.message).toContain("Gateway key 'team' is over its limit of 2 requests per minute");
    // 90 s later: the two requests of the previous minute weigh 2 * 30/60 = 1, so one more fits.
    clock.t += 90_000;
    await limiter.reserve('team', { tokens: 0, costUsd: 0 });
    await expect(limiter.reserve('team', { tokens: 0, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_rate_limited' });
  });

  it('counts tokens, settles them with the actual usage, and lets an oversized request through only on an empty window', async () => {
    const { limiter } = setup({ tpm: 1_000 });
    const big = await limiter.reserve('team', { tokens: 5_000, costUsd: 0 });
    expect(big?.tokens).toBe(1_000);
    await expect(limiter.reserve('team', { tokens: 1, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_rate_limited' });
    if (big === undefined) throw new Error('no reservation');
    // It used 300 tokens in the end: 700 are free again.
    await limiter.settle(big, { tokens: 300, costUsd: 0 });
    const next = await limiter.reserve('team', { tokens: 700, costUsd: 0 });
    await expect(limiter.reserve('team', { tokens: 1, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_rate_limited' });
    // A failed call gives its tokens back.
    if (next === undefined) throw new Error('no reservation');
    await limiter.release(next);
    expect(await limiter.reserve('team', { tokens: 700, costUsd: 0 })).toBeDefined();
  });

  it('enforces a daily USD budget until the next UTC day', async () => {
    const noon = Date.UTC(2025, 5, 10, 12, 0, 0);
    const { clock, limiter } = setup({ budgetUsd: 1, budgetPeriod: 'day' }, noon);
    const a = await limiter.reserve('team', { tokens: 10, costUsd: 0.6 });
    const r = await refusal(limiter.reserve('team', { tokens: 10, costUsd: 0.6 }));
    expect(r).toMatchObject({ code: 'policy_budget_exceeded', status: 429, retryAfterSeconds: 12 * 3600 });
    expect(r.message).toContain("Gateway key 'team' has used its budget of $1.00 per day");
    if (a === undefined) throw new Error('no reservation');
    // Actual spend above the estimate is still recorded: answers already served are paid for.
    await limiter.settle(a, { tokens: 10, costUsd: 1.2 });
    await expect(limiter.reserve('team', { tokens: 10, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_budget_exceeded' });
    clock.t = Date.UTC(2025, 5, 11, 0, 0, 0);
    expect(await limiter.reserve('team', { tokens: 10, costUsd: 0.6 })).toBeDefined();
  });

  it('checks all limits at once and charges nothing when one refuses', async () => {
    const { limiter } = setup({ rpm: 10, tpm: 100, budgetUsd: 5 });
    await limiter.reserve('team', { tokens: 90, costUsd: 0 });
    await expect(limiter.reserve('team', { tokens: 20, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_rate_limited' });
    // The refused request took no request slot: 9 more small ones fit (10 requests in all).
    for (let i = 0; i < 9; i++) await limiter.reserve('team', { tokens: 1, costUsd: 0 });
    await expect(limiter.reserve('team', { tokens: 0, costUsd: 0 })).rejects.toMatchObject({ message: expect.stringContaining('10 requests per minute') as unknown });
  });

  it('reads limits on every call, so a config reload applies at once', async () => {
    let limits = new Map<string, KeyLimits>([['team', { rpm: 1 }]]);
    const state = createMemorySharedState({ now: () => MINUTE });
    const limiter = createRateLimiter({ counters: state.counters, limits: () => limits, now: () => MINUTE });
    await limiter.reserve('team', { tokens: 0, costUsd: 0 });
    await expect(limiter.reserve('team', { tokens: 0, costUsd: 0 })).rejects.toMatchObject({ code: 'policy_rate_limited' });
    limits = new Map([['team', { rpm: 2 }]]);
    await limiter.reserve('team', { tokens: 0, costUsd: 0 });
  });
});

describe('budgetWindow', () => {
  it('spans the UTC calendar day or month, across year ends', () => {
    const t = Date.UTC(2024, 11, 31, 23, 59, 59);
    expect(budgetWindow('day', t)).toEqual({ start: Date.UTC(2024, 11, 31), end: Date.UTC(2025, 0, 1) });
    expect(budgetWindow('month', t)).toEqual({ start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
    expect(budgetWindow('month', Date.UTC(2024, 1, 29, 5))).toEqual({ start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) });
  });
});

describe('limits in the config', () => {
  it('reads rpm, tpm and budgets per gateway key; a budget is monthly unless told otherwise', () => {
    const config = loadConfig({
      env: {},
      overrides: {
        auth: {
          gateway_keys: [
            { name: 'a', key: 'hmd-aaaaaaaaaaaaaaaa', rpm: 60, tpm: 100_000, budget_usd: 50 },
            { name: 'b', key: 'hmd-bbbbbbbbbbbbbbbb', budget_usd: 2.5, budget_period: 'day' },
            { name: 'c', key: 'hmd-cccccccccccccccc' },
          ],
        },
      },
    });
    expect(config.auth.gateway_keys[0]).toMatchObject({ rpm: 60, tpm: 100_000, budget_usd: 50, budget_period: 'month' });
    expect(config.auth.gateway_keys[2]).toEqual({ name: 'c', key: 'hmd-cccccccccccccccc' });
    expect([...limitsFromConfig(config.auth.gateway_keys)]).toEqual([
      ['a', { rpm: 60, tpm: 100_000, budgetUsd: 50, budgetPeriod: 'month' }],
      ['b', { budgetUsd: 2.5, budgetPeriod: 'day' }],
    ]);
  });

  it('rejects bad limits', () => {
    const bad = (entry: Record<string, unknown>): unknown => {
      try {
        loadConfig({ env: {}, overrides: { auth: { gateway_keys: [{ name: 'a', key: 'hmd-aaaaaaaaaaaaaaaa', ...entry }] } } });
        return undefined;
      } catch (err) {
        return err;
      }
    };
    expect(bad({ rpm: 0 })).toBeDefined();
    expect(bad({ tpm: 1.5 })).toBeDefined();
    expect(bad({ budget_usd: -1 })).toBeDefined();
    expect(bad({ budget_period: 'week', budget_usd: 1 })).toBeDefined();
    expect(String(bad({ budget_period: 'day' }))).toContain('needs budget_usd');
    expect(bad({ rpm: 5 })).toBeUndefined();
  });
});
