import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatMessage, ChatRequest } from '../../types/chat.js';
import { convertToGeminiRequest, GEMINI_SKIP_SIGNATURE, geminiMajorVersion } from './convert-to-gemini-request.js';
import { parseGeminiResponse } from './parse-gemini-response.js';

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

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a throw');
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { $schema: 'x', type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false },
};

describe('convertToGeminiRequest', () => {
  it('maps system, roles, sampling and stop sequences', () => {
    const body = convertToGeminiRequest(
      request({
        system: [{ type: 'text', text: 'You are a cat.' }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Meow' }] },
          { role: 'user', content: [{ type: 'text', text: 'Again' }] },
          { role: 'user', content: [{ type: 'text', text: 'and again' }] },
        ],
        maxOutputTokens: 800,
        temperature: 1,
        topP: 0.8,
        topK: 10,
        stop: ['Title'],
        seed: 7,
        presencePenalty: 0.5,
      }),
      'gemini-2.5-flash',
    );
    expect(body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hello' }] },
        { role: 'model', parts: [{ text: 'Meow' }] },
        { role: 'user', parts: [{ text: 'Again' }, { text: 'and again' }] },
      ],
      systemInstruction: { parts: [{ text: 'You are a cat.' }] },
      generationConfig: { maxOutputTokens: 800, temperature: 1, topP: 0.8, topK: 10, stopSequences: ['Title'], seed: 7 },
    });
  });

  it('sends no generationConfig when nothing is set', () => {
    expect(convertToGeminiRequest(request(), 'gemini-2.5-flash')).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] });
  });

  it('maps images to inlineData and fileData', () => {
    const body = convertToGeminiRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
              { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGR' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/a/cat.PNG?size=2' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/render' } },
            ],
          },
        ],
      }),
      'gemini-2.5-flash',
    );
    expect((body['contents'] as Array<{ parts: unknown[] }>)[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGR' } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/a/cat.PNG?size=2' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
    ]);
  });

  it('maps tools, tool calls and tool results (name looked up from the call)', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
          { type: 'tool_call', id: 'call_2', name: 'get_time', arguments: '' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":21,"unit":"C"}' }] },
          {
            type: 'tool_result',
            toolCallId: 'call_2',
            content: [
              { type: 'text', text: '10:00' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
            ],
          },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_1', isError: true, content: [{ type: 'text', text: 'boom' }] }] },
    ];
    const body = convertToGeminiRequest(request({ messages, tools: [weatherTool, { name: 'get_time', parameters: { type: 'object', properties: {} } }] }), 'gemini-2.5-flash');
    expect(body['contents']).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'get_weather', args: { location: 'Paris' } } }, { functionCall: { name: 'get_time', args: {} } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21, unit: 'C' } } },
          { functionResponse: { name: 'get_time', response: { content: '10:00' } } },
          { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
          { functionResponse: { name: 'get_weather', response: { error: 'boom' } } },
        ],
      },
    ]);
    expect(body['tools']).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          },
          { name: 'get_time' },
        ],
      },
    ]);
    expect(body).not.toHaveProperty('toolConfig');
  });

  it('resolves repeated tool-call ids to the nearest earlier call', () => {
    const messages: ChatMessage[] = [
      { role: 'assistant', content: [{ type: 'tool_call', id: 'call_0', name: 'first', arguments: '{}' }] },
      { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_0', content: [{ type: 'text', text: 'a' }] }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'call_0', name: 'second', arguments: '{}' }] },
      { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_0', content: [{ type: 'text', text: 'b' }] }] },
    ];
    const contents = convertToGeminiRequest(request({ messages }), 'gemini-2.5-flash')['contents'] as Array<{ parts: Array<Record<string, { name: string }>> }>;
    expect(contents[1]?.parts[0]?.['functionResponse']?.name).toBe('first');
    expect(contents[3]?.parts[0]?.['functionResponse']?.name).toBe('second');
  });

  it('rejects a tool result with no matching call, and invalid call arguments', () => {
    const orphan = thrown(() =>
      convertToGeminiRequest(request({ messages: [{ role: 'user', content: [{ type: 'tool_result', toolCallId: 'nope', content: [] }] }] }), 'gemini-2.5-flash'),
    );
    expect(orphan.code).toBe('caller_invalid_request');
    expect(orphan.param).toBe('messages.0.content.0.toolCallId');
    const badArgs = thrown(() =>
      convertToGeminiRequest(request({ messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '{"a":' }] }] }), 'gemini-2.5-flash'),
    );
    expect(badArgs.code).toBe('caller_invalid_request');
    expect(badArgs.param).toBe('messages.0.content.0.arguments');
  });

  it.each([
    [{ type: 'auto' } as const, { mode: 'AUTO' }],
    [{ type: 'none' } as const, { mode: 'NONE' }],
    [{ type: 'required' } as const, { mode: 'ANY' }],
    [{ type: 'tool', name: 'get_weather' } as const, { mode: 'ANY', allowedFunctionNames: ['get_weather'] }],
  ])('maps tool choice %j', (toolChoice, expected) => {
    const body = convertToGeminiRequest(request({ tools: [weatherTool], toolChoice }), 'gemini-2.5-flash');
    expect(body['toolConfig']).toEqual({ functionCallingConfig: expected });
  });

  describe('reasoning', () => {
    it('passes a budget through with includeThoughts', () => {
      const body = convertToGeminiRequest(request({ reasoning: { budgetTokens: 2048 } }), 'gemini-2.5-pro');
      expect(body['generationConfig']).toEqual({ thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } });
    });

    it('passes budget 0 (thinking off) without includeThoughts', () => {
      const body = convertToGeminiRequest(request({ reasoning: { budgetTokens: 0 } }), 'gemini-2.5-flash');
      expect(body['generationConfig']).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
    });

    it.each([
      ['minimal', 512],
      ['low', 1024],
      ['medium', 4096],
      ['high', 16384],
    ] as const)('maps effort %s to budget %d on Gemini 2.5', (effort, budget) => {
      const body = convertToGeminiRequest(request({ reasoning: { effort } }), 'gemini-2.5-flash');
      expect(body['generationConfig']).toEqual({ thinkingConfig: { thinkingBudget: budget, includeThoughts: true } });
    });

    it.each([
      ['minimal', 'low'],
      ['medium', 'high'],
    ] as const)('maps effort %s to thinkingLevel %s on Gemini 3', (effort, level) => {
      const body = convertToGeminiRequest(request({ reasoning: { effort } }), 'gemini-3-pro-preview');
      expect(body['generationConfig']).toEqual({ thinkingConfig: { thinkingLevel: level, includeThoughts: true } });
    });

    it('sends only includeThoughts for enabled, and nothing for disabled without a budget', () => {
      expect(convertToGeminiRequest(request({ reasoning: { enabled: true } }), 'gemini-2.5-flash')['generationConfig']).toEqual({
        thinkingConfig: { includeThoughts: true },
      });
      expect(convertToGeminiRequest(request({ reasoning: { enabled: false, effort: 'high' } }), 'gemini-2.5-flash')).not.toHaveProperty('generationConfig');
    });
  });

  it('maps response formats to JSON mode with a converted schema', () => {
    expect(convertToGeminiRequest(request({ responseFormat: { type: 'json_object' } }), 'g')['generationConfig']).toEqual({
      responseMimeType: 'application/json',
    });
    const body = convertToGeminiRequest(
      request({
        responseFormat: {
          type: 'json_schema',
          json_schema: { name: 'r', strict: true, schema: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false } },
        },
      }),
      'g',
    );
    expect(body['generationConfig']).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { n: { type: 'integer' } } },
    });
    expect(convertToGeminiRequest(request({ responseFormat: { type: 'text' } }), 'g')).not.toHaveProperty('generationConfig');
  });

  describe('thought signatures', () => {
    it('round-trips signatures from a parsed Gemini 3 response back onto the same parts', () => {
      const parsed = parseGeminiResponse({
        responseId: 'r1',
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { text: 'thinking...', thought: true, thoughtSignature: 'T1' },
                { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'S1' },
                { functionCall: { name: 'f', args: { a: 2 } } },
                { text: '', thoughtSignature: 'TAIL' },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      });
      const body = convertToGeminiRequest(
        request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'go' }] }, { role: 'assistant', content: parsed.content }] }),
        'gemini-3-pro-preview',
      );
      expect((body['contents'] as unknown[])[1]).toEqual({
        role: 'model',
        parts: [
          { text: 'thinking...', thought: true, thoughtSignature: 'T1' },
          { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'S1' },
          { functionCall: { name: 'f', args: { a: 2 } } },
          { text: '', thoughtSignature: 'TAIL' },
        ],
      });
    });

    it('puts the documented placeholder on unsigned Gemini 3 calls only', () => {
      const history: ChatMessage[] = [
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'unsigned', signature: 'EqQBanthropic' },
            { type: 'tool_call', id: 'a', name: 'f', arguments: '{}' },
            { type: 'tool_call', id: 'b', name: 'f', arguments: '{}' },
          ],
        },
      ];
      const g3 = convertToGeminiRequest(request({ messages: history }), 'gemini-3-flash-preview')['contents'] as Array<{ parts: unknown[] }>;
      expect(g3[1]?.parts).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: GEMINI_SKIP_SIGNATURE },
        { functionCall: { name: 'f', args: {} } },
      ]);
      const g25 = convertToGeminiRequest(request({ messages: history }), 'gemini-2.5-flash')['contents'] as Array<{ parts: unknown[] }>;
      expect(g25[1]?.parts).toEqual([{ functionCall: { name: 'f', args: {} } }, { functionCall: { name: 'f', args: {} } }]);
    });
  });

  it('reads the major version out of model ids', () => {
    expect(geminiMajorVersion('gemini-2.5-flash')).toBe(2);
    expect(geminiMajorVersion('models/gemini-3-pro-preview')).toBe(3);
    expect(geminiMajorVersion('learnlm-2.0')).toBe(0);
  });
});
