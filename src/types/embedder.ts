/**
 * Turns prompt text into an L2-normalised dense vector. The local embedder is synchronous and pure
 * (it runs on the hot path); a remote one is async and lives outside the core.
 */
export interface Embedder {
  /** Stable identity of the embedder and its parameters (part of cache keys). */
  readonly id: string;
  readonly dim: number;
  embed(text: string): Float32Array;
}

/** An embedder that does I/O (an OpenAI-compatible `/v1/embeddings` endpoint). */
export interface AsyncEmbedder {
  readonly id: string;
  readonly dim: number;
  embed(text: string, signal?: AbortSignal): Promise<Float32Array>;
}
