/** Totals over `--trace-gc-nvp` lines, for the benchmarks that report what V8's GC did. */
export interface GcTotals {
  scavenges: number;
  markCompacts: number;
  /** Bytes the scavenges promoted to the old generation. */
  promoted: number;
  /** Bytes allocated between collections, summed over the scavenges counted. */
  allocated: number;
  /** Bytes that survived the scavenges counted. */
  survived: number;
  /** Milliseconds of scavenge pauses. */
  pause: number;
}

/**
 * Sums the scavenges of `lines` (other lines are ignored; every non-scavenge collection counts as a
 * mark-compact). With `skipAfterMarkCompact`, the scavenge right after a mark-compact is left out:
 * a mark-compact promotes the whole young generation, which says nothing about the program.
 */
export function gcTotals(lines: Iterable<string>, options: { readonly skipAfterMarkCompact: boolean }): GcTotals {
  const t: GcTotals = { scavenges: 0, markCompacts: 0, promoted: 0, allocated: 0, survived: 0, pause: 0 };
  const field = (line: string, key: string): number => Number(new RegExp(` ${key}=([0-9.]+)`).exec(line)?.[1] ?? 0);
  let afterMarkCompact = false;
  for (const line of lines) {
    if (!line.includes(' gc=')) continue;
    if (!line.includes(' gc=s ')) {
      t.markCompacts++;
      afterMarkCompact = true;
      continue;
    }
    if (afterMarkCompact && options.skipAfterMarkCompact) {
      afterMarkCompact = false;
      continue;
    }
    afterMarkCompact = false;
    t.scavenges++;
    t.promoted += field(line, 'promoted');
    t.allocated += field(line, 'allocated');
    t.survived += field(line, 'new_space_survived');
    t.pause += field(line, 'pause');
  }
  return t;
}
