import type { ChatRequest, ContentPart, ImagePart } from '../../types/chat.js';
import { digest, mixCode, mixText, newWordHash, type WordHash } from './word-hash.js';

/**
 * A compact fingerprint of everything in a request that can change its routing decision: the text
 * of every turn, tools, images, output cap and reasoning, through {@link WordHash} (two 32-bit
 * lanes, four bytes a step; accidental collisions ~2^-64), allocating only the final key string.
 */
export function requestFingerprint(req: ChatRequest): string {
  const h = newWordHash();
  for (const p of req.system) mixText(h, p.text);
  for (const m of req.messages) {
    mixCode(h, m.role === 'user' ? 1 : 2);
    for (const part of m.content) mixPart(h, part);
  }
  if (req.tools) {
    for (const t of req.tools) {
      mixText(h, t.name);
      mixText(h, t.description ?? '');
      mixText(h, JSON.stringify(t.parameters));
    }
  }
  const r = req.reasoning;
  const tail = `${req.maxOutputTokens ?? ''}|${r?.effort ?? ''}|${r?.budgetTokens ?? ''}|${r?.enabled ?? ''}`;
  return `${digest(h)}|${tail}`;
}

function mixPart(h: WordHash, part: ContentPart): void {
  switch (part.type) {
    case 'text':
      mixCode(h, 3);
      mixText(h, part.text);
      return;
    case 'thinking':
      mixCode(h, 4);
      mixText(h, part.text);
      return;
    case 'image':
      mixImage(h, part);
      return;
    case 'tool_call':
      mixCode(h, 6);
      mixText(h, part.name);
      mixText(h, part.arguments);
      return;
    case 'tool_result':
      mixCode(h, 7);
      // Images count here too: an image in a tool result restricts routing to models with vision.
      for (const c of part.content) {
        if (c.type === 'text') mixText(h, c.text);
        else mixImage(h, c);
      }
      return;
  }
}

function mixImage(h: WordHash, part: ImagePart): void {
  mixCode(h, 5);
  mixText(h, part.source.kind === 'url' ? part.source.url : part.source.data.slice(0, 256));
}
