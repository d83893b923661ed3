import type { ChatRequest, ContentPart } from '../../types/chat.js';
import { estimateTokens } from '../features/estimate-tokens.js';

/**
 * Token cost assumed per image. Providers bill images by size (OpenAI ~85-1,105, Anthropic about
 * w*h/750, up to ~1,600); without decoding the image we assume a typical large one.
 */
export const IMAGE_TOKENS = 1_000;
/** Chat formats add a few tokens of framing per message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** What the router judges a request by. */
export interface RoutingText {
  /** The last user turn's text: the prompt difficulty and topic are read from it. */
  readonly text: string;
  /** Estimated tokens of everything the provider will read (system, history, tools, images). */
  readonly promptTokens: number;
  /** `estimateTokens(text)` when it was computed on the way (one-part turns), so it is not computed twice. */
  readonly textTokens?: number;
  /** Tools are defined, or the history holds tool calls or results: only a model with tool support can take it. */
  readonly usesTools: boolean;
  /** An image anywhere in the conversation (tool results included): only a model with vision can take it. */
  readonly hasImages: boolean;
}

/**
 * Extracts the routing text and the prompt size. Only the last user turn is embedded: system prompts
 * are mostly boilerplate shared by every request of an app and would drown the signal, and earlier
 * turns were already routed when they were asked. `estimate` counts each part's tokens (the gateway
 * passes a cached {@link estimateTokens}: a conversation resends its history every turn).
 */
export function toRoutingText(req: ChatRequest, estimate: (text: string) => number = estimateTokens): RoutingText {
  let tokens = 0;
  for (const part of req.system) tokens += estimate(part.text);
  const routed = routedTurn(req);
  let textTokens: number | undefined;
  let usesTools = false;
  let hasImages = false;
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const msg = req.messages[i];
    if (!msg) continue;
    tokens += MESSAGE_OVERHEAD_TOKENS;
    for (const part of msg.content) {
      const t = partTokens(part, estimate);
      tokens += t;
      if (i === routed.index && msg.content.length === 1 && part.type === 'text') textTokens = t;
      const type = part.type;
      if (type === 'image') hasImages = true;
      else if (type === 'tool_call') usesTools = true;
      else if (type === 'tool_result') {
        usesTools = true;
        for (const c of part.content) if (c.type === 'image') hasImages = true;
      }
    }
  }
  if (req.tools !== undefined && req.tools.length > 0) {
    usesTools = true;
    for (const tool of req.tools) {
      tokens += estimate(tool.name) + estimate(tool.description ?? '') + estimate(JSON.stringify(tool.parameters));
    }
  }
  const text = routed.text;
  return textTokens === undefined ? { text, promptTokens: tokens, usesTools, hasImages } : { text, promptTokens: tokens, textTokens, usesTools, hasImages };
}

/**
 * {@link toRoutingText}'s `text` alone, without estimating any tokens: what the decision log hashes,
 * stores and embeds. Estimating every part of a long conversation is the costly half (~0.5 ms for
 * a 180 KB request with tools, docs/benchmarks.md, session 18).
 */
export function routedText(req: ChatRequest): string {
  return routedTurn(req).text;
}

/**
 * The latest user turn with any text (its index and its text parts joined), else the system
 * prompt (index -1): a turn of tool results alone is not what the user asked.
 */
function routedTurn(req: ChatRequest): { readonly index: number; readonly text: string } {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const msg = req.messages[i];
    if (msg?.role !== 'user') continue;
    const text = joinText(msg.content);
    if (text !== '') return { index: i, text };
  }
  return { index: -1, text: req.system.map((p) => p.text).join('\n') };
}

function partTokens(part: ContentPart, estimate: (text: string) => number): number {
  switch (part.type) {
    case 'text':
    case 'thinking':
      return estimate(part.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'tool_call':
      return estimate(part.name) + estimate(part.arguments);
    case 'tool_result': {
      let t = 0;
      for (const c of part.content) t += c.type === 'text' ? estimate(c.text) : IMAGE_TOKENS;
      return t;
    }
  }
}

function joinText(parts: readonly ContentPart[]): string {
  let out = '';
  for (const p of parts) {
    if (p.type !== 'text') continue;
    out = out === '' ? p.text : `${out}\n${p.text}`;
  }
  return out;
}
