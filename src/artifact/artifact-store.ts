import type { ParsedArtifact } from '../core/router-artifact.js';
import { castToError } from '../errors/gateway-error.js';
import { fileMtimeMs, loadArtifactFile, parseArtifactText } from './load-artifact.js';

/** Where the artifact comes from. */
export type ArtifactSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string };

export interface ArtifactStoreOptions {
  readonly source: ArtifactSource;
  /** Poll interval; 0 disables hot reload. */
  readonly reloadSeconds: number;
  /** Called after a new artifact is swapped in. */
  readonly onChange?: (artifact: ParsedArtifact) => void;
  /** Called when a reload failed; the last good artifact stays in service. */
  readonly onError?: (error: Error) => void;
  readonly fetch?: typeof fetch;
  /** Timeout of one HTTP poll. */
  readonly httpTimeoutMs?: number;
}

/** Holds the artifact in service and swaps it atomically when a valid new one appears. */
export interface ArtifactStore {
  current(): ParsedArtifact;
  /** Checks the source now (file mtime or HTTP ETag); resolves true when a new artifact was swapped in. */
  reload(): Promise<boolean>;
  close(): void;
}

/**
 * Loads the artifact, then polls its source every `reloadSeconds`: a changed file (mtime) or URL
 * (ETag / Last-Modified, answered 304 when unchanged) is read, validated and swapped in off the hot
 * path. A bad new artifact is reported through `onError` and the last good one keeps serving. The
 * first load must succeed: a gateway never starts without a valid artifact.
 */
export async function createArtifactStore(options: ArtifactStoreOptions): Promise<ArtifactStore> {
  const src = options.source;
  const doFetch = options.fetch ?? fetch;
  let etag: string | undefined;
  let mtime: number | undefined;
  let current: ParsedArtifact;

  const fetchUrl = async (url: string, conditional: boolean): Promise<ParsedArtifact | undefined> => {
    const headers: Record<string, string> = {};
    if (conditional && etag) headers['if-none-match'] = etag;
    const res = await doFetch(url, { headers, signal: AbortSignal.timeout(options.httpTimeoutMs ?? 30_000) });
    if (res.status === 304) return undefined;
    if (!res.ok) throw new Error(`artifact ${url}: HTTP ${res.status}`);
    const text = await res.text();
    const parsed = parseArtifactText(text, url);
    etag = res.headers.get('etag') ?? res.headers.get('last-modified') ?? undefined;
    return parsed;
  };

  if (src.kind === 'file') {
    mtime = fileMtimeMs(src.path);
    current = loadArtifactFile(src.path);
  } else {
    current = (await fetchUrl(src.url, false)) as ParsedArtifact;
  }

  const check = async (): Promise<boolean> => {
    try {
      let next: ParsedArtifact | undefined;
      if (src.kind === 'file') {
        const m = fileMtimeMs(src.path);
        if (m === undefined || m === mtime) return false;
        // Remember the mtime even if the file is bad: it is reported once, not at every poll.
        mtime = m;
        next = loadArtifactFile(src.path);
      } else {
        next = await fetchUrl(src.url, true);
      }
      if (!next || next.version === current.version) return false;
      current = next;
      options.onChange?.(next);
      return true;
    } catch (err) {
      options.onError?.(castToError(err));
      return false;
    }
  };
  // One check at a time: a slow HTTP poll is joined, not duplicated.
  let inFlight: Promise<boolean> | undefined;
  const reload = (): Promise<boolean> => {
    if (!inFlight) {
      inFlight = check().finally(() => {
        inFlight = undefined;
      });
    }
    return inFlight;
  };

  const timer = options.reloadSeconds > 0 ? setInterval(() => void reload(), options.reloadSeconds * 1000) : undefined;
  timer?.unref();
  return {
    current: () => current,
    reload,
    close: () => {
      if (timer) clearInterval(timer);
    },
  };
}
