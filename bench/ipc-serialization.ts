/**
 * `npx tsx bench/ipc-serialization.ts`: what a worker's decision-log flush costs on the cluster's IPC
 * channel with node's two serializations. A forked child stands in for the cluster primary; the
 * parent sends it store calls shaped like the gateway's (a 32-row INSERT whose parameters are the
 * rows of real decision records: the bundled artifact's decisions on the gateway bench's prompts,
 * with embeddings) and the child answers each as the store host does. Prints the CPU time per call
 * of sender (sending, and reading the answers) and receiver, medians of 5 rounds of 400 calls,
 * per serialization, the two alternating.
 */
import { spawn } from 'node:child_process';
import { createRoutingRuntime } from '../src/app/create-routing-runtime.js';
import { loadBundledCatalog } from '../src/catalog/load-bundled-catalog.js';
import { loadConfig } from '../src/config/load-config.js';
import { toRecord } from '../src/logs/create-decision-logger.js';
import { parseOpenAIChatRequest } from '../src/request/parse-openai-chat-request.js';
import { DECISION_COLUMNS, decisionParams } from '../src/store/create-sql-store.js';
import { STORE_CALL, STORE_REPLY } from '../src/store/store-channel.js';

const CHILD = `let calls = 0; let before = process.cpuUsage();
process.on('message', (m) => {
  if (m === 'report') { const c = process.cpuUsage(before); process.send({ calls, us: c.user + c.system }); calls = 0; before = process.cpuUsage(); return; }
  calls++;
  process.send({ type: '${STORE_REPLY}', id: m.id, ok: true, result: m.params.length / 24 });
});`;

const ROW = `(${DECISION_COLUMNS.map(() => '?').join(', ')})`;
const INSERT_32 = `INSERT INTO decisions (${DECISION_COLUMNS.join(', ')}) VALUES ${Array<string>(32).fill(ROW).join(', ')} ON CONFLICT (request_id) DO NOTHING`;
const catalog = loadBundledCatalog();
const runtime = await createRoutingRuntime(loadConfig({ env: {} }), { catalog });
const options = { catalog: () => catalog, embed: (text: string) => runtime.state().embedder.embed(text) };
const TOPICS = ['a haiku about the sea', 'a SQL query that finds duplicate emails', 'a proof that sqrt(2) is irrational', 'a summary of the French revolution'];
const calls = Array.from({ length: 50 }, (_, c) => {
  const params = [];
  for (let i = 0; i < 32; i++) {
    const n = c * 32 + i;
    const request = parseOpenAIChatRequest({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: `Request ${n}: write ${TOPICS[n % TOPICS.length]}.` }] });
    const decision = runtime.router.decide(request, { providers: new Set(['openrouter']) });
    const top = decision.candidates[0]!;
    const record = toRecord({ requestId: `r${n}`, createdAt: 1_800_000_000_000 + n, request, decision, target: { id: top.id, provider: top.provider, providerModel: top.providerModel }, fallbacks: [], latencyMs: 21.2, decisionMs: 0.12, usage: { inputTokens: 25, outputTokens: 10 } }, options);
    params.push(...decisionParams(record));
  }
  return { type: STORE_CALL, id: c, path: '/tmp/heimdall.db', op: 'run', sql: INSERT_32, params };
});
console.log(`one call: ${(JSON.stringify(calls[0]).length / 1024).toFixed(0)} KiB as JSON`);

async function round(serialization: 'json' | 'advanced'): Promise<{ sender: number; receiver: number }> {
  const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization });
  const answered = (n: number): Promise<void> =>
    new Promise((resolve) => {
      let seen = 0;
      const on = (m: { type?: string }): void => {
        if (m.type === STORE_REPLY && ++seen === n) {
          child.off('message', on);
          resolve();
        }
      };
      child.on('message', on);
    });
  // Warm both ends up, then measure 400 calls sent 8 at a time, as a flush under load would.
  for (let i = 0; i < 100; i++) child.send(calls[i % calls.length]!);
  await answered(100);
  child.send('report');
  await new Promise((resolve) => child.once('message', resolve));
  const before = process.cpuUsage();
  for (let i = 0; i < 400; i += 8) {
    const done = answered(8);
    for (let j = 0; j < 8; j++) child.send(calls[(i + j) % calls.length]!);
    await done;
  }
  const spent = process.cpuUsage(before);
  child.send('report');
  const report = await new Promise<{ calls: number; us: number }>((resolve) => child.once('message', resolve as never));
  child.kill();
  return { sender: (spent.user + spent.system) / 400, receiver: report.us / report.calls };
}

const results: Record<'json' | 'advanced', Array<{ sender: number; receiver: number }>> = { json: [], advanced: [] };
for (let r = 0; r < 5; r++) for (const mode of ['json', 'advanced'] as const) results[mode].push(await round(mode));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const mode of ['json', 'advanced'] as const) {
  console.log(`${mode.padEnd(8)} sender ${median(results[mode].map((x) => x.sender)).toFixed(0)} us per call, receiver ${median(results[mode].map((x) => x.receiver)).toFixed(0)} us per call (medians of 5 rounds of 400 calls of 32 rows)`);
}
