import type {
  AnthropicExtras,
  CacheControl,
  ChatRequest,
  ContentPart,
  ImagePart,
  ImageSource,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
} from '../types/chat.js';
import { type Mutable, mergeConsecutiveTurns, readBase64, readStopSequences, readToolName } from './content-helpers.js';
import { type RequestLimits, resolveRequestLimits } from './request-limits.js';
import { type JsonObject, RequestReader, indexPath, joinPath } from './request-reader.js';

const TOP_LEVEL_KEYS = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'thinking',
  'tools',
  'tool_choice',
  'service_tier',
  'output_config',
  'context_management',
  'cache_control',
]);

/** `/v1/messages/count_tokens` takes the prompt half of a messages request: no output settings. */
const COUNT_TOKENS_KEYS = new Set(['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'context_management', 'cache_control']);

const MESSAGE_KEYS = new Set(['role', 'content']);
const TEXT_KEYS = new Set(['type', 'text', 'cache_control', 'citations']);
const IMAGE_KEYS = new Set(['type', 'source', 'cache_control']);
const BASE64_SOURCE_KEYS = new Set(['type', 'media_type', 'data']);
const URL_SOURCE_KEYS = new Set(['type', 'url']);
const TOOL_USE_KEYS = new Set(['type', 'id', 'name', 'input', 'cache_control']);
const TOOL_RESULT_KEYS = new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']);
const THINKING_KEYS = new Set(['type', 'thinking', 'signature']);
const REDACTED_THINKING_KEYS = new Set(['type', 'data']);
const TOOL_KEYS = new Set(['type', 'name', 'description', 'input_schema', 'cache_control']);
const THINKING_CONFIG_KEYS = new Set(['type', 'budget_tokens']);
const METADATA_KEYS = new Set(['user_id']);
const OUTPUT_CONFIG_KEYS = new Set(['effort']);
const CACHE_CONTROL_KEYS = new Set(['type', 'ttl']);
const CONTEXT_MANAGEMENT_KEYS = new Set(['edits']);
const ANTHROPIC_EFFORTS = ['low', 'medium', 'high', 'max'] as const;
/** Context edits per request: Anthropic defines two strategies; this only bounds what is carried. */
const MAX_CONTEXT_EDITS = 16;
const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
const MIN_THINKING_BUDGET = 1_024;

/** Block types Anthropic defines that the gateway cannot carry to every provider. */
const UNSUPPORTED_BLOCKS: Readonly<Record<string, string>> = {
  document: 'Document blocks are not supported by the gateway; send the text or images instead.',
  search_result: 'Search result blocks are not supported by the gateway.',
  container_upload: 'Container uploads are not supported by the gateway.',
  server_tool_use: 'Server tool blocks are not supported by the gateway; only custom tools are.',
  web_search_tool_result: 'Server tool blocks are not supported by the gateway; only custom tools are.',
  web_fetch_tool_result: 'Server tool blocks are not supported by the gateway; only custom tools are.',
  code_execution_tool_result: 'Server tool blocks are not supported by the gateway; only custom tools are.',
  mcp_tool_use: 'MCP connector blocks are not supported by the gateway.',
  mcp_tool_result: 'MCP connector blocks are not supported by the gateway.',
};

type Turn = { role: 'user' | 'assistant'; content: ContentPart[] };

/**
 * Parses an Anthropic `/v1/messages` request body into a {@link ChatRequest}.
 *
 * Decisions: `cache_control` is kept on its part (prompt caching on Anthropic models; other
 * providers never see it); `citations` is accepted and dropped; `redacted_thinking` becomes a
 * thinking part carrying `redactedData`; an assistant turn with no content is dropped; server
 * tools, documents and search results are refused with a clear error; `disable_parallel_tool_use`
 * maps to `parallelToolCalls: false`; `tool_choice: any` maps to `required`. Adaptive thinking,
 * `output_config.effort`, `context_management` and a request-level `cache_control` (which Claude
 * Code sends) are kept in `anthropic` for Anthropic models; the first two are also read into
 * `reasoning` for the others (see {@link AnthropicExtras}).
 *
 * @throws GatewayError `caller_invalid_request`, naming the offending field in `param`. Never anything else.
 */
export function parseAnthropicMessagesRequest(body: unknown, limits?: Partial<RequestLimits>): ChatRequest {
  return parseAnthropic(body, limits, 'messages');
}

/**
 * Parses an Anthropic `/v1/messages/count_tokens` body: the prompt fields of a messages request
 * (`model`, `messages`, `system`, `tools`, `tool_choice`, `thinking`, `output_config`,
 * `context_management`, `cache_control`), read by the same rules, and no output settings
 * (`max_tokens`, `stream`, sampling), which Anthropic refuses there too. The result has no
 * `maxOutputTokens`.
 *
 * @throws GatewayError `caller_invalid_request`, naming the offending field in `param`.
 */
export function parseAnthropicCountTokensRequest(body: unknown, limits?: Partial<RequestLimits>): ChatRequest {
  return parseAnthropic(body, limits, 'count_tokens');
}

function parseAnthropic(body: unknown, limits: Partial<RequestLimits> | undefined, endpoint: 'messages' | 'count_tokens'): ChatRequest {
  const r = new RequestReader(resolveRequestLimits(limits));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return r.fail('', 'The request body must be a JSON object.');
  }
  const b = r.object(body, 'body');
  r.checkKeys(b, '', endpoint === 'messages' ? TOP_LEVEL_KEYS : COUNT_TOKENS_KEYS, 'request argument');

  const model = r.get(b, 'model');
  if (model === undefined) r.fail('model', "'model' is required.");
  const maxTokens = endpoint === 'messages' ? r.get(b, 'max_tokens') : undefined;
  if (endpoint === 'messages' && maxTokens === undefined) r.fail('max_tokens', "'max_tokens' is required.");
  const out: Mutable<ChatRequest> = {
    format: 'anthropic',
    model: r.string(model, 'model', { nonEmpty: true, maxLength: 256 }),
    system: readSystem(r, r.get(b, 'system')),
    messages: [],
    stream: false,
  };
  if (maxTokens !== undefined) out.maxOutputTokens = r.integer(maxTokens, 'max_tokens', 1, r.limits.maxOutputTokens);

  const tools = readTools(r, r.get(b, 'tools'));
  out.messages = readMessages(r, r.get(b, 'messages'));
  if (tools !== undefined) out.tools = tools;

  const toolChoice = r.get(b, 'tool_choice');
  if (toolChoice !== undefined) {
    const { choice, parallel } = readToolChoice(r, toolChoice, tools);
    out.toolChoice = choice;
    if (parallel !== undefined) out.parallelToolCalls = parallel;
  }

  const extras: Mutable<AnthropicExtras> = {};
  const thinking = r.get(b, 'thinking');
  if (thinking !== undefined) {
    const t = r.object(thinking, 'thinking');
    const type = r.oneOf(r.get(t, 'type'), 'thinking.type', ['enabled', 'disabled', 'adaptive']);
    if (type === 'disabled') {
      r.checkKeys(t, 'thinking', new Set(['type']), 'parameter');
      out.reasoning = { enabled: false };
    } else if (type === 'adaptive') {
      r.checkKeys(t, 'thinking', new Set(['type']), 'parameter');
      out.reasoning = { enabled: true };
      extras.adaptiveThinking = true;
    } else {
      r.checkKeys(t, 'thinking', THINKING_CONFIG_KEYS, 'parameter');
      const budget = r.get(t, 'budget_tokens');
      if (budget === undefined) r.fail('thinking.budget_tokens', "'thinking.budget_tokens' is required when thinking is enabled.");
      const budgetTokens = r.integer(budget, 'thinking.budget_tokens', MIN_THINKING_BUDGET, r.limits.maxOutputTokens);
      if (out.maxOutputTokens !== undefined && budgetTokens >= out.maxOutputTokens) {
        r.fail('thinking.budget_tokens', `'thinking.budget_tokens' (${budgetTokens}) must be less than 'max_tokens' (${out.maxOutputTokens}).`);
      }
      out.reasoning = { enabled: true, budgetTokens };
    }
  }
  const outputConfig = r.get(b, 'output_config');
  if (outputConfig !== undefined) {
    const o = r.object(outputConfig, 'output_config');
    r.checkKeys(o, 'output_config', OUTPUT_CONFIG_KEYS, 'parameter');
    const effort = r.get(o, 'effort');
    if (effort !== undefined) {
      extras.effort = r.oneOf(effort, 'output_config.effort', ANTHROPIC_EFFORTS);
      // Other providers' scales stop at high.
      out.reasoning = Object.assign({}, out.reasoning, { effort: extras.effort === 'max' ? 'high' : extras.effort });
    }
  }
  const contextManagement = r.get(b, 'context_management');
  if (contextManagement !== undefined) extras.contextManagement = readContextManagement(r, contextManagement);
  const requestCache = readCacheControl(r, b, '');
  if (requestCache !== undefined) extras.cacheControl = requestCache;
  if (Object.keys(extras).length > 0) out.anthropic = extras;

  const stream = r.get(b, 'stream');
  if (stream !== undefined) out.stream = r.boolean(stream, 'stream');
  const temperature = r.get(b, 'temperature');
  if (temperature !== undefined) out.temperature = r.number(temperature, 'temperature', 0, 1);
  const topP = r.get(b, 'top_p');
  if (topP !== undefined) out.topP = r.number(topP, 'top_p', 0, 1);
  const topK = r.get(b, 'top_k');
  if (topK !== undefined) out.topK = r.integer(topK, 'top_k', 1, 1_000_000);

  const stop = r.get(b, 'stop_sequences');
  if (stop !== undefined) {
    const list = readStopSequences(r, r.array(stop, 'stop_sequences'), 'stop_sequences');
    if (list.length > 0) out.stop = list;
  }

  const metadata = r.get(b, 'metadata');
  if (metadata !== undefined) {
    const md = r.object(metadata, 'metadata');
    r.checkKeys(md, 'metadata', METADATA_KEYS, 'parameter');
    const userId = r.get(md, 'user_id');
    if (userId !== undefined) out.user = r.string(userId, 'metadata.user_id', { maxLength: 512 });
  }
  const tier = r.get(b, 'service_tier');
  if (tier !== undefined) r.oneOf(tier, 'service_tier', ['auto', 'standard_only']);
  return out;
}

/** `context_management`: its edits are kept as sent (Anthropic validates each strategy's settings). */
function readContextManagement(r: RequestReader, value: unknown): JsonObject {
  const cm = r.object(value, 'context_management');
  r.checkKeys(cm, 'context_management', CONTEXT_MANAGEMENT_KEYS, 'parameter');
  const edits = r.get(cm, 'edits');
  if (edits !== undefined) {
    const list = r.array(edits, 'context_management.edits');
    if (list.length > MAX_CONTEXT_EDITS) r.fail('context_management.edits', `'context_management.edits' has ${list.length} entries; the maximum is ${MAX_CONTEXT_EDITS}.`);
    for (let i = 0; i < list.length; i++) {
      const p = indexPath('context_management.edits', i);
      r.string(r.get(r.object(list[i], p), 'type'), joinPath(p, 'type'), { nonEmpty: true, maxLength: 64 });
    }
  }
  return cm;
}

/**
 * The block's `cache_control` (a prompt-cache breakpoint), kept on the part for Anthropic models:
 * dropping it would make every turn of a long conversation pay full price for the cached prefix.
 */
function withCacheControl<T extends { readonly cacheControl?: CacheControl }>(r: RequestReader, block: JsonObject, path: string, part: T): T {
  const cacheControl = readCacheControl(r, block, path);
  return cacheControl === undefined ? part : Object.assign({}, part, { cacheControl });
}

/** `block.cache_control`, validated: `ephemeral`, with an optional `ttl` of 5m or 1h. */
function readCacheControl(r: RequestReader, block: JsonObject, path: string): CacheControl | undefined {
  const value = r.get(block, 'cache_control');
  if (value === undefined || value === null) return undefined;
  const p = joinPath(path, 'cache_control');
  const cc = r.object(value, p);
  r.checkKeys(cc, p, CACHE_CONTROL_KEYS, 'parameter');
  r.oneOf(r.get(cc, 'type'), joinPath(p, 'type'), ['ephemeral']);
  const ttl = r.get(cc, 'ttl');
  return ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: r.oneOf(ttl, joinPath(p, 'ttl'), ['5m', '1h']) };
}

