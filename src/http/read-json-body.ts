import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';

/**
 * Reads and parses a JSON request body of at most `limitBytes`. A declared or actual size over
 * the limit is `caller_payload_too_large` (413) as soon as it is known, without buffering the rest;
 * an empty or malformed body is `caller_invalid_request` (400) naming the JSON error.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    req.resume();
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) {
      req.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(buf);
  }
  const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
  if (text.trim() === '') throw new GatewayError('caller_invalid_request', 'The request body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new GatewayError('caller_invalid_request', `The request body is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError('caller_payload_too_large', `The request body exceeds the limit of ${limitBytes} bytes`);
}
