import type { ChatMessage, ContentPart, ImageSource } from '../types/chat.js';
import type { RequestReader } from './request-reader.js';

/** Removes `readonly` so a parser can fill a result field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** OpenAI and Anthropic both restrict tool names to this alphabet; 128 leaves room for MCP-prefixed names. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

/** More stop sequences than this is abuse, not a use case (OpenAI itself allows 4). */
export const MAX_STOP_SEQUENCES = 64;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const IMAGE_MEDIA_TYPE = /^image\/[a-z0-9.+-]+$/;

export function readToolName(r: RequestReader, value: unknown, path: string): string {
  const name = r.string(value, path);
  if (!TOOL_NAME.test(name)) {
    r.fail(path, `Invalid '${path}': tool names must be 1-128 characters of letters, digits, '_' or '-'.`);
  }
  return name;
}

/** Validates standard base64 (padding optional) without decoding it. */
export function readBase64(r: RequestReader, value: unknown, path: string): string {
  const data = r.string(value, path);
  if (data === '' || !BASE64.test(data)) r.fail(path, `'${path}' must be non-empty base64 data.`);
  return data;
}

/** `data:image/png;base64,...` becomes a base64 source, `http(s)://` a URL source; anything else is refused. */
export function readImageUrl(r: RequestReader, value: unknown, path: string): ImageSource {
  const url = r.string(value, path, { nonEmpty: true });
  if (url.slice(0, 5).toLowerCase() === 'data:') {
    const comma = url.indexOf(',');
    if (comma < 0) r.fail(path, `'${path}' is not a valid data URL.`);
    const params = url.slice(5, comma).split(';');
    const mediaType = (params[0] ?? '').trim().toLowerCase();
    if (!IMAGE_MEDIA_TYPE.test(mediaType)) {
      r.fail(path, `'${path}' must be an image data URL (data:image/...;base64,...), got media type '${mediaType.slice(0, 50)}'.`);
    }
    if (!params.slice(1).some((p) => p.trim().toLowerCase() === 'base64')) {
      r.fail(path, `'${path}' must be a base64 data URL (data:${mediaType};base64,...).`);
    }
    return { kind: 'base64', mediaType, data: readBase64(r, url.slice(comma + 1), path) };
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    return r.fail(path, `'${path}' must be an http(s) URL or a base64 data URL.`);
  }
  return { kind: 'url', url };
}

export function readStopSequences(r: RequestReader, value: unknown, path: string): string[] {
  const list = typeof value === 'string' ? [value] : r.array(value, path);
  if (list.length > MAX_STOP_SEQUENCES) r.fail(path, `'${path}' has ${list.length} stop sequences; the maximum is ${MAX_STOP_SEQUENCES}.`);
  return list.map((s, i) => {
    const where = typeof value === 'string' ? path : `${path}[${i}]`;
    const text = r.text(s, where);
    if (text === '') r.fail(where, `'${where}' must not be an empty string.`);
    return text;
  });
}

/**
 * Merges consecutive turns of the same role, as Anthropic requires (and does itself): an OpenAI
 * run of `tool` messages followed by a `user` message becomes one user turn.
 */
export function mergeConsecutiveTurns(turns: ReadonlyArray<{ role: 'user' | 'assistant'; content: ContentPart[] }>): ChatMessage[] {
  const out: { role: 'user' | 'assistant'; content: ContentPart[] }[] = [];
  for (const turn of turns) {
    const last = out[out.length - 1];
    // A loop, not push(...spread): a single turn may hold more parts than the engine allows arguments.
    if (last !== undefined && last.role === turn.role) for (const part of turn.content) last.content.push(part);
    else out.push({ role: turn.role, content: turn.content.slice() });
  }
  return out;
}
