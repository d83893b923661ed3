import { GatewayError } from '../../errors/gateway-error.js';
import { withCacheControl } from '../shared/with-cache-control.js';
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  ImagePart,
  ReasoningEffort,
  TextPart,
  ToolChoice,
} from '../../types/chat.js';

/**
 * `max_tokens` sent when the client gave none: Anthropic requires the field, and 4096 is the
 * largest value every current Claude model accepts (Claude 3 Haiku caps output at 4096).
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic rejects `thinking.budget_tokens` below this. */
export const ANTHROPIC_MIN_THINKING_BUDGET = 1024;

/**
 * Thinking budget for an effort-only reasoning request. `minimal` gets the smallest budget
 * Anthropic allows rather than no thinking, because an effort was asked for.
 */
export const ANTHROPIC_EFFORT_BUDGETS: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 1024,
  medium: 4096,
  high: 16384,
};

/**
 * Signatures minted by other providers (Gemini thought signatures travel as `gemini:...`)
 * cannot be verified by Anthropic; thinking carrying them is dropped on the way out.
 */
const FOREIGN_SIGNATURE = /^[a-z][a-z0-9-]*:/;

type AnthropicBlock = Record<string, unknown>;

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

/**
 * Builds the body of `POST /v1/messages` for `model` from a normalised request.
 *
 * Documented adjustments (Anthropic constraints the neutral request does not know about):
 * - `max_tokens` defaults to {@link ANTHROPIC_DEFAULT_MAX_TOKENS}.
 * - Reasoning with `budgetTokens` (or an effort, via {@link ANTHROPIC_EFFORT_BUDGETS}; or `enabled`
 *   alone, via the `medium` budget) becomes `thinking: {type: 'enabled', budget_tokens}` with the
 *   budget raised to at least 1024. Anthropic counts thinking inside `max_tokens` and needs
 *   `budget_tokens < max_tokens`: when the client's `max_tokens` does not exceed the budget,
 *   `max_tokens` becomes budget + the client's value (or budget + the default), so the visible
 *   answer keeps the allowance the client asked for.
 * - Thinking is left off when the request forces a tool (`tool_choice` any/tool), or when the turn
 *   continues an assistant tool call (or prefill) that carries no signed thinking block: Anthropic
 *   rejects both combinations, and the client's explicit shape wins over a reasoning default.
 * - An Anthropic client's own settings go back as they came: adaptive thinking as
 *   `thinking: {type: 'adaptive'}` (no budget; left off in the same cases as above),
 *   `output_config.effort` as is (without turning thinking on), `context_management` as is.
 * - With thinking on, `temperature` and `top_k` are not sent and `top_p` is raised to 0.95
 *   (Anthropic rejects other values alongside thinking).
 * - Thinking parts without a signature, or with another provider's signature, are dropped.
 * - `cache_control` breakpoints go back on the blocks (system, messages, tools) they came on, and a
 *   request-level one at the top.
 * - `responseFormat`, `seed`, penalties, `logitBias` and `metadata` have no Messages API equivalent and are
 *   not sent.
 *
 * Throws `caller_invalid_request` when a tool call's `arguments` is not a JSON object: sending
 * `{}` instead would silently replay a different call than the one in the transcript.
 */
export function convertToAnthropicRequest(req: ChatRequest, model: string): Record<string, unknown> {
  // An assistant turn made only of thinking that cannot be sent back would be an empty message,
  // which Anthropic rejects; dropping it loses nothing the model could use.
  const messages = req.messages.map((m, i) => convertMessage(m, i)).filter((m) => m.role === 'user' || m.content.length > 0);
  const tools = req.tools ?? [];
  const toolChoice = tools.length > 0 ? req.toolChoice : undefined;

  const allowed = thinkingAllowed(toolChoice, messages);
  const adaptive = req.anthropic?.adaptiveThinking === true && req.reasoning?.enabled !== false && allowed;
  const requestedBudget = adaptive ? undefined : thinkingBudget(req);
  const thinking = requestedBudget !== undefined && allowed ? Math.max(ANTHROPIC_MIN_THINKING_BUDGET, requestedBudget) : undefined;

  let maxTokens = req.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  if (thinking !== undefined && maxTokens <= thinking) maxTokens = thinking + maxTokens;

  const body: Record<string, unknown> = { model, max_tokens: maxTokens };
  if (req.system.length > 0) body['system'] = req.system.map((p) => withCacheControl({ type: 'text', text: p.text }, p));
  body['messages'] = messages;

  if (tools.length > 0) {
    body['tools'] = tools.map((t) =>
      withCacheControl(
        {
          name: t.name,
          ...(t.description === undefined ? {} : { description: t.description }),
          input_schema: toInputSchema(t.parameters),
        },
        t,
      ),
    );
  }
  if (toolChoice !== undefined || (tools.length > 0 && req.parallelToolCalls === false)) {
    body['tool_choice'] = convertToolChoice(toolChoice ?? { type: 'auto' }, req.parallelToolCalls);
  }

  if (req.stop !== undefined && req.stop.length > 0) body['stop_sequences'] = [...req.stop];
  if (thinking !== undefined || adaptive) {
    body['thinking'] = adaptive ? { type: 'adaptive' } : { type: 'enabled', budget_tokens: thinking };
    if (req.topP !== undefined) body['top_p'] = Math.max(0.95, req.topP);
  } else {
    if (req.temperature !== undefined) body['temperature'] = req.temperature;
    if (req.topP !== undefined) body['top_p'] = req.topP;
    if (req.topK !== undefined) body['top_k'] = req.topK;
  }
  if (req.anthropic?.effort !== undefined) body['output_config'] = { effort: req.anthropic.effort };
  if (req.anthropic?.contextManagement !== undefined) body['context_management'] = req.anthropic.contextManagement;
  if (req.anthropic?.cacheControl !== undefined) withCacheControl(body, req.anthropic);
  if (req.user !== undefined) body['metadata'] = { user_id: req.user };
  if (req.stream) body['stream'] = true;
  return body;
}

