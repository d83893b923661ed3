import { buildRouterState, type RouterOverrides } from '../../core/build-router-state.js';
import type { ParsedArtifact } from '../../core/router-artifact.js';
import type { RouterState } from '../../core/router-state.js';
import type { PriceTable } from '../dataset/dataset-record.js';

/** Context window assumed offline: dataset prompts are short and have no real provider behind them. */
export const OFFLINE_CONTEXT_WINDOW = 1_000_000;

/** Providers treated as credentialed when routing offline (every artifact model is bound to one). */
export const OFFLINE_PROVIDERS: ReadonlySet<string> = new Set(['openrouter']);

/**
 * Router state for training and evaluation: the artifact's models bound to a placeholder provider,
 * priced from the dataset's price table, so `route()` runs exactly as served.
 */
export function offlineRouterState(artifact: ParsedArtifact, prices: PriceTable, overrides?: RouterOverrides): RouterState {
  return buildRouterState({
    artifact,
    bind: (name) => ({ provider: 'openrouter', providerModel: name }),
    catalog: (_provider, name) => {
      const p = prices[name];
      return p ? { inputPerMTok: p.input_per_mtok, outputPerMTok: p.output_per_mtok, contextWindowTokens: OFFLINE_CONTEXT_WINDOW, reasoning: { kind: 'none' } } : undefined;
    },
    ...(overrides ? { overrides } : {}),
  });
}
