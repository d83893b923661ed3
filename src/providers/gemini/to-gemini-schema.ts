/**
 * Schema keys Gemini's `Schema` (a subset of OpenAPI 3.0) accepts. Anything else (`$schema`,
 * `additionalProperties`, `$ref`/`$defs`, `const`, `oneOf`, `allOf`, `examples`, `not`, `if`, ...)
 * makes the API answer 400 "Unknown name", so it is dropped (or rewritten, see below).
 */
const PASSTHROUGH_KEYS = new Set([
  'description',
  'title',
  'nullable',
  'enum',
  'required',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'example',
  'default',
  'propertyOrdering',
]);

/** String formats the Gemini Developer API accepts; others are rejected, so they are dropped. */
const STRING_FORMATS = new Set(['enum', 'date-time']);

/**
 * Converts a JSON Schema into the OpenAPI subset Gemini accepts for `functionDeclarations[].parameters`
 * and `responseSchema`. Rewrites: `type: [T, 'null']` -> `type: T, nullable: true`; `const: v` ->
 * `enum: [v]`; `oneOf` -> `anyOf`; an `anyOf` branch `{type: 'null'}` -> `nullable: true`; enum values
 * become strings (Gemini enums are string-only). Unsupported keys are dropped, so a schema that
 * relied on `$ref` loses that constraint. Returns `undefined` for an object schema with no
 * properties: Gemini rejects `{type: 'object'}` with empty `properties` as a parameter schema.
 */
export function toGeminiSchema(schema: unknown): Record<string, unknown> | undefined {
  const out = convert(schema);
  if (out === undefined) return undefined;
  const props = out['properties'];
  if (out['type'] === 'object' && (props === undefined || Object.keys(props as object).length === 0)) return undefined;
  return out;
}

function convert(schema: unknown): Record<string, unknown> | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const src = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};

  const type = src['type'];
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    if (nonNull.length !== type.length) out['nullable'] = true;
    if (nonNull.length === 1) out['type'] = nonNull[0];
    else if (nonNull.length > 1) out['anyOf'] = nonNull.map((t) => ({ type: t }));
  } else if (typeof type === 'string') {
    out['type'] = type;
  }

  for (const [key, value] of Object.entries(src)) {
    if (PASSTHROUGH_KEYS.has(key)) out[key] = value;
  }
  if (Array.isArray(out['enum'])) out['enum'] = (out['enum'] as unknown[]).filter((v) => v !== null).map(String);
  if ('const' in src && src['const'] !== null && src['const'] !== undefined) out['enum'] = [String(src['const'])];
  if (Array.isArray(out['enum']) && out['type'] === undefined) out['type'] = 'string';

  const format = src['format'];
  if (typeof format === 'string' && (out['type'] !== 'string' || STRING_FORMATS.has(format))) out['format'] = format;

  const props = src['properties'];
  if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
    const converted: Record<string, unknown> = {};
    for (const [name, sub] of Object.entries(props)) converted[name] = convert(sub) ?? {};
    out['properties'] = converted;
    if (Array.isArray(out['required'])) {
      // Gemini rejects `required` names that are not declared properties.
      out['required'] = (out['required'] as unknown[]).filter((n) => typeof n === 'string' && n in converted);
    }
  } else {
    delete out['required'];
  }

  const items = src['items'];
  if (items !== undefined) {
    const converted = convert(Array.isArray(items) ? items[0] : items);
    if (converted !== undefined) out['items'] = converted;
  }

  const union = src['anyOf'] ?? src['oneOf'];
  if (Array.isArray(union)) {
    const branches = union.filter((b) => !isNullSchema(b)).map((b) => convert(b) ?? {});
    if (branches.length !== union.length) out['nullable'] = true;
    if (branches.length === 1) Object.assign(out, branches[0]);
    else if (branches.length > 1) out['anyOf'] = branches;
  }
  return out;
}

function isNullSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as Record<string, unknown>)['type'] === 'null';
}
