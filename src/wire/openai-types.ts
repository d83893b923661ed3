import type { OpenAIFinishReason } from './stop-reasons.js';

/** An assistant tool call in OpenAI's chat format. */
export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** OpenAI's usage block, with the detail objects SDKs read for caching and reasoning. */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface OpenAIChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal: null;
  tool_calls?: OpenAIToolCall[];
  /** The model's reasoning text, in the `reasoning_content` field DeepSeek, vLLM and LiteLLM clients read. */
  reasoning_content?: string;
}

/** A non-streamed `/v1/chat/completions` response. */
export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: [{ index: 0; message: OpenAIChatCompletionMessage; logprobs: null; finish_reason: OpenAIFinishReason }];
  usage: OpenAIUsage;
}

/** A tool-call fragment inside a streamed delta. */
export interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface OpenAIChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  tool_calls?: OpenAIToolCallDelta[];
}

/** One `chat.completion.chunk` of a stream. `usage` is present (null until the last chunk) only with `include_usage`. */
export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: { index: 0; delta: OpenAIChunkDelta; logprobs: null; finish_reason: OpenAIFinishReason | null }[];
  usage?: OpenAIUsage | null;
}
