import type { DispatchOutcome } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';
import type { RoutingDecision } from '../types/routing-decision.js';

/**
 * The `x-heimdall-*` headers every routed response carries: where it went, why, and what it cost to
 * decide. With `explain` (the client sent `x-heimdall-explain: 1`), also `x-heimdall-explanation`:
 * the decision's explanation as compact JSON.
 */
export function transparencyHeaders(plan: RequestPlan, outcome: DispatchOutcome, explain = false): Record<string, string> {
  const headers: Record<string, string> = {
    'x-heimdall-model': outcome.target.providerModel,
    'x-heimdall-provider': outcome.target.provider,
    'x-heimdall-bucket': plan.bucket,
    'x-heimdall-decision-ms': plan.decisionMs.toFixed(3),
  };
  if (outcome.fallbacks.length > 0) headers['x-heimdall-fallback'] = outcome.fallbacks.join(',');
  if (plan.decision !== undefined) headers['x-heimdall-artifact'] = plan.decision.artifactVersion;
  if (explain && plan.decision !== undefined) headers['x-heimdall-explanation'] = explanationHeader(plan.decision);
  return headers;
}

/** True when the client asked for the explanation header. */
export function wantsExplanation(value: string | string[] | undefined): boolean {
  const v = Array.isArray(value) ? value[0] : value;
  return v === '1' || v === 'true';
}

/**
 * The explanation as one line of JSON, numbers rounded to 4 digits so it stays well under common
 * header-size limits (about 1 KB for nine candidates). Header values must be ASCII: JSON.stringify
 * escapes nothing else here, since model ids and reasons are ASCII.
 */
export function explanationHeader(d: RoutingDecision): string {
  const r = (x: number): number => Math.round(x * 1e4) / 1e4;
  const e = d.explanation;
  return JSON.stringify({
    bucket: d.bucket,
    p: [r(d.bucketProbabilities.cheap), r(d.bucketProbabilities.mid), r(d.bucketProbabilities.hard)],
    alpha: e.alpha,
    features: { tokens: e.features.promptTokens, code: e.features.hasCode, math: e.features.hasMath, entropy: r(e.features.entropy) },
    clusters: e.clusters.map((c) => [c.index, r(c.weight)]),
    candidates: d.candidates.map((c) => ({ id: c.id, q: r(c.quality), c: r(c.cost), pen: r(c.penalties.ctxOver80pct + c.penalties.latencySd), score: r(c.score) })),
    ...(e.escalation ? { escalation: e.escalation } : {}),
  }).replace(/[^\x20-\x7e]/g, '?');
}
