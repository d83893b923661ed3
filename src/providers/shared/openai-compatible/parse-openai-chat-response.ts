import { z } from 'zod';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { ChatResponse, TextPart, ThinkingPart, ToolCallPart } from '../../../types/chat.js';
import { classifyStreamError } from '../classify-upstream.js';
import { mapOpenAIFinishReason, mapOpenAIUsage, OpenAIUsageSchema, readOpenAIUsage } from './openai-usage.js';

const text = z.string().nullish().catch(undefined);

const ToolCallSchema = z.object({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.object({
    name: z.string(),
    // Some servers send arguments as an object instead of JSON text.
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  }),
});

const ContentSchema = z
  .union([z.string(), z.array(z.object({ type: z.string().nullish(), text: z.string().nullish() }))])
  .nullish()
  .catch(undefined);

const ChatResponseSchema = z.object({
  id: z.string().nullish().catch(undefined),
  model: z.string().nullish().catch(undefined),
  created: z.number().nullish().catch(undefined),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: ContentSchema,
          refusal: text,
          /** OpenRouter's reasoning text. */
          reasoning: text,
          /** DeepSeek / vLLM reasoning text. */
          reasoning_content: text,
          tool_calls: z.array(ToolCallSchema).nullish(),
        }),
        finish_reason: z.string().nullish().catch(undefined),
      }),
    )
    .min(1),
  usage: OpenAIUsageSchema.nullish().catch(undefined),
});

/** Context for {@link parseOpenAIChatResponse}: who answered, for errors and defaults. */
export interface OpenAIParseContext {
  readonly provider: string;
  /** The model asked for, used when the answer omits `model`. */
  readonly model: string;
}

/**
 * Parses a chat-completions answer leniently: unknown fields are ignored and optional ones may be
 * missing or null, but an answer without `choices[0].message` is `provider_bad_response`. A 200
 * carrying an `error` object (OpenRouter does this) is classified like a stream error. Only the
 * first choice is read (the gateway never asks for `n > 1`). A refusal with no content becomes
 * the text with stop reason `refusal`.
 */
export function parseOpenAIChatResponse(json: unknown, context: OpenAIParseContext): ChatResponse {
  if (typeof json === 'object' && json !== null && 'error' in json && (json as { error: unknown }).error != null) {
    throw classifyStreamError({ provider: context.provider, payload: json, model: context.model });
  }
  return toChatResponse(readCommonShape(json) ?? parseWithSchema(json, context), context);
}

type ParsedResponse = z.infer<typeof ChatResponseSchema>;

/**
 * The schema's reading of an answer, with its error message when it does not fit. The reference
 * {@link readCommonShape} must agree with (a property test holds them together); it runs only for
 * the shapes that function leaves to it.
 */
export function parseWithSchema(json: unknown, context: OpenAIParseContext): ParsedResponse {
  const parsed = ChatResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayError('provider_bad_response', `${context.provider} answered an unrecognised chat completion: ${z.prettifyError(parsed.error).slice(0, 300)}`, {
      provider: context.provider,
      model: context.model,
    });
  }
  return parsed.data;
}

/**
 * The schema's result for the answers providers actually send (text or null content, optional
 * reasoning and refusal, well-formed tool calls), read by hand: the zod parse took ~7 us a request,
 * 2% of the gateway's event loop. Anything else (array content, a malformed tool call, a choice
 * without a message) returns undefined and goes to {@link parseWithSchema}, which knows every case
 * and words the errors.
 */
export function readCommonShape(json: unknown): ParsedResponse | undefined {
  if (!isPlainObject(json)) return undefined;
  const choices = json['choices'];
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const read: ParsedResponse['choices'] = [];
  for (const choice of choices as unknown[]) {
    if (!isPlainObject(choice)) return undefined;
    const message = choice['message'];
    if (!isPlainObject(message)) return undefined;
    const content = message['content'];
    if (content !== undefined && content !== null && typeof content !== 'string') return undefined;
    const toolCalls = readToolCalls(message['tool_calls']);
    if (toolCalls === false) return undefined;
    read.push({
      message: {
        content: content as string | null | undefined,
        refusal: lenientText(message['refusal']),
        reasoning: lenientText(message['reasoning']),
        reasoning_content: lenientText(message['reasoning_content']),
        tool_calls: toolCalls,
      },
      finish_reason: lenientText(choice['finish_reason']),
    });
  }
  const created = json['created'];
  return {
    id: lenientText(json['id']),
    model: lenientText(json['model']),
    created: typeof created === 'number' ? created : created === null ? null : undefined,
    choices: read,
    usage: readOpenAIUsage(json['usage']),
  };
}

/** `tool_calls` as the schema reads it; false when a call is malformed (the schema then fails the answer). */
function readToolCalls(value: unknown): ParsedResponse['choices'][number]['message']['tool_calls'] | false {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) return false;
  const calls: NonNullable<ParsedResponse['choices'][number]['message']['tool_calls']> = [];
  for (const call of value as unknown[]) {
    if (!isPlainObject(call)) return false;
    const fn = call['function'];
    if (!isPlainObject(fn) || typeof fn['name'] !== 'string') return false;
    const id = call['id'];
    const type = call['type'];
    const args = fn['arguments'];
    if (!optionalString(id) || !optionalString(type)) return false;
    if (!(args === undefined || args === null || typeof args === 'string' || isPlainObject(args))) return false;
    calls.push({
      function: { name: fn['name'], ...(args === undefined ? {} : { arguments: args as string | Record<string, unknown> | null }) },
      ...(id === undefined ? {} : { id: id as string | null }),
      ...(type === undefined ? {} : { type: type as string | null }),
    });
  }
  return calls;
}

/** A string field with `.nullish().catch(undefined)`: strings and null as they are, anything else undefined. */
function lenientText(value: unknown): string | null | undefined {
  return typeof value === 'string' || value === null ? value : undefined;
}

function optionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toChatResponse(data: ParsedResponse, context: OpenAIParseContext): ChatResponse {
  const choice = data.choices[0]!;
  const message = choice.message;
  const content: Array<TextPart | ToolCallPart | ThinkingPart> = [];
  const reasoning = message.reasoning ?? message.reasoning_content;
  if (reasoning != null && reasoning !== '') content.push({ type: 'thinking', text: reasoning });
  const body = contentText(message.content);
  let refused = false;
  if (body !== '') content.push({ type: 'text', text: body });
  else if (message.refusal != null && message.refusal !== '') {
    content.push({ type: 'text', text: message.refusal });
    refused = true;
  }
  const toolCalls = message.tool_calls ?? [];
  toolCalls.forEach((call, i) => {
    const args = call.function.arguments;
    content.push({
      type: 'tool_call',
      id: call.id ?? `call_${i}`,
      name: call.function.name,
      arguments: args == null ? '' : typeof args === 'string' ? args : JSON.stringify(args),
    });
  });
  return {
    id: data.id ?? '',
    model: data.model ?? context.model,
    content,
    stopReason: refused ? 'refusal' : mapOpenAIFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: mapOpenAIUsage(data.usage),
    ...(data.created == null ? {} : { created: data.created }),
  };
}

function contentText(content: z.infer<typeof ContentSchema>): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}
