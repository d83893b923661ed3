import { GatewayError, isGatewayError } from '../../errors/gateway-error.js';
import type { AsyncEmbedder } from '../../types/embedder.js';
import { postUpstream } from '../shared/post-upstream.js';
import type { HttpClient } from '../shared/http-client.js';

export interface RemoteEmbedderOptions {
  /** Base URL of an OpenAI-compatible API (`https://api.openai.com/v1`); `/embeddings` is appended. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Whole-call deadline; routing must not wait on a slow embedder. */
  readonly timeoutMs: number;
  /** Expected dimension; a response of another size is an error. */
  readonly dim: number;
  readonly httpClient: HttpClient;
}

/**
 * An embedder that calls any OpenAI-compatible `/v1/embeddings` endpoint. It returns the vector
 * L2-normalised (cosine against centroids needs unit vectors) and throws a `provider_*`
 * GatewayError on any failure or timeout; the router then uses the local embedder instead.
 */
export function createRemoteEmbedder(options: RemoteEmbedderOptions): AsyncEmbedder {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  return {
    id: `remote:${options.model}@${url}`,
    dim: options.dim,
    async embed(text: string, signal?: AbortSignal): Promise<Float32Array> {
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
      try {
        const res = await postUpstream(options.httpClient, {
          url,
          headers,
          body: JSON.stringify({ model: options.model, input: text }),
          provider: 'embeddings',
          model: options.model,
          secrets: options.apiKey ? [options.apiKey] : [],
          signal: combined,
        });
        return toUnitVector(await res.json(), options.dim);
      } catch (err) {
        if (isGatewayError(err)) throw err;
        throw new GatewayError('provider_bad_response', `embedding endpoint failed: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

function toUnitVector(json: unknown, dim: number): Float32Array {
  const data = (json as { data?: { embedding?: unknown }[] } | null)?.data;
  const raw = Array.isArray(data) ? data[0]?.embedding : undefined;
  if (!Array.isArray(raw) || raw.length !== dim || !raw.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new GatewayError('provider_bad_response', `embedding endpoint returned no ${dim}-dimensional vector`);
  }
  const out = Float32Array.from(raw as number[]);
  let sq = 0;
  for (let i = 0; i < out.length; i++) sq += (out[i] as number) ** 2;
  if (!(sq > 0)) throw new GatewayError('provider_bad_response', 'embedding endpoint returned a zero vector');
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * inv;
  return out;
}
