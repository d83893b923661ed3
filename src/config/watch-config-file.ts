import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ConfigStore, ReloadResult } from './config-store.js';

export interface WatchConfigFileOptions {
  /** Quiet period after the last change before reloading (editors write in several steps). */
  readonly debounceMs?: number;
  /** Interval of the polling fallback. */
  readonly pollIntervalMs?: number;
  /** Skip fs.watch and poll (network filesystems, some containers). */
  readonly forcePolling?: boolean;
  /** Observes each reload triggered by the watcher. */
  readonly onReload?: (result: ReloadResult) => void;
}

/** Stops a {@link watchConfigFile} watcher. */
export interface ConfigFileWatcher {
  close(): void;
  /** `watch` when fs.watch is in use, `poll` for the stat-polling fallback. */
  readonly mode: 'watch' | 'poll';
}

/**
 * Reloads `store` when the file at `path` changes. Watches the directory rather than the file
 * because editors and ConfigMap updates replace the file (rename), which ends a file watch;
 * falls back to stat polling where fs.watch is unavailable or fails.
 */
export function watchConfigFile(store: ConfigStore, path: string, options: WatchConfigFileOptions = {}): ConfigFileWatcher {
  const debounceMs = options.debounceMs ?? 250;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const file = resolve(path);
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = (): void => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (closed) return;
      const result = store.reload();
      options.onReload?.(result);
    }, debounceMs);
    timer.unref?.();
  };

  const startPolling = (): ConfigFileWatcher => {
    // Our own stat loop, not fs.watchFile: watchFile takes its first stat asynchronously and only
    // reports changes against it, so a file replaced before that stat was never reported. The
    // baseline here is taken now, synchronously.
    let last = statOrEmpty(file);
    const interval = setInterval(() => {
      const current = statOrEmpty(file);
      if (current.mtimeMs !== last.mtimeMs || current.size !== last.size || current.ino !== last.ino) {
        last = current;
        schedule();
      }
    }, pollIntervalMs);
    interval.unref();
    return {
      mode: 'poll',
      close() {
        closed = true;
        if (timer !== undefined) clearTimeout(timer);
        clearInterval(interval);
      },
    };
  };

  if (options.forcePolling) return startPolling();

  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      // Some platforms omit the file name; then any change in the directory counts.
      if (changed === null || changed === name) schedule();
    });
  } catch {
    return startPolling();
  }
  let fallback: ConfigFileWatcher | undefined;
  watcher.on('error', () => {
    watcher.close();
    if (!closed && fallback === undefined) fallback = startPolling();
  });
  return {
    get mode() {
      return fallback === undefined ? ('watch' as const) : ('poll' as const);
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
      fallback?.close();
    },
  };
}

interface FileStat {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
}

/** The file's identity and version; all zero while it does not exist (as watchFile reports it). */
function statOrEmpty(file: string): FileStat {
  try {
    const st = statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino };
  } catch {
    return { mtimeMs: 0, size: 0, ino: 0 };
  }
}
