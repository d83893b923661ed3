import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatMessage, ChatRequest, ImagePart, ReasoningEffort, ToolChoice, ToolResultPart } from '../../types/chat.js';
import { toGeminiSchema } from './to-gemini-schema.js';

/**
 * `thinkingBudget` for an effort-only reasoning request. Every value lies inside the range of all
 * Gemini 2.5 models (Pro 128-32768, Flash 0-24576, Flash-Lite 512-24576), so no clamp is needed.
 */
export const GEMINI_EFFORT_BUDGETS: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 512,
  low: 1024,
  medium: 4096,
  high: 16384,
};

/**
 * `thinkingLevel` for an effort-only request to Gemini 3+ (which prefers levels over budgets).
 * Only `low` and `high` are accepted by every Gemini 3 model, so the four efforts fold onto them.
 */
export const GEMINI_EFFORT_LEVELS: Readonly<Record<ReasoningEffort, 'low' | 'high'>> = {
  minimal: 'low',
  low: 'low',
  medium: 'high',
  high: 'high',
};

/**
 * Prefix of a Gemini `thoughtSignature` carried as a {@link ThinkingPart} signature (empty text),
 * placed right before the part the signature was attached to. The prefix keeps it from being sent
 * to Anthropic, which could not verify it.
 */
export const GEMINI_SIGNATURE_PREFIX = 'gemini:';

/**
 * Documented placeholder Gemini 3 accepts on a function call that has no signature of its own
 * (history from another model or from a client that dropped it); without one Gemini 3 answers 400.
 */
export const GEMINI_SKIP_SIGNATURE = 'skip_thought_signature_validator';

type GeminiPart = Record<string, unknown>;

interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

/**
 * Builds the body of `models/{model}:generateContent` (and `:streamGenerateContent`).
 *
 * - Roles: user -> `user`, assistant -> `model`; consecutive turns of one role are merged.
 * - Images: base64 and `data:` URLs -> `inlineData`; other URLs -> `fileData` (MIME type guessed
 *   from the extension, `image/jpeg` when unknown).
 * - Tool calls -> `functionCall` (arguments parsed; invalid JSON is `caller_invalid_request`).
 *   Tool results -> `functionResponse`, whose `name` comes from the latest earlier tool call with
 *   the same id; a JSON-object result is sent as is, anything else as `{content: text}` (or
 *   `{error: text}` when `isError`); images in a result follow as `inlineData`/`fileData` parts.
 * - Thought signatures (`gemini:` thinking parts): an empty one goes back on the next part, a
 *   signed thought goes back as a thought part; for Gemini 3+ an assistant turn whose calls carry
 *   no signature gets {@link GEMINI_SKIP_SIGNATURE} on its first call. Unsigned or foreign
 *   thinking is not sent (Gemini reads nothing from unsigned thought text).
 * - Tools -> `functionDeclarations` with schemas through {@link toGeminiSchema}; tool choice ->
 *   `toolConfig.functionCallingConfig` (AUTO / ANY / NONE / ANY + allowedFunctionNames).
 * - Reasoning: `budgetTokens` -> `thinkingConfig.thinkingBudget` (as given: the router clamps it);
 *   effort only -> {@link GEMINI_EFFORT_LEVELS} on Gemini 3+, {@link GEMINI_EFFORT_BUDGETS}
 *   otherwise; `includeThoughts` whenever reasoning is asked for. `enabled: false` without a budget
 *   sends nothing (Gemini 2.5 Pro cannot turn thinking off; the router sends budget 0 where it can).
 * - `responseFormat` `json_object` / `json_schema` -> `responseMimeType: application/json` (+ the
 *   converted `responseSchema`).
 * - Not sent: presence/frequency penalties and logit bias (several Gemini models answer 400 to the
 *   penalties), `user`, `metadata`, `parallelToolCalls`.
 */
