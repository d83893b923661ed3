import type {
  ChatRequest,
  ContentPart,
  ImagePart,
  ReasoningRequest,
  TextPart,
  ToolChoice,
  ToolDefinition,
} from '../types/chat.js';
import {
  type Mutable,
  mergeConsecutiveTurns,
  readImageUrl,
  readStopSequences,
  readToolName,
} from './content-helpers.js';
import { type RequestLimits, resolveRequestLimits } from './request-limits.js';
import { type JsonObject, RequestReader, indexPath, joinPath } from './request-reader.js';

/**
 * Every top-level key the parser knows. Unknown keys are rejected by name (OpenAI does the same),
 * so a typo like `max_token` fails loudly instead of being silently ignored.
 */
const TOP_LEVEL_KEYS = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_tokens',
  'max_completion_tokens',
  'stream',
  'stream_options',
  'reasoning_effort',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'user',
  'response_format',
  'frequency_penalty',
  'presence_penalty',
  'metadata',
  'store',
  'service_tier',
  'logit_bias',
  // Accepted only in their neutral form (n=1, logprobs=false, text modality); otherwise a clear error.
  'n',
  'logprobs',
  'top_logprobs',
  'audio',
  'modalities',
  'functions',
  'function_call',
  'web_search_options',
  // Harmless keys SDKs and agents send: validated, then ignored (they never change what is generated).
  'prompt_cache_key',
  'safety_identifier',
  'prediction',
  'verbosity',
  // Extensions common among OpenAI-compatible gateways (vLLM, OpenRouter).
  'top_k',
  'reasoning',
]);

const SYSTEM_KEYS = new Set(['role', 'content', 'name']);
const USER_KEYS = new Set(['role', 'content', 'name']);
const ASSISTANT_KEYS = new Set(['role', 'content', 'name', 'tool_calls', 'refusal', 'audio', 'function_call', 'reasoning_content', 'reasoning']);
const TOOL_MESSAGE_KEYS = new Set(['role', 'content', 'tool_call_id']);
const TEXT_PART_KEYS = new Set(['type', 'text', 'cache_control']);
const IMAGE_PART_KEYS = new Set(['type', 'image_url', 'cache_control']);
const IMAGE_URL_KEYS = new Set(['url', 'detail']);
const REFUSAL_PART_KEYS = new Set(['type', 'refusal']);
const TOOL_CALL_KEYS = new Set(['id', 'type', 'function']);
const TOOL_CALL_FUNCTION_KEYS = new Set(['name', 'arguments']);
const TOOL_KEYS = new Set(['type', 'function']);
const FUNCTION_KEYS = new Set(['name', 'description', 'parameters', 'strict']);
const STREAM_OPTIONS_KEYS = new Set(['include_usage', 'include_obfuscation']);
const RESPONSE_FORMAT_KEYS = new Set(['type', 'json_schema']);
const JSON_SCHEMA_KEYS = new Set(['name', 'description', 'schema', 'strict']);
const REASONING_KEYS = new Set(['effort', 'max_tokens', 'enabled', 'exclude']);

const MAX_METADATA_KEYS = 16;
const MAX_LOGIT_BIAS_ENTRIES = 1_024;
const EMPTY_OBJECT_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({ type: 'object', properties: {} });

type Turn = { role: 'user' | 'assistant'; content: ContentPart[] };

/**
 * Parses an OpenAI `/v1/chat/completions` request body into a {@link ChatRequest}.
 *
 * Mapping: `system`/`developer` messages (wherever they appear) become `system`; `tool` messages
 * become `tool_result` parts of a user turn; assistant `tool_calls` become `tool_call` parts;
 * consecutive same-role turns are merged. Decisions: the legacy `functions`/`function_call` API is
 * rejected (use `tools`), `reasoning_effort: 'none'` means reasoning disabled, an assistant message
 * with empty content and no tool calls is dropped, and assistant `reasoning_content` is ignored
 * (it carries no signature a provider would accept back).
 *
 * @throws GatewayError `caller_invalid_request`, naming the offending field in `param`. Never anything else.
 */
