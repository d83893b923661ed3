/**
 * The floor: a pass-through proxy on undici that does no work (no parsing, no routing), piping the
 * request body to the upstream and the answer back. Whatever a gateway adds above this is its own
 * cost. Prints `{"port": N}` on stdout once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = process.env['UPSTREAM_URL'] ?? 'http://127.0.0.1:9';
const pool = new Pool(upstream, { connections: 512, keepAliveTimeout: 30_000 });

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  pool
    .request({
      path: req.url ?? '/',
      method: (req.method ?? 'GET') as 'GET' | 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers['authorization'] ?? '' },
      body: req,
    })
    .then(async ({ statusCode, headers, body }) => {
      res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') });
      for await (const chunk of body) res.write(chunk);
      res.end();
    })
    .catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
});
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
