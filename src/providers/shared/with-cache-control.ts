import type { CacheControl } from '../../types/chat.js';

/** Writes a part's prompt-cache breakpoint onto the wire block built for it (as `cache_control`), if it has one. */
export function withCacheControl<T extends Record<string, unknown>>(block: T, part: { readonly cacheControl?: CacheControl }): T {
  const cc = part.cacheControl;
  if (cc !== undefined) (block as Record<string, unknown>)['cache_control'] = cc.ttl === undefined ? { type: cc.type } : { type: cc.type, ttl: cc.ttl };
  return block;
}
