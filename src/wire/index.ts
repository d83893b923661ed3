export { formatSseEvent } from './format-sse-event.js';
export type { StreamEncoder, AnthropicStreamEncoder } from './stream-encoder.js';
export { toOpenAIFinishReason, toAnthropicStopReason, type OpenAIFinishReason, type AnthropicStopReason } from './stop-reasons.js';
export type * from './openai-types.js';
export type * from './anthropic-types.js';
export { toOpenAIChatCompletion, toOpenAIUsage, normalizeToolArguments, type OpenAIResponseOptions } from './to-openai-chat-completion.js';
export { toAnthropicMessage, toAnthropicUsage, parseToolInput, type AnthropicResponseOptions } from './to-anthropic-message.js';
export { createOpenAIStreamEncoder, type OpenAIStreamOptions } from './openai-stream-encoder.js';
export { createAnthropicStreamEncoder, type AnthropicStreamOptions } from './anthropic-stream-encoder.js';
