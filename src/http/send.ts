import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error.js';
import { toAnthropicErrorBody, toOpenAIErrorBody } from '../errors/to-error-body.js';

/** The error dialect of an endpoint. */
export type ErrorDialect = 'openai' | 'anthropic';

/** Writes a JSON answer with a content length (one write, no chunked encoding). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Readonly<Record<string, string>>): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (headers !== undefined) for (const name in headers) res.setHeader(name, headers[name] as string);
  res.end(text);
}

/** Writes a `GatewayError` in the endpoint's own error shape, with `Retry-After` when it has one. */
export function sendError(res: ServerResponse, dialect: ErrorDialect, err: GatewayError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(Math.ceil(err.retryAfterSeconds)));
  if (err.code === 'caller_unauthenticated' && dialect === 'openai') res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, err.status, dialect === 'anthropic' ? toAnthropicErrorBody(err) : toOpenAIErrorBody(err));
}

/** Writes to a response, waiting for `drain` when the socket buffer is full (a slow client). */
export function writeChunk(res: ServerResponse, text: string): Promise<void> | undefined {
  if (text === '' || res.destroyed) return undefined;
  if (res.write(text)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
