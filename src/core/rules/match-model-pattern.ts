/**
 * Matches a model against an allow/deny pattern: an exact artifact name or canonical id, or a glob
 * where `*` matches any run of characters (`openai/*`, `*-mini`).
 */
export function matchesModelPattern(pattern: string, name: string, id: string): boolean {
  if (!pattern.includes('*')) return pattern === name || pattern === id;
  const re = globToRegExp(pattern);
  return re.test(name) || re.test(id);
}

const cache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    if (cache.size > 1_000) cache.clear();
    cache.set(glob, re);
  }
  return re;
}

/** True when the model passes an allow-list (empty or absent: everything) and no deny pattern. */
export function isModelAllowed(name: string, id: string, allow: readonly string[] | undefined, deny: readonly string[] | undefined): boolean {
  if (deny) for (const p of deny) if (matchesModelPattern(p, name, id)) return false;
  if (!allow || allow.length === 0) return true;
  for (const p of allow) if (matchesModelPattern(p, name, id)) return true;
  return false;
}