export function parseOpenAIChatRequest(body: unknown, limits?: Partial<RequestLimits>): ChatRequest {
  const r = new RequestReader(resolveRequestLimits(limits));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return r.fail('', 'The request body must be a JSON object.');
  }
  const b = r.object(body, 'body');
  r.checkKeys(b, '', TOP_LEVEL_KEYS, 'request argument');
  rejectUnsupported(r, b);

  const model = r.get(b, 'model');
  if (model === undefined) r.fail('model', "'model' is required.");
  const out: Mutable<ChatRequest> = {
    format: 'openai',
    model: r.string(model, 'model', { nonEmpty: true, maxLength: 256 }),
    system: [],
    messages: [],
    stream: false,
  };

  const tools = readTools(r, r.get(b, 'tools'));
  const { system, messages } = readMessages(r, r.get(b, 'messages'));
  out.system = system;
  out.messages = messages;
  if (tools !== undefined) out.tools = tools;

  const toolChoice = r.get(b, 'tool_choice');
  if (toolChoice !== undefined) out.toolChoice = readToolChoice(r, toolChoice, tools);
  const parallel = r.get(b, 'parallel_tool_calls');
  if (parallel !== undefined) out.parallelToolCalls = r.boolean(parallel, 'parallel_tool_calls');

  const maxCompletion = r.get(b, 'max_completion_tokens');
  const maxTokens = r.get(b, 'max_tokens');
  if (maxCompletion !== undefined) {
    out.maxOutputTokens = r.integer(maxCompletion, 'max_completion_tokens', 1, r.limits.maxOutputTokens);
    // Both given: the newer field wins, but a contradicting legacy value is still a type-checked field.
    if (maxTokens !== undefined) r.integer(maxTokens, 'max_tokens', 1, r.limits.maxOutputTokens);
  } else if (maxTokens !== undefined) {
    out.maxOutputTokens = r.integer(maxTokens, 'max_tokens', 1, r.limits.maxOutputTokens);
  }

  const stream = r.get(b, 'stream');
  if (stream !== undefined) out.stream = r.boolean(stream, 'stream');
  const streamOptions = r.get(b, 'stream_options');
  if (streamOptions !== undefined) {
    if (!out.stream) r.fail('stream_options', "'stream_options' is only allowed when 'stream' is true.");
    const so = r.object(streamOptions, 'stream_options');
    r.checkKeys(so, 'stream_options', STREAM_OPTIONS_KEYS, 'parameter');
    const includeUsage = r.get(so, 'include_usage');
    if (includeUsage !== undefined) out.includeUsage = r.boolean(includeUsage, 'stream_options.include_usage');
    const obfuscation = r.get(so, 'include_obfuscation');
    if (obfuscation !== undefined) r.boolean(obfuscation, 'stream_options.include_obfuscation');
  }

  const reasoning = readReasoning(r, b, out.maxOutputTokens);
  if (reasoning !== undefined) out.reasoning = reasoning;

  const temperature = r.get(b, 'temperature');
  if (temperature !== undefined) out.temperature = r.number(temperature, 'temperature', 0, 2);
  const topP = r.get(b, 'top_p');
  if (topP !== undefined) out.topP = r.number(topP, 'top_p', 0, 1);
  const topK = r.get(b, 'top_k');
  if (topK !== undefined) out.topK = r.integer(topK, 'top_k', 1, 1_000_000);
  const frequency = r.get(b, 'frequency_penalty');
  if (frequency !== undefined) out.frequencyPenalty = r.number(frequency, 'frequency_penalty', -2, 2);
  const presence = r.get(b, 'presence_penalty');
  if (presence !== undefined) out.presencePenalty = r.number(presence, 'presence_penalty', -2, 2);
  const seed = r.get(b, 'seed');
  if (seed !== undefined) out.seed = r.integer(seed, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

  const stop = r.get(b, 'stop');
  if (stop !== undefined) {
    const list = readStopSequences(r, stop, 'stop');
    if (list.length > 0) out.stop = list;
  }

  const user = r.get(b, 'user');
  const safetyId = r.get(b, 'safety_identifier');
  if (safetyId !== undefined) r.string(safetyId, 'safety_identifier', { maxLength: 512 });
  if (user !== undefined) out.user = r.string(user, 'user', { maxLength: 512 });
  else if (typeof safetyId === 'string' && safetyId !== '') out.user = safetyId;

  const responseFormat = r.get(b, 'response_format');
  if (responseFormat !== undefined) out.responseFormat = readResponseFormat(r, responseFormat);
  const metadata = r.get(b, 'metadata');
  if (metadata !== undefined) out.metadata = readMetadata(r, metadata);
  const logitBias = r.get(b, 'logit_bias');
  if (logitBias !== undefined) {
    const bias = readLogitBias(r, logitBias);
    if (Object.keys(bias).length > 0) out.logitBias = bias;
  }

  readIgnored(r, b);
  return out;
}