function thinkingBudget(req: ChatRequest): number | undefined {
  const r = req.reasoning;
  if (r === undefined || r.enabled === false) return undefined;
  if (r.budgetTokens !== undefined) return r.budgetTokens > 0 ? r.budgetTokens : undefined;
  // An Anthropic client's `output_config.effort` is sent as such, and asks for no thinking by itself.
  if (r.effort !== undefined && req.anthropic?.effort === undefined) return ANTHROPIC_EFFORT_BUDGETS[r.effort];
  return r.enabled === true ? ANTHROPIC_EFFORT_BUDGETS.medium : undefined;
}

function thinkingAllowed(toolChoice: ToolChoice | undefined, messages: readonly AnthropicMessage[]): boolean {
  if (toolChoice?.type === 'required' || toolChoice?.type === 'tool') return false;
  const last = messages[messages.length - 1];
  if (last === undefined) return true;
  let assistant: AnthropicMessage | undefined;
  if (last.role === 'assistant') {
    assistant = last;
  } else if (last.content.some((b) => b['type'] === 'tool_result')) {
    assistant = messages[messages.length - 2];
  }
  if (assistant === undefined || assistant.role !== 'assistant') return true;
  const first = assistant.content[0];
  if (last.role === 'assistant') return first === undefined || isThinkingBlock(first);
  return !assistant.content.some((b) => b['type'] === 'tool_use') || (first !== undefined && isThinkingBlock(first));
}

function isThinkingBlock(block: AnthropicBlock): boolean {
  return block['type'] === 'thinking' || block['type'] === 'redacted_thinking';
}

function convertToolChoice(choice: ToolChoice, parallel: boolean | undefined): Record<string, unknown> {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice.type) {
    case 'auto':
      return { type: 'auto', ...noParallel };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
    case 'none':
      return { type: 'none' };
  }
}

/** Anthropic requires `input_schema.type === 'object'`; a schema without a type gets it. */
function toInputSchema(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (parameters['type'] === undefined) return { type: 'object', ...parameters };
  return { ...parameters };
}

function convertMessage(message: ChatMessage, index: number): AnthropicMessage {
  const content: AnthropicBlock[] = [];
  message.content.forEach((part, j) => {
    const block = convertPart(part, `messages.${index}.content.${j}`);
    if (block !== undefined) content.push(block);
  });
  return { role: message.role, content };
}

function convertPart(part: ContentPart, param: string): AnthropicBlock | undefined {
  switch (part.type) {
    case 'text':
      return withCacheControl({ type: 'text', text: part.text }, part);
    case 'image':
      return convertImage(part);
    case 'tool_call':
      return withCacheControl({ type: 'tool_use', id: part.id, name: part.name, input: parseToolArguments(part.arguments, part.name, param) }, part);
    case 'tool_result':
      return withCacheControl(
        {
          type: 'tool_result',
          tool_use_id: part.toolCallId,
          content: part.content.map((c: TextPart | ImagePart) => (c.type === 'text' ? withCacheControl({ type: 'text', text: c.text }, c) : convertImage(c))),
          ...(part.isError === true ? { is_error: true } : {}),
        },
        part,
      );
    case 'thinking': {
      if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
      const sig = part.signature;
      if (sig === undefined || sig === '' || FOREIGN_SIGNATURE.test(sig)) return undefined;
      return { type: 'thinking', thinking: part.text, signature: sig };
    }
  }
}

function convertImage(part: ImagePart): AnthropicBlock {
  const src = part.source;
  if (src.kind === 'base64') {
    return withCacheControl({ type: 'image', source: { type: 'base64', media_type: src.mediaType, data: src.data } }, part);
  }
  const inline = parseDataUrl(src.url);
  if (inline !== undefined) {
    return withCacheControl({ type: 'image', source: { type: 'base64', media_type: inline.mediaType, data: inline.data } }, part);
  }
  return withCacheControl({ type: 'image', source: { type: 'url', url: src.url } }, part);
}

/** `data:<media>;base64,<data>` URLs (how OpenAI clients inline images) become base64 sources. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match === null) return undefined;
  return { mediaType: match[1] ?? '', data: match[2] ?? '' };
}

function parseToolArguments(text: string, name: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('caller_invalid_request', `Arguments of tool call '${name}' are not valid JSON`, {
      param: `${param}.arguments`,
      cause,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError('caller_invalid_request', `Arguments of tool call '${name}' must be a JSON object`, {
      param: `${param}.arguments`,
    });
  }
  return value as Record<string, unknown>;
}
