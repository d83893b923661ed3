import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';
import type { DatasetRecord, PriceTable } from './dataset-record.js';

const score = z.number().finite().min(0).max(1);
const messageSchema = z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]) }).loose();
const recordSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]),
    prompt: z.union([z.string().min(1), z.array(messageSchema).min(1)]),
    task: z.string().optional(),
    split: z.enum(['train', 'test']).optional(),
    scores: z.record(z.string(), score),
    costs: z.record(z.string(), z.number().finite().min(0)).optional(),
  })
  .strict();

/** A row that was not used, and why (1-based line number). */
export interface DatasetProblem {
  readonly line: number;
  readonly message: string;
}

export interface ReadDatasetOptions {
  /** Models every record must score; a record missing one is a problem. Default: the first record's models. */
  readonly models?: readonly string[];
  /** `skip` reports bad rows and goes on; `reject` fails on the first. */
  readonly onBadRow?: 'skip' | 'reject';
}

export interface Dataset {
  readonly records: readonly DatasetRecord[];
  readonly models: readonly string[];
  readonly problems: readonly DatasetProblem[];
}

/** Reads a JSONL (or .jsonl.gz) dataset, validating every row; see {@link parseDataset}. */
export function readDataset(path: string, options: ReadDatasetOptions = {}): Dataset {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `cannot read dataset ${path}: ${(err as Error).message}`, { cause: err });
  }
  const text = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return parseDataset(text, options);
}

/**
 * Validates dataset text. Bad rows (invalid JSON, missing or non-numeric scores, scores out of range,
 * unknown or missing models, duplicate ids or prompts) are reported with their line numbers and
 * never silently used: skipped (default) or, with `onBadRow: 'reject'`, fatal.
 */
export function parseDataset(text: string, options: ReadDatasetOptions = {}): Dataset {
  const records: DatasetRecord[] = [];
  const problems: DatasetProblem[] = [];
  let models = options.models ? [...options.models] : undefined;
  const ids = new Set<string>();
  const prompts = new Set<string>();
  const lines = text.split('\n');
  const fail = (line: number, message: string): void => {
    if (options.onBadRow === 'reject') throw new GatewayError('caller_invalid_request', `dataset line ${line}: ${message}`);
    problems.push({ line, message });
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    const lineNo = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      fail(lineNo, 'not valid JSON');
      continue;
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(lineNo, `${issue?.path.join('.') || '(record)'}: ${issue?.message ?? 'invalid'}`);
      continue;
    }
    const r = parsed.data;
    const names = Object.keys(r.scores).sort();
    models ??= names;
    const missing = models.filter((m) => !(m in r.scores));
    const unknown = names.filter((m) => !models?.includes(m));
    if (missing.length > 0) {
      fail(lineNo, `missing scores for ${missing.join(', ')}`);
      continue;
    }
    if (unknown.length > 0) {
      fail(lineNo, `unknown models ${unknown.join(', ')}`);
      continue;
    }
    const id = String(r.id);
    const prompt = typeof r.prompt === 'string' ? r.prompt : lastUserText(r.prompt);
    if (prompt.trim() === '') {
      fail(lineNo, 'prompt has no user text');
      continue;
    }
    if (ids.has(id)) {
      fail(lineNo, `duplicate id ${id}`);
      continue;
    }
    if (prompts.has(prompt)) {
      fail(lineNo, `duplicate prompt (id ${id})`);
      continue;
    }
    ids.add(id);
    prompts.add(prompt);
    records.push({
      id,
      prompt,
      ...(r.task !== undefined ? { task: r.task } : {}),
      ...(r.split !== undefined ? { split: r.split } : {}),
      scores: r.scores,
      ...(r.costs !== undefined ? { costs: r.costs } : {}),
    });
  }
  if (records.length === 0) throw new GatewayError('caller_invalid_request', `dataset has no usable records (${problems.length} bad rows)`);
  return { records, models: models ?? [], problems };
}

/** Reads a prices file `{ model: { input_per_mtok, output_per_mtok } }`. */
export function readPrices(path: string): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `cannot read prices ${path}: ${(err as Error).message}`, { cause: err });
  }
  const schema = z.record(z.string(), z.object({ input_per_mtok: z.number().finite().min(0), output_per_mtok: z.number().finite().min(0) }).strict());
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatewayError('caller_invalid_request', `prices ${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function lastUserText(messages: readonly { role: string; content: string | readonly unknown[] }[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    return m.content
      .map((p) => (typeof p === 'object' && p !== null && 'text' in p && typeof p.text === 'string' ? p.text : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}
