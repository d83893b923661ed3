import type { CatalogModel } from './catalog-model.js';

/** Token counts priced by {@link estimateCostUsd}. `inputTokens` includes cached ones. */
export interface TokenCounts {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
}

/**
 * USD cost of a request at catalog prices. Cached input is billed at the cached rate when the
 * model has one; above a long-context threshold the higher tier applies to the whole request.
 */
export function estimateCostUsd(model: CatalogModel, tokens: TokenCounts): number {
  const long = model.longContext !== undefined && tokens.inputTokens > model.longContext.aboveInputTokens ? model.longContext : undefined;
  const inputRate = long?.inputPerMTok ?? model.inputPerMTok;
  const outputRate = long?.outputPerMTok ?? model.outputPerMTok;
  const cachedRate = (long ? long.cachedInputPerMTok : undefined) ?? model.cachedInputPerMTok ?? inputRate;
  const cached = Math.min(Math.max(tokens.cachedInputTokens ?? 0, 0), tokens.inputTokens);
  const fresh = tokens.inputTokens - cached;
  return (fresh * inputRate + cached * cachedRate + tokens.outputTokens * outputRate) / 1_000_000;
}
