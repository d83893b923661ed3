export { connectRedis, redactRedisUrl, type ConnectRedisOptions } from './connect-redis.js';
export { createSharedCircuitBreakers, type SharedCircuitBreakers, type SharedCircuitBreakersOptions } from './shared-circuit-breakers.js';
export { createSharedClientCooldowns, type SharedClientCooldowns, type SharedClientCooldownsOptions } from './shared-client-cooldowns.js';
export { createSharedDecisionCache, type SharedDecisionCacheOptions } from './shared-decision-cache.js';
export { createSharedState, type CreateSharedStateOptions, type GatewaySharedState } from './create-shared-state.js';
export { createMemorySharedState, type MemorySharedStateOptions } from './memory-shared-state.js';
export { createRedisSharedState, type RedisSharedState, type RedisSharedStateOptions } from './redis-shared-state.js';
export { createResilientSharedState, type ResilientSharedState, type ResilientSharedStateOptions, type SharedStateHealth } from './resilient-shared-state.js';
export type {
  CircuitPolicy,
  CircuitSnapshot,
  CircuitState,
  CircuitStore,
  ConsumeResult,
  CooldownStore,
  CounterSlot,
  CounterSpec,
  CounterStore,
  CounterWindow,
  KeyValueStore,
  SharedState,
} from './shared-state.js';
