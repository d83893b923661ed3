import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchModelList } from '../../src/catalog/sync/fetch-model-list.js';
import { catalogSources } from '../../src/cli/commands/catalog.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { openaiCompletion } from './helpers/fake-responses.js';
import { startTestGateway, TINY_OPENAI_MODELS, type TestGateway } from './helpers/start-test-gateway.js';

/**
 * `providers.<id>.proxy`: provider calls go through an HTTP forward proxy as a CONNECT tunnel,
 * authenticated with the URL's credentials; a proxy that refuses the tunnel is a connection
 * failure (502 in the API's shape), not a cancelled request.
 */
interface Tunnel {
  readonly target: string;
  readonly auth: string | undefined;
}

/** A CONNECT proxy on loopback that wants `Basic user:pw` and records every tunnel asked for. */
async function startConnectProxy(): Promise<{ url: string; tunnels: Tunnel[]; close(): Promise<void> }> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      client.off('data', onData);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target] = (lines[0] ?? '').split(' ');
      const auth = lines.find((l) => l.toLowerCase().startsWith('proxy-authorization:'))?.slice('proxy-authorization:'.length).trim();
      tunnels.push({ target: target ?? '', auth });
      if (method !== 'CONNECT' || auth !== `Basic ${Buffer.from('user:pw').toString('base64')}`) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const [host, port] = (target ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let upstream: FakeUpstream;
let embeddings: FakeUpstream;
let dim = 0;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
let gw: TestGateway;
let refused: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream((req, res) => {
    if (req.method === 'GET') return res.json(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1_721_172_741, owned_by: 'system' }] });
    return res.json(200, openaiCompletion('gpt-4o-mini', 'through the tunnel'));
  });
  embeddings = await startFakeUpstream((_req, res) =>
    res.json(200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0)) }] }),
  );
  proxy = await startConnectProxy();
  const withProxy = (credentials: string): Record<string, unknown> => ({
    models: TINY_OPENAI_MODELS,
    providers: { openai: { api_key: 'sk-proj-configured', base_url: `${upstream.url}/v1`, proxy: proxy.url.replace('http://', `http://${credentials}@`) } },
    embedding: { kind: 'remote', remote: { url: `${embeddings.url}/v1`, model: 'text-embedding-3-small', timeout: '2s', proxy: proxy.url.replace('http://', `http://${credentials}@`) } },
  });
  gw = await startTestGateway(withProxy('user:pw'));
  refused = await startTestGateway(withProxy('user:wrong'));
  dim = gw.gateway.routing.state().dim;
});
afterAll(async () => {
  await gw.close();
  await refused.close();
  await proxy.close();
  await upstream.close();
  await embeddings.close();
});

function chat(url: string, model = 'gpt-4o-mini', content = 'hello'): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
}

describe('providers.<id>.proxy', () => {
  it('tunnels provider calls through the proxy with the URL credentials', async () => {
    const before = proxy.tunnels.length;
    const res = await chat(gw.url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('through the tunnel');
    const tunnel = proxy.tunnels[before];
    expect(tunnel?.target).toBe(new URL(upstream.url).host);
    expect(tunnel?.auth).toBe(`Basic ${Buffer.from('user:pw').toString('base64')}`);
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-proj-configured');
  });

  it('answers a refused tunnel as a connection failure in the API error shape, and keeps serving', async () => {
    const calls = upstream.requests.length;
    const res = await chat(refused.url);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('provider_connection_failed');
    expect(body.error.message).toContain('407');
    expect(upstream.requests.length).toBe(calls);
    expect((await chat(gw.url)).status).toBe(200);
  });

  it('sends the remote embedder through its proxy', async () => {
    const res = await chat(gw.url, 'auto', 'what is the boiling point of water at sea level?');
    expect(res.status).toBe(200);
    await res.json();
    expect(embeddings.requests.at(-1)?.url).toBe('/v1/embeddings');
    expect(proxy.tunnels.some((t) => t.target === new URL(embeddings.url).host)).toBe(true);
  });

  it('fetches a provider model list (catalog refresh) through the provider proxy', async () => {
    const before = proxy.tunnels.length;
    const list = await fetchModelList({ provider: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-proj-configured', proxy: proxy.url.replace('http://', 'http://user:pw@') });
    expect(list.models.map((m) => m.providerModelId)).toEqual(['gpt-4o-mini']);
    expect(proxy.tunnels.slice(before).some((t) => t.target === new URL(upstream.url).host)).toBe(true);
    // The sources the gateway and `heimdall catalog refresh` use carry each provider's proxy.
    const openai = catalogSources(gw.gateway.services.config()).find((src) => src.provider === 'openai');
    expect(openai?.proxy).toBe(proxy.url.replace('http://', 'http://user:pw@'));
  });
});
