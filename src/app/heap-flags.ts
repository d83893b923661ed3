import type { Config } from '../config/config-schema.js';

/** The node flags that apply `server.heap` to a gateway process. */
export function heapFlags(heap: Config['server']['heap']): string[] {
  const flags: string[] = [];
  if (heap.initial_old_space_mb > 0) flags.push(`--initial-old-space-size=${heap.initial_old_space_mb}`);
  if (heap.max_old_space_mb > 0) flags.push(`--max-old-space-size=${heap.max_old_space_mb}`);
  if (heap.max_semi_space_mb > 0) flags.push(`--max-semi-space-size=${heap.max_semi_space_mb}`);
  if (heap.growing_percent > 0) flags.push(`--heap-growing-percent=${heap.growing_percent}`);
  if (!heap.optimize_wasm) flags.push('--liftoff-only');
  if (!heap.pretenuring) flags.push('--no-allocation-site-pretenuring');
  return flags;
}

/**
 * The environment a gateway worker needs for `server.heap` that the current one lacks: glibc reads
 * its malloc tunables only when a process starts, and an operator's own `GLIBC_TUNABLES` wins.
 */
export function heapEnv(heap: Config['server']['heap'], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (heap.malloc_trim_threshold_kb === 0 || env['GLIBC_TUNABLES'] !== undefined) return {};
  const bytes = heap.malloc_trim_threshold_kb * 1024;
  return { GLIBC_TUNABLES: `glibc.malloc.trim_threshold=${bytes}:glibc.malloc.mmap_threshold=${bytes}` };
}

/**
 * The flags of `wanted` whose option the process was not already started with, on node's command
 * line or in `NODE_OPTIONS`: an operator's own setting wins over the config.
 */
export function missingFlags(wanted: readonly string[], execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(optionName));
  return wanted.filter((flag) => !given.has(optionName(flag)));
}

// V8 accepts both spellings (--max-old-space-size, --max_old_space_size) and a boolean's negation
// (--no-liftoff-only) is the same option.
function optionName(arg: string): string {
  return (arg.split('=')[0] as string).replaceAll('_', '-').replace(/^--no-/, '--');
}
