/**
 * The kinds of caller-supplied credentials Heimdall can recognise and forward to a provider.
 * `auth.adapters` lists which of them are enabled (all by default).
 */
export const CREDENTIAL_KINDS = [
  'openai-key',
  'anthropic-key',
  'anthropic-oauth',
  'gemini-key',
  'google-oauth',
  'openrouter-key',
] as const;

export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** Adapter names used by the reference design's `auth_adapters.enabled`, mapped to kinds. */
export const LEGACY_ADAPTER_KINDS: Readonly<Record<string, CredentialKind>> = {
  openai: 'openai-key',
  'openai-key': 'openai-key',
  anthropic: 'anthropic-key',
  'anthropic-key': 'anthropic-key',
  'anthropic-oauth': 'anthropic-oauth',
  gemini: 'gemini-key',
  'gemini-key': 'gemini-key',
  google: 'gemini-key',
  'google-oauth': 'google-oauth',
  'gemini-oauth': 'google-oauth',
  openrouter: 'openrouter-key',
  'openrouter-key': 'openrouter-key',
};
