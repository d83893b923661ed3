import { GatewayError } from '../../errors/gateway-error.js';
import type { ProviderId } from '../../types/provider-id.js';

/**
 * The count in a provider's token-counting answer (`input_tokens`, `totalTokens`): a non-negative
 * integer, or `provider_bad_response`. A wrong count is worse than none: clients compact on it.
 */
export function readTokenCount(answer: unknown, field: string, provider: ProviderId, model: string): number {
  const tokens = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[field] : undefined;
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0) {
    throw new GatewayError('provider_bad_response', `${provider} answered a token count without a valid ${field}`, { provider, model });
  }
  return tokens;
}