export function convertToGeminiRequest(req: ChatRequest, model: string): Record<string, unknown> {
  const gemini3 = geminiMajorVersion(model) >= 3;
  const contents: GeminiContent[] = [];
  req.messages.forEach((message, i) => {
    const parts = convertMessage(req.messages, message, i, gemini3);
    if (parts.length === 0) return;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const prev = contents[contents.length - 1];
    if (prev !== undefined && prev.role === role) prev.parts.push(...parts);
    else contents.push({ role, parts });
  });

  const body: Record<string, unknown> = { contents };
  if (req.system.length > 0) body['systemInstruction'] = { parts: req.system.map((p) => ({ text: p.text })) };

  const tools = req.tools ?? [];
  if (tools.length > 0) {
    body['tools'] = [
      {
        functionDeclarations: tools.map((t) => {
          const parameters = toGeminiSchema(t.parameters);
          return {
            name: t.name,
            ...(t.description === undefined ? {} : { description: t.description }),
            ...(parameters === undefined ? {} : { parameters }),
          };
        }),
      },
    ];
    if (req.toolChoice !== undefined) body['toolConfig'] = { functionCallingConfig: convertToolChoice(req.toolChoice) };
  }

  const config: Record<string, unknown> = {};
  if (req.maxOutputTokens !== undefined) config['maxOutputTokens'] = req.maxOutputTokens;
  if (req.temperature !== undefined) config['temperature'] = req.temperature;
  if (req.topP !== undefined) config['topP'] = req.topP;
  if (req.topK !== undefined) config['topK'] = req.topK;
  if (req.stop !== undefined && req.stop.length > 0) config['stopSequences'] = [...req.stop];
  if (req.seed !== undefined) config['seed'] = req.seed;
  Object.assign(config, convertResponseFormat(req.responseFormat));
  const thinking = convertReasoning(req, gemini3);
  if (thinking !== undefined) config['thinkingConfig'] = thinking;
  if (Object.keys(config).length > 0) body['generationConfig'] = config;
  return body;
}

/** The major version in a `gemini-<major>...` model id; 0 when the id has none. */
export function geminiMajorVersion(model: string): number {
  const match = /(?:^|\/)gemini-(\d+)/.exec(model);
  return match === null ? 0 : Number(match[1]);
}

function convertReasoning(req: ChatRequest, gemini3: boolean): Record<string, unknown> | undefined {
  const r = req.reasoning;
  if (r === undefined) return undefined;
  if (r.budgetTokens !== undefined) {
    return { thinkingBudget: r.budgetTokens, ...(r.budgetTokens !== 0 ? { includeThoughts: true } : {}) };
  }
  if (r.enabled === false) return undefined;
  if (r.effort !== undefined) {
    return gemini3
      ? { thinkingLevel: GEMINI_EFFORT_LEVELS[r.effort], includeThoughts: true }
      : { thinkingBudget: GEMINI_EFFORT_BUDGETS[r.effort], includeThoughts: true };
  }
  return r.enabled === true ? { includeThoughts: true } : undefined;
}

function convertResponseFormat(format: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  if (format === undefined) return {};
  if (format['type'] === 'json_object') return { responseMimeType: 'application/json' };
  if (format['type'] === 'json_schema') {
    const spec = format['json_schema'];
    const schema = typeof spec === 'object' && spec !== null ? toGeminiSchema((spec as Record<string, unknown>)['schema']) : undefined;
    return { responseMimeType: 'application/json', ...(schema === undefined ? {} : { responseSchema: schema }) };
  }
  return {};
}

