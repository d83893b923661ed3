import { createHash } from 'node:crypto';

/** Resolution of the canary share: percent with two decimals. */
const SLOTS = 10_000;

/**
 * The slot of a sticky id in [0, 10 000): the first 32 bits of its SHA-256. Stable across
 * processes and restarts, so every replica puts the same client or session on the same artifact.
 */
export function canarySlot(stickyId: string): number {
  return createHash('sha256').update(stickyId).digest().readUInt32BE(0) % SLOTS;
}

/** Options of {@link createCanarySelector}. */
export interface CanarySelectorOptions {
  /** Share of traffic for the candidate artifact, 0 to 100. */
  readonly percent: number;
}

/** Chooses, per request, whether the candidate artifact serves it. */
export interface CanarySelector {
  readonly percent: number;
  /** True when `stickyId` (a session id, else the client) falls in the canary share. */
  inCanary(stickyId: string): boolean;
}

/**
 * Canary traffic split: `percent` of the ids hash into the candidate's share. The same id always
 * gets the same answer, so a conversation or a client stays on one artifact and comparisons per
 * artifact (`heimdall report --by artifact`) are not blurred by clients switching mid-way.
 */
export function createCanarySelector(options: CanarySelectorOptions): CanarySelector {
  const threshold = Math.round(Math.min(100, Math.max(0, options.percent)) * (SLOTS / 100));
  return {
    percent: options.percent,
    inCanary: (stickyId) => threshold > 0 && (threshold >= SLOTS || canarySlot(stickyId) < threshold),
  };
}
