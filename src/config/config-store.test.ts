import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Config } from './config-schema.js';
import { ConfigStore, createConfigStore, type ConfigStoreLogEvent } from './config-store.js';
import { watchConfigFile } from './watch-config-file.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'heimdall-store-')), 'heimdall.yaml');
  writeFileSync(path, text);
  return path;
}

describe('ConfigStore', () => {
  it('refuses to start on an invalid file', () => {
    const path = configFile('router: { alpha: 5 }\n');
    expect(() => createConfigStore({ path, env: {} })).toThrow(/router\.alpha/);
  });

  it('swaps in a new snapshot and notifies subscribers', () => {
    const path = configFile('router: { alpha: 0.4 }\n');
    const store = createConfigStore({ path, env: {} });
    const first = store.get();
    const seen: Array<[number | undefined, number | undefined]> = [];
    store.subscribe((next, previous) => seen.push([next.router.alpha, previous.router.alpha]));

    writeFileSync(path, 'router: { alpha: 0.8 }\n');
    const result = store.reload();

    expect(result).toMatchObject({ ok: true, changed: true });
    expect(store.get().router.alpha).toBe(0.8);
    expect(first.router.alpha).toBe(0.4); // the old snapshot is untouched
    expect(seen).toEqual([[0.8, 0.4]]);
  });

  it('keeps the last good snapshot when a reload fails, and logs the error', () => {
    const path = configFile('router: { alpha: 0.4 }\n');
    const events: ConfigStoreLogEvent[] = [];
    const store = createConfigStore({ path, env: {}, logger: (event) => events.push(event) });
    const listener = vi.fn();
    store.subscribe(listener);
    const good = store.get();

    writeFileSync(path, 'router: { alpha: 0.4, bogus: true }\n');
    const result = store.reload();

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('gateway_config_invalid');
      expect(result.error.message).toContain('router.bogus: unknown key');
    }
    expect(store.get()).toBe(good);
    expect(listener).not.toHaveBeenCalled();
    expect(events).toEqual([expect.objectContaining({ level: 'error', error: expect.objectContaining({ code: 'gateway_config_invalid' }) })]);

    writeFileSync(path, 'router: { alpha: 0.5 }\n');
    expect(store.reload()).toMatchObject({ ok: true, changed: true });
    expect(store.get().router.alpha).toBe(0.5);
  });

  it('does not notify when the content is unchanged, and unsubscribes', () => {
    const path = configFile('router: { alpha: 0.4 }\n');
    const store = createConfigStore({ path, env: {} });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    expect(store.reload()).toMatchObject({ ok: true, changed: false });
    unsubscribe();
    writeFileSync(path, 'router: { alpha: 0.9 }\n');
    store.reload();
    expect(listener).not.toHaveBeenCalled();
  });

  it('survives a throwing listener and a loader that throws a plain error', () => {
    let calls = 0;
    const base = createConfigStore({ env: {} }).get();
    const events: ConfigStoreLogEvent[] = [];
    const store = new ConfigStore({
      load: () => {
        calls += 1;
        if (calls === 2) throw new Error('disk on fire');
        return calls === 1 ? base : ({ ...base, router: { ...base.router, alpha: 0.1 } } as Config);
      },
      logger: (event) => events.push(event),
    });
    const failed = store.reload();
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).toContain('disk on fire');
    store.subscribe(() => {
      throw new Error('listener bug');
    });
    const after = vi.fn();
    store.subscribe(after);
    expect(store.reload()).toMatchObject({ ok: true, changed: true });
    expect(after).toHaveBeenCalledTimes(1);
    expect(events.some((event) => event.message === 'configuration listener failed')).toBe(true);
  });
});

describe('watchConfigFile', () => {
  for (const forcePolling of [false, true]) {
    it(`reloads after the file is replaced (${forcePolling ? 'polling' : 'fs.watch'})`, async () => {
      const path = configFile('router: { alpha: 0.4 }\n');
      const store = createConfigStore({ path, env: {} });
      const watcher = watchConfigFile(store, path, { debounceMs: 20, pollIntervalMs: 50, forcePolling });
      try {
        expect(watcher.mode).toBe(forcePolling ? 'poll' : 'watch');
        // Editors save by writing a temp file and renaming it over the original.
        const temp = `${path}.tmp`;
        writeFileSync(temp, 'router: { alpha: 0.7 }\n');
        renameSync(temp, path);
        await vi.waitFor(() => expect(store.get().router.alpha).toBe(0.7), { timeout: 10_000, interval: 25 });
      } finally {
        watcher.close();
      }
    });
  }
});
