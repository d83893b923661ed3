import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatIssues } from '../../artifact/parse-artifact.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { TrainOptionsInput } from './train-artifact.js';

const positiveInt = z.number().int().positive();
const unit = z.number().min(0).max(1);
const list = (item: z.ZodType<number>) => z.array(item).min(1);

/** The training config file: any subset of {@link TrainOptionsInput}, same names (camelCase). */
export const trainConfigSchema = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff),
    embedder: z
      .object({ dim: z.number().int().min(2).max(1024), buckets: positiveInt, wordBigrams: z.boolean(), charTrigrams: z.boolean(), maxChars: z.number().int().min(64) })
      .partial()
      .strict(),
    k: z.number().int().min(1),
    topP: z.number().int().min(1),
    clusterTemperature: z.number().positive(),
    shrinkage: z.number().min(0),
    search: z
      .object({ k: list(z.number().int().min(1)), topP: list(z.number().int().min(1)), clusterTemperature: list(z.number().positive()), shrinkage: list(z.number().min(0)) })
      .partial()
      .strict(),
    goodScore: unit,
    labelRule: z.enum(['any-good', 'router-choice']),
    outputTokens: positiveInt,
    validationFraction: z.number().gt(0).lt(1),
    alphaTolerance: z.number().min(0),
    gbdt: z
      .object({
        rounds: positiveInt,
        maxDepth: z.number().int().min(1).max(16),
        eta: z.number().positive(),
        lambda: z.number().min(0),
        gamma: z.number().min(0),
        minChildWeight: z.number().min(0),
        subsample: z.number().gt(0).max(1),
        colsampleBytree: z.number().gt(0).max(1),
        maxBin: z.number().int().min(2),
        earlyStoppingRounds: positiveInt,
      })
      .partial()
      .strict(),
    penalties: z.object({ ctxOver80pct: z.number().min(0), latencySd: z.number().min(0) }).partial().strict(),
  })
  .partial()
  .strict();

/** Validates a parsed config document; throws `caller_invalid_request` naming the bad field. */
export function parseTrainConfig(json: unknown, source: string): TrainOptionsInput {
  const r = trainConfigSchema.safeParse(json ?? {});
  if (!r.success) throw new GatewayError('caller_invalid_request', `training config ${source}: ${formatIssues(r.error.issues)}`);
  return r.data as TrainOptionsInput;
}

/** Reads a training config file (YAML or JSON). */
export function readTrainConfig(path: string): TrainOptionsInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `cannot read training config ${path}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `training config ${path} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0] ?? ''}`, { cause: err });
  }
  return parseTrainConfig(doc, path);
}
