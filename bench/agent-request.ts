/**
 * A coding agent's request, ~180 KB, built from the vendored public prompts (shared by
 * `long-request.ts` and `routing-text.ts`): an Anthropic `/v1/messages` body with a 40,000-character
 * system prompt, 20 tools with descriptions and schemas, and 30 turns (user text, assistant tool
 * calls, 6,000-character tool results), closed by a last question that differs with `k`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { root } from './processes.js';

const rows = gunzipSync(readFileSync(join(root, 'data', 'public', 'llmrouter.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as { prompt: string });
let corpus = '';
for (const r of rows) {
  corpus += `${r.prompt}\n\n`;
  if (corpus.length > 400_000) break;
}
const system = corpus.slice(0, 40_000);
const tools = Array.from({ length: 20 }, (_, i) => ({
  name: `tool_${i}`,
  description: corpus.slice(50_000 + i * 800, 50_000 + i * 800 + 600),
  input_schema: { type: 'object', properties: { path: { type: 'string', description: 'a path' }, content: { type: 'string' }, limit: { type: 'integer' } }, required: ['path'] },
}));
const turns: unknown[] = [];
for (let i = 0; i < 10; i++) {
  const at = 100_000 + i * 12_000;
  turns.push({ role: 'user', content: [{ type: 'text', text: corpus.slice(at, at + 6_000) }] });
  turns.push({ role: 'assistant', content: [{ type: 'text', text: 'Reading the file.' }, { type: 'tool_use', id: `toolu_${i}`, name: 'tool_1', input: { path: `/src/file_${i}.ts` } }] });
  turns.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: corpus.slice(at + 6_000, at + 12_000) }] });
}

/** The request body as JSON text; `k` changes only the last question. */
export function agentRequestBody(k: number): string {
  return JSON.stringify({ model: 'auto', max_tokens: 4096, system, tools, messages: [...turns, { role: 'user', content: [{ type: 'text', text: `Now fix issue ${k}.` }] }] });
}
