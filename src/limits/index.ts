export { budgetWindow, limitsFromConfig, type BudgetPeriod, type GatewayKeyLimitsConfig, type KeyLimits } from './key-limits.js';
export { createLimitsPlugin, estimateRequest, GATEWAY_KEY_NAME, type LimitsPluginOptions } from './limits-plugin.js';
export { createRateLimiter, type LimitAmounts, type RateLimiter, type RateLimiterOptions, type Reservation } from './rate-limiter.js';
