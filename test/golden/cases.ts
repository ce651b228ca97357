/**
 * The golden trace cases: several hundred short runs of the five training loops over every optimizer,
 * schedule, norm, potential, loss, model, weighting and recording option. `traces.json` holds a SHA-256 of
 * each run's result (θ and every history row, bit for bit), written by `scripts/golden-traces.ts` from the
 * code as it was before the training loops were merged into one driver (issue 10). `traces.test.ts` checks
 * that today's code gives the same bits. Options are built by `options()` so a test can also split a case
 * into an interrupted run and its resumption.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  adam,
  cosineDecay,
  type Dataset,
  datasets,
  exponentialDecay,
  gd,
  hardMarginSVM,
  inverseTime,
  linear,
  linearMulticlass,
  logistic,
  minNormInterpolant,
  mirrorDescent,
  mlp,
  mlpMulticlass,
  momentum,
  nonSeparableOptimum,
  normalizedGd,
  type Optimizer,
  separablePartitionSync,
  steepestDescent,
  stepDecay,
  trainLearnedWeights,
  trainMatrixFactorization,
  trainMulticlass,
  trainRegression,
  trainWeighted,
} from '../../src/index.js';

export type Loop =
  | 'trainWeighted'
  | 'trainMulticlass'
  | 'trainRegression'
  | 'trainLearnedWeights'
  | 'trainMatrixFactorization';

export interface GoldenCase {
  name: string;
  loop: Loop;
  /** A fresh options object (new optimizer, new arrays) on every call. */
  options: () => Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: the loops take different option types
type AnyOptions = any;

/** Runs a case's loop with the given options. */
export function runLoop(loop: Loop, options: Record<string, unknown>): Record<string, unknown> {
  const o = options as AnyOptions;
  switch (loop) {
    case 'trainWeighted':
      return trainWeighted(o) as unknown as Record<string, unknown>;
    case 'trainMulticlass':
      return trainMulticlass(o) as unknown as Record<string, unknown>;
    case 'trainRegression':
      return trainRegression(o) as unknown as Record<string, unknown>;
    case 'trainLearnedWeights':
      return trainLearnedWeights(o) as unknown as Record<string, unknown>;
    case 'trainMatrixFactorization':
      return trainMatrixFactorization(o) as unknown as Record<string, unknown>;
  }
}

/**
 * Runs a case and returns what it gave: the result, or for a thrown library error its code, message, step
 * and last finite θ (a run that diverges is a trace too).
 */
export function runCase(c: GoldenCase): Record<string, unknown> {
  try {
    return runLoop(c.loop, c.options());
  } catch (e) {
    const err = e as { code?: string; message: string; step?: number; lastFiniteTheta?: Float64Array };
    if (err.code === undefined) throw e;
    return { error: err.code, message: err.message, step: err.step, lastFiniteTheta: err.lastFiniteTheta };
  }
}

/** Writes a value into the hash: numbers as their 8 IEEE bytes (little-endian), keys sorted. */
function feed(h: ReturnType<typeof createHash>, v: unknown): void {
  const buf = new DataView(new ArrayBuffer(8));
  const num = (x: number): void => {
    buf.setFloat64(0, x, true);
    h.update(new Uint8Array(buf.buffer));
  };
  if (v === null) h.update('n');
  else if (v === undefined) h.update('u');
  else if (typeof v === 'number') {
    h.update('#');
    num(v);
  } else if (typeof v === 'string') h.update(`s${v.length}:${v}`);
  else if (typeof v === 'boolean') h.update(v ? 'T' : 'F');
  else if (v instanceof Float64Array || Array.isArray(v)) {
    h.update(`[${v.length}`);
    for (const x of Array.from(v as ArrayLike<unknown>)) feed(h, x);
    h.update(']');
  } else if (ArrayBuffer.isView(v)) {
    h.update(`i${(v as unknown as ArrayLike<number>).length}`);
    for (const x of Array.from(v as unknown as ArrayLike<number>)) num(x);
  } else if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    h.update('{');
    for (const k of keys) {
      h.update(`${k}=`);
      feed(h, (v as Record<string, unknown>)[k]);
    }
    h.update('}');
  } else throw new Error(`cannot hash ${typeof v}`);
}

