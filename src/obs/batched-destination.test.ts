import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchedDestination, type FlushableDestination } from './batched-destination.js';

function fakeInner(): FlushableDestination & { writes: string[]; flushes: number; syncFlushes: number } {
  const inner = {
    writes: [] as string[],
    flushes: 0,
    syncFlushes: 0,
    write(chunk: string) {
      inner.writes.push(chunk);
      return true;
    },
    flush(cb?: (err?: Error | null) => void) {
      inner.flushes++;
      cb?.(null);
    },
    flushSync() {
      inner.syncFlushes++;
    },
  };
  return inner;
}

describe('batchedDestination', () => {
  it('hands lines on in blocks of at least blockChars, in order', () => {
    const inner = fakeInner();
    const dest = batchedDestination(inner, { blockChars: 100, exitHooks: false });
    // 25 characters each: a block after every 4th line (100); the last two lines wait.
    const line = (i: number): string => `${String(i).padStart(24, '.')}\n`;
    for (let i = 0; i < 10; i++) dest.write(line(i));
    expect(inner.writes).toEqual([line(0) + line(1) + line(2) + line(3), line(4) + line(5) + line(6) + line(7)]);
    dest.drain();
    expect(inner.writes.at(-1)).toBe(line(8) + line(9));
    dest.drain();
    expect(inner.writes).toHaveLength(3);
  });

  it('drains before flush and flushSync, so pino.flush() and exits see every line', () => {
    const inner = fakeInner();
    const dest = batchedDestination(inner, { blockChars: 4096, exitHooks: false });
    dest.write('a\n');
    let flushed = false;
    dest.flush(() => void (flushed = true));
    expect(inner.writes).toEqual(['a\n']);
    expect(flushed).toBe(true);
    dest.write('b\n');
    dest.flushSync();
    expect(inner.writes).toEqual(['a\n', 'b\n']);
    expect(inner.syncFlushes).toBe(1);
  });

  it('hands a lone line on by its timer', async () => {
    const inner = fakeInner();
    const dest = batchedDestination(inner, { blockChars: 4096, flushMs: 5, exitHooks: false });
    dest.write('lonely\n');
    expect(inner.writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(inner.writes).toEqual(['lonely\n']);
  });

  // The gateway's real logger (createLogger on stdout) in a child process, ended three ways: every
  // line must reach stdout though none filled a block.
  it.each([
    ['process.exit()', 'process.exit(0);'],
    ['an empty event loop', ''],
    ['an uncaught exception', "setImmediate(() => { throw new Error('boom'); });"],
  ])('loses no line when the process ends by %s', (_how, ending) => {
    const script = `
      const { createLogger } = await import('./src/obs/create-logger.ts');
      const log = createLogger({ level: 'info' });
      for (let i = 0; i < 3; i++) log.info({ i }, 'line');
      ${ending}
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8', timeout: 20_000 });
    const lines = r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { msg: string; i: number });
    expect(lines.map((l) => l.i)).toEqual([0, 1, 2]);
  });
});
