import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { GatewayError } from '../../errors/gateway-error.js';
import { createGate, startFakeUpstream, type FakeUpstream, type Gate } from '../../../test/helpers/fake-upstream.js';
import { Cancellation } from '../../engine/cancellation.js';
import { createUndiciHttpClient } from './http-client.js';

const client = createUndiciHttpClient({ connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000, keepAliveTimeoutMs: 1000 });
let upstream: FakeUpstream;
const gates: Gate[] = [];

function gate(): Gate {
  const g = createGate();
  gates.push(g);
  return g;
}

beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) => res.json(200, {}));
});
afterEach(() => {
  // Release anything a test left waiting so the server can close.
  for (const g of gates.splice(0)) g.open();
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a rejection');
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  const dec = new TextDecoder();
  for await (const chunk of body) out += dec.decode(chunk, { stream: true });
  return out;
}

describe('createUndiciHttpClient', () => {
  it('sends method, path, query, headers and body; returns lower-case headers and JSON', async () => {
    upstream.setHandler((_req, res) => res.json(201, { ok: true }, { 'X-Request-Id': 'req_1' }));
    const res = await client.request({
      url: `${upstream.url}/v1/chat/completions?x=1`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req_1');
    expect(await res.json()).toEqual({ ok: true });
    const seen = upstream.requests.at(-1);
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/v1/chat/completions?x=1');
    expect(seen?.headers['authorization']).toBe('Bearer k');
    expect(seen?.body).toEqual({ a: 1 });
  });

  it('streams the body and refuses a second read', async () => {
    upstream.setHandler((_req, res) => res.sse('data: 1\n\ndata: 2\n\n'));
    const res = await client.request({ url: `${upstream.url}/s`, method: 'GET', headers: {} });
    expect(await readAll(res.body)).toBe('data: 1\n\ndata: 2\n\n');
    await expect(res.text()).rejects.toMatchObject({ code: 'gateway_internal' });
  });

  it('maps invalid JSON to provider_bad_response', async () => {
    upstream.setHandler((_req, res) => res.text(200, 'not json'));
    const res = await client.request({ url: `${upstream.url}/j`, method: 'GET', headers: {}, provider: 'openai' });
    const err = await rejection(res.json());
    expect(err.code).toBe('provider_bad_response');
    expect(err.provider).toBe('openai');
  });

  it('maps a refused connection to provider_connection_failed', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await rejection(client.request({ url: `http://127.0.0.1:${port}/`, method: 'GET', headers: {} }));
    expect(err.code).toBe('provider_connection_failed');
  });

  it('maps a reset before headers to provider_connection_failed', async () => {
    upstream.setHandler((_req, res) => res.reset());
    const err = await rejection(client.request({ url: `${upstream.url}/r`, method: 'POST', headers: {}, body: '{}' }));
    expect(err.code).toBe('provider_connection_failed');
    expect(err.retryable).toBe(true);
  });

  it('maps a reset mid-body to provider_connection_failed from the iterator', async () => {
    upstream.setHandler((_req, res) => res.sse('data: 1\n\ndata: 2\n\ndata: 3\n\n', { resetAfter: 1 }));
    const res = await client.request({ url: `${upstream.url}/m`, method: 'GET', headers: {} });
    const err = await rejection(readAll(res.body));
    expect(err.code).toBe('provider_connection_failed');
  });

  it('maps slow headers to provider_timeout', async () => {
    const g = gate();
    upstream.setHandler(async (_req, res) => {
      await res.waitFor(g);
      res.json(200, {});
    });
    const err = await rejection(client.request({ url: `${upstream.url}/slow`, method: 'GET', headers: {}, headersTimeoutMs: 50 }));
    expect(err.code).toBe('provider_timeout');
  });

  it('maps a stalled body to provider_timeout', async () => {
    const g = gate();
    upstream.setHandler((_req, res) => res.sse('data: 1\n\ndata: 2\n\n', { pause: g, pauseAfter: 1 }));
    const res = await client.request({ url: `${upstream.url}/stall`, method: 'GET', headers: {}, bodyTimeoutMs: 50 });
    const err = await rejection(readAll(res.body));
    expect(err.code).toBe('provider_timeout');
  });

  // The gateway passes its own Cancellation (no AbortSignal per request); both must behave alike.
  const signalKinds = [
    ['an AbortController', () => {
      const c = new AbortController();
      return { signal: c.signal, abort: (reason?: unknown) => c.abort(reason) };
    }],
    ['a Cancellation', () => {
      const c = new Cancellation();
      return { signal: c, abort: (reason?: unknown) => c.abort(reason) };
    }],
  ] as const;

  describe.each(signalKinds)('cancelled through %s', (_kind, make) => {
    it('maps the caller aborting to caller_cancelled, before and during the call', async () => {
      const pre = make();
      pre.abort();
      expect((await rejection(client.request({ url: `${upstream.url}/a`, method: 'GET', headers: {}, signal: pre.signal }))).code).toBe('caller_cancelled');

      const g = gate();
      const ctrl = make();
      upstream.setHandler(async (_req, res) => {
        ctrl.abort();
        await res.waitFor(g);
        res.json(200, {});
      });
      expect((await rejection(client.request({ url: `${upstream.url}/b`, method: 'GET', headers: {}, signal: ctrl.signal }))).code).toBe(
        'caller_cancelled',
      );
    });

    it('maps an abort whose reason is a TimeoutError (attempt deadline) to provider_timeout', async () => {
      const g = gate();
      const ctrl = make();
      upstream.setHandler(async (_req, res) => {
        ctrl.abort(new DOMException('deadline', 'TimeoutError'));
        await res.waitFor(g);
        res.json(200, {});
      });
      const err = await rejection(client.request({ url: `${upstream.url}/d`, method: 'GET', headers: {}, signal: ctrl.signal }));
      expect(err.code).toBe('provider_timeout');
    });

    it('aborting mid-stream rejects the iterator with caller_cancelled', async () => {
      const g = gate();
      upstream.setHandler((_req, res) => res.sse('data: 1\n\ndata: 2\n\n', { pause: g, pauseAfter: 1 }));
      const ctrl = make();
      const res = await client.request({ url: `${upstream.url}/c`, method: 'GET', headers: {}, signal: ctrl.signal });
      const err = await rejection(
        (async () => {
          for await (const _chunk of res.body) ctrl.abort();
        })(),
      );
      expect(err.code).toBe('caller_cancelled');
    });
  });

  it('keeps connections alive across requests and survives an early break and dump()', async () => {
    upstream.setHandler((_req, res) => res.sse('data: 1\n\ndata: 2\n\n'));
    const first = await client.request({ url: `${upstream.url}/k1`, method: 'GET', headers: {} });
    for await (const _chunk of first.body) break;
    const second = await client.request({ url: `${upstream.url}/k2`, method: 'GET', headers: {} });
    await second.dump();
    upstream.setHandler((_req, res) => res.json(200, { n: 3 }));
    const third = await client.request({ url: `${upstream.url}/k3`, method: 'GET', headers: {} });
    expect(await third.json()).toEqual({ n: 3 });
  });

  it('a consumer that stops while the body is still open leaves no error behind, and the client keeps working', async () => {
    const finish = gate();
    upstream.setHandler(async (_req, res) => {
      res.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      res.raw.write('data: [DONE]\n\n');
      await finish.opened;
      res.raw.end('data: late\n\n');
    });
    const first = await client.request({ url: `${upstream.url}/open`, method: 'GET', headers: {} });
    let seen = '';
    for await (const chunk of first.body) {
      seen += new TextDecoder().decode(chunk);
      break;
    }
    expect(seen).toBe('data: [DONE]\n\n');
    finish.open();
    upstream.setHandler((_req, res) => res.json(200, { after: true }));
    const next = await client.request({ url: `${upstream.url}/after`, method: 'GET', headers: {} });
    expect(await next.json()).toEqual({ after: true });
  });

  it('delivers a body far over the pause threshold intact to a consumer that reads slowly', async () => {
    const piece = (i: number): string => `${String(i).padStart(8, '0')}${'x'.repeat(64 * 1024 - 8)}`;
    upstream.setHandler(async (_req, res) => {
      res.raw.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 32; i++) {
        if (!res.raw.write(piece(i))) await new Promise((r) => res.raw.once('drain', r));
      }
      res.raw.end();
    });
    const res = await client.request({ url: `${upstream.url}/big`, method: 'GET', headers: {} });
    let text = '';
    const dec = new TextDecoder();
    for await (const chunk of res.body) {
      text += dec.decode(chunk, { stream: true });
      // A consumer slower than the socket: the held bytes pass the threshold and the call pauses.
      await new Promise((r) => setImmediate(r));
    }
    expect(text).toBe(Array.from({ length: 32 }, (_, i) => piece(i)).join(''));
  });

  it('dump() of a large unread body gives up the connection and the client keeps working', async () => {
    upstream.setHandler((_req, res) => res.text(200, 'y'.repeat(1024 * 1024)));
    const res = await client.request({ url: `${upstream.url}/large`, method: 'GET', headers: {} });
    await res.dump();
    upstream.setHandler((_req, res) => res.json(200, { ok: 1 }));
    const next = await client.request({ url: `${upstream.url}/next`, method: 'GET', headers: {} });
    expect(await next.json()).toEqual({ ok: 1 });
  });

  it('text() and json() read a body with a byte order mark as undici did', async () => {
    upstream.setHandler((_req, res) => res.text(200, '\ufeff{"bom":true}'));
    const res = await client.request({ url: `${upstream.url}/bom`, method: 'GET', headers: {} });
    expect(await res.json()).toEqual({ bom: true });
  });
});