/**
 * SHA-256 of a run's result: every field but `state` (added by the resumable driver, not part of the
 * traces recorded before it), every history row bit for bit.
 */
export function hashResult(result: Record<string, unknown>): string {
  const h = createHash('sha256');
  const copy: Record<string, unknown> = { ...result };
  delete copy.state;
  feed(h, copy);
  return h.digest('hex').slice(0, 32);
}

// ——— data, built once ———
const sep = datasets.separable({ n: 40, seed: 1 });
const sep5 = datasets.separable({ n: 30, d: 5, seed: 2 });
const nonsep = datasets.nonSeparable({ n: 40, seed: 3 });
const moons = datasets.moons({ n: 60, seed: 4 });
const test = datasets.separable({ n: 30, seed: 9 });
const blobs = datasets.blobs({ n: 45, k: 3, seed: 5 });
const blobsTest = datasets.blobs({ n: 30, k: 3, seed: 6 });
const under = datasets.underdetermined({ n: 8, d: 20, seed: 7 });
const completion = datasets.matrixCompletion({ rows: 6, cols: 5, rank: 1, observed: 0.6, seed: 8 });
const completionNoTruth = {
  rows: completion.rows,
  cols: completion.cols,
  observed: completion.observed,
  values: completion.values,
};
const partitioned = datasets.partitioned({ nSep: 12, nNonSep: 6, d: 4, seed: 3 });

/**
 * The solver outputs the cases take as inputs (SVM references, the min-norm interpolant, the separable
 * partition and θ̃(w)), frozen in inputs.json when the traces were recorded, so that a later change of a
 * solver in its last bits cannot move a training trace (the solvers have their own tests).
 */
interface FrozenInputs {
  svm: { theta: number[]; bias: number };
  svm5: { theta: number[]; bias: number };
  minNorm: number[];
  partition: {
    separable: number[];
    nonSeparable: number[];
    nonSepBasis: number[];
    sepBasis: number[];
    rank: number;
  };
  optimum: Record<
    'uniform' | 'ramp',
    { theta: number[]; sepDirection: number[] | null; gammaSep: number | null }
  >;
}
const INPUTS = new URL('./inputs.json', import.meta.url);

/** Computes the frozen inputs with today's solvers (scripts/golden-traces.ts writes them once). */
export function computeInputs(): FrozenInputs {
  const plain = (r: { theta: ArrayLike<number>; bias: number }) => ({
    theta: Array.from(r.theta),
    bias: r.bias,
  });
  const partition = separablePartitionSync(partitioned);
  const optimum = (weights?: number[]) => {
    const o = nonSeparableOptimum(partitioned, partition, weights ? { weights } : {});
    return {
      theta: Array.from(o.theta),
      sepDirection: o.sepDirection === null ? null : Array.from(o.sepDirection),
      gammaSep: o.gammaSep,
    };
  };
  return {
    svm: plain(hardMarginSVM(sep)),
    svm5: plain(hardMarginSVM(sep5)),
    minNorm: Array.from(minNormInterpolant(under.X, under.y, new Float64Array(under.d).fill(0.5)).w),
    partition: {
      separable: Array.from(partition.separable),
      nonSeparable: Array.from(partition.nonSeparable),
      nonSepBasis: Array.from(partition.nonSepBasis),
      sepBasis: Array.from(partition.sepBasis),
      rank: partition.rank,
    },
    optimum: { uniform: optimum(), ramp: optimum(rampWeights(partitioned.n)) },
  };
}

