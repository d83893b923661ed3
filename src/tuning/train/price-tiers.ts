import type { Bucket } from '../../types/routing-decision.js';
import type { PriceTable } from '../dataset/dataset-record.js';

/** Blended price used to order models: input and output weighted equally. */
export function blendedPrice(prices: PriceTable, model: string): number {
  const p = prices[model];
  if (!p) throw new Error(`no price for model ${model}`);
  return (p.input_per_mtok + p.output_per_mtok) / 2;
}

/**
 * Splits models into cumulative price buckets: `cheap` holds the lowest price third of the distinct
 * price levels, `mid` adds the middle third, `hard` holds every model. Cumulative buckets mean a
 * harder bucket never loses a cheap model that happens to be strong on the prompt's clusters; the
 * alpha-score still chooses among them.
 */
export function priceBuckets(models: readonly string[], prices: PriceTable): Record<Bucket, string[]> {
  const levels = [...new Set(models.map((m) => blendedPrice(prices, m)))].sort((a, b) => a - b);
  const cap = (fraction: number): number => levels[Math.max(0, Math.ceil(levels.length * fraction) - 1)] as number;
  const sorted = [...models].sort((a, b) => blendedPrice(prices, a) - blendedPrice(prices, b) || (a < b ? -1 : 1));
  const cheapCap = cap(1 / 3);
  const midCap = cap(2 / 3);
  return {
    cheap: sorted.filter((m) => blendedPrice(prices, m) <= cheapCap),
    mid: sorted.filter((m) => blendedPrice(prices, m) <= midCap),
    hard: sorted,
  };
}
