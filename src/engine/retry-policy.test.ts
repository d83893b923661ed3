import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe('retryDelayMs', () => {
  it('does not retry non-retryable errors or past maxRetries', () => {
    expect(retryDelayMs(new GatewayError('provider_invalid_request', 'x'), 0, policy)).toBeUndefined();
    expect(retryDelayMs(new GatewayError('provider_server_error', 'x'), 2, policy)).toBeUndefined();
  });

  it('honours Retry-After up to the cap, and refuses longer waits', () => {
    expect(retryDelayMs(new GatewayError('provider_rate_limited', 'x', { retryAfterSeconds: 2 }), 0, policy)).toBe(2000);
    expect(retryDelayMs(new GatewayError('provider_rate_limited', 'x', { retryAfterSeconds: 0.25 }), 0, policy)).toBe(250);
    expect(retryDelayMs(new GatewayError('provider_rate_limited', 'x', { retryAfterSeconds: 6 }), 0, policy)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    const err = new GatewayError('provider_server_error', 'x');
    expect(retryDelayMs(err, 0, policy, () => 0.999)).toBe(99);
    expect(retryDelayMs(err, 1, policy, () => 0.5)).toBe(100);
    expect(retryDelayMs(err, 1, { ...policy, maxRetries: 9 }, () => 0)).toBe(0);
    expect(retryDelayMs(err, 8, { ...policy, maxRetries: 9 }, () => 0.999)).toBe(999);
  });
});
