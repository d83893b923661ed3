/**
 * The provider-neutral chat request and response that every wire format is normalised into.
 * It follows Anthropic's block model (the richer of the two): a separate system prompt and
 * user/assistant turns made of typed parts; OpenAI `tool` messages become `tool_result` parts.
 */

/** The API dialect a request arrived in (and its response must be written in). */
export type ApiFormat = 'openai' | 'anthropic';

/**
 * Anthropic prompt caching: the prompt up to and including this block is cached (`cache_control`).
 * Sent as given to Anthropic models, and through OpenRouter to its Anthropic and Gemini models;
 * other providers cache on their own and never see it.
 */
export interface CacheControl {
  readonly type: 'ephemeral';
  readonly ttl?: '5m' | '1h';
}

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
  readonly cacheControl?: CacheControl;
}

export type ImageSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'base64'; readonly mediaType: string; readonly data: string };

export interface ImagePart {
  readonly type: 'image';
  readonly source: ImageSource;
  /** OpenAI's `image_url.detail`, kept so a round trip is lossless. */
  readonly detail?: 'auto' | 'low' | 'high';
  readonly cacheControl?: CacheControl;
}

export interface ToolCallPart {
  readonly type: 'tool_call';
  readonly id: string;
  readonly name: string;
  /** JSON text of the arguments, as the model produced it (may be invalid JSON). */
  readonly arguments: string;
  readonly cacheControl?: CacheControl;
}

export interface ToolResultPart {
  readonly type: 'tool_result';
  readonly toolCallId: string;
  readonly content: ReadonlyArray<TextPart | ImagePart>;
  readonly isError?: boolean;
  readonly cacheControl?: CacheControl;
}

export interface ThinkingPart {
  readonly type: 'thinking';
  readonly text: string;
  /** Anthropic's signature, required to send thinking back in a later turn. */
  readonly signature?: string;
  /**
   * Anthropic `redacted_thinking.data`: encrypted reasoning that must be sent back verbatim.
   * When set, `text` is empty and the part stands for a `redacted_thinking` block.
   */
  readonly redactedData?: string;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart;

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: ReadonlyArray<ContentPart>;
}

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the tool's input. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly cacheControl?: CacheControl;
}

export type ToolChoice =
  | { readonly type: 'auto' }
  | { readonly type: 'none' }
  | { readonly type: 'required' }
  | { readonly type: 'tool'; readonly name: string };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/** What the client asked for about reasoning; absent fields were not set by the client. */
export interface ReasoningRequest {
  /** OpenAI `reasoning_effort` / OpenRouter `reasoning.effort`. */
  readonly effort?: ReasoningEffort;
  /** Anthropic `thinking.budget_tokens` / Gemini `thinkingBudget`. */
  readonly budgetTokens?: number;
  /** Anthropic `thinking.type`: `enabled` or `disabled`. */
  readonly enabled?: boolean;
}

/** The normalised chat request. */
export interface ChatRequest {
  readonly format: ApiFormat;
  /** As the client sent it: `auto`, a route alias, or an explicit model id. */
  readonly model: string;
  readonly system: ReadonlyArray<TextPart>;
  readonly messages: ReadonlyArray<ChatMessage>;
  readonly tools?: ReadonlyArray<ToolDefinition>;
  readonly toolChoice?: ToolChoice;
  readonly parallelToolCalls?: boolean;
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly stop?: ReadonlyArray<string>;
  readonly stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  readonly includeUsage?: boolean;
  readonly reasoning?: ReasoningRequest;
  /** OpenAI `user` / Anthropic `metadata.user_id`. */
  readonly user?: string;
  /** OpenAI `response_format`, passed through to providers that understand it. */
  readonly responseFormat?: Readonly<Record<string, unknown>>;
  /** OpenAI `seed`. */
  readonly seed?: number;
  /** OpenAI `frequency_penalty` (-2..2). */
  readonly frequencyPenalty?: number;
  /** OpenAI `presence_penalty` (-2..2). */
  readonly presencePenalty?: number;
  /** OpenAI `logit_bias`: token id (as a string) to bias in -100..100. */
  readonly logitBias?: Readonly<Record<string, number>>;
  /** OpenAI `metadata` (string to string); Anthropic's `metadata.user_id` goes to `user` instead. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Anthropic settings with no counterpart elsewhere: sent to Anthropic models as given, dropped for others. */
  readonly anthropic?: AnthropicExtras;
}

/** `output_config.effort` of the Messages API. */
export type AnthropicEffort = 'low' | 'medium' | 'high' | 'max';

/**
 * What an Anthropic client asked for that only Anthropic understands. `reasoning` carries the
 * neutral reading for other providers (adaptive thinking: `enabled`; `output_config.effort`:
 * `effort`, with `max` as `high`).
 */
export interface AnthropicExtras {
  /** `thinking: {type: 'adaptive'}`: the model decides how much to think (Claude 4.6 and later). */
  readonly adaptiveThinking?: boolean;
  /** `output_config.effort`: how many tokens the model may spend on thinking, text and tool calls. */
  readonly effort?: AnthropicEffort;
  /** `context_management` (context editing: clearing old tool results and thinking server-side), as sent. */
  readonly contextManagement?: Readonly<Record<string, unknown>>;
  /** Top-level `cache_control`: Anthropic places the breakpoint on the last cacheable block itself. */
  readonly cacheControl?: CacheControl;
}

export type StopReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'refusal' | 'pause' | 'error';

export interface Usage {
  /**
   * All prompt tokens, INCLUDING cache reads and cache writes (OpenAI's `prompt_tokens` convention).
   * An Anthropic adapter adds `cache_read_input_tokens` and `cache_creation_input_tokens` to its
   * `input_tokens`; the Anthropic encoder subtracts them again.
   */
  readonly inputTokens: number;
  /** All generated tokens, including reasoning tokens (OpenAI's `completion_tokens` convention). */
  readonly outputTokens: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
  readonly reasoningTokens?: number;
}

/** A complete (non-streamed) answer, provider-neutral. */
export interface ChatResponse {
  readonly id: string;
  /** The provider's model id that answered. */
  readonly model: string;
  readonly content: ReadonlyArray<TextPart | ToolCallPart | ThinkingPart>;
  readonly stopReason: StopReason;
  /** The raw stop reason / stop sequence, when the provider gave one. */
  readonly stopSequence?: string;
  readonly usage: Usage;
  readonly created?: number;
}
