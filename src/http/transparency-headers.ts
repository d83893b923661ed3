import type { DispatchOutcome } from '../engine/dispatch.js';
import type { RequestPlan } from '../engine/plan-request.js';

/** The `x-heimdall-*` headers every routed response carries: where it went, why, and what it cost to decide. */
export function transparencyHeaders(plan: RequestPlan, outcome: DispatchOutcome): Record<string, string> {
  const headers: Record<string, string> = {
    'x-heimdall-model': outcome.target.providerModel,
    'x-heimdall-provider': outcome.target.provider,
    'x-heimdall-bucket': plan.bucket,
    'x-heimdall-decision-ms': plan.decisionMs.toFixed(3),
  };
  if (outcome.fallbacks.length > 0) headers['x-heimdall-fallback'] = outcome.fallbacks.join(',');
  if (plan.decision !== undefined) headers['x-heimdall-artifact'] = plan.decision.artifactVersion;
  return headers;
}
