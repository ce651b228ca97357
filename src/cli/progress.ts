/** What `reproduce` reports while it runs (also sent from worker processes to the parent). */
export type ReproduceEvent =
  | { type: 'start'; name: string }
  | { type: 'progress'; name: string; done: number; total: number }
  | { type: 'finish'; name: string; message: string; seconds: number };

/** The stream progress is written to: `process.stderr` or anything with `write` (and `isTTY`). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

const WIDTH = 24;

/**
 * A renderer of {@link ReproduceEvent}s. On a TTY it redraws one status line in place (at most every
 * 50 ms): `name [████░░░░] 12/40 1.3 s` for each running experiment (several when `reproduce` runs
 * processes in parallel), and prints a permanent line as each finishes. Otherwise it prints one plain line
 * when an experiment starts and one when it ends.
 */
export function progressRenderer(stream: ProgressStream): (event: ReproduceEvent) => void {
  const tty = stream.isTTY === true;
  const active = new Map<string, { t0: number; done: number; total: number }>();
  let last = 0;
  const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
  const status = () =>
    [...active.entries()]
      .map(([name, a]) => {
        const filled = a.total > 0 ? Math.round((WIDTH * a.done) / a.total) : 0;
        const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
        return `${name.padEnd(active.size > 1 ? 0 : 18)} [${bar}] ${a.done}/${a.total} ${seconds(a.t0)} s`;
      })
      .join('   ');
  const redraw = (force: boolean) => {
    const now = performance.now();
    if (!force && now - last < 50) return;
    last = now;
    stream.write(`\r\x1b[2K${status()}`);
  };
  return (event) => {
    if (event.type === 'start') {
      active.set(event.name, { t0: performance.now(), done: 0, total: 0 });
      if (tty) redraw(true);
      else stream.write(`${event.name}: running\n`);
    } else if (event.type === 'progress') {
      const a = active.get(event.name);
      if (a === undefined) return;
      a.done = event.done;
      a.total = event.total;
      if (tty) redraw(event.done === event.total);
    } else {
      active.delete(event.name);
      const line = `${event.message} (${event.seconds.toFixed(1)} s)`;
      if (tty) {
        stream.write(`\r\x1b[2K${event.name.padEnd(18)} ${line}\n`);
        if (active.size > 0) redraw(true);
      } else stream.write(`${event.name}: ${line}\n`);
    }
  };
}