function rejectUnsupported(r: RequestReader, b: JsonObject): void {
  const n = r.get(b, 'n');
  if (n !== undefined && r.integer(n, 'n', 1, 128) !== 1) {
    r.fail('n', "'n' greater than 1 is not supported: the gateway returns exactly one choice.");
  }
  const logprobs = r.get(b, 'logprobs');
  if (logprobs !== undefined && r.boolean(logprobs, 'logprobs')) r.fail('logprobs', "'logprobs' is not supported by the gateway.");
  if (r.get(b, 'top_logprobs') !== undefined) r.fail('top_logprobs', "'top_logprobs' is not supported by the gateway.");
  if (r.get(b, 'audio') !== undefined) r.fail('audio', "Audio output ('audio') is not supported by the gateway.");
  const modalities = r.get(b, 'modalities');
  if (modalities !== undefined) {
    const list = r.array(modalities, 'modalities');
    list.forEach((m, i) => {
      if (r.string(m, indexPath('modalities', i)) !== 'text') {
        r.fail(indexPath('modalities', i), "Only the 'text' output modality is supported by the gateway.");
      }
    });
  }
  if (r.get(b, 'functions') !== undefined) {
    r.fail('functions', "The legacy 'functions' parameter is not supported; send 'tools' with type 'function' instead.");
  }
  if (r.get(b, 'function_call') !== undefined) {
    r.fail('function_call', "The legacy 'function_call' parameter is not supported; send 'tool_choice' instead.");
  }
  if (r.get(b, 'web_search_options') !== undefined) {
    r.fail('web_search_options', "'web_search_options' is not supported by the gateway.");
  }
}

/** Keys accepted for SDK compatibility: type-checked so garbage still fails, then dropped. */
function readIgnored(r: RequestReader, b: JsonObject): void {
  const store = r.get(b, 'store');
  if (store !== undefined) r.boolean(store, 'store');
  const tier = r.get(b, 'service_tier');
  if (tier !== undefined) r.oneOf(tier, 'service_tier', ['auto', 'default', 'flex', 'scale', 'priority']);
  const cacheKey = r.get(b, 'prompt_cache_key');
  if (cacheKey !== undefined) r.string(cacheKey, 'prompt_cache_key', { maxLength: 1024 });
  const prediction = r.get(b, 'prediction');
  if (prediction !== undefined) r.jsonObject(prediction, 'prediction');
  const verbosity = r.get(b, 'verbosity');
  if (verbosity !== undefined) r.oneOf(verbosity, 'verbosity', ['low', 'medium', 'high']);
}