function readSystem(r: RequestReader, value: unknown): TextPart[] {
  if (value === undefined) return [];
  if (typeof value === 'string') {
    const text = r.text(value, 'system');
    return text.trim() === '' ? [] : [{ type: 'text', text }];
  }
  const blocks = r.contentArray(value, 'system', 'text blocks');
  const out: TextPart[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const p = indexPath('system', i);
    const block = r.object(blocks[i], p);
    r.oneOf(r.get(block, 'type'), joinPath(p, 'type'), ['text']);
    r.checkKeys(block, p, TEXT_KEYS, 'parameter');
    const text = r.text(r.get(block, 'text'), joinPath(p, 'text'));
    if (text === '') r.fail(joinPath(p, 'text'), `'${joinPath(p, 'text')}' must be non-empty.`);
    if (text.trim() !== '') out.push(withCacheControl<TextPart>(r, block, p, { type: 'text', text }));
  }
  return out;
}

function readMessages(r: RequestReader, value: unknown): ChatRequest['messages'] {
  if (value === undefined) return r.fail('messages', "'messages' is required.");
  const list = r.array(value, 'messages');
  if (list.length === 0) r.fail('messages', "'messages' must contain at least one message.");
  if (list.length > r.limits.maxMessages) {
    r.fail('messages', `'messages' has ${list.length} messages; the maximum is ${r.limits.maxMessages}.`);
  }
  const turns: Turn[] = [];
  const toolUseIds = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const path = indexPath('messages', i);
    const m = r.object(list[i], path);
    r.checkKeys(m, path, MESSAGE_KEYS, 'parameter');
    const rolePath = joinPath(path, 'role');
    if (r.get(m, 'role') === undefined) r.fail(rolePath, `'${rolePath}' is required.`);
    const role = r.oneOf(r.get(m, 'role'), rolePath, ['user', 'assistant']);
    const contentPath = joinPath(path, 'content');
    const content = r.get(m, 'content');
    if (content === undefined) r.fail(contentPath, `'${contentPath}' is required.`);
    const parts = role === 'user' ? readUserContent(r, content, contentPath, toolUseIds) : readAssistantContent(r, content, contentPath, toolUseIds);
    if (parts.length > 0) turns.push({ role, content: parts });
  }
  if (turns.length === 0) r.fail('messages', "'messages' must contain at least one message with content.");
  return mergeConsecutiveTurns(turns);
}