function convertToolChoice(choice: ToolChoice): Record<string, unknown> {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

function convertMessage(all: ReadonlyArray<ChatMessage>, message: ChatMessage, index: number, gemini3: boolean): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let pendingSignature: string | undefined;
  const calls: GeminiPart[] = [];
  message.content.forEach((part, j) => {
    const param = `messages.${index}.content.${j}`;
    let out: GeminiPart[] = [];
    switch (part.type) {
      case 'text':
        out = [{ text: part.text }];
        break;
      case 'image':
        out = [convertImage(part)];
        break;
      case 'tool_call': {
        const call: GeminiPart = { functionCall: { name: part.name, args: parseArguments(part.arguments, part.name, param) } };
        calls.push(call);
        out = [call];
        break;
      }
      case 'tool_result':
        out = convertToolResult(all, index, part, param);
        break;
      case 'thinking': {
        if (message.role !== 'assistant' || part.signature?.startsWith(GEMINI_SIGNATURE_PREFIX) !== true) return;
        const signature = part.signature.slice(GEMINI_SIGNATURE_PREFIX.length);
        // A signed thought goes back as the thought part it came in; a bare signature rides on the next part.
        if (part.text !== '') parts.push({ text: part.text, thought: true, thoughtSignature: signature });
        else pendingSignature = signature;
        return;
      }
    }
    const head = out[0];
    if (pendingSignature !== undefined && head !== undefined && message.role === 'assistant') {
      head['thoughtSignature'] = pendingSignature;
      pendingSignature = undefined;
    }
    parts.push(...out);
  });
  if (message.role !== 'assistant') return parts;
  // A signature that preceded nothing (Gemini streams it on an empty closing part) goes back that way.
  if (pendingSignature !== undefined) parts.push({ text: '', thoughtSignature: pendingSignature });
  const firstCall = calls[0];
  if (gemini3 && firstCall !== undefined && calls.every((c) => c['thoughtSignature'] === undefined)) {
    firstCall['thoughtSignature'] = GEMINI_SKIP_SIGNATURE;
  }
  return parts;
}

function convertToolResult(all: ReadonlyArray<ChatMessage>, index: number, part: ToolResultPart, param: string): GeminiPart[] {
  const name = findToolName(all, index, part.toolCallId);
  if (name === undefined) {
    throw new GatewayError('caller_invalid_request', `Tool result '${part.toolCallId}' does not answer any earlier tool call`, {
      param: `${param}.toolCallId`,
    });
  }
  const text = part.content
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  const images = part.content.filter((c): c is ImagePart => c.type === 'image').map(convertImage);
  return [{ functionResponse: { name, response: toResponseObject(text, part.isError === true) } }, ...images];
}

function toResponseObject(text: string, isError: boolean): Record<string, unknown> {
  if (isError) return { error: text };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Plain text result.
  }
  return { content: text };
}

/** Tool-call ids may repeat across turns (Gemini's are per response), so the nearest earlier call wins. */
function findToolName(all: ReadonlyArray<ChatMessage>, before: number, id: string): string | undefined {
  for (let i = before; i >= 0; i--) {
    const msg = all[i];
    if (msg === undefined) continue;
    for (let j = msg.content.length - 1; j >= 0; j--) {
      const p = msg.content[j];
      if (p?.type === 'tool_call' && p.id === id) return p.name;
    }
  }
  return undefined;
}

function parseArguments(text: string, name: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('caller_invalid_request', `Arguments of tool call '${name}' are not valid JSON`, { param: `${param}.arguments`, cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError('caller_invalid_request', `Arguments of tool call '${name}' must be a JSON object`, { param: `${param}.arguments` });
  }
  return value as Record<string, unknown>;
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
};

function convertImage(part: ImagePart): GeminiPart {
  const src = part.source;
  if (src.kind === 'base64') return { inlineData: { mimeType: src.mediaType, data: src.data } };
  const inline = /^data:([^;,]+);base64,(.*)$/s.exec(src.url);
  if (inline !== null) return { inlineData: { mimeType: inline[1] ?? '', data: inline[2] ?? '' } };
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(src.url)?.[1]?.toLowerCase();
  return { fileData: { mimeType: (ext === undefined ? undefined : MIME_BY_EXTENSION[ext]) ?? 'image/jpeg', fileUri: src.url } };
}