function readMessages(r: RequestReader, value: unknown): { system: TextPart[]; messages: ChatRequest['messages'] } {
  if (value === undefined) return r.fail('messages', "'messages' is required.");
  const list = r.array(value, 'messages');
  if (list.length === 0) r.fail('messages', "'messages' must contain at least one message.");
  if (list.length > r.limits.maxMessages) {
    r.fail('messages', `'messages' has ${list.length} messages; the maximum is ${r.limits.maxMessages}.`);
  }
  const system: TextPart[] = [];
  const turns: Turn[] = [];
  const toolCallIds = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const path = indexPath('messages', i);
    const m = r.object(list[i], path);
    const role = r.get(m, 'role');
    if (role === undefined) r.fail(joinPath(path, 'role'), `'${joinPath(path, 'role')}' is required.`);
    switch (r.oneOf(role, joinPath(path, 'role'), ['system', 'developer', 'user', 'assistant', 'tool', 'function'])) {
      case 'system':
      case 'developer':
        r.checkKeys(m, path, SYSTEM_KEYS, 'parameter');
        readName(r, m, path);
        for (const part of readTextOnlyContent(r, r.get(m, 'content'), joinPath(path, 'content'), true)) {
          if (part.text.trim() !== '') system.push(part);
        }
        break;
      case 'user':
        r.checkKeys(m, path, USER_KEYS, 'parameter');
        readName(r, m, path);
        turns.push({ role: 'user', content: readUserContent(r, r.get(m, 'content'), joinPath(path, 'content')) });
        break;
      case 'assistant': {
        const content = readAssistant(r, m, path, toolCallIds);
        if (content.length > 0) turns.push({ role: 'assistant', content });
        break;
      }
      case 'tool':
        turns.push({ role: 'user', content: [readToolMessage(r, m, path, toolCallIds)] });
        break;
      case 'function':
        r.fail(joinPath(path, 'role'), "The legacy 'function' role is not supported; reply to tool calls with role 'tool'.");
    }
  }
  if (turns.length === 0) r.fail('messages', "'messages' must contain at least one user, assistant or tool message.");
  return { system, messages: mergeConsecutiveTurns(turns) };
}

function readName(r: RequestReader, m: JsonObject, path: string): void {
  const name = r.get(m, 'name');
  if (name !== undefined) r.string(name, joinPath(path, 'name'), { maxLength: 256 });
}

/** System, developer and tool content: a string or an array of text parts. */
function readTextOnlyContent(r: RequestReader, value: unknown, path: string, required: boolean): TextPart[] {
  if (value === undefined) {
    if (required) r.fail(path, `'${path}' is required.`);
    return [];
  }
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: r.text(value, path) }];
  const parts = r.contentArray(value, path, 'text parts');
  const out: TextPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = indexPath(path, i);
    const part = r.object(parts[i], p);
    const type = r.get(part, 'type');
    if (type !== 'text') r.fail(joinPath(p, 'type'), `Invalid value for '${joinPath(p, 'type')}': only 'text' parts are allowed here.`);
    r.checkKeys(part, p, TEXT_PART_KEYS, 'parameter');
    const text = r.text(r.get(part, 'text'), joinPath(p, 'text'));
    if (text !== '') out.push({ type: 'text', text });
  }
  return out;
}

function readUserContent(r: RequestReader, value: unknown, path: string): ContentPart[] {
  if (value === undefined) return r.fail(path, `'${path}' is required.`);
  if (typeof value === 'string') return [{ type: 'text', text: r.text(value, path, { nonBlank: true }) }];
  const parts = r.contentArray(value, path, 'content parts');
  if (parts.length === 0) r.fail(path, `'${path}' must not be an empty array.`);
  const out: ContentPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = indexPath(path, i);
    const part = r.object(parts[i], p);
    const typePath = joinPath(p, 'type');
    const type = r.get(part, 'type');
    if (type === undefined) r.fail(typePath, `'${typePath}' is required.`);
    switch (r.oneOf(type, typePath, ['text', 'image_url', 'input_audio', 'file'])) {
      case 'text':
        r.checkKeys(part, p, TEXT_PART_KEYS, 'parameter');
        out.push({ type: 'text', text: r.text(r.get(part, 'text'), joinPath(p, 'text'), { nonBlank: true }) });
        break;
      case 'image_url':
        r.checkKeys(part, p, IMAGE_PART_KEYS, 'parameter');
        out.push(readImagePart(r, r.get(part, 'image_url'), joinPath(p, 'image_url')));
        break;
      case 'input_audio':
        r.fail(typePath, `Audio input ('${typePath}': 'input_audio') is not supported by the gateway.`);
        break;
      case 'file':
        r.fail(typePath, `File input ('${typePath}': 'file') is not supported by the gateway; send the text or images instead.`);
    }
  }
  return out;
}

function readImagePart(r: RequestReader, value: unknown, path: string): ImagePart {
  if (value === undefined) return r.fail(path, `'${path}' is required.`);
  const img = r.object(value, path);
  r.checkKeys(img, path, IMAGE_URL_KEYS, 'parameter');
  const source = readImageUrl(r, r.get(img, 'url'), joinPath(path, 'url'));
  const detail = r.get(img, 'detail');
  if (detail === undefined) return { type: 'image', source };
  return { type: 'image', source, detail: r.oneOf(detail, joinPath(path, 'detail'), ['auto', 'low', 'high']) };
}

