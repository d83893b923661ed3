/**
 * `npx tsx bench/stream-translation.ts [--dists DIR,DIR] [--rounds N] [--json]`
 *
 * What the gateway's stream translation costs per event, without sockets: an upstream SSE body
 * (each event its own chunk, as a provider writes its tokens: a role or `message_start` preamble,
 * 200 short content deltas, the finish, usage and terminal events) is decoded (`decodeSse`), turned
 * into neutral parts (`openAIStreamToParts`, `anthropicStreamToParts`) and encoded again for the
 * client (`createOpenAIStreamEncoder`, `createAnthropicStreamEncoder`), for the four pairs of
 * dialects, and the OpenAI body through `decodeSse` alone. Each build in `--dists` (compiled output, default `dist`; build it first) is loaded
 * side by side in this process and measured in alternating rounds; prints the CPU time per content
 * event (median of the rounds). The last line of stdout is JSON.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './open-loop-latencies.js';

const { values } = parseArgs({
  options: {
    dists: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
const EVENTS = 200;
const STREAMS_PER_ROUND = 400;

const words = ['The ', 'quick ', 'brown ', 'fox ', 'jumps ', 'over ', 'the ', 'lazy ', 'dog. '];
const openAIChunk = (delta: unknown, finish: string | null = null, usage?: unknown): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_712_345_678, model: 'gpt-4o-mini', system_fingerprint: 'fp_bench', choices: usage === undefined ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [], ...(usage === undefined ? {} : { usage }) })}\n\n`;
const anthropicEvent = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

const encoder = new TextEncoder();
const OPENAI_BODY = [
  openAIChunk({ role: 'assistant', content: '' }),
  ...Array.from({ length: EVENTS }, (_, i) => openAIChunk({ content: words[i % words.length] })),
  openAIChunk({}, 'stop'),
  openAIChunk(undefined, null, { prompt_tokens: 25, completion_tokens: EVENTS, total_tokens: 25 + EVENTS }),
  'data: [DONE]\n\n',
].map((s) => encoder.encode(s));
const ANTHROPIC_BODY = [
  anthropicEvent('message_start', {
    message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } },
  }),
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  anthropicEvent('ping', {}),
  ...Array.from({ length: EVENTS }, (_, i) => anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: words[i % words.length] } })),
  anthropicEvent('content_block_stop', { index: 0 }),
  anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: EVENTS } }),
  anthropicEvent('message_stop', {}),
].map((s) => encoder.encode(s));

interface Part {
  readonly type: string;
}
interface Build {
  readonly name: string;
  decodeSse(body: AsyncIterable<Uint8Array>): AsyncIterable<unknown>;
  openAIStreamToParts(events: AsyncIterable<unknown>, context: { provider: string; model: string }): AsyncIterable<Part>;
  anthropicStreamToParts(events: AsyncIterable<unknown>): AsyncIterable<Part>;
  createOpenAIStreamEncoder(opts: { model: string; created: number; includeUsage: boolean }): { encode(part: Part): string };
  createAnthropicStreamEncoder(opts: { model: string }): { encode(part: Part): string };
}

async function load(dir: string): Promise<Build> {
  const base = pathToFileURL(`${resolve(dir)}/`);
  const mod = async (path: string): Promise<Record<string, unknown>> => (await import(new URL(path, base).href)) as Record<string, unknown>;
  const [sse, openai, anthropic, openaiEnc, anthropicEnc] = await Promise.all([
    mod('providers/shared/sse-decoder.js'),
    mod('providers/shared/openai-compatible/openai-stream-to-parts.js'),
    mod('providers/anthropic/anthropic-stream-to-parts.js'),
    mod('wire/openai-stream-encoder.js'),
    mod('wire/anthropic-stream-encoder.js'),
  ]);
  return {
    name: dir,
    decodeSse: sse['decodeSse'] as Build['decodeSse'],
    openAIStreamToParts: openai['openAIStreamToParts'] as Build['openAIStreamToParts'],
    anthropicStreamToParts: anthropic['anthropicStreamToParts'] as Build['anthropicStreamToParts'],
    createOpenAIStreamEncoder: openaiEnc['createOpenAIStreamEncoder'] as Build['createOpenAIStreamEncoder'],
    createAnthropicStreamEncoder: anthropicEnc['createAnthropicStreamEncoder'] as Build['createAnthropicStreamEncoder'],
  };
}

async function* chunks(body: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* body;
}

type Pair = 'openai->openai' | 'anthropic->anthropic' | 'openai->anthropic' | 'anthropic->openai' | 'openai (decodeSse only)';
const PAIRS: readonly Pair[] = ['openai->openai', 'anthropic->anthropic', 'openai->anthropic', 'anthropic->openai', 'openai (decodeSse only)'];

/** One stream through `build`: returns the bytes written, so that nothing is optimized away. */
async function translate(build: Build, pair: Pair): Promise<number> {
  if (pair === 'openai (decodeSse only)') {
    let n = 0;
    for await (const ev of build.decodeSse(chunks(OPENAI_BODY))) n += (ev as { data: string }).data.length;
    return n;
  }
  const [from, to] = pair.split('->') as ['openai' | 'anthropic', 'openai' | 'anthropic'];
  const events = build.decodeSse(chunks(from === 'openai' ? OPENAI_BODY : ANTHROPIC_BODY));
  const parts = from === 'openai' ? build.openAIStreamToParts(events, { provider: 'openai', model: 'gpt-4o-mini' }) : build.anthropicStreamToParts(events);
  const enc = to === 'openai' ? build.createOpenAIStreamEncoder({ model: 'gpt-4o-mini', created: 1_712_345_678, includeUsage: false }) : build.createAnthropicStreamEncoder({ model: 'claude-sonnet-4-5' });
  let bytes = 0;
  for await (const part of parts) bytes += enc.encode(part).length;
  return bytes;
}

const builds = await Promise.all(values.dists.split(',').map(load));
for (const build of builds) for (const pair of PAIRS) for (let i = 0; i < 200; i++) await translate(build, pair);

const samples = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const pair of PAIRS) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < STREAMS_PER_ROUND; i++) await translate(build, pair);
      const used = process.cpuUsage(cpu);
      const key = `${build.name} ${pair}`;
      samples.set(key, [...(samples.get(key) ?? []), (used.user + used.system) / (STREAMS_PER_ROUND * EVENTS)]);
    }
  }
}
const out: Record<string, Record<string, number>> = {};
for (const pair of PAIRS) {
  for (const build of builds) {
    const us = Math.round(median(samples.get(`${build.name} ${pair}`) ?? []) * 1000) / 1000;
    (out[build.name] ??= {})[pair] = us;
    process.stderr.write(`${pair.padEnd(24)} ${build.name.padEnd(20)} ${us.toFixed(3)} us a content event\n`);
  }
}
const line = JSON.stringify({ events: EVENTS, rounds, us_per_event: out });
if (values.json) process.stdout.write(`${line}\n`);
else process.stderr.write(`${line}\n`);
