import { GatewayError } from '../errors/gateway-error.js';
import type { ProviderId } from '../types/provider-id.js';
import { type DetectedCredential, detectCredential } from './detect-credential.js';

/** Request headers with lower-case names, as Node gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What a client presented: at most one credential per provider, plus tokens no provider claims. */
export interface ClientCredentials {
  readonly byProvider: Readonly<Partial<Record<ProviderId, DetectedCredential>>>;
  /** Tokens that matched no provider: candidates for a gateway API key. */
  readonly unrecognized: readonly string[];
}

function headerValues(headers: RequestHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Collects the tokens a client sent in `authorization: Bearer ...`, `x-api-key`, `x-goog-api-key`
 * and the `?key=` query parameter, and sorts them by provider. A credential is only ever attached
 * to the provider its prefix belongs to, so a key sent in any of these places reaches its own
 * provider and no other.
 *
 * @throws GatewayError `caller_invalid_request` when two different credentials for the same
 * provider are presented: guessing which one to use would be worse than saying so.
 */
export function extractClientCredentials(headers: RequestHeaders, query?: URLSearchParams): ClientCredentials {
  const tokens: string[] = [];
  for (const value of headerValues(headers, 'authorization')) {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(value);
    if (match?.[1] !== undefined) tokens.push(match[1]);
  }
  for (const name of ['x-api-key', 'x-goog-api-key']) {
    for (const value of headerValues(headers, name)) tokens.push(value.trim());
  }
  if (query !== undefined) for (const value of query.getAll('key')) tokens.push(value.trim());

  const byProvider: Partial<Record<ProviderId, DetectedCredential>> = {};
  const unrecognized: string[] = [];
  for (const token of tokens) {
    if (token === '') continue;
    const detected = detectCredential(token);
    if (detected === null) {
      if (!unrecognized.includes(token)) unrecognized.push(token);
      continue;
    }
    const existing = byProvider[detected.provider];
    if (existing === undefined) byProvider[detected.provider] = detected;
    else if (existing.credential.token !== token) {
      throw new GatewayError('caller_invalid_request', `Two different ${detected.provider} credentials were sent; send one.`, {
        provider: detected.provider,
      });
    }
  }
  return { byProvider, unrecognized };
}
