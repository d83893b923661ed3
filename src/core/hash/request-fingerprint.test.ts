import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../types/chat.js';
import { requestFingerprint } from './request-fingerprint.js';

const req = (texts: string[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  format: 'openai',
  model: 'auto',
  system: [],
  messages: [{ role: 'user', content: texts.map((text) => ({ type: 'text' as const, text })) }],
  stream: false,
  ...extra,
});

describe('requestFingerprint', () => {
  it('is stable for equal requests and differs for any routing-relevant change', () => {
    const base = requestFingerprint(req(['hello world']));
    expect(requestFingerprint(req(['hello world']))).toBe(base);
    const variants = [
      req(['hello worle']),
      req(['hello', ' world']),
      req(['hello world'], { maxOutputTokens: 10 }),
      req(['hello world'], { reasoning: { effort: 'high' } }),
      req(['hello world'], { system: [{ type: 'text', text: 'be brief' }] }),
      req(['hello world'], { tools: [{ name: 't', parameters: {} }] }),
    ];
    const all = new Set([base, ...variants.map(requestFingerprint)]);
    expect(all.size).toBe(variants.length + 1);
  });

  it('tells apart tool results that differ only by an image (routing then needs vision)', () => {
    const withResult = (content: Array<{ type: 'text'; text: string } | { type: 'image'; source: { kind: 'url'; url: string } }>): ChatRequest => ({
      format: 'openai',
      model: 'auto',
      system: [],
      messages: [{ role: 'user', content: [{ type: 'tool_result', toolCallId: 'c1', content }] }],
      stream: false,
    });
    const text = requestFingerprint(withResult([{ type: 'text', text: 'done' }]));
    const image = requestFingerprint(withResult([{ type: 'text', text: 'done' }, { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }]));
    expect(image).not.toBe(text);
  });

  it('does not depend on the stream flag or the API dialect', () => {
    expect(requestFingerprint(req(['x'], { stream: true, format: 'anthropic' }))).toBe(requestFingerprint(req(['x'])));
  });
});
