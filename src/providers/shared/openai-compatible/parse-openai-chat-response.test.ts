import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../openai/__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
const ctx = { provider: 'openai', model: 'gpt-4o-mini' };

describe('parseOpenAIChatResponse', () => {
  it('parses the documented text answer', () => {
    expect(parseOpenAIChatResponse(fixture('chat-completion.json'), ctx)).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4.1-2025-04-14',
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      stopReason: 'stop',
      usage: { inputTokens: 19, outputTokens: 10, cacheReadTokens: 0, reasoningTokens: 0 },
      created: 1741569952,
    });
  });

  it('parses tool calls and cached tokens', () => {
    const res = parseOpenAIChatResponse(fixture('chat-completion-tool-calls.json'), ctx);
    expect(res.content).toEqual([{ type: 'tool_call', id: 'call_abc123', name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' }]);
    expect(res.stopReason).toBe('tool_calls');
    expect(res.usage).toEqual({ inputTokens: 82, outputTokens: 17, cacheReadTokens: 64, reasoningTokens: 0 });
  });

  it('tolerates missing optional fields', () => {
    const res = parseOpenAIChatResponse({ choices: [{ message: { content: 'ok' } }] }, ctx);
    expect(res).toEqual({ id: '', model: 'gpt-4o-mini', content: [{ type: 'text', text: 'ok' }], stopReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('reads reasoning text and refusals', () => {
    const thought = parseOpenAIChatResponse({ choices: [{ message: { content: 'A', reasoning_content: 'because' }, finish_reason: 'length' }] }, ctx);
    expect(thought.content).toEqual([
      { type: 'thinking', text: 'because' },
      { type: 'text', text: 'A' },
    ]);
    expect(thought.stopReason).toBe('length');
    const refusal = parseOpenAIChatResponse({ choices: [{ message: { content: null, refusal: "I can't help with that." }, finish_reason: 'stop' }] }, ctx);
    expect(refusal.content).toEqual([{ type: 'text', text: "I can't help with that." }]);
    expect(refusal.stopReason).toBe('refusal');
  });

  it('rejects garbage as provider_bad_response', () => {
    for (const garbage of [null, 'text', {}, { choices: [] }, { choices: [{ nope: 1 }] }, { choices: [{ message: { tool_calls: [{ function: {} }] } }] }]) {
      expect(() => parseOpenAIChatResponse(garbage, ctx)).toThrow(expect.objectContaining({ code: 'provider_bad_response', provider: 'openai' }));
    }
  });

  it('classifies a 200 that carries an error object', () => {
    expect(() => parseOpenAIChatResponse({ error: { code: 502, message: 'upstream down' } }, ctx)).toThrow(expect.objectContaining({ code: 'provider_server_error' }));
  });
});
