/**
 * `npx tsx bench/hidden-class-churn.ts`: why the request path builds no object literal that starts
 * with a spread and then adds keys, and why a request's cancellation is a `Cancellation` and not
 * an `AbortController` (docs/benchmarks.md, session 9).
 *
 * Simulates a server at 1,000 requests/s: each "request" builds one object of the variant, keeps it
 * for 21 ms (the bench upstream's latency) and allocates ~50 KB of short-lived garbage, as a
 * request does. Each variant runs in a child process under `--trace-gc-nvp`; printed: what the
 * scavenges promoted, the bytes allocated, and whether two objects built by the same optimized
 * code share a hidden class (V8's `%HaveSameMap`). On Node 20 (V8 11.3) the spread-first literal
 * and `AbortSignal` get a new hidden class per object once optimized.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Cancellation } from '../src/engine/cancellation.js';
import { gcTotals } from './gc-trace.js';

const OBJECTS = 8_000;
const DEFAULTS: Readonly<Record<string, string>> = { 'http-referer': 'https://github.com/heimdall-router', 'x-title': 'Heimdall' };

const VARIANTS: Record<string, (i: number) => object> = {
  'literal (baseline)': (i) => ({ 'http-referer': 'h', 'x-title': 'H', 'x-request-id': `r${i}`, authorization: 'Bearer k', accept: 'application/json' }),
  '{ ...defaults, key: v } (spread first)': (i) => ({ ...DEFAULTS, 'x-request-id': `r${i}`, authorization: 'Bearer k', accept: 'application/json' }),
  '{ key: v, ...defaults } (spread last)': (i) => ({ 'x-request-id': `r${i}`, authorization: 'Bearer k', accept: 'application/json', ...DEFAULTS }),
  'Object.assign({}, defaults, { key: v })': (i) => Object.assign({}, DEFAULTS, { 'x-request-id': `r${i}`, authorization: 'Bearer k', accept: 'application/json' }),
  'new AbortController().signal': () => new AbortController().signal,
  'new Cancellation()': () => new Cancellation(),
};

function simulate(name: string): void {
  const make = VARIANTS[name];
  if (make === undefined) throw new Error(`unknown variant ${name}`);
  // Only under --allow-natives-syntax (the child process); compiled at run time so that the
  // TypeScript toolchain never sees V8's `%` syntax.
  const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
  let sink = 0;
  const garbage = (): void => {
    for (let k = 0; k < 600; k++) sink += [k, k + 1, `g${k}`].length;
  };
  let i = 0;
  const t0 = performance.now();
  const tick = (): void => {
    const now = performance.now();
    while (i < OBJECTS && t0 + i <= now) {
      const o = make(i++);
      garbage();
      setTimeout(() => {
        sink += Object.keys(o).length;
        garbage();
      }, 21);
    }
    if (i < OBJECTS) setTimeout(tick, 1);
    else setTimeout(() => console.log(`SAME_MAP ${sameMap(make(1), make(2))} ${sink > 0}`), 50);
  };
  tick();
}

const variant = process.argv[2];
if (variant !== undefined) simulate(variant);
else {
  const self = fileURLToPath(import.meta.url);
  const base = spawnSync(process.execPath, ['--import', 'tsx', '--trace-gc-nvp', '--allow-natives-syntax', self, 'literal (baseline)'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const baseTotals = gcTotals(base.stdout.split('\n'), { skipAfterMarkCompact: false });
  console.log(`baseline (an object literal): ${(baseTotals.promoted / 1e6).toFixed(1)} MB promoted (start-up included), ${(baseTotals.allocated / 1e6).toFixed(0)} MB allocated`);
  for (const name of Object.keys(VARIANTS).slice(1)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-gc-nvp', '--allow-natives-syntax', self, name], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(r.stderr);
    const t = gcTotals(r.stdout.split('\n'), { skipAfterMarkCompact: false });
    const same = /SAME_MAP (true|false)/.exec(r.stdout)?.[1];
    const perObject = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${Math.round(bytes / OBJECTS)} B`;
    console.log(
      `${name.padEnd(42)} over the baseline, per object: promoted ${perObject(t.promoted - baseTotals.promoted).padStart(7)}, ` +
        `allocated ${perObject(t.allocated - baseTotals.allocated).padStart(7)}; one hidden class: ${same === 'true' ? 'yes' : 'no'}`,
    );
  }
}
