/**
 * `npx tsx bench/undici-body-read.ts`: what reading a non-streaming upstream answer costs the
 * calling process, for a possible next step in `src/providers/shared/http-client.ts`: undici's
 * `request()` and its stream-based body (`body.text()`, how the gateway reads today) against
 * `dispatch()` with a handler that collects the chunks itself (no Readable, no stream events). A
 * forked server answers each POST at once with a ~700-byte JSON; 20 requests in flight; CPU
 * (user + system) of this process per request, four rounds of 20,000 each way, alternating.
 */
import { fork } from 'node:child_process';
import { Agent } from 'undici';

if (process.argv[2] === 'server') {
  const { createServer } = await import('node:http');
  const body = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(500) }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  }).listen(0, '127.0.0.1', () => process.send!((server.address() as { port: number }).port));
} else {
  const child = fork(new URL(import.meta.url).pathname, ['server'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((r) => child.once('message', (m) => r(m as number)));
  const origin = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const reqBody = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hello '.repeat(20) }] });
  const opts = { origin, path: '/v1/chat/completions', method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: reqBody };

  const viaRequest = async (): Promise<string> => {
    const res = await agent.request(opts);
    return res.body.text();
  };
  const viaDispatch = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      agent.dispatch(opts, {
        onRequestStart() {},
        onResponseStart(_c: unknown, status: number) {
          if (status !== 200) reject(new Error(String(status)));
        },
        onResponseData(_c: unknown, chunk: Buffer) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
        },
        onResponseError(_c: unknown, err: Error) {
          reject(err);
        },
      } as never);
    });

  const run = async (fn: () => Promise<string>, n: number, inFlight: number): Promise<number> => {
    let next = 0;
    const c0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < n) {
          next++;
          const t = await fn();
          if (t.length < 100) throw new Error('short');
        }
      }),
    );
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  await run(viaRequest, 5000, 20);
  await run(viaDispatch, 5000, 20);
  for (let round = 0; round < 4; round++) {
    const a = await run(viaRequest, 20000, 20);
    const b = await run(viaDispatch, 20000, 20);
    console.log(`request()+text(): ${a.toFixed(1)} us, dispatch handler: ${b.toFixed(1)} us CPU a request`);
  }
  await agent.close();
  child.kill();
}