function blockType(r: RequestReader, block: JsonObject, path: string, allowed: readonly string[]): string {
  const typePath = joinPath(path, 'type');
  const type = r.get(block, 'type');
  if (type === undefined) r.fail(typePath, `'${typePath}' is required.`);
  if (typeof type === 'string' && Object.hasOwn(UNSUPPORTED_BLOCKS, type)) r.fail(typePath, UNSUPPORTED_BLOCKS[type] ?? '');
  return r.oneOf(type, typePath, allowed);
}

function readUserContent(r: RequestReader, value: unknown, path: string, toolUseIds: ReadonlySet<string>): ContentPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: r.text(value, path, { nonBlank: true }) }];
  const blocks = r.contentArray(value, path, 'content blocks');
  if (blocks.length === 0) r.fail(path, `'${path}' must not be an empty array.`);
  const out: ContentPart[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const p = indexPath(path, i);
    const block = r.object(blocks[i], p);
    switch (blockType(r, block, p, ['text', 'image', 'tool_result'])) {
      case 'text':
        r.checkKeys(block, p, TEXT_KEYS, 'parameter');
        out.push(withCacheControl<TextPart>(r, block, p, { type: 'text', text: r.text(r.get(block, 'text'), joinPath(p, 'text'), { nonBlank: true }) }));
        break;
      case 'image':
        out.push(readImage(r, block, p));
        break;
      default:
        out.push(readToolResult(r, block, p, toolUseIds));
    }
  }
  return out;
}

