import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { linearObjectiveRows } from '../kernels/linear.js';
import {
  BASE,
  CHUNKS,
  CMD,
  COMPLETED,
  completeChunk,
  DONE,
  ERROR,
  EXIT,
  LOAD,
  LOSS,
  lineOf,
  N,
  READY,
  RUN,
  SEQ,
  type SharedBuffers,
  STREAMING,
  takeChunk,
  type WorkerInit,
} from './protocol.js';

// A private cell to sleep on (Atomics.wait with a timeout) while a LOAD message is in flight.
const nap = new Int32Array(new SharedArrayBuffer(4));

interface Views {
  X: Float64Array;
  y: Float64Array;
  c: Float64Array;
  margins: Float64Array;
  losses: Float64Array;
  /** One view per chunk into the partial gradients, made once per dataset so a pass allocates nothing. */
  parts: Float64Array[];
}

function receive(port: MessagePort, p: number): Views {
  // The main thread posts before it bumps SEQ, so the message is already queued; the retry only guards
  // against a delivery that lags the notify.
  let msg = receiveMessageOnPort(port);
  for (let tries = 0; msg === undefined && tries < 1000; tries++) {
    Atomics.wait(nap, 0, 0, 1);
    msg = receiveMessageOnPort(port);
  }
  if (msg === undefined) throw new Error('parallelLinear worker: LOAD without buffers');
  const b = msg.message as SharedBuffers;
  const partial = new Float64Array(b.partial);
  const losses = new Float64Array(b.losses);
  const parts: Float64Array[] = [];
  for (let k = 0; k < losses.length; k++) parts.push(partial.subarray(k * p, (k + 1) * p));
  return {
    X: new Float64Array(b.X),
    y: new Float64Array(b.y),
    c: new Float64Array(b.c),
    margins: new Float64Array(b.margins),
    losses,
    parts,
  };
}

/**
 * The command loop of a worker thread: blocks in Atomics.wait between commands, so an idle worker costs
 * no CPU. On RUN it takes chunks of the current pass (see protocol.ts) until none is left, reading the
 * shared copies of X, y and c.
 */
export function serveLinear(init: WorkerInit): void {
  const ctl = new Int32Array(init.control);
  const line = lineOf(init.index);
  const thetaShift = new Float64Array(init.theta);
  const { d, bias, rows, port } = init;
  const p = d + bias;
  const theta = thetaShift.subarray(0, p);
  let views: Views | null = null;
  let seen = 0;
  Atomics.store(ctl, line + READY, 1);
  Atomics.notify(ctl, line + READY);
  for (;;) {
    Atomics.wait(ctl, line + SEQ, seen);
    const seq = Atomics.load(ctl, line + SEQ);
    if (seq === seen) continue;
    seen = seq;
    const cmd = Atomics.load(ctl, line + CMD);
    if (cmd === EXIT) break;
    try {
      if (cmd === LOAD) {
        views = receive(port, p);
      } else if (cmd === RUN && views !== null) {
        const base = Atomics.load(ctl, BASE);
        const chunks = ctl[CHUNKS]!;
        const n = ctl[N]!;
        const lossId = ctl[LOSS]!;
        const streaming = ctl[STREAMING] === 1;
        const shift = thetaShift[p]!;
        for (let k = takeChunk(ctl, base, chunks); k >= 0; k = takeChunk(ctl, base, chunks)) {
          const start = k * rows;
          views.losses[k] = linearObjectiveRows(
            views.parts[k]!,
            theta,
            views.X,
            views.y,
            views.c,
            start,
            Math.min(n, start + rows),
            d,
            bias,
            lossId,
            shift,
            views.margins,
            streaming,
          );
          completeChunk(ctl, chunks);
        }
      } else {
        throw new Error(`parallelLinear worker: unexpected command ${cmd}`);
      }
    } catch (err) {
      port.postMessage(err instanceof Error ? (err.stack ?? err.message) : String(err));
      Atomics.store(ctl, ERROR, 1);
      Atomics.notify(ctl, COMPLETED);
    }
    Atomics.store(ctl, line + DONE, seq);
    Atomics.notify(ctl, line + DONE);
  }
  port.close();
}
