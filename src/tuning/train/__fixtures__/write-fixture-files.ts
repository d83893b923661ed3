import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TINY_OPTIONS, TINY_PRICES, tinyDataset } from './tiny-dataset.js';

/** Writes the tiny dataset (every fifth record marked test), its prices and a fast config to a temp dir. */
export function writeFixtureFiles(): { dir: string; data: string; prices: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'heimdall-tuning-'));
  const data = join(dir, 'data.jsonl');
  const prices = join(dir, 'prices.json');
  const config = join(dir, 'config.json');
  const lines = tinyDataset().map((r, i) => JSON.stringify({ ...r, split: i % 5 === 0 ? 'test' : 'train' }));
  writeFileSync(data, `${lines.join('\n')}\n`);
  writeFileSync(prices, JSON.stringify(TINY_PRICES));
  writeFileSync(config, JSON.stringify(TINY_OPTIONS));
  return { dir, data, prices, config };
}