function readAssistantContent(r: RequestReader, value: unknown, path: string, toolUseIds: Set<string>): ContentPart[] {
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: r.text(value, path) }];
  const blocks = r.contentArray(value, path, 'content blocks');
  const out: ContentPart[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const p = indexPath(path, i);
    const block = r.object(blocks[i], p);
    switch (blockType(r, block, p, ['text', 'tool_use', 'thinking', 'redacted_thinking'])) {
      case 'text': {
        r.checkKeys(block, p, TEXT_KEYS, 'parameter');
        const text = r.text(r.get(block, 'text'), joinPath(p, 'text'));
        if (text !== '') out.push(withCacheControl<TextPart>(r, block, p, { type: 'text', text }));
        break;
      }
      case 'tool_use': {
        r.checkKeys(block, p, TOOL_USE_KEYS, 'parameter');
        const id = r.string(r.get(block, 'id'), joinPath(p, 'id'), { nonEmpty: true, maxLength: 512 });
        if (toolUseIds.has(id)) r.fail(joinPath(p, 'id'), `Duplicate tool_use id '${id}' at '${joinPath(p, 'id')}'.`);
        toolUseIds.add(id);
        const name = readToolName(r, r.get(block, 'name'), joinPath(p, 'name'));
        const inputPath = joinPath(p, 'input');
        const input = r.get(block, 'input');
        if (input === undefined) r.fail(inputPath, `'${inputPath}' is required.`);
        out.push(withCacheControl<ToolCallPart>(r, block, p, { type: 'tool_call', id, name, arguments: JSON.stringify(r.jsonObject(input, inputPath)) }));
        break;
      }
      case 'thinking': {
        r.checkKeys(block, p, THINKING_KEYS, 'parameter');
        const text = r.text(r.get(block, 'thinking'), joinPath(p, 'thinking'));
        const signature = r.get(block, 'signature');
        if (signature === undefined) out.push({ type: 'thinking', text });
        else out.push({ type: 'thinking', text, signature: r.string(signature, joinPath(p, 'signature')) });
        break;
      }
      default: {
        r.checkKeys(block, p, REDACTED_THINKING_KEYS, 'parameter');
        const data = r.string(r.get(block, 'data'), joinPath(p, 'data'), { nonEmpty: true });
        out.push({ type: 'thinking', text: '', redactedData: data });
      }
    }
  }
  return out;
}

