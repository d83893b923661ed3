import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../types/chat.js';
import { IMAGE_TOKENS, toRoutingText } from './routing-text.js';

const request = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({ format: 'openai', model: 'auto', system: [], messages, stream: false, ...extra });
const image = { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } } as const;

describe('toRoutingText', () => {
  it('routes on the last user turn and counts the whole prompt', () => {
    const rt = toRoutingText(
      request([
        { role: 'user', content: [{ type: 'text', text: 'first question' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'an answer' }] },
        { role: 'user', content: [{ type: 'text', text: 'second question' }, image] },
      ]),
    );
    expect(rt.text).toBe('second question');
    expect(rt.promptTokens).toBeGreaterThan(IMAGE_TOKENS);
    expect(rt.usesTools).toBe(false);
    expect(rt.hasImages).toBe(true);
  });

  it('needs nothing of a plain text conversation', () => {
    const rt = toRoutingText(request([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], { tools: [] }));
    expect(rt).toMatchObject({ usesTools: false, hasImages: false });
  });

  it('needs tool support for tool definitions, and for tool calls or results in the history', () => {
    const defined = request([{ role: 'user', content: [{ type: 'text', text: 'weather?' }] }], { tools: [{ name: 'get_weather', parameters: { type: 'object' } }] });
    expect(toRoutingText(defined).usesTools).toBe(true);
    const history = request([
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: '{}' }] },
      { role: 'user', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'sunny' }] }] },
    ]);
    expect(toRoutingText(history)).toMatchObject({ usesTools: true, hasImages: false });
  });

  it('sees an image returned inside a tool result', () => {
    const rt = toRoutingText(
      request([
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'screenshot', arguments: '{}' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 'c1', content: [image] }] },
      ]),
    );
    expect(rt).toMatchObject({ usesTools: true, hasImages: true });
  });
});
