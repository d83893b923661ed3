import type { StopReason, Usage } from './chat.js';

/**
 * Provider-neutral streaming events. Adapters turn their provider's SSE into these; the HTTP
 * layer turns these into the client's SSE dialect. Invariants: exactly one `start` first, at
 * most one `finish` last; tool-call deltas reference an index announced by `tool-call-start`.
 */
export type StreamPart =
  | { readonly type: 'start'; readonly id: string; readonly model: string; readonly usage?: Partial<Usage> }
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'thinking-delta'; readonly text: string }
  | { readonly type: 'thinking-signature'; readonly signature: string }
  | { readonly type: 'tool-call-start'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: 'tool-call-delta'; readonly index: number; readonly argumentsDelta: string }
  | { readonly type: 'finish'; readonly stopReason: StopReason; readonly usage: Usage; readonly stopSequence?: string };

/** True for parts that carry content the client will see (used to decide when a stream is committed). */
export function isContentPart(part: StreamPart): boolean {
  return part.type !== 'start';
}