// Read back through JSON either way, so the values are exactly those the file holds.
const frozen: FrozenInputs = JSON.parse(
  existsSync(INPUTS) ? readFileSync(INPUTS, 'utf8') : JSON.stringify(computeInputs()),
);
const svm = { theta: Float64Array.from(frozen.svm.theta), bias: frozen.svm.bias };
const svm5 = { theta: Float64Array.from(frozen.svm5.theta), bias: frozen.svm5.bias };

function classWeights(data: Dataset, pos: number, neg: number): number[] {
  return Array.from(data.y, (y) => (y > 0 ? pos : neg));
}
function rampWeights(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 0.25 + (i % 7) * 0.5);
}
function positiveInit(p: number): number[] {
  return Array.from({ length: p }, (_, j) => 0.5 + 0.1 * j);
}
const userPotential = {
  // ψ(w) = Σ cosh(w): ∇ψ = sinh, (∇ψ)⁻¹ = asinh
  grad: (out: Float64Array, x: Float64Array) => {
    for (let j = 0; j < x.length; j++) out[j] = Math.sinh(x[j]!);
    return out;
  },
  gradInverse: (out: Float64Array, x: Float64Array) => {
    for (let j = 0; j < x.length; j++) out[j] = Math.asinh(x[j]!);
    return out;
  },
};

/** The optimizers every loop that takes one is run with; each entry builds a fresh optimizer. */
export const OPTIMIZERS: Record<string, (lr: number) => Optimizer<unknown>> = {
  gd: (lr) => gd({ lr }),
  'gd-inverseTime': (lr) => gd({ lr: inverseTime({ lr, decay: 0.01 }) }),
  'gd-cosine': (lr) => gd({ lr: cosineDecay({ lr, steps: 150, alpha: 0.1 }) }),
  'gd-exponential': (lr) => gd({ lr: exponentialDecay({ lr, rate: 0.99, min: lr / 10 }) }),
  'gd-step': (lr) => gd({ lr: stepDecay({ lr, every: 40, factor: 0.5 }) }),
  'gd-fn': (lr) => gd({ lr: (t: number) => lr / Math.sqrt(1 + t) }),
  momentum: (lr) => momentum({ lr }),
  'momentum-0.5': (lr) => momentum({ lr, beta: 0.5 }),
  nesterov: (lr) => momentum({ lr, nesterov: true }),
  'momentum-schedule': (lr) => momentum({ lr: inverseTime({ lr, decay: 0.05 }), beta: 0.8 }),
  adam: (lr) => adam({ lr: lr / 10 }),
  'adam-betas': (lr) => adam({ lr: lr / 10, beta1: 0.5, beta2: 0.9, eps: 1e-6 }),
  'adam-schedule': (lr) => adam({ lr: cosineDecay({ lr: lr / 10, steps: 200 }) }),
  'normalizedGd-loss': (lr) => normalizedGd({ lr }),
  'normalizedGd-gradient': (lr) => normalizedGd({ lr, normalize: 'gradient' }),
  'mirror-euclidean': (lr) => mirrorDescent({ lr, potential: 'euclidean' }),
  'mirror-p3': (lr) => mirrorDescent({ lr, potential: { p: 3 } }),
  'mirror-p1.5': (lr) => mirrorDescent({ lr, potential: { p: 1.5 } }),
  'mirror-user': (lr) => mirrorDescent({ lr, potential: userPotential }),
  'steepest-l1': (lr) => steepestDescent({ lr, norm: 'l1' }),
  'steepest-l2': (lr) => steepestDescent({ lr, norm: 'l2' }),
  'steepest-linf': (lr) => steepestDescent({ lr, norm: 'linf' }),
  'steepest-p3': (lr) => steepestDescent({ lr, norm: { p: 3 } }),
  'steepest-l1-loss': (lr) => steepestDescent({ lr, norm: 'l1', normalize: 'loss' }),
  'steepest-linf-loss': (lr) => steepestDescent({ lr, norm: 'linf', normalize: 'loss' }),
};

