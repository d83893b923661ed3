import { describe, it, expect } from 'vitest';
import type { ChatRequest } from '../../../types/chat.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';

const base: ChatRequest = { format: 'openai', model: 'auto', system: [], messages: [], stream: false };

describe('convertToOpenAIChatRequest', () => {
  it('maps a plain conversation with system prompt and sampling fields', () => {
    const body = convertToOpenAIChatRequest(
      {
        ...base,
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Be kind.' },
        ],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
          { role: 'user', content: [{ type: 'text', text: 'Bye' }] },
        ],
        maxOutputTokens: 100,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 7,
        user: 'u1',
        responseFormat: { type: 'json_object' },
      },
      'gpt-4o-mini',
    );
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.\n\nBe kind.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Bye' },
      ],
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      user: 'u1',
      response_format: { type: 'json_object' },
      stream: false,
    });
  });

  it('maps tools, tool choice, tool calls and tool results in OpenAI order', () => {
    const body = convertToOpenAIChatRequest(
      {
        ...base,
        tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'get_weather' },
        parallelToolCalls: false,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'hmm', signature: 'sig' },
              { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'and tell me a joke' },
              {
                type: 'tool_result',
                toolCallId: 'call_1',
                content: [
                  { type: 'text', text: '18C' },
                  { type: 'image', source: { kind: 'url', url: 'https://x/map.png' } },
                ],
              },
            ],
          },
        ],
      },
      'gpt-4o',
    );
    expect(body['tools']).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } }]);
    expect(body['tool_choice']).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(body['parallel_tool_calls']).toBe(false);
    expect(body['messages']).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'https://x/map.png' } },
          { type: 'text', text: 'and tell me a joke' },
        ],
      },
    ]);
  });

  it('maps images (base64 to data URL, detail kept) and simple tool choices', () => {
    const body = convertToOpenAIChatRequest(
      {
        ...base,
        toolChoice: { type: 'required' },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0K' }, detail: 'low' },
            ],
          },
        ],
      },
      'gpt-4o',
    );
    expect(body['tool_choice']).toBe('required');
    expect(body['messages']).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K', detail: 'low' } },
        ],
      },
    ]);
  });

  it('omits parallel_tool_calls without tools, maps effort, never invents reasoning', () => {
    const withEffort = convertToOpenAIChatRequest({ ...base, parallelToolCalls: true, reasoning: { effort: 'minimal' } }, 'gpt-5');
    expect(withEffort['parallel_tool_calls']).toBeUndefined();
    expect(withEffort['reasoning_effort']).toBe('minimal');
    const budgetOnly = convertToOpenAIChatRequest({ ...base, reasoning: { budgetTokens: 2048, enabled: true } }, 'gpt-5');
    expect(budgetOnly['reasoning_effort']).toBeUndefined();
  });

  it('asks for the usage chunk when streaming and honours max_tokens for compatible servers', () => {
    const body = convertToOpenAIChatRequest({ ...base, stream: true, includeUsage: false, maxOutputTokens: 5 }, 'm', { maxTokensField: 'max_tokens' });
    expect(body['stream']).toBe(true);
    expect(body['stream_options']).toEqual({ include_usage: true });
    expect(body['max_tokens']).toBe(5);
    expect(body['max_completion_tokens']).toBeUndefined();
  });

  describe('prompt-cache breakpoints (cacheControl option)', () => {
    const cc = { type: 'ephemeral' } as const;
    const cached: ChatRequest = {
      ...base,
      system: [{ type: 'text', text: 'You are Claude Code.', cacheControl: cc }, { type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.', cacheControl: cc }, { type: 'tool_call', id: 'c1', name: 'get_weather', arguments: '{}' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'rain' }, { type: 'text', text: '12 C' }], cacheControl: cc }] },
      ],
    };

    it('puts them on content parts, turning the messages that carry one into part arrays', () => {
      const messages = convertToOpenAIChatRequest(cached, 'anthropic/claude-sonnet-4.5', { cacheControl: true })['messages'];
      expect(messages).toEqual([
        { role: 'system', content: [{ type: 'text', text: 'You are Claude Code.', cache_control: cc }, { type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather?', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.', cache_control: cc }], tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        // The result's own breakpoint marks its end.
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'rain' }, { type: 'text', text: '12 C', cache_control: cc }] },
      ]);
    });

    it('sends the plain shapes, and no cache_control, without the option or without breakpoints', () => {
      const plain = convertToOpenAIChatRequest(cached, 'gpt-4o');
      expect(JSON.stringify(plain)).not.toContain('cache_control');
      expect((plain['messages'] as Array<{ content: unknown }>)[0]?.content).toBe('You are Claude Code.\n\nBe brief.');
      const none = convertToOpenAIChatRequest({ ...base, system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }, 'm', { cacheControl: true });
      expect(none['messages']).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ]);
    });
  });
});
