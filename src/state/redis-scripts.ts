/**
 * Lua scripts of the Redis backend. Each runs atomically on the server, so concurrent replicas
 * cannot interleave a check and its update. They mirror `applyCircuitOp` and `evaluateCounter`
 * line for line (same arithmetic in the same order, so both backends give the same answers); the
 * contract tests run one suite against both.
 *
 * Numbers are written with `%.0f`: Lua's default number formatting switches to exponent notation
 * for large values and would lose precision on epoch milliseconds.
 */

/** KEYS[1] breaker hash. ARGV: op, now, threshold, coolOffMs, windowMs, probeLeaseMs, ttlMs. Returns {granted, changed, state, failures, successes, openUntil}. */
export const CIRCUIT_SCRIPT = `
local k = KEYS[1]
local op = ARGV[1]
local now = tonumber(ARGV[2])
local threshold = tonumber(ARGV[3])
local cool = tonumber(ARGV[4])
local win = tonumber(ARGV[5])
local lease = tonumber(ARGV[6])
local v = redis.call('HMGET', k, 's', 'f', 'ok', 'ws', 'ou', 'pu')
local s = v[1] or 'closed'
local f = tonumber(v[2]) or 0
local ok = tonumber(v[3]) or 0
local ws = tonumber(v[4]) or 0
local ou = tonumber(v[5]) or 0
local pu = tonumber(v[6]) or 0
local granted = 1
local changed = 0
if op == 'acquire' then
  if s == 'closed' then
    granted = 1
  elseif s == 'open' and now < ou then
    granted = 0
  elseif s == 'half-open' and pu > now then
    granted = 0
  else
    s = 'half-open'
    pu = now + lease
    changed = 1
  end
elseif op == 'release' then
  if s == 'half-open' and pu ~= 0 then
    pu = 0
    changed = 1
  end
elseif op == 'success' then
  if s ~= 'closed' or now - ws >= win then
    ws = now
    ok = 0
  end
  s = 'closed'
  f = 0
  ok = ok + 1
  ou = 0
  pu = 0
  changed = 1
elseif op == 'failure' then
  if s == 'closed' then
    if now - ws >= win then
      ws = now
      f = 0
      ok = 0
    end
    f = f + 1
    if f >= threshold then
      s = 'open'
      ou = now + cool
      pu = 0
    end
  else
    f = f + 1
    if s == 'half-open' or now >= ou then
      s = 'open'
      ou = now + cool
      pu = 0
    end
  end
  changed = 1
end
if changed == 1 then
  local function n(x) return string.format('%.0f', x) end
  redis.call('HSET', k, 's', s, 'f', n(f), 'ok', n(ok), 'ws', n(ws), 'ou', n(ou), 'pu', n(pu))
  redis.call('PEXPIRE', k, ARGV[7])
end
return {granted, changed, s, f, ok, ou}
`;

/**
 * KEYS: per counter, its current slot then its previous slot. ARGV: now, n, then per counter
 * kind ('s' sliding | 'f' fixed), limit, cost, (window ms | fixed end), window start, slot ttl ms.
 * Returns {1, 0, -1} when every counter had room and all were charged, else {0, retryAfterMs, refusedIndex}.
 */
export const CONSUME_SCRIPT = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local refused = -1
local retry = 0
for i = 1, n do
  local b = 2 + (i - 1) * 6
  local kind = ARGV[b + 1]
  local limit = tonumber(ARGV[b + 2])
  local cost = tonumber(ARGV[b + 3])
  local w = tonumber(ARGV[b + 4])
  local wstart = tonumber(ARGV[b + 5])
  local cur = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local r = false
  local wait = 0
  if kind == 'f' then
    if cost > 0 then r = cur + cost > limit else r = cur >= limit end
    if r then wait = math.max(1, w - now) end
  else
    local prev = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
    local el = now - wstart
    local used = prev * (w - el) / w + cur
    if cost > 0 then r = used + cost > limit else r = used >= limit end
    if r then
      if cur + cost <= limit and prev > 0 then
        wait = w - el - (limit - cost - cur) * w / prev
      else
        local nx = 0
        if cur > 0 then nx = w - (limit - cost) * w / cur end
        wait = w - el + math.max(0, nx)
      end
      wait = math.max(1, math.ceil(wait))
    end
  end
  if r then
    if refused < 0 then refused = i - 1 end
    if wait > retry then retry = wait end
  end
end
if refused >= 0 then return {0, retry, refused} end
for i = 1, n do
  local b = 2 + (i - 1) * 6
  if tonumber(ARGV[b + 3]) > 0 then
    local k = KEYS[2 * i - 1]
    redis.call('INCRBY', k, ARGV[b + 3])
    if redis.call('PTTL', k) < 0 then redis.call('PEXPIRE', k, ARGV[b + 6]) end
  end
end
return {1, 0, -1}
`;

/** KEYS: slots. ARGV: per slot, delta then ttl ms. A negative delta never creates a slot nor takes it below 0. */
export const ADJUST_SCRIPT = `
for i = 1, #KEYS do
  local k = KEYS[i]
  local d = tonumber(ARGV[2 * i - 1])
  if d < 0 then
    if redis.call('EXISTS', k) == 1 then
      local v = redis.call('INCRBY', k, ARGV[2 * i - 1])
      if v < 0 then redis.call('SET', k, '0', 'KEEPTTL') end
    end
  elseif d > 0 then
    redis.call('INCRBY', k, ARGV[2 * i - 1])
    if redis.call('PTTL', k) < 0 then redis.call('PEXPIRE', k, ARGV[2 * i]) end
  end
end
return #KEYS
`;
