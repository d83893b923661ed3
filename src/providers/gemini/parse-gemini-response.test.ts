import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../errors/gateway-error.js';
import { mapGeminiFinishReason, parseGeminiResponse } from './parse-gemini-response.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
}

describe('parseGeminiResponse', () => {
  it('parses text (merging split parts) and usage with thoughts and cache', () => {
    expect(parseGeminiResponse(fixture('generate-text.json'), { id: 'fallback', model: 'fallback-model' })).toEqual({
      id: 'mAitaLmkHPPlz7IPvtfUqQ4',
      model: 'gemini-2.5-flash',
      content: [{ type: 'text', text: 'AI learns patterns from data to make predictions.' }],
      stopReason: 'stop',
      usage: { inputTokens: 8, outputTokens: 1012, cacheReadTokens: 4, reasoningTokens: 1000 },
    });
  });

  it('parses parallel function calls with generated ids, the signature before its call, and STOP -> tool_calls', () => {
    const res = parseGeminiResponse(fixture('generate-function-call.json'));
    expect(res.stopReason).toBe('tool_calls');
    expect(res.content).toEqual([
      { type: 'thinking', text: '', signature: 'gemini:CiQBcsjafJ1mfPfSig1' },
      { type: 'tool_call', id: 'call_Il0taoSYJ5Cez7abc_0', name: 'get_current_temperature', arguments: '{"location":"Paris"}' },
      { type: 'tool_call', id: 'call_Il0taoSYJ5Cez7abc_1', name: 'get_current_temperature', arguments: '{"location":"London"}' },
    ]);
    expect(res.usage).toEqual({ inputTokens: 60, outputTokens: 70, reasoningTokens: 50 });
  });

  it('keeps a function call id Gemini provides, and numbers calls without a response id', () => {
    const res = parseGeminiResponse({
      candidates: [{ content: { parts: [{ functionCall: { id: 'fc-9', name: 'a', args: {} } }, { functionCall: { name: 'b' } }] } }],
    });
    expect(res.content).toEqual([
      { type: 'tool_call', id: 'fc-9', name: 'a', arguments: '{}' },
      { type: 'tool_call', id: 'call_1', name: 'b', arguments: '{}' },
    ]);
    expect(res.id).toBe('');
  });

  it('parses thought parts as thinking, using fallbacks for a missing response id', () => {
    const res = parseGeminiResponse(fixture('generate-thinking.json'), { id: 'gemini-x', model: 'ignored' });
    expect(res.id).toBe('gemini-x');
    expect(res.model).toBe('gemini-2.5-pro');
    expect(res.stopReason).toBe('length');
    expect(res.content).toEqual([
      { type: 'thinking', text: '**Analyzing the riddle**\n\nThe answer depends on counting legs.' },
      { type: 'thinking', text: '', signature: 'gemini:EjQKMgEMsig2' },
      { type: 'text', text: 'The answer is 6.' },
    ]);
    expect(res.usage).toEqual({ inputTokens: 20, outputTokens: 305, reasoningTokens: 300 });
  });

  it('returns empty content_filter for a blocked prompt', () => {
    expect(parseGeminiResponse(fixture('generate-blocked.json'))).toEqual({
      id: 'blocked1',
      model: 'gemini-2.5-flash',
      content: [],
      stopReason: 'content_filter',
      usage: { inputTokens: 9, outputTokens: 0 },
    });
  });

  it('handles a candidate stopped by safety with no content', () => {
    const res = parseGeminiResponse({ candidates: [{ finishReason: 'SAFETY', safetyRatings: [] }] });
    expect(res.content).toEqual([]);
    expect(res.stopReason).toBe('content_filter');
  });

  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    [undefined, false, 'stop'],
    ['FINISH_REASON_UNSPECIFIED', false, 'stop'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['IMAGE_SAFETY', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'error'],
    ['UNEXPECTED_TOOL_CALL', false, 'error'],
    ['LANGUAGE', false, 'error'],
    ['OTHER', false, 'error'],
  ] as const)('maps finishReason %s (tool calls: %s) to %s', (reason, calls, expected) => {
    expect(mapGeminiFinishReason(reason, calls)).toBe(expected);
  });

  it.each([null, [], 'x', {}, { candidates: [] }])('rejects %j as provider_bad_response', (body) => {
    let err: unknown;
    try {
      parseGeminiResponse(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('provider_bad_response');
  });
});
