/**
 * `npx tsx bench/format-sse-event.ts`: framing one streamed event, the split on line breaks that
 * `formatSseEvent` did for every event against its one-line fast path (JSON text never holds a raw
 * break). 1,000 distinct OpenAI chunk texts, three rounds alternating; time per event in a loop.
 */
import { formatSseEvent } from '../src/wire/format-sse-event.js';

function splitEveryTime(data: string): string {
  let out = '';
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

const datas = Array.from({ length: 1000 }, (_, i) =>
  JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: `word ${i} ` }, logprobs: null, finish_reason: null }] }),
);
let sink = 0;
for (let round = 0; round < 3; round++) {
  for (const [name, frame] of [
    ['split', splitEveryTime],
    ['one-line path', (d: string) => formatSseEvent(d)],
  ] as const) {
    for (let i = 0; i < 200; i++) for (const d of datas) sink += frame(d).length;
    const t = performance.now();
    for (let i = 0; i < 500; i++) for (const d of datas) sink += frame(d).length;
    process.stdout.write(`${name.padEnd(14)} ${((performance.now() - t) / 500).toFixed(3)} us an event\n`);
  }
}
if (sink === 0) throw new Error('nothing framed');
