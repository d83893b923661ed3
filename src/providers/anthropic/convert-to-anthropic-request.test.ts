import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatMessage, ChatRequest } from '../../types/chat.js';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, convertToAnthropicRequest } from './convert-to-anthropic-request.js';

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    format: 'openai',
    model: 'auto',
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    stream: false,
    ...overrides,
  };
}

const toolTurn: ChatMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'Weather in SF?' }] },
  {
    role: 'assistant',
    content: [{ type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' }],
  },
  { role: 'user', content: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '15 degrees' }] }] },
];

describe('convertToAnthropicRequest', () => {
  it('maps a plain request with system, sampling and stop sequences', () => {
    const body = convertToAnthropicRequest(
      request({
        system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }],
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        stop: ['\n\nHuman:'],
        maxOutputTokens: 512,
        user: 'user-42',
        stream: true,
      }),
      'claude-sonnet-4-5',
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Be kind.' },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stop_sequences: ['\n\nHuman:'],
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'user-42' },
      stream: true,
    });
  });

  it('defaults max_tokens, omits empty system and stream: false', () => {
    const body = convertToAnthropicRequest(request(), 'claude-3-haiku');
    expect(body['max_tokens']).toBe(ANTHROPIC_DEFAULT_MAX_TOKENS);
    expect(body).not.toHaveProperty('system');
    expect(body).not.toHaveProperty('stream');
  });

  it('maps images from base64, data URLs and plain URLs', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, detail: 'high' },
              { type: 'text', text: 'What are these?' },
            ],
          },
        ],
      }),
      'claude-sonnet-4-5',
    );
    expect(body['messages']).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'text', text: 'What are these?' },
        ],
      },
    ]);
  });

  it('maps tools, tool calls (arguments parsed) and tool results', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          ...toolTurn.slice(0, 2),
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                toolCallId: 'toolu_1',
                isError: true,
                content: [
                  { type: 'text', text: 'upstream down' },
                  { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
                ],
              },
            ],
          },
        ],
        tools: [
          { name: 'get_weather', description: 'Get the weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } },
          { name: 'no_schema_type', parameters: { properties: {} } },
        ],
      }),
      'claude-sonnet-4-5',
    );
    const messages = body['messages'] as unknown[];
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'San Francisco, CA' } }],
    });
    expect(messages[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_1',
          is_error: true,
          content: [
            { type: 'text', text: 'upstream down' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          ],
        },
      ],
    });
    expect(body['tools']).toEqual([
      { name: 'get_weather', description: 'Get the weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } },
      { name: 'no_schema_type', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body).not.toHaveProperty('tool_choice');
  });

  it('sends empty tool-call arguments as an empty object', () => {
    const body = convertToAnthropicRequest(
      request({ messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'now', arguments: '' }] }] }),
      'm',
    );
    expect((body['messages'] as Array<{ content: unknown[] }>)[0]?.content[0]).toEqual({ type: 'tool_use', id: 't', name: 'now', input: {} });
  });

  it.each([
    ['{"location": "SF"', 'not valid JSON'],
    ['[1,2]', 'must be a JSON object'],
  ])('rejects tool-call arguments %s as caller_invalid_request naming the field', (args, message) => {
    const req = request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'calling' }, { type: 'tool_call', id: 't', name: 'f', arguments: args }] },
      ],
    });
    let err: unknown;
    try {
      convertToAnthropicRequest(req, 'm');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('caller_invalid_request');
    expect((err as GatewayError).param).toBe('messages.1.content.1.arguments');
    expect((err as GatewayError).message).toContain(message);
  });

  it.each([
    [{ type: 'auto' } as const, undefined, { type: 'auto' }],
    [{ type: 'required' } as const, undefined, { type: 'any' }],
    [{ type: 'tool', name: 'get_weather' } as const, undefined, { type: 'tool', name: 'get_weather' }],
    [{ type: 'none' } as const, undefined, { type: 'none' }],
    [{ type: 'auto' } as const, false, { type: 'auto', disable_parallel_tool_use: true }],
    [{ type: 'required' } as const, false, { type: 'any', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
  ])('maps tool choice %j (parallel %s)', (toolChoice, parallel, expected) => {
    const body = convertToAnthropicRequest(
      request({
        tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
        ...(toolChoice === undefined ? {} : { toolChoice }),
        ...(parallel === undefined ? {} : { parallelToolCalls: parallel }),
      }),
      'm',
    );
    expect(body['tool_choice']).toEqual(expected);
  });

  it('drops tool choice when there are no tools', () => {
    expect(convertToAnthropicRequest(request({ toolChoice: { type: 'required' } }), 'm')).not.toHaveProperty('tool_choice');
  });

  describe('reasoning', () => {
    it('maps a budget, keeping the client max_tokens when it exceeds the budget', () => {
      const body = convertToAnthropicRequest(request({ reasoning: { budgetTokens: 2000 }, maxOutputTokens: 8000 }), 'm');
      expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 2000 });
      expect(body['max_tokens']).toBe(8000);
    });

    it('raises a budget below 1024 to 1024', () => {
      const body = convertToAnthropicRequest(request({ reasoning: { budgetTokens: 100 }, maxOutputTokens: 8000 }), 'm');
      expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 1024 });
    });

    it('raises max_tokens above the budget by the visible allowance', () => {
      expect(convertToAnthropicRequest(request({ reasoning: { budgetTokens: 10000 }, maxOutputTokens: 1000 }), 'm')['max_tokens']).toBe(11000);
      expect(convertToAnthropicRequest(request({ reasoning: { budgetTokens: 10000 } }), 'm')['max_tokens']).toBe(10000 + ANTHROPIC_DEFAULT_MAX_TOKENS);
      // Equal is not enough: Anthropic needs budget_tokens < max_tokens.
      expect(convertToAnthropicRequest(request({ reasoning: { budgetTokens: 4096 }, maxOutputTokens: 4096 }), 'm')['max_tokens']).toBe(8192);
    });

    it.each([
      ['minimal', 1024],
      ['low', 1024],
      ['medium', 4096],
      ['high', 16384],
    ] as const)('maps effort %s to budget %d', (effort, budget) => {
      const body = convertToAnthropicRequest(request({ reasoning: { effort }, maxOutputTokens: 32000 }), 'm');
      expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: budget });
    });

    it('sends no thinking when disabled, absent or budget 0', () => {
      for (const reasoning of [{ enabled: false, budgetTokens: 5000 }, { budgetTokens: 0 }, {}]) {
        expect(convertToAnthropicRequest(request({ reasoning }), 'm')).not.toHaveProperty('thinking');
      }
      expect(convertToAnthropicRequest(request(), 'm')).not.toHaveProperty('thinking');
    });

    it('drops temperature and top_k and raises top_p when thinking is on', () => {
      const body = convertToAnthropicRequest(request({ reasoning: { effort: 'low' }, temperature: 0.2, topK: 5, topP: 0.5 }), 'm');
      expect(body).not.toHaveProperty('temperature');
      expect(body).not.toHaveProperty('top_k');
      expect(body['top_p']).toBe(0.95);
    });

    it('leaves thinking off when a tool is forced', () => {
      const body = convertToAnthropicRequest(
        request({ reasoning: { effort: 'high' }, temperature: 0.2, tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: { type: 'required' } }),
        'm',
      );
      expect(body).not.toHaveProperty('thinking');
      expect(body['temperature']).toBe(0.2);
    });

    it('leaves thinking off when continuing a tool call that has no signed thinking', () => {
      const body = convertToAnthropicRequest(request({ messages: toolTurn, reasoning: { budgetTokens: 2048 } }), 'm');
      expect(body).not.toHaveProperty('thinking');
    });

    it('leaves thinking off for an assistant prefill without thinking, keeps it for a plain user turn', () => {
      const prefill = request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'List three colours as JSON' }] },
          { role: 'assistant', content: [{ type: 'text', text: '[' }] },
        ],
        reasoning: { budgetTokens: 2048 },
      });
      expect(convertToAnthropicRequest(prefill, 'm')).not.toHaveProperty('thinking');
      const answered = request({ messages: [...toolTurn.slice(0, 2), { role: 'user', content: [{ type: 'text', text: 'never mind' }] }], reasoning: { budgetTokens: 2048 } });
      expect(convertToAnthropicRequest(answered, 'm')).toHaveProperty('thinking');
    });

    it('keeps thinking when the tool call turn starts with signed thinking, sent back verbatim', () => {
      const [first, assistant, result] = toolTurn;
      const messages: ChatMessage[] = [
        first!,
        { role: 'assistant', content: [{ type: 'thinking', text: 'I should call the tool.', signature: 'EqQBsig' }, ...assistant!.content] },
        result!,
      ];
      const body = convertToAnthropicRequest(request({ messages, reasoning: { budgetTokens: 2048 } }), 'm');
      expect(body['thinking']).toEqual({ type: 'enabled', budget_tokens: 2048 });
      expect((body['messages'] as Array<{ content: unknown[] }>)[1]?.content[0]).toEqual({
        type: 'thinking',
        thinking: 'I should call the tool.',
        signature: 'EqQBsig',
      });
    });
  });

  describe("an Anthropic client's own settings (adaptive thinking, effort, context editing)", () => {
    it('sends adaptive thinking without a budget, and the effort as output_config', () => {
      const body = convertToAnthropicRequest(
        request({ format: 'anthropic', reasoning: { enabled: true, effort: 'high' }, anthropic: { adaptiveThinking: true, effort: 'max' }, maxOutputTokens: 2000, temperature: 0.3 }),
        'claude-opus-4-7',
      );
      expect(body['thinking']).toEqual({ type: 'adaptive' });
      expect(body['output_config']).toEqual({ effort: 'max' });
      expect(body['max_tokens']).toBe(2000);
      expect(body).not.toHaveProperty('temperature');
    });

    it('sends an effort alone as output_config, without turning thinking on', () => {
      const body = convertToAnthropicRequest(request({ format: 'anthropic', reasoning: { effort: 'low' }, anthropic: { effort: 'low' }, temperature: 0.3 }), 'm');
      expect(body['output_config']).toEqual({ effort: 'low' });
      expect(body).not.toHaveProperty('thinking');
      expect(body['temperature']).toBe(0.3);
      // A budget the client gave with it still turns thinking on.
      const both = convertToAnthropicRequest(request({ format: 'anthropic', reasoning: { enabled: true, budgetTokens: 2048, effort: 'low' }, anthropic: { effort: 'low' }, maxOutputTokens: 8000 }), 'm');
      expect(both['thinking']).toEqual({ type: 'enabled', budget_tokens: 2048 });
    });

    it('leaves adaptive thinking off where Anthropic refuses thinking, and when thinking was disabled', () => {
      const forced = convertToAnthropicRequest(
        request({ reasoning: { enabled: true }, anthropic: { adaptiveThinking: true }, tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: { type: 'required' } }),
        'm',
      );
      expect(forced).not.toHaveProperty('thinking');
      expect(convertToAnthropicRequest(request({ messages: toolTurn, reasoning: { enabled: true }, anthropic: { adaptiveThinking: true } }), 'm')).not.toHaveProperty('thinking');
      expect(convertToAnthropicRequest(request({ reasoning: { enabled: false }, anthropic: { adaptiveThinking: true } }), 'm')).not.toHaveProperty('thinking');
    });

    it('passes context_management through as sent', () => {
      const contextManagement = { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 30000 }, keep: { type: 'tool_uses', value: 3 } }] };
      expect(convertToAnthropicRequest(request({ anthropic: { contextManagement } }), 'm')['context_management']).toEqual(contextManagement);
      expect(convertToAnthropicRequest(request(), 'm')).not.toHaveProperty('context_management');
    });
  });

  it('puts cache_control breakpoints back on the blocks they came on', () => {
    const cc = { type: 'ephemeral' } as const;
    const hour = { type: 'ephemeral', ttl: '1h' } as const;
    const body = convertToAnthropicRequest(
      request({
        system: [{ type: 'text', text: 'Be brief.', cacheControl: hour }],
        tools: [{ name: 'get_weather', parameters: { type: 'object' }, cacheControl: cc }],
        messages: [
          { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, cacheControl: cc }, { type: 'text', text: 'Weather?', cacheControl: cc }] },
          { role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{}', cacheControl: cc }] },
          { role: 'user', content: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '15', cacheControl: cc }], cacheControl: cc }] },
        ],
      }),
      'm',
    );
    expect(body['system']).toEqual([{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
    expect((body['tools'] as unknown[])[0]).toMatchObject({ name: 'get_weather', cache_control: cc });
    const messages = body['messages'] as Array<{ content: Array<Record<string, unknown>> }>;
    expect(messages[0]?.content.map((b) => b['cache_control'])).toEqual([cc, cc]);
    expect(messages[1]?.content[0]).toMatchObject({ type: 'tool_use', cache_control: cc });
    expect(messages[2]?.content[0]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '15', cache_control: cc }], cache_control: cc });
    expect(convertToAnthropicRequest(request({ anthropic: { cacheControl: cc } }), 'm')['cache_control']).toEqual(cc);
    // Nothing is added where the client set no breakpoint.
    expect(JSON.stringify(convertToAnthropicRequest(request(), 'm'))).not.toContain('cache_control');
  });

  it('sends redacted thinking back and drops unsigned or foreign-signed thinking', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: '', redactedData: 'EmwKAhgB' },
              { type: 'thinking', text: 'unsigned summary' },
              { type: 'thinking', text: '', signature: 'gemini:abc' },
              { type: 'text', text: 'answer' },
            ],
          },
          { role: 'assistant', content: [{ type: 'thinking', text: 'only unsigned' }] },
          { role: 'user', content: [{ type: 'text', text: 'next' }] },
        ],
      }),
      'm',
    );
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'EmwKAhgB' }, { type: 'text', text: 'answer' }] },
      { role: 'user', content: [{ type: 'text', text: 'next' }] },
    ]);
  });
});
