import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../errors/gateway-error.js';
import type { DatasetRecord, PriceTable } from '../dataset/dataset-record.js';

interface ScoreRow {
  question: string;
  scores: Record<string, number>;
}
interface QueryRow {
  task_name: string;
  query: string;
}
interface Candidate {
  input_price: number;
  output_price: number;
}

export interface ImportedDataset {
  readonly records: DatasetRecord[];
  readonly prices: PriceTable;
  readonly stats: { readonly train: number; readonly test: number; readonly droppedTrainOverlap: number; readonly unlabeled: number };
}

/**
 * Converts LLMRouter's public per-prompt x per-model scores (dcrouter_{train,test}.json joined to
 * query_{train,test}.jsonl on `query == question` for the task label) into Heimdall's dataset format.
 * A question present in both splits is kept once, as `test`, so nothing evaluated was trained on.
 * Prices come from the numeric fields of llm_candidates.json (its prose sometimes disagrees).
 */
export function importLlmRouter(dir: string): ImportedDataset {
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (err) {
      throw new GatewayError('caller_invalid_request', `cannot read ${join(dir, name)}: ${(err as Error).message}`, { cause: err });
    }
  };
  const train = JSON.parse(read('dcrouter_train.json')) as ScoreRow[];
  const test = JSON.parse(read('dcrouter_test.json')) as ScoreRow[];
  const task = new Map<string, string>();
  for (const f of ['query_train.jsonl', 'query_test.jsonl']) {
    for (const line of read(f).split('\n')) {
      if (!line.trim()) continue;
      const q = JSON.parse(line) as QueryRow;
      if (!task.has(q.query)) task.set(q.query, q.task_name);
    }
  }
  const candidates = JSON.parse(read('llm_candidates.json')) as Record<string, Candidate>;
  const testQuestions = new Set(test.map((r) => r.question));
  const records: DatasetRecord[] = [];
  let dropped = 0;
  let unlabeled = 0;
  const emit = (rows: ScoreRow[], split: 'train' | 'test'): void => {
    rows.forEach((r, i) => {
      if (split === 'train' && testQuestions.has(r.question)) {
        dropped++;
        return;
      }
      const t = task.get(r.question);
      if (t === undefined) unlabeled++;
      const scores: Record<string, number> = {};
      for (const m of Object.keys(r.scores).sort()) scores[m] = r.scores[m] as number;
      records.push({ id: `llmrouter-${split}-${String(i).padStart(5, '0')}`, prompt: r.question, ...(t ? { task: t } : {}), split, scores });
    });
  };
  emit(train, 'train');
  emit(test, 'test');
  const models = Object.keys(records[0]?.scores ?? {});
  const prices: Record<string, { input_per_mtok: number; output_per_mtok: number }> = {};
  for (const m of models) {
    const c = candidates[m];
    if (!c) throw new GatewayError('caller_invalid_request', `llm_candidates.json has no price for ${m}`);
    prices[m] = { input_per_mtok: c.input_price, output_per_mtok: c.output_price };
  }
  return {
    records,
    prices,
    stats: { train: records.filter((r) => r.split === 'train').length, test: records.filter((r) => r.split === 'test').length, droppedTrainOverlap: dropped, unlabeled },
  };
}
