import type { ApiKeyAuthenticator, GatewayPrincipal } from '../auth/api-key-authenticator.js';
import type { CredentialKind as DetectedKind } from '../auth/detect-credential.js';
import { extractClientCredentials, type RequestHeaders } from '../auth/extract-client-credentials.js';
import type { CredentialKind as ConfigKind } from '../config/credential-kinds.js';
import type { ProviderCredential } from '../providers/provider-adapter.js';
import { PROVIDER_IDS, type ProviderId } from '../types/provider-id.js';
import type { ClientCooldowns } from './client-cooldowns.js';
import type { ResolvedCredential } from './dispatch-target.js';

/** Who is calling and with which provider credentials this request may be served. */
export interface RequestCredentials {
  readonly principal: GatewayPrincipal;
  /** Providers the request can reach (a shared Set instance per combination: the router caches by identity). */
  readonly providers: ReadonlySet<string>;
  credentialFor(provider: ProviderId): ResolvedCredential | undefined;
}

/** Options of {@link createCredentialResolver}. */
export interface CredentialResolverOptions {
  readonly authenticator: ApiKeyAuthenticator;
  /** Gateway-configured keys by provider (only providers with an adapter). */
  readonly configured: Readonly<Partial<Record<ProviderId, ProviderCredential>>>;
  /** Providers the gateway has adapters for (enabled in config). */
  readonly enabledProviders: ReadonlySet<ProviderId>;
  /** Client credential kinds the gateway accepts (`auth.adapters`). */
  readonly acceptedKinds: ReadonlyArray<ConfigKind>;
  readonly cooldowns: ClientCooldowns;
}

export interface CredentialResolver {
  /** @throws GatewayError `caller_unauthenticated` (gateway key missing/invalid) or `caller_invalid_request` (two keys for one provider). */
  resolve(headers: RequestHeaders, query: URLSearchParams | undefined): RequestCredentials;
}

const KIND_NAMES: Readonly<Record<DetectedKind, ConfigKind>> = {
  anthropic_oauth: 'anthropic-oauth',
  anthropic_api_key: 'anthropic-key',
  openrouter_key: 'openrouter-key',
  openai_key: 'openai-key',
  google_oauth: 'google-oauth',
  gemini_key: 'gemini-key',
};

/**
 * Resolves each request's credentials: a client's own provider credential (of an accepted kind)
 * is used for its provider and nowhere else; other providers use the gateway's configured keys.
 * A client whose Anthropic OAuth token is cooling down after a 429 cannot reach Anthropic.
 */
export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const accepted = new Set<ConfigKind>(options.acceptedKinds);
  const configuredResolved: Partial<Record<ProviderId, ResolvedCredential>> = {};
  for (const id of PROVIDER_IDS) {
    const c = options.configured[id];
    if (c !== undefined && options.enabledProviders.has(id)) configuredResolved[id] = { credential: c, fromClient: false };
  }
  const sets = new Map<string, ReadonlySet<string>>();
  const canonicalSet = (ids: ProviderId[]): ReadonlySet<string> => {
    const key = ids.join(',');
    let s = sets.get(key);
    if (s === undefined) {
      s = new Set(ids);
      sets.set(key, s);
    }
    return s;
  };
  const configuredOnly = canonicalSet(PROVIDER_IDS.filter((id) => configuredResolved[id] !== undefined));
  const configuredLookup = (p: ProviderId): ResolvedCredential | undefined => configuredResolved[p];

  return {
    resolve(headers, query) {
      const client = extractClientCredentials(headers, query);
      const principal = options.authenticator.authenticate(client);
      let own: Partial<Record<ProviderId, ResolvedCredential>> | undefined;
      for (const id of PROVIDER_IDS) {
        const detected = client.byProvider[id];
        if (detected === undefined || !accepted.has(KIND_NAMES[detected.kind]) || !options.enabledProviders.has(id)) continue;
        own ??= {};
        own[id] = { credential: detected.credential, fromClient: true };
      }
      if (own === undefined) return { principal, providers: configuredOnly, credentialFor: configuredLookup };
      const mine = own;
      const ids: ProviderId[] = [];
      for (const id of PROVIDER_IDS) {
        const cred = mine[id] ?? configuredResolved[id];
        if (cred === undefined) continue;
        if (id === 'anthropic' && cred.fromClient && cred.credential.kind === 'oauth' && options.cooldowns.remainingMs(cred.credential.token) > 0) continue;
        ids.push(id);
      }
      return { principal, providers: canonicalSet(ids), credentialFor: (p) => mine[p] ?? configuredResolved[p] };
    },
  };
}
