import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isGatewayError } from '../errors/gateway-error.js';
import { createUndiciHttpClient } from '../providers/shared/http-client.js';
import { postUpstream } from '../providers/shared/post-upstream.js';

const PROMPTS = [
  'Summarise this paragraph in one sentence: the meeting moved to Thursday because the venue was booked.',
  'Write a SQL query that returns the ten most recent orders per customer.',
  'What is 17% of 2,350? Show the steps.',
  'Draft a polite reply declining a meeting invitation next week.',
];

/** What {@link warmUpHttp} did, for the start-up log. */
export interface HttpWarmUp {
  readonly requests: number;
  /** Answers by status (2xx and 4xx both exercise the code the warm-up is for). */
  readonly statuses: Readonly<Record<string, number>>;
  readonly error?: Error;
}

/** Options of {@link warmUpHttp}. */
export interface HttpWarmUpOptions {
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** Headers sent with every request (a gateway key when the gateway requires one). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Checked before each request: true stops the warm-up (the gateway started shutting down). */
  readonly stop?: () => boolean;
}

/**
 * Compiles the HTTP layers a request crosses before real traffic arrives: node's server and
 * undici's client (the one every provider adapter uses, through `postUpstream`), the gateway's
 * edge, request parsing and routing, by sending `count` requests to `handler` on a private
 * loopback listener. The requests are real ones to endpoints that never call a provider:
 * `POST /v1/route` in both client dialects, plus a malformed body now and then so the error path
 * is compiled too. The listener binds its own port (`exclusive`), so under node:cluster each
 * worker warms itself rather than whichever worker the shared port hands a request to. Never
 * throws: a failure ends the warm-up early and is returned.
 */
export async function warmUpHttp(handler: (req: IncomingMessage, res: ServerResponse) => void, count: number, options: HttpWarmUpOptions = {}): Promise<HttpWarmUp> {
  const statuses: Record<string, number> = {};
  let sent = 0;
  if (count <= 0) return { requests: 0, statuses };
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, handler);
  const client = createUndiciHttpClient({ connectTimeoutMs: 5_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, keepAliveTimeoutMs: 30_000 });
  const note = (status: number): void => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const headers = { ...options.headers, 'content-type': 'application/json' };
    const one = async (i: number): Promise<void> => {
      const prompt = `${PROMPTS[i % PROMPTS.length] as string} (warm-up ${i})`;
      const kind = i % 10;
      // Malformed JSON: the chat route's error path, answered before any routing or provider call.
      const post =
        kind === 9
          ? { url: `${base}/v1/chat/completions`, body: '{"model": "auto", "messages": [' }
          : kind % 2 === 0
            ? { url: `${base}/v1/route`, body: JSON.stringify({ model: 'auto', max_tokens: 512, messages: [{ role: 'system', content: 'Be concise.' }, { role: 'user', content: prompt }] }) }
            : { url: `${base}/v1/route?format=anthropic`, body: JSON.stringify({ model: 'auto', max_tokens: 512, system: 'Be concise.', messages: [{ role: 'user', content: prompt }] }) };
      try {
        const res = await postUpstream(client, { ...post, headers, provider: 'warm-up', secrets: [] });
        await res.json();
        note(res.status);
      } catch (err) {
        // A classified 4xx is an answer (no credentials, a key's allow-list, the malformed body);
        // transport failures are not and end the warm-up.
        if (!isGatewayError(err) || err.upstreamStatus === undefined) throw err;
        note(err.upstreamStatus);
      }
    };
    const lanes = Array.from({ length: Math.max(1, Math.min(count, options.concurrency ?? 8)) }, async () => {
      while (sent < count && options.stop?.() !== true) await one(sent++);
    });
    await Promise.all(lanes);
    return { requests: sent, statuses };
  } catch (err) {
    return { requests: sent, statuses, error: err instanceof Error ? err : new Error(String(err)) };
  } finally {
    await client.close().catch(() => undefined);
    server.closeAllConnections();
    server.close();
  }
}
