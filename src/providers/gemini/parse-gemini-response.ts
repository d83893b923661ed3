import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatResponse, StopReason, TextPart, ThinkingPart, ToolCallPart, Usage } from '../../types/chat.js';
import { GEMINI_SIGNATURE_PREFIX } from './convert-to-gemini-request.js';

type Json = Record<string, unknown>;

/** Narrowing helper for untrusted JSON. */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Fallbacks for fields a Gemini response may omit. */
export interface GeminiResponseFallbacks {
  /** Used when the response has no `responseId`. */
  readonly id?: string;
  /** Used when the response has no `modelVersion`. */
  readonly model?: string;
}

const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'MODEL_ARMOR',
]);

/**
 * Maps Gemini's `finishReason`. Gemini says `STOP` when it calls functions, so `hasToolCalls`
 * turns a normal stop into `tool_calls`. Safety-family reasons are `content_filter`; malformed or
 * unexpected tool calls, `LANGUAGE` and `OTHER` are `error`; absent or unspecified is `stop`.
 */
export function mapGeminiFinishReason(reason: unknown, hasToolCalls: boolean): StopReason {
  if (typeof reason !== 'string' || reason === 'STOP' || reason === 'FINISH_REASON_UNSPECIFIED') {
    return hasToolCalls ? 'tool_calls' : 'stop';
  }
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER_REASONS.has(reason)) return 'content_filter';
  return 'error';
}

/**
 * Normalises `usageMetadata`: input is `promptTokenCount` (which already includes
 * `cachedContentTokenCount`), output is candidates + thoughts (thinking counts as output, as in
 * OpenAI's `completion_tokens`), with the cached and thinking shares reported on their own too.
 */
export function parseGeminiUsage(usage: unknown): Usage {
  const u = isRecord(usage) ? usage : {};
  const thoughts = count(u['thoughtsTokenCount']);
  const cached = count(u['cachedContentTokenCount']);
  return {
    inputTokens: count(u['promptTokenCount']),
    outputTokens: count(u['candidatesTokenCount']) + thoughts,
    ...(cached > 0 ? { cacheReadTokens: cached } : {}),
    ...(thoughts > 0 ? { reasoningTokens: thoughts } : {}),
  };
}

/** Content items produced from one Gemini part, in order. */
export type GeminiPartItem =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'thought'; readonly text: string; readonly signature?: string }
  | { readonly kind: 'signature'; readonly signature: string }
  | { readonly kind: 'call'; readonly id?: string; readonly name: string; readonly arguments: string };

/**
 * Reads one `parts[]` entry. A `thoughtSignature` on a thought travels with it; on any other part
 * it becomes a separate `signature` item placed first (see `GEMINI_SIGNATURE_PREFIX`).
 */
export function readGeminiPart(part: unknown): GeminiPartItem[] {
  if (!isRecord(part)) return [];
  const sig = typeof part['thoughtSignature'] === 'string' && part['thoughtSignature'] !== '' ? GEMINI_SIGNATURE_PREFIX + part['thoughtSignature'] : undefined;
  const text = typeof part['text'] === 'string' ? part['text'] : undefined;
  if (part['thought'] === true) {
    return [{ kind: 'thought', text: text ?? '', ...(sig === undefined ? {} : { signature: sig }) }];
  }
  const items: GeminiPartItem[] = sig === undefined ? [] : [{ kind: 'signature', signature: sig }];
  const fc = part['functionCall'];
  if (isRecord(fc)) {
    items.push({
      kind: 'call',
      ...(typeof fc['id'] === 'string' && fc['id'] !== '' ? { id: fc['id'] } : {}),
      name: typeof fc['name'] === 'string' ? fc['name'] : '',
      arguments: JSON.stringify(fc['args'] ?? {}),
    });
  } else if (text !== undefined && text !== '') {
    items.push({ kind: 'text', text });
  }
  return items;
}

/**
 * Id for the `n`th function call of a response when Gemini gave none: deterministic, and unique
 * across turns when the response has an id (Anthropic rejects repeated tool_use ids in history).
 */
export function geminiToolCallId(responseId: string | undefined, n: number): string {
  const tag = responseId === undefined ? '' : responseId.replace(/[^A-Za-z0-9_-]/g, '');
  return tag === '' ? `call_${n}` : `call_${tag}_${n}`;
}

/**
 * Parses a `generateContent` response (first candidate only). Text, thoughts (-> thinking),
 * function calls (-> tool calls, arguments re-serialised as JSON) and thought signatures are kept;
 * other parts (inline data, executable code) are skipped. A prompt blocked by
 * `promptFeedback.blockReason` yields empty content with `content_filter`. A body with neither
 * candidates nor a block reason is `provider_bad_response`.
 */
export function parseGeminiResponse(json: unknown, fallbacks: GeminiResponseFallbacks = {}): ChatResponse {
  if (!isRecord(json)) throw new GatewayError('provider_bad_response', 'Gemini response is not an object', { provider: 'gemini' });
  const responseId = typeof json['responseId'] === 'string' ? json['responseId'] : undefined;
  const model = typeof json['modelVersion'] === 'string' ? json['modelVersion'] : (fallbacks.model ?? '');
  const usage = parseGeminiUsage(json['usageMetadata']);
  const base = { id: responseId ?? fallbacks.id ?? '', model, usage };

  const candidates = Array.isArray(json['candidates']) ? json['candidates'] : [];
  const candidate = candidates[0];
  if (!isRecord(candidate)) {
    const feedback = json['promptFeedback'];
    if (isRecord(feedback) && typeof feedback['blockReason'] === 'string') {
      return Object.assign({}, base, { content: [], stopReason: 'content_filter' as const });
    }
    throw new GatewayError('provider_bad_response', 'Gemini response has no candidates', { provider: 'gemini' });
  }

  const content: Array<TextPart | ToolCallPart | ThinkingPart> = [];
  let calls = 0;
  const parts = isRecord(candidate['content']) && Array.isArray(candidate['content']['parts']) ? candidate['content']['parts'] : [];
  for (const part of parts) {
    for (const item of readGeminiPart(part)) {
      const last = content[content.length - 1];
      switch (item.kind) {
        case 'text':
          if (last?.type === 'text') content[content.length - 1] = { type: 'text', text: last.text + item.text };
          else content.push({ type: 'text', text: item.text });
          break;
        case 'thought':
          if (last?.type === 'thinking' && last.signature === undefined && item.signature === undefined) {
            content[content.length - 1] = { type: 'thinking', text: last.text + item.text };
          } else {
            content.push({ type: 'thinking', text: item.text, ...(item.signature === undefined ? {} : { signature: item.signature }) });
          }
          break;
        case 'signature':
          content.push({ type: 'thinking', text: '', signature: item.signature });
          break;
        case 'call':
          content.push({ type: 'tool_call', id: item.id ?? geminiToolCallId(responseId, calls), name: item.name, arguments: item.arguments });
          calls++;
          break;
      }
    }
  }
  return Object.assign({}, base, { content, stopReason: mapGeminiFinishReason(candidate['finishReason'], calls > 0) });
}