function readAssistant(r: RequestReader, m: JsonObject, path: string, toolCallIds: Set<string>): ContentPart[] {
  r.checkKeys(m, path, ASSISTANT_KEYS, 'parameter');
  readName(r, m, path);
  if (r.get(m, 'audio') !== undefined) r.fail(joinPath(path, 'audio'), "Assistant 'audio' is not supported by the gateway.");
  if (r.get(m, 'function_call') !== undefined) {
    r.fail(joinPath(path, 'function_call'), "The legacy 'function_call' is not supported; use 'tool_calls'.");
  }
  const out: ContentPart[] = [];
  const contentPath = joinPath(path, 'content');
  const content = r.get(m, 'content');
  if (typeof content === 'string') {
    if (content !== '') out.push({ type: 'text', text: r.text(content, contentPath) });
  } else if (content !== undefined) {
    const parts = r.contentArray(content, contentPath, 'content parts');
    for (let i = 0; i < parts.length; i++) {
      const p = indexPath(contentPath, i);
      const part = r.object(parts[i], p);
      const type = r.oneOf(r.get(part, 'type'), joinPath(p, 'type'), ['text', 'refusal']);
      r.checkKeys(part, p, type === 'text' ? TEXT_PART_KEYS : REFUSAL_PART_KEYS, 'parameter');
      const text = r.text(r.get(part, type), joinPath(p, type));
      if (text !== '') out.push({ type: 'text', text });
    }
  }
  const refusal = r.get(m, 'refusal');
  if (refusal !== undefined) {
    const text = r.text(refusal, joinPath(path, 'refusal'));
    if (text !== '' && out.length === 0) out.push({ type: 'text', text });
  }
  const toolCalls = r.get(m, 'tool_calls');
  if (toolCalls !== undefined) {
    const calls = r.array(toolCalls, joinPath(path, 'tool_calls'));
    for (let i = 0; i < calls.length; i++) {
      const p = indexPath(joinPath(path, 'tool_calls'), i);
      const call = r.object(calls[i], p);
      r.checkKeys(call, p, TOOL_CALL_KEYS, 'parameter');
      const id = r.string(r.get(call, 'id'), joinPath(p, 'id'), { nonEmpty: true, maxLength: 512 });
      if (toolCallIds.has(id)) r.fail(joinPath(p, 'id'), `Duplicate tool call id '${id}' at '${joinPath(p, 'id')}'.`);
      toolCallIds.add(id);
      const type = r.get(call, 'type');
      if (type !== undefined) r.oneOf(type, joinPath(p, 'type'), ['function']);
      const fnPath = joinPath(p, 'function');
      const fnValue = r.get(call, 'function');
      if (fnValue === undefined) r.fail(fnPath, `'${fnPath}' is required.`);
      const fn = r.object(fnValue, fnPath);
      r.checkKeys(fn, fnPath, TOOL_CALL_FUNCTION_KEYS, 'parameter');
      const name = readToolName(r, r.get(fn, 'name'), joinPath(fnPath, 'name'));
      const args = r.get(fn, 'arguments');
      const argumentsText = args === undefined ? '' : r.text(args, joinPath(fnPath, 'arguments'));
      out.push({ type: 'tool_call', id, name, arguments: argumentsText });
    }
  }
  if (content === undefined && toolCalls === undefined && refusal === undefined) {
    r.fail(contentPath, `'${contentPath}' is required unless 'tool_calls' is given.`);
  }
  return out;
}

