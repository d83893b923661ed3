import type { ProviderCredential } from '../providers/provider-adapter.js';
import type { ProviderId } from '../types/provider-id.js';

/** The kinds of provider credential a client can present. */
export type CredentialKind = 'anthropic_oauth' | 'anthropic_api_key' | 'openrouter_key' | 'openai_key' | 'google_oauth' | 'gemini_key';

/** A client token recognised as belonging to one provider. */
export interface DetectedCredential {
  readonly kind: CredentialKind;
  readonly provider: ProviderId;
  readonly credential: ProviderCredential;
}

interface Rule {
  readonly kind: CredentialKind;
  readonly provider: ProviderId;
  readonly credentialKind: ProviderCredential['kind'];
  readonly matches: (token: string) => boolean;
}

/** Visible ASCII only: real keys never contain spaces, control characters or non-ASCII. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
/** Below this many characters after its prefix, a string is a placeholder, not a key. */
const MIN_BODY = 8;

const hasPrefix = (token: string, prefix: string): boolean => token.startsWith(prefix) && token.length >= prefix.length + MIN_BODY;

/**
 * The rules are mutually exclusive by construction (each `sk-` rule excludes the more specific
 * prefixes), so the order only documents precedence; a test checks that no token matches two.
 * `sk-ant-` tokens other than OAuth and API keys (admin keys) and OpenAI `sk-admin-` keys match
 * nothing: they cannot call model APIs and must never be forwarded upstream.
 */
const RULES: readonly Rule[] = [
  { kind: 'anthropic_oauth', provider: 'anthropic', credentialKind: 'oauth', matches: (t) => hasPrefix(t, 'sk-ant-oat') },
  { kind: 'anthropic_api_key', provider: 'anthropic', credentialKind: 'api_key', matches: (t) => hasPrefix(t, 'sk-ant-api') },
  { kind: 'openrouter_key', provider: 'openrouter', credentialKind: 'api_key', matches: (t) => hasPrefix(t, 'sk-or-') },
  {
    kind: 'openai_key',
    provider: 'openai',
    credentialKind: 'api_key',
    matches: (t) => hasPrefix(t, 'sk-') && !t.startsWith('sk-ant-') && !t.startsWith('sk-or-') && !t.startsWith('sk-admin-'),
  },
  { kind: 'google_oauth', provider: 'gemini', credentialKind: 'oauth', matches: (t) => hasPrefix(t, 'ya29.') },
  { kind: 'gemini_key', provider: 'gemini', credentialKind: 'api_key', matches: (t) => hasPrefix(t, 'AIza') },
];

/** The detection rules, exported so tests can check that they never overlap. */
export const CREDENTIAL_RULES: ReadonlyArray<{ readonly kind: CredentialKind; readonly matches: (token: string) => boolean }> = RULES;

/**
 * Recognises a provider credential by its documented prefix: Anthropic OAuth (`sk-ant-oat`),
 * Anthropic API key (`sk-ant-api`), OpenRouter (`sk-or-`), OpenAI (`sk-proj-`, `sk-svcacct-`,
 * other `sk-`), Google OAuth (`ya29.`), Gemini (`AIza`). Returns null for anything else, which
 * may be a gateway API key. Deterministic: the same token always gives the same answer.
 */
export function detectCredential(token: string): DetectedCredential | null {
  if (token.length > 8_192 || !TOKEN_CHARS.test(token)) return null;
  for (const rule of RULES) {
    if (rule.matches(token)) {
      return { kind: rule.kind, provider: rule.provider, credential: { kind: rule.credentialKind, token } };
    }
  }
  return null;
}
