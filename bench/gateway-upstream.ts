/**
 * The benchmark's fake provider: an OpenAI-compatible `/v1/chat/completions` that answers after a
 * fixed latency (default 20 ms), as JSON or as an SSE stream (role chunk, five content chunks,
 * finish, usage, `[DONE]`). Run as its own process so it does not share an event loop with the
 * load generator or the target. Prints `{"port": N}` on stdout once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    const streaming = /"stream"\s*:\s*true/.test(body);
    setTimeout(() => {
      if (streaming) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(stream);
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
        res.end(completion);
      }
    }, latencyMs);
  });
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
