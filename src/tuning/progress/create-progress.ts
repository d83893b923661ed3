/** Where progress goes: a writable text stream (stderr), and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Progress {
  /** Announces the next step; on a terminal the bar advances, otherwise one line is written. */
  step(message: string): void;
  /** Ends the bar (a final newline on a terminal). */
  done(): void;
}

const BAR_WIDTH = 24;

/**
 * Progress on stderr: on a terminal, one redrawn line `[#####-----] 3/6 12.4s message`; otherwise
 * (pipes, CI logs) plain lines `[3/6 12.4s] message` that stay readable in a file.
 * `total` is the expected number of steps (the bar never overflows if more arrive).
 */
export function createProgress(sink: ProgressSink, total: number, now: () => number): Progress {
  const start = now();
  let count = 0;
  let drawn = false;
  return {
    step(message: string): void {
      count++;
      const shown = Math.min(count, total);
      const secs = ((now() - start) / 1000).toFixed(1);
      if (sink.isTTY) {
        const filled = Math.round((shown / Math.max(1, total)) * BAR_WIDTH);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${shown}/${total} ${secs}s `;
        const room = Math.max(10, (sink.columns ?? 100) - bar.length - 1);
        const text = message.length > room ? `${message.slice(0, room - 1)}…` : message;
        sink.write(`\r\x1b[2K${bar}${text}`);
        drawn = true;
      } else {
        sink.write(`[${shown}/${total} ${secs}s] ${message}\n`);
      }
    },
    done(): void {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}
