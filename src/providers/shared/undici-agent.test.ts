import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

describe('Agent', () => {
  it('sends requests without evaluating undici’s entry point', async () => {
    const server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    // A fresh process: this one may have loaded undici through other modules.
    const script = `
      import { createRequire } from 'node:module';
      import { Agent } from './src/providers/shared/undici-agent.ts';
      const agent = new Agent({});
      const res = await agent.request({ origin: 'http://127.0.0.1:${port}', path: '/', method: 'GET' });
      const body = await res.body.text();
      await agent.close();
      const entry = createRequire(import.meta.url).resolve('undici');
      const loaded = Object.keys(createRequire(import.meta.url).cache).includes(entry);
      console.log(JSON.stringify({ status: res.statusCode, body, entryLoaded: loaded }));
    `;
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
      expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).toEqual({ status: 200, body: 'pong', entryLoaded: false });
    } finally {
      server.close();
    }
  });
});
