import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, ProxyAgent as UndiciProxyAgent } from 'undici';

type AgentClass = typeof UndiciAgent;
type ProxyAgentClass = typeof UndiciProxyAgent;

const require = createRequire(import.meta.url);

/**
 * undici's `Agent`, loaded without the package's entry point. The entry point evaluates all of
 * undici (fetch, WebSocket, EventSource, caches, mocks, ...): in the gateway's worker, 2.5 MB more
 * old generation after a full GC than the agent and the request API it uses (docs/benchmarks.md,
 * session 12). The entry point does the same two steps as here: load the agent and mix the API
 * (`request`, `stream`, ...) into `Dispatcher.prototype`. These are internal paths, so any failure
 * to find them falls back to the entry point instead of breaking on an undici update.
 */
export const Agent: AgentClass = loadAgent();

function loadAgent(): AgentClass {
  try {
    const agent: unknown = require('undici/lib/dispatcher/agent.js');
    const dispatcher: unknown = require('undici/lib/dispatcher/dispatcher.js');
    const api: unknown = require('undici/lib/api/index.js');
    if (typeof agent === 'function' && typeof dispatcher === 'function' && typeof api === 'object' && api !== null && 'request' in api) {
      Object.assign((dispatcher as { prototype: object }).prototype, api);
      if (agent.prototype instanceof dispatcher) return agent as AgentClass;
    }
  } catch {
    // fall through to the entry point
  }
  return (require('undici') as { Agent: AgentClass }).Agent;
}

/**
 * undici's `ProxyAgent`, loaded the same way and only when a provider has a proxy (the agent above
 * has already mixed the request API into `Dispatcher.prototype`, which `ProxyAgent` inherits).
 */
export function loadProxyAgent(): ProxyAgentClass {
  try {
    const proxyAgent: unknown = require('undici/lib/dispatcher/proxy-agent.js');
    if (typeof proxyAgent === 'function' && 'request' in (proxyAgent as { prototype: object }).prototype) return proxyAgent as ProxyAgentClass;
  } catch {
    // fall through to the entry point
  }
  return (require('undici') as { ProxyAgent: ProxyAgentClass }).ProxyAgent;
}
