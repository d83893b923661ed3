export { parseOpenAIChatRequest } from './parse-openai-chat-request.js';
export { parseAnthropicCountTokensRequest, parseAnthropicMessagesRequest } from './parse-anthropic-messages-request.js';
export { DEFAULT_REQUEST_LIMITS, resolveRequestLimits, type RequestLimits } from './request-limits.js';
