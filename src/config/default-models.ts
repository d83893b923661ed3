import type { ProviderId } from '../types/provider-id.js';

/** Where a model name used by the routing artifact is actually served. */
export interface ModelTarget {
  readonly provider: ProviderId;
  /** The provider's own model id (for OpenRouter, its `author/slug`). */
  readonly model: string;
}

/**
 * The bundled artifact's nine open models, served through OpenRouter. Most map to the same
 * weights; where OpenRouter does not host the exact model the closest family member is used:
 * - `codegemma-7b` → `google/gemma-2-9b-it` (no CodeGemma endpoint; nearest small Gemma).
 * - `llama-3.1-nemotron-51b-instruct` → `nvidia/llama-3.1-nemotron-70b-instruct` (same Nemotron
 *   Llama-3.1 recipe, larger base; the 51B NAS model is not hosted).
 * - `llama-3.3-nemotron-super-49b-v1` → `nvidia/llama-3.3-nemotron-super-49b-v1.5` (v1 was
 *   replaced by v1.5 on OpenRouter).
 * - `llama3-chatqa-1.5-70b` / `-8b` → `meta-llama/llama-3-70b-instruct` / `-8b-instruct`
 *   (ChatQA 1.5 is a Llama 3 fine-tune; the instruct models are the closest hosted weights).
 */
export const DEFAULT_MODEL_MAP: Readonly<Record<string, ModelTarget>> = {
  'codegemma-7b': { provider: 'openrouter', model: 'google/gemma-2-9b-it' },
  'gemma-2-9b-it': { provider: 'openrouter', model: 'google/gemma-2-9b-it' },
  'llama-3.1-8b-instruct': { provider: 'openrouter', model: 'meta-llama/llama-3.1-8b-instruct' },
  'llama-3.1-nemotron-51b-instruct': { provider: 'openrouter', model: 'nvidia/llama-3.1-nemotron-70b-instruct' },
  'llama-3.3-nemotron-super-49b-v1': { provider: 'openrouter', model: 'nvidia/llama-3.3-nemotron-super-49b-v1.5' },
  'llama3-chatqa-1.5-70b': { provider: 'openrouter', model: 'meta-llama/llama-3-70b-instruct' },
  'llama3-chatqa-1.5-8b': { provider: 'openrouter', model: 'meta-llama/llama-3-8b-instruct' },
  'mistral-7b-instruct-v0.3': { provider: 'openrouter', model: 'mistralai/mistral-7b-instruct-v0.3' },
  'qwen2.5-7b-instruct': { provider: 'openrouter', model: 'qwen/qwen-2.5-7b-instruct' },
};
