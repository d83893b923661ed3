import type { ProviderCredential } from '../providers/provider-adapter.js';
import type { ReasoningRequest } from '../types/chat.js';
import type { ProviderId } from '../types/provider-id.js';

/** One place a request can be sent: a provider model, with what the engine needs to try it. */
export interface DispatchTarget {
  /** Canonical `provider/model` id (the circuit breaker and latency key). */
  readonly id: string;
  /** The name the decision used (artifact model name), or the id for explicit models. */
  readonly name: string;
  readonly provider: ProviderId;
  readonly providerModel: string;
  /** Context window in tokens, when known (context-length errors escalate to larger ones). */
  readonly contextWindowTokens?: number;
  /**
   * The effective reasoning setting for this target when the router chose it (`null`: the router
   * set none, so the request goes without). Absent: send the client's own setting unchanged.
   */
  readonly reasoning?: ReasoningRequest | null;
  /**
   * For a model the client named, from the catalog: false when it takes no reasoning settings. An
   * Anthropic client's effort or adaptive thinking, translated for another provider, is then not
   * sent (it would be refused); what a client sent in the target's own API goes as given.
   */
  readonly acceptsReasoning?: boolean;
}

/** A credential for one provider and where it came from. */
export interface ResolvedCredential {
  readonly credential: ProviderCredential;
  /** True when the client sent it (it then goes only to its own provider). */
  readonly fromClient: boolean;
}
