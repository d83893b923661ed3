import type { HeimdallRouter } from '../engine/create-router.js';
import { parseOpenAIChatRequest } from '../request/parse-openai-chat-request.js';
import type { ChatRequest } from '../types/chat.js';
import { PROVIDER_IDS } from '../types/provider-id.js';
import type { RoutingDecision } from '../types/routing-decision.js';

const SAMPLES = [
  'hi there, how are you today?',
  'Translate "good morning, see you tomorrow" into French and German.',
  'Write a Python function that merges two sorted lists and explain its complexity.',
  'Prove that the square root of 2 is irrational, step by step.',
  'Summarise the causes of the first world war in three bullet points.',
  'Refactor this TypeScript: function f(a: any) { return a.map((x: any) => x * 2) }',
  'What is the integral of x^2 * e^x dx? Show the integration by parts.',
  'Design a rate limiter for a distributed API gateway with Redis; discuss trade-offs.',
];

/**
 * Runs `count` routing decisions (request parsing included) on varied sample prompts, each prompt
 * made unique so the decision cache misses and the uncached hot path gets compiled by the JIT
 * before real traffic. Each decision is also handed to `onDecision` (the gateway builds a decision
 * record from it, so that code is compiled too). Errors (a config that routes nowhere) end the
 * warm-up early, never the server.
 */
export function warmUp(
  router: HeimdallRouter,
  count: number,
  onDecision?: (request: ChatRequest, decision: RoutingDecision, i: number) => void,
): { decisions: number; ms: number } {
  const started = performance.now();
  const providers = new Set<string>(PROVIDER_IDS);
  let decisions = 0;
  for (let i = 0; i < count; i++) {
    const text = `${SAMPLES[i % SAMPLES.length] as string} (warm-up ${i})`;
    try {
      const request = parseOpenAIChatRequest({
        model: 'auto',
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: text },
        ],
        max_tokens: 256 + (i % 7),
      });
      const decision = router.decide(request, { providers });
      onDecision?.(request, decision, i);
      decisions++;
    } catch {
      break;
    }
  }
  return { decisions, ms: performance.now() - started };
}
