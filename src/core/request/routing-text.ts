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
 * turns were already routed when they were asked.
 */
export function toRoutingText(req: ChatRequest): RoutingText {
  let tokens = 0;
  for (const part of req.system) tokens += estimateTokens(part.text);
  let text = '';
  let textTokens: number | undefined;
  let usesTools = false;
  let hasImages = false;
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const msg = req.messages[i];
    if (!msg) continue;
    tokens += MESSAGE_OVERHEAD_TOKENS;
    const routed = text === '' && msg.role === 'user';
    for (const part of msg.content) {
      const t = partTokens(part);
      tokens += t;
      if (routed && msg.content.length === 1 && part.type === 'text') textTokens = t;
      const type = part.type;
      if (type === 'image') hasImages = true;
      else if (type === 'tool_call') usesTools = true;
      else if (type === 'tool_result') {
        usesTools = true;
        for (const c of part.content) if (c.type === 'image') hasImages = true;
      }
    }
    if (routed) text = joinText(msg.content);
  }
  if (req.tools !== undefined && req.tools.length > 0) {
    usesTools = true;
    for (const tool of req.tools) {
      tokens += estimateTokens(tool.name) + estimateTokens(tool.description ?? '') + estimateTokens(JSON.stringify(tool.parameters));
    }
  }
  if (text === '') {
    text = req.system.map((p) => p.text).join('\n');
    textTokens = undefined;
  }
  return textTokens === undefined ? { text, promptTokens: tokens, usesTools, hasImages } : { text, promptTokens: tokens, textTokens, usesTools, hasImages };
}

function partTokens(part: ContentPart): number {
  switch (part.type) {
    case 'text':
    case 'thinking':
      return estimateTokens(part.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'tool_call':
      return estimateTokens(part.name) + estimateTokens(part.arguments);
    case 'tool_result': {
      let t = 0;
      for (const c of part.content) t += c.type === 'text' ? estimateTokens(c.text) : IMAGE_TOKENS;
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
