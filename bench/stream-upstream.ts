/**
 * A fake OpenAI-compatible provider for long streams (`long-stream.ts`): every request is answered
 * at once with an SSE stream of a role chunk, `STREAM_EVENTS` content chunks of a few characters
 * written one by one `STREAM_SPACING_MS` apart (each its own write, as a provider emits tokens),
 * then a finish chunk, a usage chunk and `[DONE]`. Prints `{"port": N}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const events = Number(process.env['STREAM_EVENTS'] ?? 200);
const spacingMs = Number(process.env['STREAM_SPACING_MS'] ?? 1);
const chunk = (delta: unknown, finish: string | null = null, usage?: unknown): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_712_345_678, model: 'gpt-4o-mini', choices: usage === undefined ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [], ...(usage === undefined ? {} : { usage }) })}\n\n`;
const words = ['The ', 'quick ', 'brown ', 'fox ', 'jumps ', 'over ', 'the ', 'lazy ', 'dog. '];

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk({ role: 'assistant', content: '' }));
    let sent = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (sent < events) {
        res.write(chunk({ content: words[sent % words.length] }));
        sent++;
        setTimeout(next, spacingMs);
        return;
      }
      res.write(chunk({}, 'stop'));
      res.write(chunk(undefined, null, { prompt_tokens: 25, completion_tokens: events, total_tokens: 25 + events }));
      res.end('data: [DONE]\n\n');
    };
    setTimeout(next, spacingMs);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
