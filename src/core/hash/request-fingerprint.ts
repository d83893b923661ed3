import type { ChatRequest, ContentPart, ImagePart } from '../../types/chat.js';

/**
 * A compact fingerprint of everything in a request that can change its routing decision: the text
 * of every turn, tools, images, output cap and reasoning. Two FNV-1a-style 32-bit lanes with
 * different primes over every character, plus the length, make accidental collisions negligible
 * (~2^-64) while reading each character once and allocating only the final key string.
 */
export function requestFingerprint(req: ChatRequest): string {
  const st: HashState = { a: 0x811c9dc5, b: 0x1b873593, n: 0 };
  for (const p of req.system) mix(st, p.text);
  for (const m of req.messages) {
    mixCode(st, m.role === 'user' ? 1 : 2);
    for (const part of m.content) mixPart(st, part);
  }
  if (req.tools) {
    for (const t of req.tools) {
      mix(st, t.name);
      mix(st, t.description ?? '');
      mix(st, JSON.stringify(t.parameters));
    }
  }
  const r = req.reasoning;
  const tail = `${req.maxOutputTokens ?? ''}|${r?.effort ?? ''}|${r?.budgetTokens ?? ''}|${r?.enabled ?? ''}`;
  return `${(st.a >>> 0).toString(36)}.${(st.b >>> 0).toString(36)}.${st.n}|${tail}`;
}

interface HashState {
  a: number;
  b: number;
  n: number;
}

function mixPart(st: HashState, part: ContentPart): void {
  switch (part.type) {
    case 'text':
      mixCode(st, 3);
      mix(st, part.text);
      return;
    case 'thinking':
      mixCode(st, 4);
      mix(st, part.text);
      return;
    case 'image':
      mixImage(st, part);
      return;
    case 'tool_call':
      mixCode(st, 6);
      mix(st, part.name);
      mix(st, part.arguments);
      return;
    case 'tool_result':
      mixCode(st, 7);
      // Images count here too: an image in a tool result restricts routing to models with vision.
      for (const c of part.content) {
        if (c.type === 'text') mix(st, c.text);
        else mixImage(st, c);
      }
      return;
  }
}

function mixImage(st: HashState, part: ImagePart): void {
  mixCode(st, 5);
  mix(st, part.source.kind === 'url' ? part.source.url : part.source.data.slice(0, 256));
}

function mixCode(st: HashState, code: number): void {
  st.a = Math.imul(st.a ^ code, 0x01000193);
  st.b = Math.imul(st.b ^ code, 0x5bd1e995);
  st.n++;
}

function mix(st: HashState, s: string): void {
  let a = st.a;
  let b = st.b;
  const n = s.length;
  let i = 0;
  // Two UTF-16 units per step: half the multiplies, which is most of the cost on long prompts.
  for (; i + 1 < n; i += 2) {
    const c = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  if (i < n) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // A separator so that ["ab","c"] and ["a","bc"] differ.
  st.a = Math.imul(a ^ 0xffff, 0x01000193);
  st.b = Math.imul(b ^ 0xffff, 0x5bd1e995);
  st.n += s.length + 1;
}
