import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import { parseAnthropicCountTokensRequest, parseAnthropicMessagesRequest } from './parse-anthropic-messages-request.js';

const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });
const base = { model: 'claude-sonnet-4-5', max_tokens: 1024 };

function expectInvalid(body: unknown, param: string | undefined, message?: RegExp): void {
  let caught: unknown;
  try {
    parseAnthropicMessagesRequest(body);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  const e = caught as GatewayError;
  expect(e.code).toBe('caller_invalid_request');
  expect(e.param).toBe(param);
  if (message !== undefined) expect(e.message).toMatch(message);
}

describe('parseAnthropicMessagesRequest: valid requests', () => {
  const cases: Array<{ name: string; body: Record<string, unknown>; expected: ChatRequest }> = [
    {
      name: 'minimal',
      body: { ...base, messages: [user('Hello')] },
      expected: {
        format: 'anthropic',
        model: 'claude-sonnet-4-5',
        system: [],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
        stream: false,
        maxOutputTokens: 1024,
      },
    },
    {
      name: 'system blocks with cache_control; thinking; sampling; metadata',
      body: {
        ...base,
        max_tokens: 4096,
        system: [
          { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be brief.' },
        ],
        messages: [user([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }])],
        thinking: { type: 'enabled', budget_tokens: 2048 },
        temperature: 1,
        top_p: 0.95,
        top_k: 40,
        stop_sequences: ['\n\nHuman:'],
        stream: true,
        metadata: { user_id: 'user-123' },
        service_tier: 'auto',
      },
      expected: {
        format: 'anthropic',
        model: 'claude-sonnet-4-5',
        system: [
          { type: 'text', text: 'You are Claude Code.', cacheControl: { type: 'ephemeral' } },
          { type: 'text', text: 'Be brief.' },
        ],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cacheControl: { type: 'ephemeral', ttl: '1h' } }] }],
        stream: true,
        maxOutputTokens: 4096,
        reasoning: { enabled: true, budgetTokens: 2048 },
        temperature: 1,
        topP: 0.95,
        topK: 40,
        stop: ['\n\nHuman:'],
        user: 'user-123',
      },
    },
    {
      name: 'tool loop with thinking, redacted thinking, tool_result blocks and is_error',
      body: {
        ...base,
        messages: [
          user('List files'),
          assistant([
            { type: 'thinking', thinking: 'I should call ls.', signature: 'EqQBCkYIARgCIkA' },
            { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
            { type: 'text', text: 'Listing.' },
            { type: 'tool_use', id: 'toolu_01', name: 'ls', input: { path: '.' } },
          ]),
          user([
            { type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'text', text: 'a.txt' }, { type: 'image', source: { type: 'url', url: 'https://x.test/s.png' } }] },
            { type: 'tool_result', tool_use_id: 'toolu_01', content: 'permission denied', is_error: true },
          ]),
          user('continue'),
        ],
        tools: [{ name: 'ls', description: 'List a directory', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
      },
      expected: {
        format: 'anthropic',
        model: 'claude-sonnet-4-5',
        system: [],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'List files' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'I should call ls.', signature: 'EqQBCkYIARgCIkA' },
              { type: 'thinking', text: '', redactedData: 'EmwKAhgBEgy3va3pzix' },
              { type: 'text', text: 'Listing.' },
              { type: 'tool_call', id: 'toolu_01', name: 'ls', arguments: '{"path":"."}' },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                toolCallId: 'toolu_01',
                content: [
                  { type: 'text', text: 'a.txt' },
                  { type: 'image', source: { kind: 'url', url: 'https://x.test/s.png' } },
                ],
              },
              { type: 'tool_result', toolCallId: 'toolu_01', content: [{ type: 'text', text: 'permission denied' }], isError: true },
              { type: 'text', text: 'continue' },
            ],
          },
        ],
        tools: [{ name: 'ls', description: 'List a directory', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
        stream: false,
        maxOutputTokens: 1024,
      },
    },
    {
      name: 'base64 image, system string, thinking disabled, tool choice by name, prefill',
      body: {
        ...base,
        system: 'Describe images.',
        messages: [user([{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } }, { type: 'text', text: 'What is this?' }]), assistant('It is')],
        thinking: { type: 'disabled' },
        tools: [{ type: 'custom', name: 'describe', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'describe' },
      },
      expected: {
        format: 'anthropic',
        model: 'claude-sonnet-4-5',
        system: [{ type: 'text', text: 'Describe images.' }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' } },
              { type: 'text', text: 'What is this?' },
            ],
          },
          { role: 'assistant', content: [{ type: 'text', text: 'It is' }] },
        ],
        tools: [{ name: 'describe', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'describe' },
        reasoning: { enabled: false },
        stream: false,
        maxOutputTokens: 1024,
      },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(parseAnthropicMessagesRequest(c.body)).toStrictEqual(c.expected);
    });
  }
});

