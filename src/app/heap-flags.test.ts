import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { heapFlags, missingFlags } from './heap-flags.js';

describe('heapFlags', () => {
  it('turns server.heap into node flags, leaving out what is 0', () => {
    expect(heapFlags({ initial_old_space_mb: 128, max_old_space_mb: 0, max_semi_space_mb: 8 })).toEqual(['--initial-old-space-size=128', '--max-semi-space-size=8']);
    expect(heapFlags({ initial_old_space_mb: 0, max_old_space_mb: 0, max_semi_space_mb: 0 })).toEqual([]);
    expect(heapFlags({ initial_old_space_mb: 32, max_old_space_mb: 256, max_semi_space_mb: 0 })).toEqual(['--initial-old-space-size=32', '--max-old-space-size=256']);
  });

  it('has defaults and refuses an initial size above the cap', () => {
    expect(loadConfig({ env: {} }).server.heap).toEqual({ initial_old_space_mb: 128, max_old_space_mb: 0, max_semi_space_mb: 0 });
    expect(() => loadConfig({ env: {}, overrides: { server: { heap: { initial_old_space_mb: 128, max_old_space_mb: 96 } } } })).toThrow(
      /server\.heap\.initial_old_space_mb.*must not exceed max_old_space_mb \(96\)/s,
    );
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
});
