import { createHash, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.js';
import { detectCredential } from './detect-credential.js';
import type { ClientCredentials } from './extract-client-credentials.js';

/** One gateway API key, as configured by the operator. */
export interface GatewayKeyConfig {
  readonly key: string;
  /** Who the key belongs to: shown in logs and metrics, never the key itself. */
  readonly name: string;
  /** Model ids this key may use; `*` is a wildcard (`openai/*`, `*mini*`). Absent: every model. */
  readonly models?: readonly string[];
  /** Requests whose worst-case price exceeds this are refused. */
  readonly maxPriceUsdPerRequest?: number;
}

/** The caller a request runs as. */
export interface GatewayPrincipal {
  readonly name: string;
  /** True when the gateway has no keys configured and lets everyone in. */
  readonly anonymous: boolean;
  readonly maxPriceUsdPerRequest?: number;
  allowsModel(modelId: string): boolean;
}

export interface ApiKeyAuthenticator {
  /** False when no keys are configured (every caller is anonymous). */
  readonly enabled: boolean;
  /**
   * Finds the gateway key among the client's unrecognized tokens.
   * @throws GatewayError `caller_unauthenticated` when keys are configured and none matches.
   */
  authenticate(credentials: ClientCredentials): GatewayPrincipal;
}

/** Shorter keys are guessable; the gateway refuses to start with them. */
const MIN_KEY_LENGTH = 16;

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function invalidConfig(message: string): GatewayError {
  return new GatewayError('gateway_config_invalid', message);
}

const ANONYMOUS: GatewayPrincipal = Object.freeze({ name: 'anonymous', anonymous: true, allowsModel: () => true });

interface KeyEntry {
  readonly digest: Buffer;
  readonly principal: GatewayPrincipal;
}

function compile(config: GatewayKeyConfig, position: number): KeyEntry {
  const where = `gateway key #${position + 1} (${config.name === '' ? 'unnamed' : config.name})`;
  if (config.name.trim() === '') throw invalidConfig(`${where}: 'name' must be non-empty.`);
  if (config.key.length < MIN_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(config.key)) {
    throw invalidConfig(`${where}: the key must be at least ${MIN_KEY_LENGTH} visible ASCII characters.`);
  }
  const lookalike = detectCredential(config.key);
  if (lookalike !== null) {
    // Such a key would also be forwarded to that provider as the client's own credential.
    throw invalidConfig(`${where}: the key looks like a ${lookalike.provider} credential; use a distinct prefix such as 'hmd-'.`);
  }
  const price = config.maxPriceUsdPerRequest;
  if (price !== undefined && !(Number.isFinite(price) && price >= 0)) {
    throw invalidConfig(`${where}: 'maxPriceUsdPerRequest' must be a finite number >= 0.`);
  }
  let allowsModel: (id: string) => boolean = () => true;
  if (config.models !== undefined) {
    if (config.models.some((m) => m.trim() === '')) throw invalidConfig(`${where}: 'models' entries must be non-empty.`);
    const patterns = config.models.map(globToRegExp);
    allowsModel = (id) => patterns.some((p) => p.test(id));
  }
  const principal: GatewayPrincipal =
    price === undefined
      ? { name: config.name, anonymous: false, allowsModel }
      : { name: config.name, anonymous: false, maxPriceUsdPerRequest: price, allowsModel };
  return { digest: digest(config.key), principal: Object.freeze(principal) };
}

/**
 * Builds the gateway's API-key check. Keys are stored only as SHA-256 digests and compared with
 * `timingSafeEqual` against every configured key (no early exit), so response time does not reveal
 * how much of a guess was right or which key matched.
 *
 * @throws GatewayError `gateway_config_invalid` for short, duplicate or provider-lookalike keys.
 */
export function createApiKeyAuthenticator(keys: readonly GatewayKeyConfig[]): ApiKeyAuthenticator {
  const entries = keys.map(compile);
  const seen = new Set<string>();
  for (const entry of entries) {
    const hex = entry.digest.toString('hex');
    if (seen.has(hex)) throw invalidConfig(`Duplicate gateway key (for '${entry.principal.name}').`);
    seen.add(hex);
  }
  if (entries.length === 0) return { enabled: false, authenticate: () => ANONYMOUS };
  return {
    enabled: true,
    authenticate(credentials: ClientCredentials): GatewayPrincipal {
      if (credentials.unrecognized.length === 0) {
        throw new GatewayError('caller_unauthenticated', 'Missing gateway API key: send it as `Authorization: Bearer <key>` or `x-api-key`.');
      }
      for (const token of credentials.unrecognized) {
        const presented = digest(token);
        let found: GatewayPrincipal | undefined;
        for (const entry of entries) {
          if (timingSafeEqual(presented, entry.digest) && found === undefined) found = entry.principal;
        }
        if (found !== undefined) return found;
      }
      throw new GatewayError('caller_unauthenticated', 'Invalid gateway API key.');
    },
  };
}
