/**
 * The benchmark's fake provider: an OpenAI-compatible `/v1/chat/completions` that answers after a
 * fixed latency (default 20 ms), as JSON or as an SSE stream (role chunk, five content chunks,
 * finish, usage, `[DONE]`). Run as its own process so it does not share an event loop with the
 * load generator or the target. Prints `{"port": N}` on stdout once listening.
 *
 * The latency is timed from each request's arrival by a thread that sleeps to the due time
 * (`Atomics.wait`, good to tens of microseconds), not by `setTimeout`: libuv's timers tick in whole milliseconds of the clock the
 * load generator and the target share, so a timed answer went out at the next millisecond
 * boundary after arrival + 20 ms. A proxy's delay before the upstream was then absorbed or grew
 * into a whole millisecond depending on where in the millisecond its requests arrived, and
 * "added latency" measured that phase as much as the proxy (docs/benchmarks.md, session 15).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';

const latencyMs = Number(process.env['UPSTREAM_LATENCY_MS'] ?? 20);
const port = Number(process.env['UPSTREAM_PORT'] ?? 0);

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_712_345_678,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'The quick brown fox jumps over the lazy dog.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 25, completion_tokens: 10, total_tokens: 35 },
});

const chunk = (delta: unknown, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_712_345_678, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
const stream =
  chunk({ role: 'assistant', content: '' }) +
  ['The quick ', 'brown fox ', 'jumps over ', 'the lazy ', 'dog.'].map((t) => chunk({ content: t })).join('') +
  chunk({}, 'stop') +
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_712_345_678, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 25, completion_tokens: 10, total_tokens: 35 } })}\n\n` +
  'data: [DONE]\n\n';

/**
 * Answers queued in arrival order, so their due times only grow: the timer thread reads them from
 * a ring of due times (absolute ms, shared memory) and, once the oldest are due, tells this thread
 * how many to send.
 */
const RING = 1 << 16;
const dues = new Float64Array(new SharedArrayBuffer(RING * 8));
// [0]: answers queued so far (the timer thread sleeps on it when it has none); [1]: never changes, a pure sleep.
const control = new Int32Array(new SharedArrayBuffer(8));
const TIMER = `const { parentPort, workerData } = require('node:worker_threads');
const { dues, control, ring } = workerData;
const now = () => performance.timeOrigin + performance.now();
let read = 0;
for (;;) {
  const queued = Atomics.load(control, 0);
  if (read === queued) { Atomics.wait(control, 0, queued); continue; }
  const left = dues[read % ring] - now();
  if (left > 0) { Atomics.wait(control, 1, 0, left); continue; }
  let due = 0;
  while (read < Atomics.load(control, 0) && dues[read % ring] <= now()) { read++; due++; }
  parentPort.postMessage(due);
}`;
const waiting: Array<() => void> = [];
let head = 0;
let queued = 0;
const timer = new Worker(TIMER, { eval: true, workerData: { dues, control, ring: RING } });
timer.unref();
timer.on('message', (due: number) => {
  for (let i = 0; i < due; i++) {
    const answer = waiting[head];
    waiting[head++] = undefined as never;
    answer?.();
  }
  if (head > 4096 && head * 2 > waiting.length) {
    waiting.splice(0, head);
    head = 0;
  }
});
const after = (answer: () => void): void => {
  if (waiting.length - head >= RING) throw new Error('more answers pending than the ring holds');
  waiting.push(answer);
  dues[queued % RING] = performance.timeOrigin + performance.now() + latencyMs;
  Atomics.store(control, 0, ++queued);
  Atomics.notify(control, 0);
};

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    const streaming = /"stream"\s*:\s*true/.test(body);
    after(() => {
      if (streaming) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(stream);
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
        res.end(completion);
      }
    });
  });
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
