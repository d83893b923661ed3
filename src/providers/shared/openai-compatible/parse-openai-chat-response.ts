import { z } from 'zod';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { ChatResponse, TextPart, ThinkingPart, ToolCallPart } from '../../../types/chat.js';
import { classifyStreamError } from '../classify-upstream.js';
import { mapOpenAIFinishReason, mapOpenAIUsage, OpenAIUsageSchema } from './openai-usage.js';

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
  const parsed = ChatResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayError('provider_bad_response', `${context.provider} answered an unrecognised chat completion: ${z.prettifyError(parsed.error).slice(0, 300)}`, {
      provider: context.provider,
      model: context.model,
    });
  }
  const data = parsed.data;
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
