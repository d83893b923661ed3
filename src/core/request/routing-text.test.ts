import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../types/chat.js';
import { estimateTokens } from '../features/estimate-tokens.js';
import { IMAGE_TOKENS, routedText, toRoutingText } from './routing-text.js';

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

  it('skips a last user turn without text, and gives a text token count only for the turn it routes on', () => {
    const rt = toRoutingText(
      request([
        { role: 'user', content: [{ type: 'text', text: 'the real question' }, { type: 'text', text: 'with details' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'an answer' }] },
        { role: 'user', content: [{ type: 'text', text: '' }] },
      ]),
    );
    expect(rt.text).toBe('the real question\nwith details');
    // The empty turn's count (0) is not the routed text's.
    expect(rt.textTokens).toBeUndefined();
    const single = toRoutingText(request([{ role: 'user', content: [{ type: 'text', text: 'one part' }] }, { role: 'user', content: [image] }]));
    expect(single).toMatchObject({ text: 'one part', textTokens: estimateTokens('one part') });
  });
});

describe('routedText', () => {
  const part = fc.oneof(
    fc.record({ type: fc.constant('text' as const), text: fc.oneof(fc.constant(''), fc.string({ maxLength: 20 })) }),
    fc.constant(image),
    fc.record({ type: fc.constant('tool_call' as const), id: fc.constant('c1'), name: fc.constant('f'), arguments: fc.constant('{}') }),
    fc.record({ type: fc.constant('tool_result' as const), toolCallId: fc.constant('c1'), content: fc.array(fc.record({ type: fc.constant('text' as const), text: fc.string({ maxLength: 10 }) }), { maxLength: 2 }) }),
  );
  const message = fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: fc.array(part, { minLength: 1, maxLength: 3 }) });
  const system = fc.array(fc.record({ type: fc.constant('text' as const), text: fc.string({ maxLength: 20 }) }), { maxLength: 2 });

  it('is the text toRoutingText routes on, for any conversation', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), system, (messages, sys) => {
        const req = request(messages as ChatMessage[], { system: sys });
        expect(routedText(req)).toBe(toRoutingText(req).text);
      }),
      { numRuns: 2_000 },
    );
  });
});