function readImage(r: RequestReader, block: JsonObject, path: string): ImagePart {
  r.checkKeys(block, path, IMAGE_KEYS, 'parameter');
  const sourcePath = joinPath(path, 'source');
  const sourceValue = r.get(block, 'source');
  if (sourceValue === undefined) r.fail(sourcePath, `'${sourcePath}' is required.`);
  const source = r.object(sourceValue, sourcePath);
  const typePath = joinPath(sourcePath, 'type');
  if (r.get(source, 'type') === 'file') r.fail(typePath, 'Image sources of type \'file\' (Files API) are not supported by the gateway.');
  const type = r.oneOf(r.get(source, 'type'), typePath, ['base64', 'url']);
  let image: ImageSource;
  if (type === 'base64') {
    r.checkKeys(source, sourcePath, BASE64_SOURCE_KEYS, 'parameter');
    const mediaType = r.oneOf(r.get(source, 'media_type'), joinPath(sourcePath, 'media_type'), IMAGE_MEDIA_TYPES);
    image = { kind: 'base64', mediaType, data: readBase64(r, r.get(source, 'data'), joinPath(sourcePath, 'data')) };
  } else {
    r.checkKeys(source, sourcePath, URL_SOURCE_KEYS, 'parameter');
    const urlPath = joinPath(sourcePath, 'url');
    const url = r.string(r.get(source, 'url'), urlPath, { nonEmpty: true });
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) r.fail(urlPath, `'${urlPath}' must be an http(s) URL.`);
    image = { kind: 'url', url };
  }
  return withCacheControl<ImagePart>(r, block, path, { type: 'image', source: image });
}

function readToolResult(r: RequestReader, block: JsonObject, path: string, toolUseIds: ReadonlySet<string>): ToolResultPart {
  r.checkKeys(block, path, TOOL_RESULT_KEYS, 'parameter');
  const idPath = joinPath(path, 'tool_use_id');
  const id = r.string(r.get(block, 'tool_use_id'), idPath, { nonEmpty: true, maxLength: 512 });
  if (!toolUseIds.has(id)) r.fail(idPath, `'${idPath}' is '${id.slice(0, 100)}', which matches no tool_use block of an earlier assistant message.`);
  const contentPath = joinPath(path, 'content');
  const value = r.get(block, 'content');
  const content: (TextPart | ImagePart)[] = [];
  if (typeof value === 'string') {
    if (value !== '') content.push({ type: 'text', text: r.text(value, contentPath) });
  } else if (value !== undefined) {
    const blocks = r.contentArray(value, contentPath, 'content blocks');
    for (let i = 0; i < blocks.length; i++) {
      const p = indexPath(contentPath, i);
      const inner = r.object(blocks[i], p);
      if (blockType(r, inner, p, ['text', 'image']) === 'text') {
        r.checkKeys(inner, p, TEXT_KEYS, 'parameter');
        const text = r.text(r.get(inner, 'text'), joinPath(p, 'text'));
        if (text !== '') content.push(withCacheControl<TextPart>(r, inner, p, { type: 'text', text }));
      } else {
        content.push(readImage(r, inner, p));
      }
    }
  }
  const isError = r.get(block, 'is_error');
  const part: ToolResultPart =
    isError === undefined ? { type: 'tool_result', toolCallId: id, content } : { type: 'tool_result', toolCallId: id, content, isError: r.boolean(isError, joinPath(path, 'is_error')) };
  return withCacheControl<ToolResultPart>(r, block, path, part);
}

