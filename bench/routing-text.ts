/**
 * `npx tsx bench/routing-text.ts`: what `toRoutingText` (the prompt's size and routed text) costs
 * on the ~180 KB coding-agent request of `agent-request.ts`, with `estimateTokens` on every part
 * against the router's cached estimator (`src/engine/cached-token-estimator.ts`), which a
 * conversation's resent system prompt, tools and history hit. 50 requests that differ in their last
 * question, parsed as the gateway parses them; three rounds alternating.
 */
import { toRoutingText } from '../src/core/request/routing-text.js';
import { createCachedTokenEstimator } from '../src/engine/cached-token-estimator.js';
import { parseAnthropicMessagesRequest } from '../src/request/parse-anthropic-messages-request.js';
import { agentRequestBody } from './agent-request.js';

const requests = Array.from({ length: 50 }, (_, k) => parseAnthropicMessagesRequest(JSON.parse(agentRequestBody(k))));
const cached = createCachedTokenEstimator(4_096);
for (let round = 0; round < 3; round++) {
  for (const [name, estimate] of [
    ['estimateTokens', undefined],
    ['cached estimator', cached],
  ] as const) {
    for (let i = 0; i < 3; i++) for (const q of requests) toRoutingText(q, estimate);
    const n = 6;
    const t = performance.now();
    for (let i = 0; i < n; i++) for (const q of requests) toRoutingText(q, estimate);
    process.stdout.write(`${name.padEnd(17)} ${(((performance.now() - t) / (n * requests.length)) * 1000).toFixed(0)} us a request\n`);
  }
}
