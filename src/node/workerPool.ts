import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { SolverFailedError } from '../errors/index.js';
import {
  CMD,
  DONE,
  ERROR,
  EXIT,
  lineOf,
  READY,
  SEQ,
  SLOTS,
  WORKER_TAG,
  type WorkerInit,
} from './protocol.js';

/** How long the first parallel pass waits for the worker threads to start before giving up. */
const START_TIMEOUT_MS = 30_000;

/** The worker threads of one {@link parallelLinear} model and the shared memory they read. */
export interface Pool {
  readonly workers: Worker[];
  readonly ports: MessagePort[];
  readonly ctl: Int32Array;
  /** θ followed by the shift, read by every worker. */
  readonly thetaShift: Float64Array;
}

/** What the workers of a pool are started with (besides their control line and port). */
export interface PoolShape {
  /** The worker entry: parallelLinear's own file (dist/node.js, dist/node.cjs or the .ts source). */
  readonly file: string;
  /** Worker threads to start (threads − 1: the calling thread works too). */
  readonly count: number;
  readonly d: number;
  /** θ carries an intercept θ_d. */
  readonly bias: boolean;
  /** Rows per chunk. */
  readonly rows: number;
}

function spawn(file: string, init: WorkerInit): Worker {
  const options = { workerData: init, transferList: [init.port] };
  if (file.endsWith('.ts')) {
    // Running from source (vitest, tsx): Node cannot load TypeScript in a worker by itself, so the worker
    // registers tsx's require hook first. The built package never takes this path.
    const req = `require('node:module').createRequire(${JSON.stringify(file)})`;
    return new Worker(`const r = ${req}; r('tsx/cjs/api').register(); r(${JSON.stringify(file)});`, {
      ...options,
      eval: true,
    });
  }
  return new Worker(file, options);
}

/** Blocks until ctl[index] === value or the deadline (ms since time origin) passes; false on timeout. */
function waitUntil(ctl: Int32Array, index: number, value: number, deadline: number): boolean {
  for (;;) {
    const current = Atomics.load(ctl, index);
    if (current === value) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    // Slices of at most 1 s: a missed notify can only delay, never hang.
    Atomics.wait(ctl, index, current, Math.min(left, 1000));
  }
}

/** Sends command `cmd` to worker w: store it, bump the worker's SEQ, wake it. */
export function command(pool: Pool, w: number, cmd: number): void {
  const line = lineOf(w);
  Atomics.store(pool.ctl, line + CMD, cmd);
  Atomics.store(pool.ctl, line + SEQ, (Atomics.load(pool.ctl, line + SEQ) + 1) | 0);
  Atomics.notify(pool.ctl, line + SEQ);
}

/** Stops the workers (EXIT, then terminate) and closes their ports; they are `unref`'d anyway. */
export function stopPool(pool: Pool): void {
  pool.workers.forEach((worker, w) => {
    command(pool, w, EXIT);
    pool.ports[w]!.close();
    worker.terminate().catch(() => {});
  });
}

/** The first error report a worker left on its port ('no report' if none). */
export function errorReport(pool: Pool): string {
  for (const port of pool.ports) {
    const msg = receiveMessageOnPort(port);
    if (msg !== undefined) return String(msg.message);
  }
  return 'no report';
}

/**
 * Waits until every worker has finished its last command (they are then idle, blocked on SEQ); returns
 * false when a worker reported a failure.
 */
export function allIdle(pool: Pool): boolean {
  const { ctl } = pool;
  for (let w = 0; w < pool.workers.length; w++) {
    const line = lineOf(w);
    waitUntil(ctl, line + DONE, Atomics.load(ctl, line + SEQ), Number.POSITIVE_INFINITY);
  }
  return Atomics.load(ctl, ERROR) === 0;
}

/**
 * Starts `shape.count` worker threads on `shape.file` with a fresh control buffer and θ buffer (p + 1
 * doubles), and waits until each reports READY. Throws `SOLVER_FAILED` naming `fn` when the entry file is
 * missing, tsx is missing when running from source, or a worker does not start within 30 s (the workers
 * started so far are stopped first).
 */
export function startPool(fn: string, shape: PoolShape): Pool {
  const { file, count } = shape;
  if (!existsSync(file)) {
    throw new SolverFailedError(`${fn}: cannot start worker threads: ${file} does not exist`);
  }
  if (file.endsWith('.ts')) {
    try {
      createRequire(file).resolve('tsx/cjs/api');
    } catch {
      throw new SolverFailedError(
        `${fn}: running from the TypeScript source, worker threads need tsx (a devDependency); or use the built package`,
      );
    }
  }
  const p = shape.bias ? shape.d + 1 : shape.d;
  const ctl = new Int32Array(new SharedArrayBuffer(4 * SLOTS * (count + 2)));
  const thetaShift = new Float64Array(new SharedArrayBuffer(8 * (p + 1)));
  const pool: Pool = { workers: [], ports: [], ctl, thetaShift };
  for (let w = 0; w < count; w++) {
    const channel = new MessageChannel();
    const init: WorkerInit = {
      tag: WORKER_TAG,
      index: w,
      control: ctl.buffer as SharedArrayBuffer,
      theta: thetaShift.buffer as SharedArrayBuffer,
      port: channel.port2,
      d: shape.d,
      bias: shape.bias,
      rows: shape.rows,
    };
    const worker = spawn(file, init);
    // A worker that cannot start shows up as the start timeout below, a failure inside a pass as ERROR;
    // the 'error' event itself (delivered later, on the event loop) must not crash the process.
    worker.on('error', () => {});
    worker.unref();
    channel.port1.unref();
    pool.workers.push(worker);
    pool.ports.push(channel.port1);
  }
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (let w = 0; w < count; w++) {
    if (!waitUntil(ctl, lineOf(w) + READY, 1, deadline)) {
      stopPool(pool);
      throw new SolverFailedError(
        `${fn}: worker thread ${w + 1} did not start within ${START_TIMEOUT_MS / 1000} s (entry ${file})`,
      );
    }
  }
  return pool;
}
