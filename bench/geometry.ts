/**
 * Mirror and steepest descent next to GD (issue 3, "Benchmark"): the same workload as bench/linear.ts
 * (linear model, weighted exponential loss, d = 100, n ∈ {10³, 10⁴, 10⁵}, X uniform in [−1, 1), labels
 * ±1, weights in [0.5, 1.5)), one `trainWeighted` step per row with each optimizer:
 *
 *   gd · mirrorDescent 'entropy' · mirrorDescent { p: 3 } · steepestDescent 'l1' / 'linf' / { p: 3 } /
 *   { quadratic: D } (D = MMᵀ/k + I, a random symmetric positive definite matrix)
 *
 * All rows start from the same positive θ₀ (the entropy potential lives on w > 0). Reported: the median
 * ms per step and the ratio to the gd row of the same size and run. Then the update alone
 * (`optimizer.update` on a fixed gradient, d = 100 and d = 1000), in µs, with the same ratio.
 * Rows are interleaved round by round, their order rotated each round (BENCH_ROUNDS, default 6, of
 * BENCH_BATCH_MS = 250 ms per row), as in bench/linear.ts; a checksum of θ and the losses is printed so
 * that no work can be skipped.
 */
import { dataset } from '../src/datasets/index.js';
import type { Dataset } from '../src/datasets/types.js';
import { gd, mirrorDescent, steepestDescent, trainWeighted } from '../src/gd/index.js';
import type { GradientInfo, Optimizer } from '../src/gd/optimizers/types.js';
import { linear } from '../src/models/linear.js';
import { fmt, lcg, median, table, type Variant } from './common.js';

const D = 100;
const SIZES = [1_000, 10_000, 100_000];
const UPDATE_DIMS = [100, 1000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 250);
/** The update-alone rows are cheap and stable: shorter batches. */
const UPDATE_BATCH_MS = Math.min(100, BATCH_MS);
const LR = 1e-3;

/** Park–Miller: deterministic bench data without Math.random. */
/** The workload of bench/linear.ts (same seeds), with a positive θ₀ ∈ [0.01, 0.05). */
function workload(n: number, d: number): { data: Dataset; weights: Float64Array; theta: Float64Array } {
  const r = lcg(12345 + n);
  const X = new Float64Array(n * d);
  for (let k = 0; k < X.length; k++) X[k] = 2 * r() - 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = r() < 0.5 ? -1 : 1;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = 0.5 + r();
  const theta = new Float64Array(d);
  for (let j = 0; j < d; j++) theta[j] = 0.01 + 0.04 * r();
  return { data: dataset(X, y, d), weights, theta };
}

/** D = MMᵀ/k + I with M a d×k matrix of entries uniform in [−1, 1): symmetric positive definite. */
function randomSpd(d: number, seed: number): Float64Array {
  const k = 20;
  const r = lcg(seed);
  const M = new Float64Array(d * k);
  for (let t = 0; t < M.length; t++) M[t] = 2 * r() - 1;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += M[i * k + t]! * M[j * k + t]!;
      const v = s / k + (i === j ? 1 : 0);
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}

function optimizers(d: number): Array<[name: string, optimizer: Optimizer<unknown>]> {
  return [
    ['gd', gd({ lr: LR })],
    ["mirrorDescent 'entropy'", mirrorDescent({ lr: LR, potential: 'entropy' })],
    ['mirrorDescent { p: 3 }', mirrorDescent({ lr: LR, potential: { p: 3 } })],
    ["steepestDescent 'l1'", steepestDescent({ lr: LR, norm: 'l1' })],
    ["steepestDescent 'linf'", steepestDescent({ lr: LR, norm: 'linf' })],
    ['steepestDescent { p: 3 }', steepestDescent({ lr: LR, norm: { p: 3 } })],
    [
      'steepestDescent { quadratic: D }',
      steepestDescent({ lr: LR, norm: { quadratic: randomSpd(d, 777 + d) } }),
    ],
  ] as Array<[string, Optimizer<unknown>]>;
}

/** Keeps results alive so no step can be skipped; printed at the end. */
let sink = 0;

