import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { createApiKeyAuthenticator } from './api-key-authenticator.js';
import { extractClientCredentials } from './extract-client-credentials.js';

const SEARCH_KEY = 'hmd-search-0123456789abcdef';
const ADMIN_KEY = 'hmd-admin-fedcba9876543210';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof GatewayError ? err.code : 'not-a-gateway-error';
  }
  return undefined;
}

describe('createApiKeyAuthenticator', () => {
  const auth = createApiKeyAuthenticator([
    { key: SEARCH_KEY, name: 'search-team', models: ['openai/*', 'anthropic/claude-*-haiku*'], maxPriceUsdPerRequest: 0.05 },
    { key: ADMIN_KEY, name: 'admin' },
  ]);

  it('authenticates by key from Authorization or x-api-key and applies the model allow-list', () => {
    const p = auth.authenticate(extractClientCredentials({ authorization: `Bearer ${SEARCH_KEY}` }));
    expect(p.name).toBe('search-team');
    expect(p.anonymous).toBe(false);
    expect(p.maxPriceUsdPerRequest).toBe(0.05);
    expect(p.allowsModel('openai/gpt-4o-mini')).toBe(true);
    expect(p.allowsModel('anthropic/claude-3-5-haiku-latest')).toBe(true);
    expect(p.allowsModel('anthropic/claude-opus-4')).toBe(false);
    expect(p.allowsModel('openrouter/openai/gpt-4o')).toBe(false);
    const admin = auth.authenticate(extractClientCredentials({ 'x-api-key': ADMIN_KEY }));
    expect(admin.name).toBe('admin');
    expect(admin.allowsModel('anything/at-all')).toBe(true);
  });

  it('a provider key next to the gateway key does not disturb authentication', () => {
    const creds = extractClientCredentials({ authorization: `Bearer ${SEARCH_KEY}`, 'x-api-key': 'sk-ant-api03-Qw3rTy7uIo9pAs1dFg5hJk8' });
    expect(auth.authenticate(creds).name).toBe('search-team');
  });

  it('rejects a missing or wrong key with caller_unauthenticated', () => {
    expect(codeOf(() => auth.authenticate(extractClientCredentials({})))).toBe('caller_unauthenticated');
    expect(codeOf(() => auth.authenticate(extractClientCredentials({ authorization: 'Bearer hmd-search-0123456789abcdeX' })))).toBe('caller_unauthenticated');
    expect(codeOf(() => auth.authenticate(extractClientCredentials({ authorization: 'Bearer sk-proj-Abc123Def456Ghi789' })))).toBe('caller_unauthenticated');
    expect(codeOf(() => auth.authenticate(extractClientCredentials({ authorization: `Bearer ${SEARCH_KEY.slice(0, -1)}` })))).toBe('caller_unauthenticated');
  });

  it('without configured keys every caller is anonymous and may use any model', () => {
    const open = createApiKeyAuthenticator([]);
    expect(open.enabled).toBe(false);
    const p = open.authenticate(extractClientCredentials({}));
    expect(p.anonymous).toBe(true);
    expect(p.allowsModel('openai/gpt-4o')).toBe(true);
  });

  it('refuses unsafe configurations', () => {
    expect(codeOf(() => createApiKeyAuthenticator([{ key: 'short', name: 'a' }]))).toBe('gateway_config_invalid');
    expect(codeOf(() => createApiKeyAuthenticator([{ key: 'sk-proj-Abc123Def456Ghi789Jkl', name: 'a' }]))).toBe('gateway_config_invalid');
    expect(codeOf(() => createApiKeyAuthenticator([{ key: SEARCH_KEY, name: 'a' }, { key: SEARCH_KEY, name: 'b' }]))).toBe('gateway_config_invalid');
    expect(codeOf(() => createApiKeyAuthenticator([{ key: SEARCH_KEY, name: ' ' }]))).toBe('gateway_config_invalid');
    expect(codeOf(() => createApiKeyAuthenticator([{ key: SEARCH_KEY, name: 'a', maxPriceUsdPerRequest: -1 }]))).toBe('gateway_config_invalid');
    expect(codeOf(() => createApiKeyAuthenticator([{ key: SEARCH_KEY, name: 'a', models: [''] }]))).toBe('gateway_config_invalid');
  });

  it('treats glob metacharacters other than * literally', () => {
    const a = createApiKeyAuthenticator([{ key: SEARCH_KEY, name: 'a', models: ['openai/gpt-4.1'] }]);
    const p = a.authenticate(extractClientCredentials({ 'x-api-key': SEARCH_KEY }));
    expect(p.allowsModel('openai/gpt-4.1')).toBe(true);
    expect(p.allowsModel('openai/gpt-4x1')).toBe(false);
  });
});
