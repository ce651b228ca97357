import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { marginBatch } from '../kernels/batch.js';
import { LOSS_ID, type LossId } from '../kernels/marginLoss.js';
import {
  BASE,
  CHUNKS,
  type ChunkViews,
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
  type PassSettings,
  READY,
  RUN,
  runChunk,
  SEQ,
  type SharedBuffers,
  STREAMING,
  sharedViews,
  takeChunk,
  type WorkerInit,
} from './protocol.js';

// A private cell to sleep on (Atomics.wait with a timeout) while a LOAD message is in flight.
const nap = new Int32Array(new SharedArrayBuffer(4));

function receive(port: MessagePort, p: number): ChunkViews {
  // The main thread posts before it bumps SEQ, so the message is already queued; the retry only guards
  // against a delivery that lags the notify.
  let msg = receiveMessageOnPort(port);
  for (let tries = 0; msg === undefined && tries < 1000; tries++) {
    Atomics.wait(nap, 0, 0, 1);
    msg = receiveMessageOnPort(port);
  }
  if (msg === undefined) throw new Error('parallelLinear worker: LOAD without buffers');
  return sharedViews(msg.message as SharedBuffers, p);
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
  const p = bias ? d + 1 : d;
  const theta = thetaShift.subarray(0, p);
  const pass: PassSettings = { bias, loss: LOSS_ID.exponential, shift: 0, streaming: false, rows };
  // The shared copies of X, y and c (set on LOAD) and the pass's n (set on RUN).
  const batch = marginBatch(d);
  let views: ChunkViews | null = null;
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
        batch.X = views.X;
        batch.y = views.y;
        batch.c = views.c;
      } else if (cmd === RUN && views !== null) {
        const base = Atomics.load(ctl, BASE);
        const chunks = ctl[CHUNKS]!;
        batch.n = ctl[N]!;
        pass.loss = ctl[LOSS]! as LossId;
        pass.streaming = ctl[STREAMING] === 1;
        pass.shift = thetaShift[p]!;
        for (let k = takeChunk(ctl, base, chunks); k >= 0; k = takeChunk(ctl, base, chunks)) {
          views.losses[k] = runChunk(views.parts[k]!, views.margins, theta, batch, pass, k);
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
