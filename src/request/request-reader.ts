import { GatewayError } from '../errors/gateway-error.js';
import type { RequestLimits } from './request-limits.js';

/** A JSON object as read from a request body (never mutated). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Free-form JSON (schemas, `response_format`) is nested; this bounds recursion on hostile input. */
const MAX_JSON_DEPTH = 64;

type WellFormedString = string & { isWellFormed?: () => boolean };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` has no lone UTF-16 surrogate (which no provider accepts and JSON cannot round-trip). */
export function isWellFormedText(s: string): boolean {
  const native = (s as WellFormedString).isWellFormed;
  return typeof native === 'function' ? native.call(s) : !LONE_SURROGATE.test(s);
}

/** `a.b`, or `b` at the top level. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `a[3]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Names the JSON type of a value the way error messages talk about it. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return 'an infinite number';
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof value}`;
  }
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads an untrusted request body field by field. Every failure is a `caller_invalid_request`
 * naming the offending path (`messages[2].content[0].text`); it also keeps the request-wide text
 * budget. Only own properties are read, so prototype keys never leak in, and nothing is mutated.
 */
export class RequestReader {
  private textChars = 0;

  constructor(readonly limits: RequestLimits) {}

  /** Throws the one error a parser may throw; an empty `param` means the body as a whole. */
  fail(param: string, message: string): never {
    throw new GatewayError('caller_invalid_request', message, param === '' ? {} : { param });
  }

  typeError(path: string, expected: string, value: unknown): never {
    return this.fail(path, `Invalid type for '${path}': expected ${expected}, but got ${describeType(value)} instead.`);
  }

  /** An own property; `null` counts as absent because SDKs send it for "not given". */
  get(obj: JsonObject, key: string): unknown {
    if (!Object.hasOwn(obj, key)) return undefined;
    const value = obj[key];
    return value === null ? undefined : value;
  }

  object(value: unknown, path: string): JsonObject {
    if (!isPlainObject(value)) return this.typeError(path, 'an object', value);
    return value;
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) return this.typeError(path, 'an array', value);
    return value;
  }

  /** Message content: the caller already handled the string form, so this names both accepted forms. */
  contentArray(value: unknown, path: string, what: string): readonly unknown[] {
    if (!Array.isArray(value)) return this.typeError(path, `a string or an array of ${what}`, value);
    return value;
  }

  /** Rejects keys outside `known` (and silently accepts `ignored` ones), naming the first offender. */
  checkKeys(obj: JsonObject, path: string, known: ReadonlySet<string>, what: string): void {
    for (const key of Object.keys(obj)) {
      if (known.has(key)) continue;
      const where = joinPath(path, key);
      this.fail(where, `Unrecognized ${what} '${where}'.`);
    }
  }

  /** A string that is not text content: ids, names, enums. Still checked for lone surrogates. */
  string(value: unknown, path: string, options: { nonEmpty?: boolean; maxLength?: number } = {}): string {
    if (typeof value !== 'string') return this.typeError(path, 'a string', value);
    if (options.nonEmpty === true && value.trim() === '') this.fail(path, `'${path}' must be a non-empty string.`);
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      this.fail(path, `'${path}' is too long: ${value.length} characters, the maximum is ${options.maxLength}.`);
    }
    this.wellFormed(value, path);
    return value;
  }

  /** Text the model will read: counted against the request-wide budget and checked for lone surrogates. */
  text(value: unknown, path: string, options: { nonBlank?: boolean } = {}): string {
    if (typeof value !== 'string') return this.typeError(path, 'a string', value);
    this.countText(value, path);
    if (options.nonBlank === true && value.trim() === '') {
      this.fail(path, `'${path}' must contain non-whitespace text.`);
    }
    return value;
  }

  countText(value: string, path: string): void {
    this.textChars += value.length;
    if (this.textChars > this.limits.maxTextChars) {
      this.fail(path, `The request contains too much text: more than ${this.limits.maxTextChars} characters in total (limit reached at '${path}').`);
    }
    this.wellFormed(value, path);
  }

  wellFormed(value: string, path: string): void {
    if (!isWellFormedText(value)) {
      this.fail(path, `'${path}' contains a lone UTF-16 surrogate (invalid Unicode); encode the text as valid UTF-8/UTF-16.`);
    }
  }

  number(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number') return this.typeError(path, 'a number', value);
    if (!Number.isFinite(value)) this.fail(path, `'${path}' must be a finite number, but got ${describeType(value)}.`);
    if (value < min || value > max) this.fail(path, `'${path}' must be between ${min} and ${max}, but got ${value}.`);
    return value;
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.typeError(path, 'an integer', value);
    if (value < min) this.fail(path, `'${path}' must be at least ${min}, but got ${value}.`);
    if (value > max) this.fail(path, `'${path}' must be at most ${max}, but got ${value}.`);
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') return this.typeError(path, 'a boolean', value);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      const shown = typeof value === 'string' ? `'${value.slice(0, 100)}'` : describeType(value);
      return this.fail(path, `Invalid value for '${path}': expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, but got ${shown}.`);
    }
    return value as T;
  }

  /**
   * A validated deep copy of free-form JSON (a tool's schema, `response_format`): only JSON types,
   * finite numbers, well-formed strings, bounded depth. Its characters count against the text budget.
   */
  json(value: unknown, path: string, depth = 0): unknown {
    if (depth > MAX_JSON_DEPTH) this.fail(path, `'${path}' is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      this.countText(value, path);
      return value;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) this.fail(path, `'${path}' must be a finite number, but got ${describeType(value)}.`);
      return value;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) out.push(this.json(value[i], indexPath(path, i), depth + 1));
      return out;
    }
    if (isPlainObject(value)) return this.jsonObject(value, path, depth);
    return this.typeError(path, 'a JSON value', value);
  }

  jsonObject(value: unknown, path: string, depth = 0): Record<string, unknown> {
    const obj = this.object(value, path);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      const where = joinPath(path, key);
      this.countText(key, where);
      const copied = this.json(obj[key], where, depth + 1);
      // A plain assignment of `__proto__` would change the copy's prototype instead of adding a key.
      Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
