import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../types/chat.js';
import { parseOpenAIChatRequest } from './parse-openai-chat-request.js';

const user = (content: unknown) => ({ role: 'user', content });

function expectInvalid(body: unknown, param: string | undefined, message?: RegExp, limits?: Parameters<typeof parseOpenAIChatRequest>[1]): void {
  let caught: unknown;
  try {
    parseOpenAIChatRequest(body, limits);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  const e = caught as GatewayError;
  expect(e.code).toBe('caller_invalid_request');
  expect(e.param).toBe(param);
  if (message !== undefined) expect(e.message).toMatch(message);
}

describe('parseOpenAIChatRequest: valid requests', () => {
  const cases: Array<{ name: string; body: Record<string, unknown>; expected: ChatRequest }> = [
    {
      name: 'minimal string content',
      body: { model: 'gpt-4o-mini', messages: [user('Hello')] },
      expected: { format: 'openai', model: 'gpt-4o-mini', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], stream: false },
    },
    {
      name: 'system and developer hoisted, blank system dropped',
      body: {
        model: 'auto',
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          { role: 'system', content: '   ' },
          user('hi'),
        ],
      },
      expected: {
        format: 'openai',
        model: 'auto',
        system: [
          { type: 'text', text: 'Be terse.' },
          { type: 'text', text: 'Use metric units.' },
        ],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        stream: false,
      },
    },
    {
      name: 'tool loop: tool_calls, tool messages merged with the next user turn',
      body: {
        model: 'auto',
        messages: [
          user('Weather in Paris and Rome?'),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24C' }] },
          user('Thanks. And Oslo?'),
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } }],
        tool_choice: 'auto',
        parallel_tool_calls: true,
      },
      expected: {
        format: 'openai',
        model: 'auto',
        system: [],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
              { type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: '18C' }] },
              { type: 'tool_result', toolCallId: 'call_2', content: [{ type: 'text', text: '24C' }] },
              { type: 'text', text: 'Thanks. And Oslo?' },
            ],
          },
        ],
        tools: [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'auto' },
        parallelToolCalls: true,
        stream: false,
      },
    },
    {
      name: 'images: data URL and https URL with detail',
      body: {
        model: 'auto',
        messages: [
          user([
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          ]),
        ],
      },
      expected: {
        format: 'openai',
        model: 'auto',
        system: [],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, detail: 'low' },
            ],
          },
        ],
        stream: false,
      },
    },
    {
      name: 'every sampling and streaming parameter',
      body: {
        model: 'openai/gpt-5',
        messages: [user('x')],
        max_completion_tokens: 500,
        max_tokens: 400,
        stream: true,
        stream_options: { include_usage: true },
        reasoning_effort: 'low',
        temperature: 0.7,
        top_p: 0.9,
        stop: 'END',
        seed: 42,
        user: 'u-1',
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        metadata: { team: 'search' },
        store: false,
        service_tier: 'auto',
        logit_bias: { '50256': -100 },
        n: 1,
        logprobs: false,
        modalities: ['text'],
        prompt_cache_key: 'abc',
      },
      expected: {
        format: 'openai',
        model: 'openai/gpt-5',
        system: [],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
        maxOutputTokens: 500,
        stream: true,
        includeUsage: true,
        reasoning: { effort: 'low' },
        temperature: 0.7,
        topP: 0.9,
        stop: ['END'],
        seed: 42,
        user: 'u-1',
        responseFormat: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
        frequencyPenalty: 0.5,
        presencePenalty: -0.5,
        metadata: { team: 'search' },
        logitBias: { '50256': -100 },
      },
    },
    {
      name: 'nulls mean "not given"; reasoning_effort none disables reasoning; named tool choice',
      body: {
        model: 'auto',
        messages: [user('x')],
        temperature: null,
        stop: null,
        reasoning_effort: 'none',
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
      },
      expected: {
        format: 'openai',
        model: 'auto',
        system: [],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
        tools: [{ name: 'f', parameters: { type: 'object', properties: {} } }],
        toolChoice: { type: 'tool', name: 'f' },
        reasoning: { enabled: false },
        stream: false,
      },
    },
    {
      name: 'assistant: empty message dropped, refusal part kept as text, consecutive users merged',
      body: {
        model: 'auto',
        messages: [user('a'), { role: 'assistant', content: '' }, user('b'), { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] }, user('c')],
      },
      expected: {
        format: 'openai',
        model: 'auto',
        system: [],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'No.' }] },
          { role: 'user', content: [{ type: 'text', text: 'c' }] },
        ],
        stream: false,
      },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(parseOpenAIChatRequest(c.body)).toStrictEqual(c.expected);
    });
  }

  it('does not mutate (deeply frozen input) and does not alias free-form JSON', () => {
    const params = { type: 'object', properties: { q: { type: 'string' } } };
    const body = deepFreeze({ model: 'auto', messages: [user('x')], tools: [{ type: 'function', function: { name: 'search', parameters: params } }] });
    const req = parseOpenAIChatRequest(body);
    expect(req.tools?.[0]?.parameters).toStrictEqual(params);
    expect(req.tools?.[0]?.parameters).not.toBe(params);
  });

  it('keeps a __proto__ key of a tool schema as data, not as a prototype', () => {
    const body: unknown = JSON.parse('{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"__proto__":{"polluted":true}}}}]}');
    const req = parseOpenAIChatRequest(body);
    const parameters = req.tools?.[0]?.parameters ?? {};
    expect(Object.keys(parameters)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseOpenAIChatRequest: invalid requests name the field', () => {
  it.each([
    ['non-object body', 'hello', undefined, /JSON object/],
    ['array body', [], undefined, /JSON object/],
    ['missing model', { messages: [user('x')] }, 'model', /required/],
    ['empty model', { model: ' ', messages: [user('x')] }, 'model', /non-empty/],
    ['missing messages', { model: 'm' }, 'messages', /required/],
    ['empty messages', { model: 'm', messages: [] }, 'messages', /at least one/],
    ['only system messages', { model: 'm', messages: [{ role: 'system', content: 'x' }] }, 'messages', /user, assistant or tool/],
    ['unknown top-level key', { model: 'm', messages: [user('x')], max_token: 5 }, 'max_token', /Unrecognized request argument 'max_token'/],
    ['unknown message key', { model: 'm', messages: [{ role: 'user', content: 'x', foo: 1 }] }, 'messages[0].foo', /Unrecognized/],
    ['unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', /expected one of/],
    ['legacy function role', { model: 'm', messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role', /legacy/],
    ['wrong content type', { model: 'm', messages: [user(5)] }, 'messages[0].content', /expected a string or an array of content parts, but got an integer/],
    ['empty user text', { model: 'm', messages: [user('')] }, 'messages[0].content', /non-whitespace/],
    ['blank user text part', { model: 'm', messages: [user([{ type: 'text', text: ' \n' }])] }, 'messages[0].content[0].text', /non-whitespace/],
    ['text part not a string', { model: 'm', messages: [user('a'), user([{ type: 'text', text: 7 }])] }, 'messages[1].content[0].text', /expected a string/],
    ['empty content array', { model: 'm', messages: [user([])] }, 'messages[0].content', /empty array/],
    ['input_audio part', { model: 'm', messages: [user([{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }])] }, 'messages[0].content[0].type', /Audio input/],
    ['file part', { model: 'm', messages: [user([{ type: 'file', file: { file_id: 'f' } }])] }, 'messages[0].content[0].type', /File input/],
    ['ftp image', { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }])] }, 'messages[0].content[0].image_url.url', /http\(s\)/],
    ['non-image data URL', { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'data:text/plain;base64,QQ==' } }])] }, 'messages[0].content[0].image_url.url', /image data URL/],
    ['bad base64', { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'data:image/png;base64,%%%' } }])] }, 'messages[0].content[0].image_url.url', /base64/],
    ['assistant without content or tool calls', { model: 'm', messages: [user('a'), { role: 'assistant' }] }, 'messages[1].content', /required unless/],
    ['tool result for unknown call', { model: 'm', messages: [user('a'), { role: 'tool', tool_call_id: 'nope', content: 'x' }] }, 'messages[1].tool_call_id', /matches no tool call/],
    [
      'duplicate tool call id',
      {
        model: 'm',
        messages: [user('a'), { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }, { id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }],
      },
      'messages[1].tool_calls[1].id',
      /Duplicate/,
    ],
    ['bad tool name', { model: 'm', messages: [user('a')], tools: [{ type: 'function', function: { name: 'a b' } }] }, 'tools[0].function.name', /tool names/],
    ['duplicate tool name', { model: 'm', messages: [user('a')], tools: [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'f' } }] }, 'tools[1].function.name', /Duplicate/],
    ['custom tool', { model: 'm', messages: [user('a')], tools: [{ type: 'custom', custom: { name: 'f' } }] }, 'tools[0].type', /Custom/],
    ['tool_choice names unknown tool', { model: 'm', messages: [user('a')], tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }, 'tool_choice.function.name', /not in 'tools'/],
    ['required without tools', { model: 'm', messages: [user('a')], tool_choice: 'required' }, 'tool_choice', /needs 'tools'/],
    ['n > 1', { model: 'm', messages: [user('a')], n: 2 }, 'n', /exactly one choice/],
    ['logprobs', { model: 'm', messages: [user('a')], logprobs: true }, 'logprobs', /not supported/],
    ['audio', { model: 'm', messages: [user('a')], audio: { voice: 'alloy', format: 'mp3' } }, 'audio', /not supported/],
    ['audio modality', { model: 'm', messages: [user('a')], modalities: ['text', 'audio'] }, 'modalities[1]', /'text'/],
    ['legacy functions', { model: 'm', messages: [user('a')], functions: [{ name: 'f' }] }, 'functions', /legacy/],
    ['temperature too high', { model: 'm', messages: [user('a')], temperature: 2.5 }, 'temperature', /between 0 and 2/],
    ['temperature Infinity', { model: 'm', messages: [user('a')], temperature: Infinity }, 'temperature', /finite/],
    ['fractional max_tokens', { model: 'm', messages: [user('a')], max_tokens: 1.5 }, 'max_tokens', /integer/],
    ['zero max_completion_tokens', { model: 'm', messages: [user('a')], max_completion_tokens: 0 }, 'max_completion_tokens', /at least 1/],
    ['stream_options without stream', { model: 'm', messages: [user('a')], stream_options: { include_usage: true } }, 'stream_options', /only allowed/],
    ['empty stop string', { model: 'm', messages: [user('a')], stop: ['x', ''] }, 'stop[1]', /empty/],
    ['bad reasoning_effort', { model: 'm', messages: [user('a')], reasoning_effort: 'max' }, 'reasoning_effort', /expected one of/],
    ['json_schema without schema object', { model: 'm', messages: [user('a')], response_format: { type: 'json_schema' } }, 'response_format.json_schema', /required/],
    ['metadata value not a string', { model: 'm', messages: [user('a')], metadata: { a: 1 } }, 'metadata.a', /string/],
    ['logit_bias non-numeric key', { model: 'm', messages: [user('a')], logit_bias: { abc: 1 } }, 'logit_bias.abc', /token ids/],
    ['lone surrogate in a text part', { model: 'm', messages: [user([{ type: 'text', text: 'ok' }, { type: 'text', text: 'bad \uDC00 text' }])] }, 'messages[0].content[1].text', /lone UTF-16 surrogate/],
    ['lone surrogate in tool arguments', { model: 'm', messages: [user('a'), { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '"\uD83D"' } }] }] }, 'messages[1].tool_calls[0].function.arguments', /surrogate/],
    ['lone surrogate in a tool schema', { model: 'm', messages: [user('a')], tools: [{ type: 'function', function: { name: 'f', parameters: { description: '\uD800' } } }] }, 'tools[0].function.parameters.description', /surrogate/],
  ])('%s', (_name, body, param, message) => {
    expectInvalid(body, param, message);
  });

  it('accepts a well-formed surrogate pair (emoji)', () => {
    expect(parseOpenAIChatRequest({ model: 'm', messages: [user('ok \uD83D\uDE00')] }).messages[0]?.content[0]).toStrictEqual({ type: 'text', text: 'ok 😀' });
  });

  it('enforces the request limits', () => {
    const messages = Array.from({ length: 11 }, () => user('x'));
    expectInvalid({ model: 'm', messages }, 'messages', /maximum is 10/, { maxMessages: 10 });
    expectInvalid({ model: 'm', messages: [user('a'.repeat(60)), user('b'.repeat(60))] }, 'messages[1].content', /too much text/, { maxTextChars: 100 });
    expectInvalid({ model: 'm', messages: [user('a')], max_tokens: 2000 }, 'max_tokens', /at most 1000/, { maxOutputTokens: 1000 });
    const tools = Array.from({ length: 3 }, (_, i) => ({ type: 'function', function: { name: `t${i}` } }));
    expectInvalid({ model: 'm', messages: [user('a')], tools }, 'tools', /maximum is 2/, { maxTools: 2 });
  });

  it('rejects megabytes of text with the default limits', () => {
    expectInvalid({ model: 'm', messages: [user('x'.repeat(4_000_001))] }, 'messages[0].content', /too much text/);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
