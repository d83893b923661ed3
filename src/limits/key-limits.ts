/** A calendar period a USD budget covers (UTC). */
export type BudgetPeriod = 'day' | 'month';

/** The limits of one gateway key; absent fields are unlimited. */
export interface KeyLimits {
  /** Requests per minute. */
  readonly rpm?: number;
  /** Prompt plus output tokens per minute. */
  readonly tpm?: number;
  /** USD spend per `budgetPeriod`. */
  readonly budgetUsd?: number;
  readonly budgetPeriod?: BudgetPeriod;
}

/** A gateway key entry of the config, as far as limits go (`auth.gateway_keys[]`). */
export interface GatewayKeyLimitsConfig {
  readonly name: string;
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
  readonly budget_usd?: number | undefined;
  readonly budget_period?: BudgetPeriod | undefined;
}

/** Limits by key name, from `auth.gateway_keys`; keys with no limit are left out. */
export function limitsFromConfig(keys: readonly GatewayKeyLimitsConfig[]): ReadonlyMap<string, KeyLimits> {
  const out = new Map<string, KeyLimits>();
  for (const k of keys) {
    if (k.rpm === undefined && k.tpm === undefined && k.budget_usd === undefined) continue;
    out.set(k.name, {
      ...(k.rpm === undefined ? {} : { rpm: k.rpm }),
      ...(k.tpm === undefined ? {} : { tpm: k.tpm }),
      ...(k.budget_usd === undefined ? {} : { budgetUsd: k.budget_usd, budgetPeriod: k.budget_period ?? 'month' }),
    });
  }
  return out;
}

/** The UTC calendar day or month containing `now`, as epoch-ms bounds. */
export function budgetWindow(period: BudgetPeriod, now: number): { readonly start: number; readonly end: number } {
  const d = new Date(now);
  if (period === 'day') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) };
  }
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}
