import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_RULES, detectCredential } from './detect-credential.js';

// Shapes of real credentials (random bodies; none of these is a live key).
const TABLE: ReadonlyArray<[string, string, string | null, 'api_key' | 'oauth' | null]> = [
  ['sk-ant-oat01-Zx8kL2mQ9pR4tV7wY1aB3cD5eF6gH8jK', 'anthropic_oauth', 'anthropic', 'oauth'],
  ['sk-ant-api03-Qw3rTy7uIo9pAs1dFg5hJk8lZx2cVb4nM6', 'anthropic_api_key', 'anthropic', 'api_key'],
  ['sk-or-v1-5f1c2a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b', 'openrouter_key', 'openrouter', 'api_key'],
  ['sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678', 'openai_key', 'openai', 'api_key'],
  ['sk-svcacct-Abc123Def456Ghi789Jkl012Mno345', 'openai_key', 'openai', 'api_key'],
  ['sk-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGH', 'openai_key', 'openai', 'api_key'],
  ['ya29.a0AfH6SMBx-example_token.with-dots', 'google_oauth', 'gemini', 'oauth'],
  ['AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'gemini_key', 'gemini', 'api_key'],
  // Tricky ones: prefixes that must NOT fall through to OpenAI's generic `sk-`.
  ['sk-ant-admin01-Abc123Def456Ghi789Jkl012', '-', null, null],
  ['sk-admin-Abc123Def456Ghi789Jkl012Mno345', '-', null, null],
  ['sk-ant-api', '-', null, null],
  ['sk-', '-', null, null],
  ['hmd-team-search-0123456789abcdef', '-', null, null],
  ['Bearer sk-proj-Abc123Def456Ghi789Jkl012', '-', null, null],
  ['sk-proj-Abc123 Def456Ghi789Jkl012', '-', null, null],
  ['aiza-lowercase-is-not-gemini-0123456789', '-', null, null],
  ['', '-', null, null],
];

describe('detectCredential', () => {
  it.each(TABLE)('%s -> %s', (token, kind, provider, credentialKind) => {
    const detected = detectCredential(token);
    if (provider === null) {
      expect(detected).toBeNull();
      return;
    }
    expect(detected).toStrictEqual({ kind, provider, credential: { kind: credentialKind, token } });
  });

  it('rules never overlap: every table token matches at most one rule', () => {
    for (const [token] of TABLE) {
      expect(CREDENTIAL_RULES.filter((r) => r.matches(token)).length).toBeLessThanOrEqual(1);
    }
  });

  it('rules never overlap on arbitrary tokens built from known prefixes', () => {
    const prefix = fc.constantFrom('', 'sk-', 'sk-ant-', 'sk-ant-oat', 'sk-ant-api', 'sk-or-', 'sk-or-v1-', 'sk-proj-', 'sk-admin-', 'ya29.', 'AIza');
    fc.assert(
      fc.property(prefix, fc.string({ maxLength: 30 }), (p, rest) => {
        const token = p + rest;
        const matching = CREDENTIAL_RULES.filter((r) => r.matches(token));
        expect(matching.length).toBeLessThanOrEqual(1);
        const detected = detectCredential(token);
        if (detected !== null) expect(detected.kind).toBe(matching[0]?.kind);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is deterministic', () => {
    for (const [token] of TABLE) expect(detectCredential(token)).toStrictEqual(detectCredential(token));
  });
});
