import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake upstream received, fully read. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent (`/v1/chat/completions`). */
  readonly url: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly body: unknown;
}

/** A promise the test opens when it chooses: how slow responses are made without sleeps. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

/** Creates a {@link Gate}. */
export function createGate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

export interface SseOptions {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How to cut the text into socket writes: `event` (default) writes one event per write,
   * a number writes fixed-size byte slices (use 1 or 7 to split lines and UTF-8 sequences).
   */
  readonly split?: 'event' | number;
  /** After this many writes, destroy the socket (a mid-stream connection reset). */
  readonly resetAfter?: number;
  /** After this many writes, end the response cleanly (a truncated stream). */
  readonly endAfter?: number;
  /** Wait on this gate after writing `pauseAfter` chunks (default 1) before continuing. */
  readonly pause?: Gate;
  readonly pauseAfter?: number;
}

/** How a handler answers. Every method ends (or destroys) the response. */
export interface FakeResponder {
  readonly raw: ServerResponse;
  json(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void;
  text(status: number, text: string, headers?: Readonly<Record<string, string>>): void;
  /** Streams raw SSE text (e.g. a recorded `*.chunks.txt` fixture). */
  sse(text: string, options?: SseOptions): Promise<void>;
  /** Streams `data: <item>\n\n` for each item (objects are JSON-encoded). */
  sseData(items: ReadonlyArray<unknown>, options?: SseOptions): Promise<void>;
  /** 429 with `Retry-After` and an OpenAI-style error body. */
  rateLimited(retryAfter: string, body?: unknown): void;
  /** A 5xx with an OpenAI-style error body. */
  serverError(status?: number, message?: string): void;
  /** Destroys the socket without answering (connection reset). */
  reset(): void;
  /** Waits for the gate before the handler continues (slow headers). */
  waitFor(gate: Gate): Promise<void>;
}

export type FakeHandler = (req: RecordedRequest, res: FakeResponder) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: ReadonlyArray<RecordedRequest>;
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Reads a fixture file next to a test (`new URL('./__fixtures__/x.json', import.meta.url)`). */
export function readFixture(url: URL): string {
  return readFileSync(url, 'utf8');
}

/**
 * Starts a fake provider on 127.0.0.1 (random port) that records every request and answers with
 * `handler`. Errors thrown by the handler answer 500 so tests fail loudly rather than hang.
 */
export async function startFakeUpstream(handler: FakeHandler): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  let current = handler;
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = bodyText === '' ? undefined : (JSON.parse(bodyText) as unknown);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers, bodyText, body };
    requests.push(recorded);
    try {
      await current(recorded, responder(res));
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake upstream handler failed: ${String(err)}`);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function responder(res: ServerResponse): FakeResponder {
  const send = (status: number, contentType: string, text: string, headers: Readonly<Record<string, string>> = {}): void => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const sse = async (text: string, options: SseOptions = {}): Promise<void> => {
    res.writeHead(options.status ?? 200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...options.headers,
    });
    res.flushHeaders();
    const pieces = splitSse(text, options.split ?? 'event');
    for (let i = 0; i < pieces.length; i++) {
      if (options.resetAfter !== undefined && i >= options.resetAfter) {
        res.socket?.destroy();
        return;
      }
      if (options.endAfter !== undefined && i >= options.endAfter) break;
      if (options.pause !== undefined && i === (options.pauseAfter ?? 1)) await options.pause.opened;
      await write(res, pieces[i] ?? Buffer.alloc(0));
    }
    res.end();
  };
  return {
    raw: res,
    json: (status, body, headers) => send(status, 'application/json', JSON.stringify(body), headers),
    text: (status, text, headers) => send(status, 'text/plain', text, headers),
    sse,
    sseData: (items, options) =>
      sse(items.map((item) => `data: ${typeof item === 'string' ? item : JSON.stringify(item)}\n\n`).join(''), options),
    rateLimited: (retryAfter, body) =>
      send(
        429,
        'application/json',
        JSON.stringify(body ?? { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }),
        { 'retry-after': retryAfter },
      ),
    serverError: (status = 500, message = 'The server had an error while processing your request.') =>
      send(status, 'application/json', JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })),
    reset: () => {
      res.socket?.destroy();
    },
    waitFor: (gate) => gate.opened,
  };
}

function splitSse(text: string, split: 'event' | number): Buffer[] {
  if (split === 'event') {
    const out: Buffer[] = [];
    const re = /(?:\r\n|\r|\n){2}/g;
    let start = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out.push(Buffer.from(text.slice(start, m.index + m[0].length), 'utf8'));
      start = m.index + m[0].length;
    }
    if (start < text.length) out.push(Buffer.from(text.slice(start), 'utf8'));
    return out;
  }
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += split) out.push(bytes.subarray(i, i + split));
  return out;
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  // Waiting for each write to be flushed makes a following reset or pause happen after the client got the bytes.
  return new Promise((resolve) => {
    res.write(chunk, () => resolve());
  });
}
