import type { ParsedArtifact } from '../core/router-artifact.js';
import { castToError, GatewayError } from '../errors/gateway-error.js';
import { fileMtimeMs, loadArtifactFile, parseArtifactText } from './load-artifact.js';

/**
 * Where the artifact comes from: a file (polled by mtime), a URL (polled with ETag), or the artifact
 * registry in the store (`fetchActive` is given the version in service and resolves undefined while
 * the active version is the same; see `createStoreArtifactSource` in src/registry).
 */
export type ArtifactSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'store'; readonly name: string; fetchActive(currentVersion: string | undefined): Promise<{ readonly version: string; readonly text: string } | undefined> };

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

  const fetchStore = async (known: string | undefined): Promise<ParsedArtifact | undefined> => {
    if (src.kind !== 'store') return undefined;
    const active = await src.fetchActive(known);
    return active === undefined || active.version === known ? undefined : parseArtifactText(active.text, `${src.name} version ${active.version}`);
  };

  if (src.kind === 'file') {
    mtime = fileMtimeMs(src.path);
    current = loadArtifactFile(src.path);
  } else if (src.kind === 'url') {
    current = (await fetchUrl(src.url, false)) as ParsedArtifact;
  } else {
    const first = await fetchStore(undefined);
    if (first === undefined) throw new GatewayError('routing_artifact_invalid', `${src.name} has no active artifact`);
    current = first;
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
      } else if (src.kind === 'url') {
        next = await fetchUrl(src.url, true);
      } else {
        next = await fetchStore(current.version);
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
