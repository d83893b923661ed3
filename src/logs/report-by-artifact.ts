import type { DecisionStore, StoredDecision } from '../store/store.js';

/** Per artifact version: what the traffic it routed cost, how fast and how well it went. */
export interface ArtifactReportRow {
  readonly artifactVersion: string;
  readonly requests: number;
  readonly errorRate: number;
  /** Share of requests that needed at least one fallback. */
  readonly fallbackRate: number;
  readonly costUsd: number;
  /** Mean cost of requests that have a cost. */
  readonly meanCostUsd: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly feedbackCount: number;
  /** Mean feedback score, or null without feedback. */
  readonly meanFeedback: number | null;
}

/**
 * Compares artifact versions (e.g. a canary against the main artifact) over the decision logs
 * between `since` and `until` (epoch ms). Requests without an artifact version are grouped as `-`.
 */
export async function reportByArtifact(store: { readonly decisions: Pick<DecisionStore, 'list'> }, options: { readonly since?: number; readonly until?: number } = {}): Promise<ArtifactReportRow[]> {
  const rows = await store.decisions.list({ ...(options.since === undefined ? {} : { since: options.since }), ...(options.until === undefined ? {} : { until: options.until }) });
  return summarise(rows);
}

/** The report over records already read. */
export function summarise(rows: readonly StoredDecision[]): ArtifactReportRow[] {
  const groups = new Map<string, StoredDecision[]>();
  for (const r of rows) {
    const key = r.artifactVersion ?? '-';
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  const out: ArtifactReportRow[] = [];
  for (const [artifactVersion, list] of groups) {
    const costs = list.map((r) => r.costUsd).filter((c): c is number => c !== undefined);
    const latencies = list.map((r) => r.latencyMs).sort((a, b) => a - b);
    const scores = list.map((r) => r.feedback?.score).filter((s): s is number => s !== undefined);
    const total = costs.reduce((a, b) => a + b, 0);
    out.push({
      artifactVersion,
      requests: list.length,
      errorRate: list.filter((r) => r.status === 'error').length / list.length,
      fallbackRate: list.filter((r) => r.fallbacks.length > 0).length / list.length,
      costUsd: total,
      meanCostUsd: costs.length === 0 ? 0 : total / costs.length,
      latencyP50Ms: quantile(latencies, 0.5),
      latencyP99Ms: quantile(latencies, 0.99),
      feedbackCount: scores.length,
      meanFeedback: scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length,
    });
  }
  return out.sort((a, b) => b.requests - a.requests || a.artifactVersion.localeCompare(b.artifactVersion));
}

/** Nearest-rank quantile of sorted values (0 for none). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/**
 * Parses a `--since` value: an ISO date or date-time, or an age like `7d`, `12h`, `30m`.
 * @returns epoch ms, or undefined when the text is neither.
 */
export function parseSince(text: string, now: number = Date.now()): number | undefined {
  const age = /^(\d+(?:\.\d+)?)(d|h|m)$/.exec(text.trim());
  if (age !== null) return now - Number(age[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as 'd' | 'h' | 'm'];
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}
