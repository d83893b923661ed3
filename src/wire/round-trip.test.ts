import { describe, expect, it } from 'vitest';
import { parseAnthropicMessagesRequest } from '../request/parse-anthropic-messages-request.js';
import { parseOpenAIChatRequest } from '../request/parse-openai-chat-request.js';
import type { ChatResponse } from '../types/chat.js';
import type { StreamPart } from '../types/stream-part.js';
import { createAnthropicStreamEncoder } from './anthropic-stream-encoder.js';
import { createOpenAIStreamEncoder } from './openai-stream-encoder.js';
import { toAnthropicMessage } from './to-anthropic-message.js';
import { toOpenAIChatCompletion } from './to-openai-chat-completion.js';

/**
 * A full client exchange in each dialect: the client's request JSON is parsed, the answer is written
 * in the client's dialect (whole or streamed), the client appends it to its history as its SDK
 * would, answers the tool call, and sends the next request. The second parse must see exactly the
 * assistant turn the gateway produced.
 */

const RESPONSE: ChatResponse = {
  id: 'resp_1',
  model: 'provider-model',
  content: [
    { type: 'thinking', text: 'The user wants the weather.', signature: 'c2lnbmF0dXJl' },
    { type: 'text', text: 'Let me look that up.\n' },
    { type: 'tool_call', id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
  ],
  stopReason: 'tool_calls',
  usage: { inputTokens: 80, outputTokens: 30, cacheReadTokens: 64, reasoningTokens: 9 },
};

/** The same answer as a provider stream, with fragments split at awkward places. */
const STREAM: StreamPart[] = [
  { type: 'start', id: 'resp_1', model: 'provider-model', usage: { inputTokens: 80, cacheReadTokens: 64 } },
  { type: 'thinking-delta', text: 'The user wants ' },
  { type: 'thinking-delta', text: 'the weather.' },
  { type: 'thinking-signature', signature: 'c2lnbmF0dXJl' },
  { type: 'text-delta', text: 'Let me look' },
  { type: 'text-delta', text: ' that up.\n' },
  { type: 'tool-call-start', index: 0, id: 'call_abc', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Pa' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: 'ris","unit":"c"}' },
  { type: 'finish', stopReason: 'tool_calls', usage: RESPONSE.usage },
];

/** Splits SSE text into `{event, data}` frames (our encoders never emit multi-line data). */
function sseFrames(text: string): Array<{ event: string | undefined; data: string }> {
  return text
    .split('\n\n')
    .filter((f) => f !== '')
    .map((frame) => {
      let event: string | undefined;
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      return { event, data };
    });
}

/** What the OpenAI SDK's stream helper accumulates into `choices[0].message`. */
function accumulateOpenAI(sse: string): Record<string, unknown> {
  const message: { role: string; content: string | null; tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }> } = {
    role: 'assistant',
    content: null,
  };
  const frames = sseFrames(sse);
  expect(frames.at(-1)?.data).toBe('[DONE]');
  for (const { data } of frames.slice(0, -1)) {
    const chunk = JSON.parse(data) as { choices: Array<{ delta: { content?: string; tool_calls?: Array<{ index: number; id?: string; function: { name?: string; arguments: string } }> } }> };
    const delta = chunk.choices[0]?.delta;
    if (delta === undefined) continue;
    if (delta.content !== undefined) message.content = (message.content ?? '') + delta.content;
    for (const tc of delta.tool_calls ?? []) {
      message.tool_calls ??= [];
      const existing = message.tool_calls[tc.index];
      if (existing === undefined) message.tool_calls[tc.index] = { id: tc.id ?? '', type: 'function', function: { name: tc.function.name ?? '', arguments: tc.function.arguments } };
      else existing.function.arguments += tc.function.arguments;
    }
  }
  if (message.content === '') message.content = null;
  return message;
}

/** What the Anthropic SDK's MessageStream accumulates into `message.content`. */
function accumulateAnthropic(sse: string): unknown[] {
  const blocks: Array<Record<string, unknown>> = [];
  const json: string[] = [];
  const frames = sseFrames(sse);
  expect(frames.map((f) => f.event).at(-1)).toBe('message_stop');
  for (const { event, data } of frames) {
    const e = JSON.parse(data) as Record<string, unknown> & { type: string; index: number };
    expect(e.type).toBe(event);
    if (e.type === 'content_block_start') {
      blocks[e.index] = { ...(e['content_block'] as Record<string, unknown>) };
      json[e.index] = '';
    } else if (e.type === 'content_block_delta') {
      const block = blocks[e.index] as Record<string, string>;
      const d = e['delta'] as Record<string, string>;
      if (d['type'] === 'text_delta') block['text'] += d['text'] ?? '';
      else if (d['type'] === 'thinking_delta') block['thinking'] += d['thinking'] ?? '';
      else if (d['type'] === 'signature_delta') block['signature'] = d['signature'] ?? '';
      else if (d['type'] === 'input_json_delta') json[e.index] += d['partial_json'] ?? '';
    } else if (e.type === 'content_block_stop') {
      const block = blocks[e.index] as Record<string, unknown>;
      if (block['type'] === 'tool_use' && json[e.index] !== '') block['input'] = JSON.parse(json[e.index] ?? '');
    }
  }
  return blocks;
}

const OPENAI_REQUEST = `{
  "model": "auto",
  "messages": [
    {"role": "developer", "content": "You are a weather bot."},
    {"role": "user", "content": "Weather in Paris?"}
  ],
  "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}}}}],
  "stream": true,
  "stream_options": {"include_usage": true}
}`;

const ANTHROPIC_REQUEST = `{
  "model": "claude-sonnet-4-5",
  "max_tokens": 4096,
  "system": [{"type": "text", "text": "You are a weather bot.", "cache_control": {"type": "ephemeral"}}],
  "thinking": {"type": "enabled", "budget_tokens": 2048},
  "messages": [{"role": "user", "content": "Weather in Paris?"}],
  "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string"}}}}],
  "stream": true
}`;

describe('round trip through a client', () => {
  const openaiAssistantTurn = {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Let me look that up.\n' },
      { type: 'tool_call', id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
    ],
  };

  it.each([
    ['whole', () => JSON.parse(JSON.stringify(toOpenAIChatCompletion(RESPONSE, { model: 'auto', created: 1 }))).choices[0].message as Record<string, unknown>],
    [
      'streamed',
      () => {
        const enc = createOpenAIStreamEncoder({ model: 'auto', created: 1, includeUsage: true });
        return accumulateOpenAI(STREAM.map((p) => enc.encode(p)).join(''));
      },
    ],
  ])('openai (%s answer)', (_mode, answer) => {
    const body = JSON.parse(OPENAI_REQUEST) as { messages: unknown[] };
    const first = parseOpenAIChatRequest(body);
    expect(first.system).toStrictEqual([{ type: 'text', text: 'You are a weather bot.' }]);
    expect(first.includeUsage).toBe(true);

    body.messages.push(answer(), { role: 'tool', tool_call_id: 'call_abc', content: '18C and sunny' });
    const second = parseOpenAIChatRequest(JSON.parse(JSON.stringify(body)));
    expect(second.messages).toStrictEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      openaiAssistantTurn,
      { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_abc', content: [{ type: 'text', text: '18C and sunny' }] }] },
    ]);
  });

  const anthropicAssistantTurn = {
    role: 'assistant',
    content: [
      { type: 'thinking', text: 'The user wants the weather.', signature: 'c2lnbmF0dXJl' },
      { type: 'text', text: 'Let me look that up.\n' },
      { type: 'tool_call', id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
    ],
  };

  it.each([
    ['whole', () => (JSON.parse(JSON.stringify(toAnthropicMessage(RESPONSE, { model: 'claude-sonnet-4-5' }))) as { content: unknown[] }).content],
    [
      'streamed',
      () => {
        const enc = createAnthropicStreamEncoder({ model: 'claude-sonnet-4-5' });
        return accumulateAnthropic(STREAM.map((p) => enc.encode(p)).join(''));
      },
    ],
  ])('anthropic (%s answer), thinking signature preserved', (_mode, answer) => {
    const body = JSON.parse(ANTHROPIC_REQUEST) as { messages: unknown[] };
    const first = parseAnthropicMessagesRequest(body);
    expect(first.reasoning).toStrictEqual({ enabled: true, budgetTokens: 2048 });

    body.messages.push(
      { role: 'assistant', content: answer() },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_abc', content: '18C and sunny' }] },
    );
    const second = parseAnthropicMessagesRequest(JSON.parse(JSON.stringify(body)));
    expect(second.messages).toStrictEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      anthropicAssistantTurn,
      { role: 'user', content: [{ type: 'tool_result', toolCallId: 'call_abc', content: [{ type: 'text', text: '18C and sunny' }] }] },
    ]);
  });
});
