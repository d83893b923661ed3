/** Providers Heimdall speaks to. The canonical model id is `provider/model`. */
export const PROVIDER_IDS = ['openai', 'anthropic', 'gemini', 'openrouter'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}