/** Optimizers that need θ in a domain (entropy: θ > 0) or a d-dependent matrix. */
function domainOptimizers(d: number): Record<string, (lr: number) => Optimizer<unknown>> {
  const D: number[][] = [];
  for (let i = 0; i < d; i++) {
    D.push(Array.from({ length: d }, (_, j) => (i === j ? 2 + i : 0.3 / (1 + Math.abs(i - j)))));
  }
  return {
    'mirror-entropy': (lr) => mirrorDescent({ lr, potential: 'entropy' }),
    'steepest-quadratic': (lr) => steepestDescent({ lr, norm: { quadratic: D } }),
  };
}

function weightedCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const add = (name: string, options: () => Record<string, unknown>): void => {
    cases.push({ name: `trainWeighted/${name}`, loop: 'trainWeighted', options });
  };
  // every optimizer × loss on the linear model, weighted and not
  for (const [oname, make] of Object.entries(OPTIMIZERS)) {
    for (const lossName of ['exponential', 'logistic'] as const) {
      const loss = lossName === 'logistic' ? logistic : undefined;
      add(`linear/${oname}/${lossName}`, () => ({
        data: sep,
        steps: 120,
        optimizer: make(0.1),
        ...(loss ? { loss } : {}),
        reference: svm,
        record: { points: 15 },
      }));
      add(`linear/${oname}/${lossName}/weighted`, () => ({
        data: sep5,
        steps: 90,
        optimizer: make(0.05),
        ...(loss ? { loss } : {}),
        weights: classWeights(sep5, 5, 1),
        reference: svm5,
        record: { scale: 'linear', points: 9 },
      }));
    }
  }
  for (const [oname, make] of Object.entries(domainOptimizers(2))) {
    add(`linear/${oname}`, () => ({
      data: sep,
      steps: 100,
      optimizer: make(0.05),
      init: positiveInit(2),
      weights: rampWeights(sep.n),
      record: { points: 10 },
    }));
  }
  // models: every activation, deeper nets, bias, with a few optimizers
  const models: Record<string, () => unknown> = {
    'linear-bias': () => linear(2, { bias: true }),
    'mlp-relu': () => mlp({ widths: [2, 5, 1] }),
    'mlp-leaky': () => mlp({ widths: [2, 4, 1], activation: 'leakyRelu', slope: 0.1 }),
    'mlp-quadratic': () => mlp({ widths: [2, 3, 1], activation: 'quadratic' }),
    'mlp-reluPower': () => mlp({ widths: [2, 4, 1], activation: 'reluPower', power: 3 }),
    'mlp-deep': () => mlp({ widths: [2, 4, 3, 1] }),
    'mlp-deeper': () => mlp({ widths: [2, 3, 3, 2, 1], activation: 'leakyRelu' }),
  };
  for (const [mname, model] of Object.entries(models)) {
    for (const oname of ['gd', 'momentum', 'adam', 'normalizedGd-loss', 'steepest-linf']) {
      for (const lossName of ['exponential', 'logistic'] as const) {
        add(`${mname}/${oname}/${lossName}`, () => ({
          data: moons,
          model: model(),
          steps: 80,
          seed: 3,
          optimizer: OPTIMIZERS[oname]!(0.05),
          ...(lossName === 'logistic' ? { loss: logistic } : {}),
          weights: classWeights(moons, 1, 3),
          record: { metrics: ['loss', 'norm', 'margin', 'averageMargin', 'trainError', 'theta'], points: 8 },
        }));
      }
    }
  }
  // metrics and recording
  add('metrics/all', () => ({
    data: sep,
    test,
    steps: 60,
    reference: svm,
    record: {
      metrics: [
        'loss',
        'norm',
        'margin',
        'averageMargin',
        'angle',
        'gap',
        'trainError',
        'testError',
        'theta',
        'supportCount',
        'sharpness',
      ],
      scale: 'linear',
      points: 6,
      supportTol: 0.05,
      sharpnessIterations: 20,
    },
  }));
  add('metrics/sharpness-mlp', () => ({
    data: moons,
    model: mlp({ widths: [2, 4, 1] }),
    steps: 50,
    optimizer: gd({ lr: 0.05 }),
    record: { metrics: ['loss', 'sharpness'], points: 6 },
  }));
  add('record/at', () => ({ data: sep, steps: 70, record: { at: [3, 5, 17, 40] } }));
  add('record/log-many', () => ({ data: sep, steps: 300, record: { points: 400 } }));
  add('record/steps0', () => ({ data: sep, steps: 0, reference: svm }));
  add('seed/7', () => ({ data: nonsep, steps: 60, seed: 7 }));
  add('init/given', () => ({ data: nonsep, steps: 60, init: [0.3, -0.2] }));
  add('init/zero', () => ({
    data: sep,
    steps: 60,
    init: [0, 0],
    record: { metrics: ['loss', 'margin', 'norm'] },
  }));
  add('weights/zero-some', () => ({
    data: sep,
    steps: 60,
    weights: Array.from({ length: sep.n }, (_, i) => (i % 4 === 0 ? 0 : 1)),
  }));
  for (const r of [1, 2, 3]) {
    add(`regularization/r${r}`, () => ({
      data: moons,
      model: mlp({ widths: [2, 4, 1] }),
      steps: 70,
      optimizer: gd({ lr: 0.05 }),
      regularization: { lambda: 0.01, r },
    }));
  }
  add('regularization/linear-momentum', () => ({
    data: nonsep,
    steps: 70,
    optimizer: momentum({ lr: 0.05 }),
    regularization: { lambda: 1e-3, r: 2 },
  }));
  // the tail shift: long normalized runs where every loss term underflows
  add('tail/normalizedGd', () => ({
    data: sep,
    steps: 3000,
    optimizer: normalizedGd({ lr: 1 }),
    reference: svm,
    record: { points: 30 },
  }));
  add('tail/steepest-l1-loss', () => ({
    data: sep5,
    steps: 2000,
    optimizer: steepestDescent({ lr: 0.5, norm: 'l1', normalize: 'loss' }),
    record: { points: 20 },
  }));
  add('tail/gd-big-lr', () => ({
    data: sep,
    steps: 4000,
    optimizer: gd({ lr: 50 }),
    record: { points: 25 },
  }));
  add('tail/adam', () => ({
    data: sep,
    steps: 3000,
    optimizer: adam({ lr: 0.5 }),
    loss: logistic,
    record: { points: 25 },
  }));
  // divergence reported as data
  add('diverge/stop', () => ({
    data: moons,
    model: mlp({ widths: [2, 4, 1], activation: 'quadratic' }),
    steps: 200,
    optimizer: gd({ lr: 1e6 }),
    onDiverge: 'stop',
  }));
  // aborted from onProgress at the first recorded step ≥ 20 (recorded rows 0…, then the abort row)
  add('abort/onProgress', () => {
    const controller = new AbortController();
    return {
      data: sep,
      steps: 100,
      optimizer: momentum({ lr: 0.1 }),
      signal: controller.signal,
      record: { scale: 'linear', points: 7 },
      onProgress: ({ step }: { step: number }) => {
        if (step >= 20) controller.abort();
      },
    };
  });
  // Proposition 2 metrics on non-separable data
  const partition = {
    separable: Int32Array.from(frozen.partition.separable),
    nonSeparable: Int32Array.from(frozen.partition.nonSeparable),
    nonSepBasis: Float64Array.from(frozen.partition.nonSepBasis),
    sepBasis: Float64Array.from(frozen.partition.sepBasis),
    rank: frozen.partition.rank,
  };
  for (const [wname, weights] of [
    ['uniform', undefined],
    ['ramp', rampWeights(partitioned.n)],
  ] as const) {
    const o = frozen.optimum[wname];
    const optimum = {
      theta: Float64Array.from(o.theta),
      sepDirection: o.sepDirection === null ? null : Float64Array.from(o.sepDirection),
      gammaSep: o.gammaSep,
    };
    add(`proposition2/${wname}`, () => ({
      data: partitioned,
      steps: 150,
      ...(weights ? { weights } : {}),
      proposition2: { partition, optimum },
      record: { points: 12 },
    }));
  }
  return cases;
}

function multiclassCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const add = (name: string, options: () => Record<string, unknown>): void => {
    cases.push({ name: `trainMulticlass/${name}`, loop: 'trainMulticlass', options });
  };
  for (const [oname, make] of Object.entries(OPTIMIZERS)) {
    add(`linear/${oname}`, () => ({ data: blobs, steps: 80, optimizer: make(0.1), record: { points: 8 } }));
  }
  const ref = new Float64Array(linearMulticlass(2, 3).size).map((_, j) => Math.cos(j + 1));
  add('linear/weighted-test-ref', () => ({
    data: blobs,
    test: blobsTest,
    steps: 100,
    weights: rampWeights(blobs.n),
    reference: ref,
    record: {
      metrics: [
        'loss',
        'norm',
        'margin',
        'averageMargin',
        'angle',
        'gap',
        'trainError',
        'testError',
        'theta',
      ],
    },
  }));
  add('linear/regularized', () => ({
    data: blobs,
    steps: 80,
    regularization: { lambda: 0.01, r: 2 },
    optimizer: momentum({ lr: 0.1 }),
  }));
  add('linear/tail', () => ({
    data: blobs,
    steps: 2500,
    optimizer: normalizedGd({ lr: 1 }),
    record: { points: 20 },
  }));
  add('linear/record-at', () => ({ data: blobs, steps: 40, record: { at: [1, 2, 39] } }));
  for (const activation of ['relu', 'leakyRelu', 'quadratic', 'reluPower'] as const) {
    for (const oname of ['gd', 'adam', 'nesterov']) {
      add(`mlp-${activation}/${oname}`, () => ({
        data: blobs,
        model: mlpMulticlass({ widths: [2, 5, 3], activation }),
        steps: 60,
        seed: 2,
        optimizer: OPTIMIZERS[oname]!(0.05),
        record: { points: 6 },
      }));
    }
  }
  add('mlp-deep/gd', () => ({
    data: blobs,
    model: mlpMulticlass({ widths: [2, 4, 4, 3] }),
    steps: 60,
    optimizer: gd({ lr: 0.05 }),
    regularization: { lambda: 1e-3, r: 3 },
  }));
  add('diverge/stop', () => ({
    data: blobs,
    model: mlpMulticlass({ widths: [2, 3, 3], activation: 'quadratic' }),
    steps: 100,
    optimizer: gd({ lr: 1e8 }),
    onDiverge: 'stop',
  }));
  return cases;
}

function regressionCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const add = (name: string, options: () => Record<string, unknown>): void => {
    cases.push({ name: `trainRegression/${name}`, loop: 'trainRegression', options });
  };
  const w0 = new Float64Array(under.d).fill(0.5);
  const reference = Float64Array.from(frozen.minNorm);
  add('default', () => ({ data: under, steps: 150, init: w0, reference }));
  add('normal-init', () => ({ data: under, steps: 100, init: 'normal', seed: 4 }));
  for (const [oname, make] of Object.entries(OPTIMIZERS)) {
    if (oname.includes('loss')) continue; // loss-normalized steps need L > 0 away from the optimum
    add(oname, () => ({
      data: under,
      steps: 120,
      optimizer: make(0.002),
      init: w0,
      record: { metrics: ['loss', 'residualNorm', 'norm', 'w'], points: 10 },
    }));
  }
  add('mirror-entropy', () => ({
    data: under,
    steps: 120,
    optimizer: mirrorDescent({ lr: 0.001, potential: 'entropy' }),
    init: positiveInit(under.d),
  }));
  add('abort/onProgress', () => {
    const controller = new AbortController();
    return {
      data: under,
      steps: 100,
      optimizer: adam({ lr: 0.01 }),
      signal: controller.signal,
      onProgress: ({ step }: { step: number }) => {
        if (step >= 30) controller.abort();
      },
    };
  });
  add('record-linear', () => ({ data: under, steps: 100, record: { scale: 'linear', points: 7 } }));
  add('diverge/stop', () => ({ data: under, steps: 300, optimizer: gd({ lr: 10 }), onDiverge: 'stop' }));
  return cases;
}

function learnedWeightsCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const add = (name: string, options: () => Record<string, unknown>): void => {
    cases.push({ name: `trainLearnedWeights/${name}`, loop: 'trainLearnedWeights', options });
  };
  add('default', () => ({ data: sep, steps: 120, reference: svm }));
  add('logistic-zero', () => ({ data: sep5, steps: 100, loss: logistic, weightInit: 'zero', lr: 0.2 }));
  add('given-init', () => ({
    data: sep,
    steps: 80,
    init: [0.5, 0.5],
    weightInit: { psi: [0.1, -0.2], bias: 0.3 },
    weightLr: 0.5,
    record: { quantiles: [0.1, 0.9], weights: true, scale: 'linear', points: 8 },
  }));
  add('frozen', () => ({ data: moons, steps: 80, weightLr: 0 }));
  add('mlp', () => ({
    data: moons,
    model: mlp({ widths: [2, 5, 1] }),
    steps: 80,
    lr: 0.05,
    seed: 5,
    record: { at: [10, 20] },
  }));
  add('tail', () => ({ data: sep, steps: 3000, lr: 5, record: { points: 20 } }));
  add('diverge/stop', () => ({
    data: moons,
    model: mlp({ widths: [2, 3, 1], activation: 'quadratic' }),
    steps: 100,
    lr: 1e7,
    onDiverge: 'stop',
  }));
  return cases;
}

function factorizationCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const add = (name: string, options: () => Record<string, unknown>): void => {
    cases.push({ name: `trainMatrixFactorization/${name}`, loop: 'trainMatrixFactorization', options });
  };
  for (const depth of [1, 2, 3, 4]) {
    add(`depth${depth}`, () => ({ data: completion, depth, lr: 0.05, steps: 150, initScale: 0.1, seed: 1 }));
  }
  add('width3', () => ({
    data: completion,
    depth: 2,
    width: 3,
    lr: 0.05,
    steps: 100,
    initScale: 0.2,
    record: {
      metrics: [
        'loss',
        'singularValues',
        'nuclearNorm',
        'effectiveRank',
        'recoveryError',
        'unobservedError',
        'endMatrix',
      ],
      points: 8,
    },
  }));
  add('no-truth', () => ({ data: completionNoTruth, depth: 2, lr: 0.05, steps: 80, initScale: 0.1 }));
  add('given-init', () => ({
    data: completion,
    depth: 2,
    width: 2,
    lr: 0.02,
    steps: 80,
    init: [
      Array.from({ length: 2 * completion.cols }, (_, q) => 0.1 * Math.sin(q + 1)),
      Array.from({ length: completion.rows * 2 }, (_, q) => 0.1 * Math.cos(q + 1)),
    ],
  }));
  add('depth4-small-lr', () => ({
    data: completion,
    depth: 4,
    lr: 0.01,
    steps: 150,
    initScale: 0.3,
    seed: 2,
  }));
  add('zero-init', () => ({ data: completion, depth: 1, lr: 0.1, steps: 60, initScale: 0 }));
  add('diverge/stop', () => ({
    data: completion,
    depth: 3,
    lr: 50,
    steps: 100,
    initScale: 1,
    onDiverge: 'stop',
  }));
  return cases;
}

/** Every golden case, in a fixed order. Without inputs.json it needs the LP solver loaded (`await ready()`). */
export function goldenCases(): GoldenCase[] {
  return [
    ...weightedCases(),
    ...multiclassCases(),
    ...regressionCases(),
    ...learnedWeightsCases(),
    ...factorizationCases(),
  ];
}
