import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { extractClientCredentials } from './extract-client-credentials.js';

const OPENAI = 'sk-proj-Abc123Def456Ghi789Jkl012Mno345';
const ANTHROPIC = 'sk-ant-api03-Qw3rTy7uIo9pAs1dFg5hJk8lZx2c';
const ANTHROPIC_OAUTH = 'sk-ant-oat01-Zx8kL2mQ9pR4tV7wY1aB3cD5eF6g';
const GEMINI = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const GATEWAY = 'hmd-0123456789abcdef';

describe('extractClientCredentials', () => {
  it('reads every location and files each token under its own provider', () => {
    const creds = extractClientCredentials(
      { authorization: `Bearer ${GATEWAY}`, 'x-api-key': ANTHROPIC, 'x-goog-api-key': GEMINI },
      new URLSearchParams({ key: OPENAI }),
    );
    expect(creds.byProvider.anthropic?.credential).toStrictEqual({ kind: 'api_key', token: ANTHROPIC });
    expect(creds.byProvider.gemini?.kind).toBe('gemini_key');
    expect(creds.byProvider.openai?.credential.token).toBe(OPENAI);
    expect(creds.byProvider.openrouter).toBeUndefined();
    expect(creds.unrecognized).toEqual([GATEWAY]);
  });

  it('an Anthropic key sent as a Bearer token still goes to Anthropic, not OpenAI', () => {
    const creds = extractClientCredentials({ authorization: `Bearer ${ANTHROPIC_OAUTH}` });
    expect(creds.byProvider.anthropic?.kind).toBe('anthropic_oauth');
    expect(creds.byProvider.anthropic?.credential.kind).toBe('oauth');
    expect(creds.byProvider.openai).toBeUndefined();
  });

  it('accepts any case of the Bearer scheme and repeated headers; ignores other schemes', () => {
    const creds = extractClientCredentials({ authorization: [`bearer ${OPENAI}`, `Basic dXNlcjpwYXNz`] });
    expect(creds.byProvider.openai?.credential.token).toBe(OPENAI);
    expect(creds.unrecognized).toEqual([]);
  });

  it('deduplicates the same token sent twice', () => {
    const creds = extractClientCredentials({ authorization: `Bearer ${GATEWAY}`, 'x-api-key': GATEWAY });
    expect(creds.unrecognized).toEqual([GATEWAY]);
    const same = extractClientCredentials({ authorization: `Bearer ${OPENAI}`, 'x-api-key': OPENAI });
    expect(same.byProvider.openai?.credential.token).toBe(OPENAI);
  });

  it('refuses two different credentials for one provider', () => {
    expect(() => extractClientCredentials({ authorization: `Bearer ${ANTHROPIC_OAUTH}`, 'x-api-key': ANTHROPIC })).toThrow(GatewayError);
    try {
      extractClientCredentials({ authorization: `Bearer ${ANTHROPIC_OAUTH}`, 'x-api-key': ANTHROPIC });
    } catch (err) {
      expect((err as GatewayError).code).toBe('caller_invalid_request');
      expect((err as GatewayError).message).not.toContain(ANTHROPIC);
    }
  });

  it('returns nothing for no headers', () => {
    expect(extractClientCredentials({})).toStrictEqual({ byProvider: {}, unrecognized: [] });
  });
});