describe('parseAnthropicMessagesRequest: invalid requests name the field', () => {
  it.each([
    ['missing max_tokens', { model: 'm', messages: [user('x')] }, 'max_tokens', /required/],
    ['missing model', { max_tokens: 10, messages: [user('x')] }, 'model', /required/],
    ['unknown key', { ...base, messages: [user('x')], mcp_servers: [] }, 'mcp_servers', /Unrecognized/],
    ['system role in messages', { ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role', /expected one of 'user', 'assistant'/],
    ['empty user string', { ...base, messages: [user('')] }, 'messages[0].content', /non-whitespace/],
    ['blank user text block', { ...base, messages: [user([{ type: 'text', text: '  ' }])] }, 'messages[0].content[0].text', /non-whitespace/],
    ['empty system block', { ...base, system: [{ type: 'text', text: '' }], messages: [user('x')] }, 'system[0].text', /non-empty/],
    ['document block', { ...base, messages: [user([{ type: 'document', source: { type: 'text', data: 'x' } }])] }, 'messages[0].content[0].type', /Document blocks/],
    ['tool_use in a user turn', { ...base, messages: [user([{ type: 'tool_use', id: 't', name: 'f', input: {} }])] }, 'messages[0].content[0].type', /expected one of 'text', 'image', 'tool_result'/],
    ['image in an assistant turn', { ...base, messages: [user('x'), assistant([{ type: 'image', source: {} }])] }, 'messages[1].content[0].type', /expected one of/],
    ['tool_use input not an object', { ...base, messages: [user('x'), assistant([{ type: 'tool_use', id: 't', name: 'f', input: '{}' }])] }, 'messages[1].content[0].input', /expected an object/],
    ['tool_result for unknown id', { ...base, messages: [user([{ type: 'tool_result', tool_use_id: 'nope' }])] }, 'messages[0].content[0].tool_use_id', /matches no tool_use/],
    ['unsupported image media type', { ...base, messages: [user([{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AA==' } }])] }, 'messages[0].content[0].source.media_type', /expected one of/],
    ['file image source', { ...base, messages: [user([{ type: 'image', source: { type: 'file', file_id: 'f' } }])] }, 'messages[0].content[0].source.type', /Files API/],
    ['server tool', { ...base, messages: [user('x')], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type', /Server tool 'web_search_20250305'/],
    ['tool without input_schema', { ...base, messages: [user('x')], tools: [{ name: 'f' }] }, 'tools[0].input_schema', /required/],
    ['input_schema not an object schema', { ...base, messages: [user('x')], tools: [{ name: 'f', input_schema: { type: 'string' } }] }, 'tools[0].input_schema.type', /'object'/],
    ['thinking budget below 1024', { ...base, max_tokens: 4000, messages: [user('x')], thinking: { type: 'enabled', budget_tokens: 1000 } }, 'thinking.budget_tokens', /at least 1024/],
    ['thinking budget not below max_tokens', { ...base, max_tokens: 2000, messages: [user('x')], thinking: { type: 'enabled', budget_tokens: 2000 } }, 'thinking.budget_tokens', /less than 'max_tokens'/],
    ['thinking type unknown', { ...base, messages: [user('x')], thinking: { type: 'on' } }, 'thinking.type', /expected one of/],
    ['temperature above 1', { ...base, messages: [user('x')], temperature: 1.5 }, 'temperature', /between 0 and 1/],
    ['stop_sequences as a string', { ...base, messages: [user('x')], stop_sequences: 'x' }, 'stop_sequences', /expected an array/],
    ['tool_choice any without tools', { ...base, messages: [user('x')], tool_choice: { type: 'any' } }, 'tool_choice', /needs 'tools'/],
    ['metadata with unknown key', { ...base, messages: [user('x')], metadata: { session: 'x' } }, 'metadata.session', /Unrecognized/],
    ['lone surrogate in thinking', { ...base, messages: [user('x'), assistant([{ type: 'thinking', thinking: '\uDBFFx', signature: 's' }])] }, 'messages[1].content[0].thinking', /surrogate/],
    ['NaN top_p', { ...base, messages: [user('x')], top_p: NaN }, 'top_p', /finite/],
  ])('%s', (_name, body, param, message) => {
    expectInvalid(body, param, message);
  });
});

describe('parseAnthropicCountTokensRequest', () => {
  const prompt = { model: 'claude-haiku-4-5', system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'any' } };

  it('reads the prompt exactly as a messages request does, without output settings', () => {
    const counted = parseAnthropicCountTokensRequest(prompt);
    const { maxOutputTokens, ...sent } = parseAnthropicMessagesRequest({ ...prompt, max_tokens: 100 });
    expect(maxOutputTokens).toBe(100);
    expect(counted).toEqual(sent);
    expect('maxOutputTokens' in counted).toBe(false);
  });

  it('accepts a thinking budget with no max_tokens to compare it with, but not one below the minimum', () => {
    expect(parseAnthropicCountTokensRequest({ ...prompt, tool_choice: undefined, thinking: { type: 'enabled', budget_tokens: 50_000 } }).reasoning).toEqual({ enabled: true, budgetTokens: 50_000 });
    expect(() => parseAnthropicCountTokensRequest({ ...prompt, thinking: { type: 'enabled', budget_tokens: 100 } })).toThrow(/budget_tokens/);
  });

  it.each(['max_tokens', 'stream', 'temperature', 'stop_sequences', 'metadata'])('refuses the output setting %s', (key) => {
    let caught: unknown;
    try {
      parseAnthropicCountTokensRequest({ ...prompt, [key]: key === 'stream' ? false : key === 'metadata' ? {} : key === 'stop_sequences' ? [] : 1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('caller_invalid_request');
    expect((caught as GatewayError).message).toContain(key);
  });
});

describe('parseAnthropicMessagesRequest: what Claude Code sends beyond the basics', () => {
  const body = { ...base, messages: [user('hi')] };

  it('reads adaptive thinking and output_config.effort into both the neutral reasoning and the Anthropic extras', () => {
    const adaptive = parseAnthropicMessagesRequest({ ...body, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(adaptive.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(adaptive.anthropic).toEqual({ adaptiveThinking: true, effort: 'max' });
    const effortOnly = parseAnthropicMessagesRequest({ ...body, output_config: { effort: 'low' } });
    expect(effortOnly.reasoning).toEqual({ effort: 'low' });
    expect(effortOnly.anthropic).toEqual({ effort: 'low' });
    expect(parseAnthropicMessagesRequest(body).anthropic).toBeUndefined();
  });

  it('keeps context_management as sent', () => {
    const cm = { edits: [{ type: 'clear_thinking_20251015', keep: { type: 'thinking_turns', value: 2 } }, { type: 'clear_tool_uses_20250919' }] };
    expect(parseAnthropicMessagesRequest({ ...body, context_management: cm }).anthropic).toEqual({ contextManagement: cm });
  });

  it.each([
    ['adaptive thinking with a budget', { ...body, thinking: { type: 'adaptive', budget_tokens: 2048 } }, 'thinking.budget_tokens', /Unrecognized|unknown|not/i],
    ['an unknown thinking type', { ...body, thinking: { type: 'auto' } }, 'thinking.type', /adaptive/],
    ['an unknown effort', { ...body, output_config: { effort: 'extreme' } }, 'output_config.effort', /max/],
    ['an unknown output_config key', { ...body, output_config: { effort: 'low', verbosity: 'high' } }, 'output_config.verbosity', undefined],
    ['a context_management that is not an object', { ...body, context_management: [] }, 'context_management', undefined],
    ['an unknown context_management key', { ...body, context_management: { enabled: true } }, 'context_management.enabled', undefined],
    ['an edit without a type', { ...body, context_management: { edits: [{ keep: 1 }] } }, 'context_management.edits[0].type', undefined],
  ])('refuses %s', (_name, bad, param, message) => {
    expectInvalid(bad, param, message);
  });
});

describe('parseAnthropicMessagesRequest: prompt-cache breakpoints', () => {
  it('keeps cache_control on every kind of block that carries one', () => {
    const cc = { type: 'ephemeral' };
    const req = parseAnthropicMessagesRequest({
      ...base,
      tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: cc }],
      messages: [
        user([{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' }, cache_control: cc }, { type: 'text', text: 'look' }]),
        assistant([{ type: 'tool_use', id: 't1', name: 'f', input: {}, cache_control: cc }]),
        user([{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'done', cache_control: { type: 'ephemeral', ttl: '5m' } }], cache_control: cc }]),
      ],
    });
    expect(req.tools?.[0]?.cacheControl).toEqual(cc);
    expect(req.messages[0]?.content.map((p) => ('cacheControl' in p ? p.cacheControl : undefined))).toEqual([cc, undefined]);
    expect(req.messages[1]?.content[0]).toMatchObject({ type: 'tool_call', cacheControl: cc });
    expect(req.messages[2]?.content[0]).toMatchObject({ type: 'tool_result', cacheControl: cc, content: [{ type: 'text', text: 'done', cacheControl: { type: 'ephemeral', ttl: '5m' } }] });
  });

  it('keeps a request-level cache_control (automatic breakpoint placement)', () => {
    expect(parseAnthropicMessagesRequest({ ...base, messages: [user('hi')], cache_control: { type: 'ephemeral', ttl: '1h' } }).anthropic).toEqual({ cacheControl: { type: 'ephemeral', ttl: '1h' } });
    expectInvalid({ ...base, messages: [user('hi')], cache_control: { type: 'ephemeral', ttl: '1d' } }, 'cache_control.ttl');
  });

  it.each([
    ['an unknown type', { type: 'persistent' }, 'messages[0].content[0].cache_control.type'],
    ['an unknown ttl', { type: 'ephemeral', ttl: '2h' }, 'messages[0].content[0].cache_control.ttl'],
    ['an unknown key', { type: 'ephemeral', scope: 'global' }, 'messages[0].content[0].cache_control.scope'],
    ['a string', 'ephemeral', 'messages[0].content[0].cache_control'],
  ])('refuses a cache_control with %s', (_name, cacheControl, param) => {
    expectInvalid({ ...base, messages: [user([{ type: 'text', text: 'hi', cache_control: cacheControl }])] }, param);
  });
});