function readToolMessage(r: RequestReader, m: JsonObject, path: string, toolCallIds: ReadonlySet<string>): ContentPart {
  r.checkKeys(m, path, TOOL_MESSAGE_KEYS, 'parameter');
  const idPath = joinPath(path, 'tool_call_id');
  const idValue = r.get(m, 'tool_call_id');
  if (idValue === undefined) r.fail(idPath, `'${idPath}' is required.`);
  const id = r.string(idValue, idPath, { nonEmpty: true, maxLength: 512 });
  if (!toolCallIds.has(id)) {
    r.fail(idPath, `'${idPath}' is '${id.slice(0, 100)}', which matches no tool call of an earlier assistant message.`);
  }
  return { type: 'tool_result', toolCallId: id, content: readTextOnlyContent(r, r.get(m, 'content'), joinPath(path, 'content'), true) };
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
    if (type === 'custom') r.fail(joinPath(p, 'type'), "Custom (free-form) tools are not supported; use tools of type 'function'.");
    r.oneOf(type, joinPath(p, 'type'), ['function']);
    r.checkKeys(tool, p, TOOL_KEYS, 'parameter');
    const fnPath = joinPath(p, 'function');
    const fnValue = r.get(tool, 'function');
    if (fnValue === undefined) r.fail(fnPath, `'${fnPath}' is required.`);
    const fn = r.object(fnValue, fnPath);
    r.checkKeys(fn, fnPath, FUNCTION_KEYS, 'parameter');
    const name = readToolName(r, r.get(fn, 'name'), joinPath(fnPath, 'name'));
    if (names.has(name)) r.fail(joinPath(fnPath, 'name'), `Duplicate tool name '${name}' at '${joinPath(fnPath, 'name')}'.`);
    names.add(name);
    const strict = r.get(fn, 'strict');
    if (strict !== undefined) r.boolean(strict, joinPath(fnPath, 'strict'));
    const params = r.get(fn, 'parameters');
    const def: Mutable<ToolDefinition> = {
      name,
      parameters: params === undefined ? Object.assign({}, EMPTY_OBJECT_SCHEMA, { properties: {} }) : r.jsonObject(params, joinPath(fnPath, 'parameters')),
    };
    const description = r.get(fn, 'description');
    if (description !== undefined) def.description = r.text(description, joinPath(fnPath, 'description'));
    out.push(def);
  }
  return out;
}

function readToolChoice(r: RequestReader, value: unknown, tools: readonly ToolDefinition[] | undefined): ToolChoice {
  let choice: ToolChoice;
  if (typeof value === 'string') {
    choice = { type: r.oneOf(value, 'tool_choice', ['none', 'auto', 'required']) };
  } else {
    const obj = r.object(value, 'tool_choice');
    const type = r.get(obj, 'type');
    if (type === 'allowed_tools' || type === 'custom') {
      r.fail('tool_choice.type', `'tool_choice' of type '${type}' is not supported; use 'auto', 'required', 'none' or a function.`);
    }
    r.oneOf(type, 'tool_choice.type', ['function']);
    r.checkKeys(obj, 'tool_choice', TOOL_KEYS, 'parameter');
    const fnValue = r.get(obj, 'function');
    if (fnValue === undefined) r.fail('tool_choice.function', "'tool_choice.function' is required.");
    const fn = r.object(fnValue, 'tool_choice.function');
    r.checkKeys(fn, 'tool_choice.function', new Set(['name']), 'parameter');
    const name = readToolName(r, r.get(fn, 'name'), 'tool_choice.function.name');
    if (tools !== undefined && !tools.some((t) => t.name === name)) {
      r.fail('tool_choice.function.name', `'tool_choice' names the function '${name}', which is not in 'tools'.`);
    }
    choice = { type: 'tool', name };
  }
  if ((choice.type === 'required' || choice.type === 'tool') && tools === undefined) {
    r.fail('tool_choice', `'tool_choice' '${choice.type === 'tool' ? choice.name : 'required'}' needs 'tools'.`);
  }
  return choice;
}

