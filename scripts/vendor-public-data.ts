/**
 * Regenerates data/public/ from the LLMRouter files (default ../shared/data/routing/llmrouter):
 * the converted dataset (gzip JSONL), its prices, licence and provenance. Deterministic output.
 * Usage: npx tsx scripts/vendor-public-data.ts [SOURCE_DIR]
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { importLlmRouter } from '../src/tuning/import/import-llmrouter.js';

const src = process.argv[2] ?? '../shared/data/routing/llmrouter';
const out = 'data/public';
mkdirSync(out, { recursive: true });
const { records, prices, stats } = importLlmRouter(src);
const jsonl = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
// mtime 0 in the gzip header keeps the file byte-identical across runs.
writeFileSync(`${out}/llmrouter.jsonl.gz`, gzipSync(Buffer.from(jsonl), { level: 9 }));
writeFileSync(`${out}/llmrouter-prices.json`, JSON.stringify(prices, null, 2) + '\n');
copyFileSync(`${src}/LICENSE`, `${out}/LICENSE-llmrouter`);
console.log(JSON.stringify(stats));