function readTools(r: RequestReader, value: unknown): ToolDefinition[] | undefined {
  if (value === undefined) return undefined;
  const list = r.array(value, 'tools');
  if (list.length === 0) return undefined;
  if (list.length > r.limits.maxTools) r.fail('tools', `'tools' has ${list.length} tools; the maximum is ${r.limits.maxTools}.`);
  const names = new Set<string>();
  const out: ToolDefinition[] = [];
  for (let i = 0; i < list.length; i++) {
    const p = indexPath('tools', i);
    const tool = r.object(list[i], p);
    const type = r.get(tool, 'type');
    if (type !== undefined && type !== 'custom') {
      const shown = typeof type === 'string' ? `'${type.slice(0, 60)}'` : 'of this type';
      r.fail(joinPath(p, 'type'), `Server tool ${shown} at '${p}' is not supported by the gateway; only custom tools with an 'input_schema' are.`);
    }
    r.checkKeys(tool, p, TOOL_KEYS, 'parameter');
    const name = readToolName(r, r.get(tool, 'name'), joinPath(p, 'name'));
    if (names.has(name)) r.fail(joinPath(p, 'name'), `Duplicate tool name '${name}' at '${joinPath(p, 'name')}'.`);
    names.add(name);
    const schemaPath = joinPath(p, 'input_schema');
    const schemaValue = r.get(tool, 'input_schema');
    if (schemaValue === undefined) r.fail(schemaPath, `'${schemaPath}' is required.`);
    const schema = r.jsonObject(schemaValue, schemaPath);
    if (schema['type'] !== 'object') r.fail(joinPath(schemaPath, 'type'), `'${joinPath(schemaPath, 'type')}' must be 'object'.`);
    const def: Mutable<ToolDefinition> = { name, parameters: schema };
    const description = r.get(tool, 'description');
    if (description !== undefined) def.description = r.text(description, joinPath(p, 'description'));
    out.push(withCacheControl<ToolDefinition>(r, tool, p, def));
  }
  return out;
}

function readToolChoice(
  r: RequestReader,
  value: unknown,
  tools: readonly ToolDefinition[] | undefined,
): { choice: ToolChoice; parallel: boolean | undefined } {
  const obj = r.object(value, 'tool_choice');
  const type = r.oneOf(r.get(obj, 'type'), 'tool_choice.type', ['auto', 'any', 'tool', 'none']);
  r.checkKeys(obj, 'tool_choice', type === 'tool' ? new Set(['type', 'name', 'disable_parallel_tool_use']) : new Set(['type', 'disable_parallel_tool_use']), 'parameter');
  const disable = r.get(obj, 'disable_parallel_tool_use');
  const parallel = disable === undefined ? undefined : !r.boolean(disable, 'tool_choice.disable_parallel_tool_use');
  let choice: ToolChoice;
  if (type === 'tool') {
    const name = readToolName(r, r.get(obj, 'name'), 'tool_choice.name');
    if (tools !== undefined && !tools.some((t) => t.name === name)) {
      r.fail('tool_choice.name', `'tool_choice' names the tool '${name}', which is not in 'tools'.`);
    }
    choice = { type: 'tool', name };
  } else {
    choice = { type: type === 'any' ? 'required' : type };
  }
  if ((choice.type === 'required' || choice.type === 'tool') && tools === undefined) {
    r.fail('tool_choice', `'tool_choice' of type '${type}' needs 'tools'.`);
  }
  return { choice, parallel };
}