function trainVariant(
  name: string,
  optimizer: Optimizer<unknown>,
  n: number,
  w: ReturnType<typeof workload>,
): Variant {
  // 2000, 200 steps per call for n = 10³, 10⁴ as in bench/linear.ts; 10 (not 20) for n = 10⁵ so that one
  // call (~0.4 s) fits a batch and the 7 rows × 7 batches stay within the bench's time budget
  const steps = Math.max(10, Math.round(2e8 / (n * D)));
  const model = linear(D);
  return {
    name,
    batch(ms) {
      const out: number[] = [];
      const end = performance.now() + ms;
      while (out.length < 1 || performance.now() < end) {
        const t0 = performance.now();
        const result = trainWeighted({
          data: w.data,
          model,
          weights: w.weights,
          init: w.theta,
          optimizer,
          steps,
          record: { metrics: ['loss'], at: [] },
        });
        out.push((performance.now() - t0) / steps);
        sink += result.theta[0]! + result.history.at(-1)!.loss;
      }
      return out;
    },
  };
}

/** optimizer.update alone on a fixed gradient; θ is reset (untimed) at the start of every batch. */
function updateVariant(name: string, optimizer: Optimizer<unknown>, d: number): Variant {
  const r = lcg(4242 + d);
  const theta0 = new Float64Array(d);
  for (let j = 0; j < d; j++) theta0[j] = 0.01 + 0.04 * r();
  const grad = new Float64Array(d);
  for (let j = 0; j < d; j++) grad[j] = (2 * r() - 1) * 1e-2;
  const theta = theta0.slice();
  const state = optimizer.init(theta);
  const info: GradientInfo = { step: 0, logScale: 0, lossScaled: 1 };
  // calls per sample: enough for ~1 ms (calibrated on the first batch, the warm-up)
  let calls = 0;
  return {
    name,
    batch(ms) {
      if (calls === 0) {
        for (let k = 0; k < 20; k++) optimizer.update(theta, grad, state, info);
        const t0 = performance.now();
        for (let k = 0; k < 10; k++) optimizer.update(theta, grad, state, info);
        const each = Math.max(1e-5, (performance.now() - t0) / 10);
        calls = Math.max(1, Math.min(10_000, Math.round(1 / each)));
        theta.set(theta0);
      }
      theta.set(theta0);
      const out: number[] = [];
      const end = performance.now() + ms;
      while (out.length < 3 || performance.now() < end) {
        const t0 = performance.now();
        for (let k = 0; k < calls; k++) optimizer.update(theta, grad, state, info);
        out.push(((performance.now() - t0) * 1000) / calls);
      }
      sink += theta[0]! + theta[d - 1]!;
      return out;
    },
  };
}

/** Interleaved rounds (order rotated every round); returns the median of each variant. */
function measure(variants: Variant[], batchMs: number): number[] {
  for (const v of variants) v.batch(Math.min(300, batchMs)); // warm-up: JIT
  const samples: number[][] = variants.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let q = 0; q < variants.length; q++) {
      const k = (q + r) % variants.length;
      samples[k]!.push(...variants[k]!.batch(batchMs));
    }
  }
  return samples.map(median);
}

/** Runs the mirror/steepest descent benchmark and prints its two tables. */
export function run(): void {
  console.log(
    `## Mirror and steepest descent vs GD: trainWeighted step, linear model, weighted exponential loss, d = ${D} (median ms per step)\n`,
  );
  console.log(`${ROUNDS} rounds × ${BATCH_MS} ms per row, lr = ${LR}, θ₀ ∈ [0.01, 0.05)\n`);
  const rows: string[][] = [];
  const opts = optimizers(D);
  for (const n of SIZES) {
    const w = workload(n, D);
    const ms = measure(
      opts.map(([name, o]) => trainVariant(name, o, n, w)),
      BATCH_MS,
    );
    opts.forEach(([name], k) => {
      rows.push([String(n), name, fmt(ms[k]!), (ms[k]! / ms[0]!).toFixed(2)]);
    });
  }
  table(['n', 'optimizer', 'ms/step', '× gd'], rows);

  console.log(
    `\n### optimizer.update alone (median µs per update; ${ROUNDS} rounds × ${UPDATE_BATCH_MS} ms)\n`,
  );
  const urows: string[][] = [];
  for (const d of UPDATE_DIMS) {
    const ou = optimizers(d);
    const us = measure(
      ou.map(([name, o]) => updateVariant(name, o, d)),
      UPDATE_BATCH_MS,
    );
    ou.forEach(([name], k) => {
      urows.push([String(d), name, fmt(us[k]!), (us[k]! / us[0]!).toFixed(1)]);
    });
  }
  table(['d', 'optimizer', 'µs/update', '× gd'], urows);
  console.log(`\nchecksum (keeps the work alive): ${sink.toExponential(6)}\n`);
}