function readReasoning(r: RequestReader, b: JsonObject, maxOutputTokens: number | undefined): ReasoningRequest | undefined {
  const effortValue = r.get(b, 'reasoning_effort');
  const extension = r.get(b, 'reasoning');
  if (effortValue !== undefined && extension !== undefined) {
    r.fail('reasoning', "Send either 'reasoning_effort' or 'reasoning', not both.");
  }
  if (effortValue !== undefined) {
    const effort = r.oneOf(effortValue, 'reasoning_effort', ['none', 'minimal', 'low', 'medium', 'high']);
    return effort === 'none' ? { enabled: false } : { effort };
  }
  if (extension === undefined) return undefined;
  const obj = r.object(extension, 'reasoning');
  r.checkKeys(obj, 'reasoning', REASONING_KEYS, 'parameter');
  const out: Mutable<ReasoningRequest> = {};
  const effort = r.get(obj, 'effort');
  if (effort !== undefined) {
    const e = r.oneOf(effort, 'reasoning.effort', ['none', 'minimal', 'low', 'medium', 'high']);
    if (e === 'none') out.enabled = false;
    else out.effort = e;
  }
  const budget = r.get(obj, 'max_tokens');
  if (budget !== undefined) {
    out.budgetTokens = r.integer(budget, 'reasoning.max_tokens', 1, maxOutputTokens === undefined ? r.limits.maxOutputTokens : maxOutputTokens);
  }
  const enabled = r.get(obj, 'enabled');
  if (enabled !== undefined) {
    const on = r.boolean(enabled, 'reasoning.enabled');
    if (!on && (out.effort !== undefined || out.budgetTokens !== undefined)) {
      r.fail('reasoning.enabled', "'reasoning.enabled' is false but an effort or budget is set.");
    }
    if (out.enabled === undefined) out.enabled = on;
  }
  const exclude = r.get(obj, 'exclude');
  if (exclude !== undefined) r.boolean(exclude, 'reasoning.exclude');
  return Object.keys(out).length === 0 ? undefined : out;
}

function readResponseFormat(r: RequestReader, value: unknown): Record<string, unknown> {
  const obj = r.object(value, 'response_format');
  r.checkKeys(obj, 'response_format', RESPONSE_FORMAT_KEYS, 'parameter');
  const type = r.oneOf(r.get(obj, 'type'), 'response_format.type', ['text', 'json_object', 'json_schema']);
  const schema = r.get(obj, 'json_schema');
  if (type === 'json_schema') {
    if (schema === undefined) r.fail('response_format.json_schema', "'response_format.json_schema' is required when the type is 'json_schema'.");
    const js = r.object(schema, 'response_format.json_schema');
    r.checkKeys(js, 'response_format.json_schema', JSON_SCHEMA_KEYS, 'parameter');
    const name = r.string(r.get(js, 'name'), 'response_format.json_schema.name', { nonEmpty: true });
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      r.fail('response_format.json_schema.name', "'response_format.json_schema.name' must be 1-64 characters of letters, digits, '_' or '-'.");
    }
    const strict = r.get(js, 'strict');
    if (strict !== undefined) r.boolean(strict, 'response_format.json_schema.strict');
    const inner = r.get(js, 'schema');
    if (inner !== undefined) r.object(inner, 'response_format.json_schema.schema');
  } else if (schema !== undefined) {
    r.fail('response_format.json_schema', `'response_format.json_schema' is only allowed when the type is 'json_schema'.`);
  }
  return r.jsonObject(obj, 'response_format');
}

function readMetadata(r: RequestReader, value: unknown): Record<string, string> {
  const obj = r.object(value, 'metadata');
  const keys = Object.keys(obj);
  if (keys.length > MAX_METADATA_KEYS) r.fail('metadata', `'metadata' has ${keys.length} keys; the maximum is ${MAX_METADATA_KEYS}.`);
  const out: Record<string, string> = {};
  for (const key of keys) {
    const path = joinPath('metadata', key);
    r.string(key, path, { nonEmpty: true, maxLength: 64 });
    const v = r.string(obj[key], path, { maxLength: 512 });
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readLogitBias(r: RequestReader, value: unknown): Record<string, number> {
  const obj = r.object(value, 'logit_bias');
  const keys = Object.keys(obj);
  if (keys.length > MAX_LOGIT_BIAS_ENTRIES) {
    r.fail('logit_bias', `'logit_bias' has ${keys.length} entries; the maximum is ${MAX_LOGIT_BIAS_ENTRIES}.`);
  }
  const out: Record<string, number> = {};
  for (const key of keys) {
    const path = joinPath('logit_bias', key);
    if (!/^\d{1,10}$/.test(key)) r.fail(path, `'logit_bias' keys must be token ids (digits), got '${key.slice(0, 50)}'.`);
    Object.defineProperty(out, key, { value: r.number(obj[key], path, -100, 100), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
