/**
 * `npx tsx bench/map-churn-gc.ts`: why the gateway keeps its in-flight requests in a `LiveList`
 * and not in a `Set`/`Map` (docs/benchmarks.md, session 4).
 *
 * Simulates a server: short-lived 20 KB object graphs (one per "request", 20 in flight), with and
 * without a long-lived `Map` that each graph enters when it starts and leaves when it ends. Each
 * variant runs in a child process under `--trace-gc-nvp`; printed: bytes the scavenges promoted to
 * the old generation, mark-compacts, mean scavenge pause. The `Map`'s old hash tables keep
 * pointing at deleted entries, and scavenges treat those pointers as live.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gcTotals } from './gc-trace.js';

const REQUESTS = 400_000;
const IN_FLIGHT = 20;

function simulate(withMap: boolean): void {
  const live = new Map<object, number>();
  const inFlight: object[] = [];
  let sink = 0;
  let i = 0;
  const tick = (): void => {
    for (let n = 0; n < 20; n++) {
      const graph = { id: i, parts: Array.from({ length: 100 }, (_, k) => ({ k, s: `part ${k} of ${i}` })) };
      i++;
      if (withMap) live.set(graph, i);
      inFlight.push(graph);
      if (inFlight.length > IN_FLIGHT) {
        const done = inFlight.shift()!;
        if (withMap) live.delete(done);
        sink += (done as { parts: unknown[] }).parts.length;
      }
    }
    if (i < REQUESTS) setImmediate(tick);
    else if (sink < 0) console.log(sink);
  };
  tick();
}

function summarize(trace: string): string {
  const { promoted, markCompacts, scavenges, pause } = gcTotals(trace.split('\n'), { skipAfterMarkCompact: false });
  return `${(promoted / 1e6).toFixed(1)} MB promoted, ${markCompacts} mark-compacts, ${scavenges} scavenges (mean pause ${(pause / Math.max(1, scavenges)).toFixed(2)} ms)`;
}

const variant = process.argv[2];
if (variant === 'map' || variant === 'plain') simulate(variant === 'map');
else {
  const self = fileURLToPath(import.meta.url);
  for (const v of ['plain', 'map'] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--trace-gc-nvp', self, v], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(r.stderr);
    console.log(`${v === 'map' ? 'with a churning Map' : 'without a Map     '}: ${summarize(r.stdout)}`);
  }
}
