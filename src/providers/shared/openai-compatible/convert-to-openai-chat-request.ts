import { withCacheControl } from '../with-cache-control.js';
import type { CacheControl, ChatMessage, ChatRequest, ImagePart, TextPart, ToolChoice, ToolResultPart } from '../../../types/chat.js';

/** Options of {@link convertToOpenAIChatRequest}. */
export interface OpenAIChatRequestOptions {
  /**
   * Where `maxOutputTokens` goes. OpenAI deprecated `max_tokens` and its reasoning models reject
   * it, so `max_completion_tokens` is the default; most OpenAI-compatible servers (OpenRouter,
   * vLLM, Ollama) only know `max_tokens`.
   */
  readonly maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /**
   * Keep an Anthropic client's prompt-cache breakpoints as `cache_control` on content parts (the
   * system prompt, user text and images, tool results, assistant text then go as part arrays).
   * OpenRouter forwards them to Anthropic and Gemini models; OpenAI itself caches on its own.
   */
  readonly cacheControl?: boolean;
}

/** An OpenAI chat-completions message, as sent. */
export type OpenAIChatMessage = Record<string, unknown> & { role: 'system' | 'user' | 'assistant' | 'tool' };

/**
 * Builds an OpenAI `/chat/completions` body from the neutral request. Translation choices:
 * the system prompt becomes one `system` message; `tool_result` parts become `tool` messages,
 * placed before the rest of that user turn (OpenAI requires them right after the assistant's
 * `tool_calls`), with any images they carry moved into a following user message (tool messages
 * are text-only); `tool_call` parts become assistant `tool_calls`; thinking parts are dropped
 * (the API does not accept them back); base64 images become `data:` URLs; `reasoning.effort`
 * becomes `reasoning_effort` (a budget alone is not translated: OpenAI has no such knob);
 * streaming always asks for the usage chunk (`stream_options.include_usage`), which the gateway
 * needs for accounting whatever the client asked. The returned object is fresh and mutable so
 * dialects (OpenRouter) can adjust it.
 */
export function convertToOpenAIChatRequest(
  req: ChatRequest,
  model: string,
  options: OpenAIChatRequestOptions = {},
): Record<string, unknown> {
  const messages: OpenAIChatMessage[] = [];
  const cache = options.cacheControl === true;
  if (req.system.length > 0) {
    messages.push({ role: 'system', content: cache && req.system.some(hasCache) ? req.system.map(textPart) : joinText(req.system, '\n\n') });
  }
  for (const message of req.messages) {
    if (message.role === 'user') pushUserMessage(messages, message, cache);
    else pushAssistantMessage(messages, message, cache);
  }

  const body: Record<string, unknown> = { model, messages };
  if (req.tools !== undefined && req.tools.length > 0) {
    body['tools'] = req.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
      },
    }));
    // OpenAI rejects parallel_tool_calls when no tools are given.
    if (req.parallelToolCalls !== undefined) body['parallel_tool_calls'] = req.parallelToolCalls;
  }
  if (req.toolChoice !== undefined) body['tool_choice'] = toolChoice(req.toolChoice);
  if (req.maxOutputTokens !== undefined) body[options.maxTokensField ?? 'max_completion_tokens'] = req.maxOutputTokens;
  if (req.temperature !== undefined) body['temperature'] = req.temperature;
  if (req.topP !== undefined) body['top_p'] = req.topP;
  if (req.stop !== undefined && req.stop.length > 0) body['stop'] = [...req.stop];
  if (req.seed !== undefined) body['seed'] = req.seed;
  if (req.user !== undefined) body['user'] = req.user;
  if (req.responseFormat !== undefined) body['response_format'] = req.responseFormat;
  if (req.reasoning?.effort !== undefined) body['reasoning_effort'] = req.reasoning.effort;
  body['stream'] = req.stream;
  if (req.stream) body['stream_options'] = { include_usage: true };
  return body;
}

function pushUserMessage(out: OpenAIChatMessage[], message: ChatMessage, cache: boolean): void {
  const rest: Array<TextPart | ImagePart> = [];
  const toolImages: ImagePart[] = [];
  for (const part of message.content) {
    switch (part.type) {
      case 'tool_result':
        out.push(toolMessage(part, cache));
        for (const inner of part.content) if (inner.type === 'image') toolImages.push(inner);
        break;
      case 'text':
      case 'image':
        rest.push(part);
        break;
      default:
        // Tool calls and thinking cannot appear in an OpenAI user message.
        break;
    }
  }
  const content = [...toolImages, ...rest];
  if (content.length === 0) return;
  out.push({ role: 'user', content: userContent(content, cache && content.some(hasCache)) });
}

function toolMessage(part: ToolResultPart, cache: boolean): OpenAIChatMessage {
  const texts = part.content.filter((c): c is TextPart => c.type === 'text');
  if (cache && (part.cacheControl !== undefined || texts.some(hasCache))) {
    // The result's own breakpoint marks its end: it goes on the last text part.
    const content = texts.map((t, i) => textPart(i === texts.length - 1 && t.cacheControl === undefined && part.cacheControl !== undefined ? Object.assign({}, t, { cacheControl: part.cacheControl }) : t));
    if (content.length > 0) return { role: 'tool', tool_call_id: part.toolCallId, content };
  }
  return { role: 'tool', tool_call_id: part.toolCallId, content: joinText(texts, '\n') };
}

function userContent(parts: ReadonlyArray<TextPart | ImagePart>, cache: boolean): string | Array<Record<string, unknown>> {
  if (!cache && parts.every((p) => p.type === 'text')) {
    if (parts.length === 1) return (parts[0] as TextPart).text;
  }
  return parts.map((part) =>
    part.type === 'text'
      ? textPart(part)
      : withCacheControl(
          {
            type: 'image_url',
            image_url: {
              url: part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`,
              ...(part.detail === undefined ? {} : { detail: part.detail }),
            },
          },
          part,
        ),
  );
}

function hasCache(part: { readonly cacheControl?: CacheControl }): boolean {
  return part.cacheControl !== undefined;
}

function textPart(part: TextPart): Record<string, unknown> {
  return withCacheControl({ type: 'text', text: part.text }, part);
}

function pushAssistantMessage(out: OpenAIChatMessage[], message: ChatMessage, cache: boolean): void {
  let text = '';
  const texts: TextPart[] = [];
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const part of message.content) {
    if (part.type === 'text') {
      text += part.text;
      texts.push(part);
    }
    else if (part.type === 'tool_call') {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
    }
  }
  if (text === '' && toolCalls.length === 0) return;
  out.push({
    role: 'assistant',
    content: text === '' ? null : cache && texts.some(hasCache) ? texts.map(textPart) : text,
    ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
  });
}

function toolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function joinText(parts: ReadonlyArray<TextPart>, separator: string): string {
  return parts.map((p) => p.text).join(separator);
}
