/** Wire-format answers for the fake upstreams, shaped like each provider's documented examples. */

let seq = 0;
const nextId = (prefix: string): string => `${prefix}${++seq}`;

/** An OpenAI `chat.completion` with text, or with one tool call when `tool` is given. */
export function openaiCompletion(model: string, text: string, tool?: { name: string; arguments: string }): unknown {
  return {
    id: nextId('chatcmpl-'),
    object: 'chat.completion',
    created: 1_712_345_678,
    model,
    choices: [
      {
        index: 0,
        message:
          tool === undefined
            ? { role: 'assistant', content: text, refusal: null }
            : { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: tool }] },
        logprobs: null,
        finish_reason: tool === undefined ? 'stop' : 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  };
}

/** OpenAI `chat.completion.chunk` events: a role chunk, one chunk per text piece, the finish and usage chunks, `[DONE]`. */
export function openaiStream(model: string, pieces: readonly string[], tool?: { name: string; argumentPieces: readonly string[] }): unknown[] {
  const id = nextId('chatcmpl-');
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: unknown): unknown => ({
    id,
    object: 'chat.completion.chunk',
    created: 1_712_345_678,
    model,
    choices: usage === undefined ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [],
    ...(usage === undefined ? {} : { usage }),
  });
  const out: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const p of pieces) out.push(chunk({ content: p }));
  if (tool !== undefined) {
    out.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: tool.name, arguments: '' } }] }));
    for (const a of tool.argumentPieces) out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] }));
  }
  out.push(chunk({}, tool === undefined ? 'stop' : 'tool_calls'));
  out.push(chunk({}, null, { prompt_tokens: 12, completion_tokens: pieces.length, total_tokens: 12 + pieces.length }));
  out.push('[DONE]');
  return out;
}

/** An Anthropic `message`. */
export function anthropicMessage(model: string, text: string, tool?: { name: string; input: unknown }): unknown {
  return {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content: tool === undefined ? [{ type: 'text', text }] : [{ type: 'tool_use', id: 'toolu_1', name: tool.name, input: tool.input }],
    stop_reason: tool === undefined ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 5 },
  };
}

/** Anthropic SSE text (named events) for a text answer. */
export function anthropicStream(model: string, pieces: readonly string[]): string {
  const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  let out = ev('message_start', {
    message: { id: nextId('msg_'), type: 'message', role: 'assistant', content: [], model, stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } },
  });
  out += ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  out += ev('ping', {});
  for (const p of pieces) out += ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } });
  out += ev('content_block_stop', { index: 0 });
  out += ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: pieces.length } });
  out += ev('message_stop', {});
  return out;
}

/** A Gemini `generateContent` answer. */
export function geminiResponse(model: string, text: string): unknown {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 5, totalTokenCount: 17 },
    modelVersion: model,
    responseId: nextId('gem-'),
  };
}

/** Gemini `streamGenerateContent?alt=sse` chunks. */
export function geminiStream(model: string, pieces: readonly string[]): unknown[] {
  return pieces.map((p, i) => ({
    candidates: [{ content: { role: 'model', parts: [{ text: p }] }, index: 0, ...(i === pieces.length - 1 ? { finishReason: 'STOP' } : {}) }],
    ...(i === pieces.length - 1 ? { usageMetadata: { promptTokenCount: 12, candidatesTokenCount: pieces.length, totalTokenCount: 12 + pieces.length } } : {}),
    modelVersion: model,
    responseId: 'gem-stream',
  }));
}
