import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { heapEnv, heapFlags, missingFlags } from './heap-flags.js';

describe('heapFlags', () => {
  const heap = { initial_old_space_mb: 0, max_old_space_mb: 0, max_semi_space_mb: 0, growing_percent: 0, optimize_wasm: true, pretenuring: true, malloc_trim_threshold_kb: 0 };

  it('turns server.heap into node flags, leaving out what is 0', () => {
    expect(heapFlags({ ...heap, initial_old_space_mb: 128, max_semi_space_mb: 8 })).toEqual(['--initial-old-space-size=128', '--max-semi-space-size=8']);
    expect(heapFlags(heap)).toEqual([]);
    expect(heapFlags({ ...heap, initial_old_space_mb: 32, max_old_space_mb: 256 })).toEqual(['--initial-old-space-size=32', '--max-old-space-size=256']);
    expect(heapFlags({ ...heap, optimize_wasm: false })).toEqual(['--liftoff-only']);
    expect(heapFlags({ ...heap, growing_percent: 100 })).toEqual(['--heap-growing-percent=100']);
    expect(heapFlags({ ...heap, pretenuring: false })).toEqual(['--no-allocation-site-pretenuring']);
  });

  it('has defaults and refuses an initial size above the cap', () => {
    expect(loadConfig({ env: {} }).server.heap).toEqual({ initial_old_space_mb: 32, max_old_space_mb: 0, max_semi_space_mb: 8, growing_percent: 25, optimize_wasm: false, pretenuring: false, malloc_trim_threshold_kb: 128 });
    expect(heapFlags(loadConfig({ env: {} }).server.heap)).toEqual(['--initial-old-space-size=32', '--max-semi-space-size=8', '--heap-growing-percent=25', '--liftoff-only', '--no-allocation-site-pretenuring']);
    expect(() => loadConfig({ env: {}, overrides: { server: { heap: { initial_old_space_mb: 128, max_old_space_mb: 96 } } } })).toThrow(
      /server\.heap\.initial_old_space_mb.*must not exceed max_old_space_mb \(96\)/s,
    );
    expect(() => loadConfig({ env: {}, overrides: { server: { heap: { malloc_trim_threshold_kb: 65_536 } } } })).toThrow(/server\.heap\.malloc_trim_threshold_kb/);
  });
});

describe('heapEnv', () => {
  const heap = { initial_old_space_mb: 0, max_old_space_mb: 0, max_semi_space_mb: 0, growing_percent: 0, optimize_wasm: true, pretenuring: true, malloc_trim_threshold_kb: 128 };

  it("sets glibc's malloc thresholds for the workers, in bytes", () => {
    expect(heapEnv(heap, {})).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=131072:glibc.malloc.mmap_threshold=131072' });
  });

  it("leaves glibc alone when turned off or when the operator set GLIBC_TUNABLES", () => {
    expect(heapEnv({ ...heap, malloc_trim_threshold_kb: 0 }, {})).toEqual({});
    expect(heapEnv(heap, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' })).toEqual({});
  });
});

describe('missingFlags', () => {
  const wanted = ['--initial-old-space-size=64', '--max-old-space-size=256'];

  it('keeps the flags the process was not started with', () => {
    expect(missingFlags(wanted, [])).toEqual(wanted);
    expect(missingFlags(wanted, ['--import', 'tsx'])).toEqual(wanted);
  });

  it("lets the operator's own setting win, in either spelling, on the command line or in NODE_OPTIONS", () => {
    expect(missingFlags(wanted, ['--initial-old-space-size=200'])).toEqual(['--max-old-space-size=256']);
    expect(missingFlags(wanted, ['--initial_old_space_size=200'])).toEqual(['--max-old-space-size=256']);
    expect(missingFlags(wanted, [], '--enable-source-maps  --max_old_space_size=512')).toEqual(['--initial-old-space-size=64']);
    expect(missingFlags(wanted, ['--initial-old-space-size=64'], '--max-old-space-size=512')).toEqual([]);
  });

  it('treats a boolean flag and its negation as one option', () => {
    expect(missingFlags(['--liftoff-only'], ['--no-liftoff-only'])).toEqual([]);
    expect(missingFlags(['--liftoff-only'], [], '--liftoff_only')).toEqual([]);
  });
});
