import type { ReasoningSupport } from '../catalog-model.js';
import type { ProviderId } from '../../types/provider-id.js';

/**
 * What one provider's model list says about one model. Lists differ in what they carry: OpenAI and
 * Anthropic give little more than ids, Gemini adds token limits, OpenRouter adds prices too. Fields
 * a list lacks stay undefined and are taken from the stored or bundled catalog when merging.
 */
export interface ListedModel {
  readonly provider: ProviderId;
  readonly providerModelId: string;
  readonly displayName?: string;
  readonly inputPerMTok?: number;
  readonly outputPerMTok?: number;
  readonly cachedInputPerMTok?: number;
  readonly contextWindowTokens?: number;
  readonly maxOutputTokens?: number;
  readonly capabilities?: { readonly tools?: boolean; readonly vision?: boolean; readonly streaming?: boolean; readonly jsonMode?: boolean };
  readonly reasoning?: ReasoningSupport;
}
