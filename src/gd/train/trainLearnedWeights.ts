import { checkDataset } from '../../datasets/checkDataset.js';
import type { Dataset } from '../../datasets/types.js';
import { InvalidInputError } from '../../errors/index.js';
import { blockGdUpdate } from '../../kernels/optimizers.js';
import { norm2 } from '../../kernels/vector.js';
import { weightingForward, weightingGradient } from '../../kernels/weighting.js';
import { exponential } from '../../losses/exponential.js';
import type { MarginLoss } from '../../losses/types.js';
import { directionGapAndAngle } from '../../metrics/angle.js';
import { linear } from '../../models/linear.js';
import type { Model } from '../../models/types.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import { checkKnownKeys, checkNumber, checkObject, show, toFiniteVector } from '../../util/validate.js';
import type { GradientInfo, Optimizer } from '../optimizers/types.js';
import { type RecordSchedule, recordSteps } from './recordSteps.js';
import { runTrainingLoop } from './trainLoop.js';
import { checkOnDiverge, checkOnProgress, resolveReference } from './trainOptions.js';

/** One recorded row of {@link trainLearnedWeights}: the state after `step` joint updates. */
export interface LearnedWeightsRow {
  step: number;
  /** The joint objective J(θ, ψ, b) = (1/n) Σᵢ g(ψ, xᵢ) ℓ(yᵢ f(θ, xᵢ)). May underflow to 0: see `logLoss`. */
  loss: number;
  /** log J, from the loss values (−∞ only once J itself underflows). */
  logLoss: number;
  /** ‖θ‖₂. */
  norm: number;
  /** The normalized margin minᵢ yᵢ f(θ, xᵢ)/‖θ‖^α (0 when θ = 0). */
  margin: number;
  /** Angle (radians) between θ and `reference` (only with a reference; NaN when θ = 0). */
  angle?: number;
  /** Mean of the learned weights gᵢ = g(ψ, xᵢ) ∈ (1, 2). */
  weightMean: number;
  /** Population standard deviation of the gᵢ (the spread of Figure 4's histograms). */
  weightStd: number;
  weightMin: number;
  weightMax: number;
  /** The gᵢ quantiles at `record.quantiles` (linear interpolation between order statistics, numpy's default). */
  weightQuantiles: number[];
  /**
   * Pearson correlation between the gᵢ and the normalized margins yᵢ f(θ, xᵢ)/‖θ‖^α. NaN when either is
   * constant over i (e.g. at step 0 with the zero weight-model init, where every gᵢ = 1.5).
   */
  pearson: number;
  /** Spearman rank correlation of the same pairs (ties get their average rank); NaN as for `pearson`. */
  spearman: number;
  /**
   * Population covariance of the same pairs, (1/n) Σᵢ (gᵢ − ḡ)(ūᵢ − mean ū): unlike `pearson` it scales with
   * the weights' spread, so it goes to 0 when the weights concentrate even if their shape does not change.
   */
  covariance: number;
  /** ‖ψ‖₂ of the weighting model. */
  psiNorm: number;
  /** The weighting model's intercept b. */
  bias: number;
  /** A copy of all gᵢ (opt-in: `record.weights: true`), for drawing the histograms of Figure 4. */
  weights?: Float64Array;
}

/** What `onProgress` receives, at every recorded step. */
export interface LearnedWeightsProgress {
  step: number;
  steps: number;
  loss: number;
}

/** Options of {@link trainLearnedWeights}. */
export interface TrainLearnedWeightsOptions {
  /** The training set (from `dataset()` or a generator in `datasets`). */
  data: Dataset;
  /** Number of joint updates (an integer ≥ 0). */
  steps: number;
  /** The classifier f(θ, x) (default `linear(data.d)`); any {@link Model}. */
  model?: Model;
  /** The margin loss ℓ (default `exponential`). */
  loss?: MarginLoss;
  /** Step size of θ, a finite number > 0 (default 0.1, the paper's). */
  lr?: number;
  /** Step size of the weighting model (ψ, b), a finite number ≥ 0 (default 0.1; 0 freezes the weights). */
  weightLr?: number;
  /** Initial θ (default: `model.init` from `createRng(seed, RNG_STREAMS.init)`, as `trainWeighted`). */
  init?: ArrayLike<number>;
  /**
   * Initial weighting model: `'normal'` (default) draws ψ₁ … ψ_d, b i.i.d. N(0, 1) from the same stream,
   * right after θ's draws (θ is drawn even when `init` is given, so ψ does not depend on `init`);
   * `'zero'` starts at ψ = 0, b = 0 (every gᵢ = 1.5); or give `{ psi, bias }`.
   */
  weightInit?: 'normal' | 'zero' | { psi: ArrayLike<number>; bias: number };
  /** Seed of the initialization (default 0). */
  seed?: number;
  /**
   * Where to record (log-spaced by default; see `recordSteps`), the weight quantiles to report
   * (default [0.05, 0.25, 0.5, 0.75, 0.95]), and whether to keep a copy of all weights per row.
   */
  record?: RecordSchedule & { quantiles?: readonly number[]; weights?: boolean };
  /** A max-margin solution for `angle`: a vector of length model.size, or `{ theta, bias? }` from `hardMarginSVM`. */
  reference?: ArrayLike<number> | { theta: ArrayLike<number>; bias?: number };
  /** Called at every recorded step. */
  onProgress?: (progress: LearnedWeightsProgress) => void;
  /** Stops the run (status 'aborted') when aborted; checked before every update. */
  signal?: AbortSignal;
  /** On a non-finite objective or parameter: throw a DIVERGED error (default) or stop and report it. */
  onDiverge?: 'throw' | 'stop';
}

/** What {@link trainLearnedWeights} returns. */
export interface TrainLearnedWeightsResult {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** ψ after the last update performed. */
  psi: Float64Array;
  /** b after the last update performed. */
  bias: number;
  /** The final learned weights gᵢ = σ(ψᵀxᵢ + b) + 1. */
  weights: Float64Array;
  /** The recorded rows, in step order. */
  history: LearnedWeightsRow[];
  /** Number of updates performed. */
  steps: number;
  status: 'completed' | 'aborted' | 'diverged';
  /** The step at which a non-finite value appeared (status 'diverged'), else null. */
  divergedAt: number | null;
  /** The first update that left (θ, ψ, b) bit-for-bit unchanged, else null. */
  stalledAt: number | null;
  /** The initial θ, ψ and b. */
  init: { theta: Float64Array; psi: Float64Array; bias: number };
}

const FN = 'trainLearnedWeights';
const KNOWN = [
  'data',
  'steps',
  'model',
  'loss',
  'lr',
  'weightLr',
  'init',
  'weightInit',
  'seed',
  'record',
  'reference',
  'onProgress',
  'signal',
  'onDiverge',
];
const DEFAULT_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

/** [Pearson correlation, population covariance] of a and b (two-pass); the correlation is NaN when either is constant. */
function correlation(out: Float64Array, a: Float64Array, b: Float64Array): Float64Array {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  out[0] = saa === 0 || sbb === 0 ? Number.NaN : Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
  out[1] = sab / n;
  return out;
}

/** Ranks 1…n with ties given their average rank. */
function ranks(a: Float64Array): Float64Array {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]! || i - j);
  const r = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let m = k;
    while (m + 1 < n && a[order[m + 1]!] === a[order[k]!]) m++;
    const avg = (k + m) / 2 + 1;
    for (let t = k; t <= m; t++) r[order[t]!] = avg;
    k = m + 1;
  }
  return r;
}

/** Quantile q of the sorted array s (linear interpolation between order statistics). */
function quantile(s: Float64Array, q: number): number {
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/**
 * Trains a classifier f(θ, x) jointly with the weighting model of the paper's Eq. 4 by full-batch
 * gradient descent on
 *
 *   J(θ, ψ, b) = (1/n) Σᵢ g(ψ, xᵢ) · ℓ(yᵢ f(θ, xᵢ)),   g(ψ, x) = σ(ψᵀx + b) + 1 ∈ (1, 2),
 *
 * (Xu, Ye & Ruan, ICLR 2021, Section 5 and Figure 4; g satisfies the constraint 1/M < g < M for any
 * M ≥ 2, so no projection is needed). Each step updates both blocks from the same point:
 * θ ← θ − lr·∇θJ and (ψ, b) ← (ψ, b) − weightLr·∇(ψ,b)J, where ∇θJ comes from the model's fused pass
 * `model.objective` with coefficients cᵢ = gᵢ/n, and ∇ψJ = (1/n) Σᵢ ℓ(uᵢ) σ′(zᵢ) xᵢ,
 * ∂J/∂b = (1/n) Σᵢ ℓ(uᵢ) σ′(zᵢ) with zᵢ = ψᵀxᵢ + b. Works with any {@link Model}.
 *
 * Recorded per row: the objective, ‖θ‖, the normalized margin, the angle to `reference`, and the learned
 * weights' distribution (mean, std, min, max, quantiles, optionally all of them) with their Pearson and
 * Spearman correlation to the normalized margins — the quantities of Figure 4. Note the direction of the
 * weight update: minimizing J over ψ lowers the weight where ℓ is large, i.e. on small-margin points, so
 * the learned weights correlate *positively* with the margin early in training (docs/learned-weights.md
 * has the measurements).
 *
 * Numerics: no loss shift (unlike `trainWeighted`): when every ℓ(uᵢ) underflows the gradients vanish and
 * the run reports `stalledAt`. A non-finite objective or parameter throws `DIVERGED` (its
 * `lastFiniteTheta` is the concatenation (θ, ψ, b)) unless `onDiverge` is 'stop'. The step loop allocates
 * nothing but recorded rows. Deterministic: the same options give bit-identical results.
 *
 * @example
 * const data = datasets.separable({ n: 100, seed: 1 });
 * const run = trainLearnedWeights({ data, steps: 10_000, reference: hardMarginSVM(data) });
 * const last = run.history.at(-1);
 * // last.angle: small (θ still approaches θ⋆); last.weightStd: the spread of the learned weights
 */
export function trainLearnedWeights(options: TrainLearnedWeightsOptions): TrainLearnedWeightsResult {
  const opts = checkObject(FN, 'options', options, false) as unknown as TrainLearnedWeightsOptions;
  checkKnownKeys(FN, opts as unknown as Record<string, unknown>, KNOWN);
  const data = checkDataset(FN, 'data', opts.data);
  const { n, d, X } = data;
  const steps = checkNumber(FN, 'steps', opts.steps, { integer: true, min: 0 });
  const model = opts.model ?? linear(d);
  if (typeof model !== 'object' || model === null || typeof model.objective !== 'function') {
    throw new InvalidInputError(FN, 'model', `must be a model such as linear(d), got ${show(model)}`);
  }
  if (model.inputDim !== d) {
    throw new InvalidInputError(FN, 'model', `expects inputDim = ${model.inputDim} but data has d = ${d}`);
  }
  const loss = opts.loss ?? exponential;
  if (typeof loss !== 'object' || loss === null || (loss.id !== 0 && loss.id !== 1)) {
    throw new InvalidInputError(FN, 'loss', `must be exponential or logistic, got ${show(loss)}`);
  }
  const lr = opts.lr === undefined ? 0.1 : checkNumber(FN, 'lr', opts.lr, { min: 0, exclusiveMin: true });
  const weightLr = opts.weightLr === undefined ? 0.1 : checkNumber(FN, 'weightLr', opts.weightLr, { min: 0 });
  const seed = opts.seed === undefined ? 0 : checkNumber(FN, 'seed', opts.seed, { integer: true });
  const p = model.size;

  // One parameter vector (θ, ψ, b) so the shared loop handles abort, divergence and stalls for all blocks.
  const params = new Float64Array(p + d + 1);
  const theta = params.subarray(0, p);
  const psi = params.subarray(p, p + d);
  const rng = createRng(seed, RNG_STREAMS.init);
  const drawn = model.init(rng);
  theta.set(opts.init === undefined ? drawn : toFiniteVector(FN, 'init', opts.init, p));
  const weightInit = opts.weightInit ?? 'normal';
  if (weightInit === 'normal') {
    for (let j = 0; j <= d; j++) params[p + j] = rng.normal();
  } else if (weightInit !== 'zero') {
    if (typeof weightInit !== 'object' || weightInit === null || Array.isArray(weightInit)) {
      throw new InvalidInputError(
        FN,
        'weightInit',
        `must be 'normal', 'zero' or { psi, bias }, got ${show(weightInit)}`,
      );
    }
    checkKnownKeys(`${FN}: weightInit`, weightInit as unknown as Record<string, unknown>, ['psi', 'bias']);
    psi.set(toFiniteVector(FN, 'weightInit.psi', weightInit.psi, d));
    params[p + d] = checkNumber(FN, 'weightInit.bias', weightInit.bias);
  }
  const init = {
    theta: Float64Array.from(theta),
    psi: Float64Array.from(psi),
    bias: params[p + d]!,
  };

  const rec = checkObject(FN, 'record', opts.record);
  checkKnownKeys(`${FN}: record`, rec, ['scale', 'points', 'at', 'quantiles', 'weights']);
  let quantiles = DEFAULT_QUANTILES;
  if (rec.quantiles !== undefined) {
    if (!Array.isArray(rec.quantiles)) {
      throw new InvalidInputError(FN, 'record.quantiles', `must be an array, got ${show(rec.quantiles)}`);
    }
    quantiles = rec.quantiles.map((q, k) => checkNumber(FN, `record.quantiles[${k}]`, q, { min: 0, max: 1 }));
  }
  if (rec.weights !== undefined && typeof rec.weights !== 'boolean') {
    throw new InvalidInputError(FN, 'record.weights', `must be a boolean, got ${show(rec.weights)}`);
  }
  const keepWeights = rec.weights === true;
  const at = recordSteps(steps, rec as RecordSchedule, FN);
  const reference = opts.reference === undefined ? null : resolveReference(FN, opts.reference, p);
  const onDiverge = checkOnDiverge(FN, opts.onDiverge);
  checkOnProgress(FN, opts.onProgress);
  if (opts.signal !== undefined && (typeof opts.signal !== 'object' || opts.signal === null)) {
    throw new InvalidInputError(FN, 'signal', `must be an AbortSignal, got ${show(opts.signal)}`);
  }

  // Buffers, allocated once: the step loop allocates nothing but recorded rows.
  const grad = new Float64Array(p + d + 1);
  const gradTheta = grad.subarray(0, p);
  const gradPsi = grad.subarray(p, p + d);
  const c = new Float64Array(n);
  const z = new Float64Array(n);
  const margins = new Float64Array(n);
  const pair = new Float64Array(2);
  const history: LearnedWeightsRow[] = [];
  const scale = 1 / n;

  const evaluate = (): number => {
    weightingForward(c, z, psi, params[p + d]!, X, n, d, scale);
    const value = model.objective(gradTheta, theta, data, c, loss, 0, margins);
    grad[p + d] = weightingGradient(gradPsi, z, margins, X, n, d, loss.id, scale);
    return value;
  };

  // Plain GD with one step size per block, in place (θ ← θ − lr·∇θJ; (ψ, b) ← (ψ, b) − weightLr·∇J).
  const jointGd: Optimizer<null> = {
    name: 'jointGd',
    options: { lr, weightLr },
    init: () => null,
    update(P: Float64Array, G: Float64Array, _s: null, _info: GradientInfo): Float64Array {
      return blockGdUpdate(P, G, lr, p, weightLr, P.length);
    },
  };

  const currentWeights = (): Float64Array => {
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      g[i] = 1 + (zi >= 0 ? 1 / (1 + Math.exp(-zi)) : Math.exp(zi) / (1 + Math.exp(zi)));
    }
    return g;
  };

  const record = (step: number, value: number): void => {
    const g = currentWeights();
    const nrm = norm2(theta);
    const denom = nrm ** model.alpha;
    const normalized = new Float64Array(n);
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const u = nrm === 0 ? 0 : margins[i]! / denom;
      normalized[i] = u;
      if (u < min) min = u;
    }
    let mean = 0;
    for (let i = 0; i < n; i++) mean += g[i]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (g[i]! - mean) ** 2;
    const sorted = Float64Array.from(g).sort();
    correlation(pair, g, normalized);
    const pearson = pair[0]!;
    const covariance = pair[1]!;
    const row: LearnedWeightsRow = {
      step,
      loss: value,
      logLoss: Math.log(value),
      norm: nrm,
      margin: min,
      weightMean: mean,
      weightStd: Math.sqrt(v / n),
      weightMin: sorted[0]!,
      weightMax: sorted[n - 1]!,
      weightQuantiles: quantiles.map((q) => quantile(sorted, q)),
      pearson,
      spearman: correlation(pair, ranks(g), ranks(normalized))[0]!,
      covariance,
      psiNorm: norm2(psi),
      bias: params[p + d]!,
    };
    if (reference) {
      row.angle = nrm === 0 ? Number.NaN : directionGapAndAngle(pair, theta, reference)[1]!;
    }
    if (keepWeights) row.weights = g;
    history.push(row);
    opts.onProgress?.({ step, steps, loss: value });
  };

  const outcome = runTrainingLoop({
    fn: FN,
    param: '(θ, ψ, b)',
    steps,
    at,
    theta: params,
    grad,
    optimizer: jointGd as Optimizer<unknown>,
    signal: opts.signal,
    onDiverge,
    evaluate,
    logScale: () => 0,
    record,
  });

  // z matches the final parameters unless the run stopped on divergence, where params were restored.
  weightingForward(c, z, psi, params[p + d]!, X, n, d, scale);
  return {
    theta: Float64Array.from(theta),
    psi: Float64Array.from(psi),
    bias: params[p + d]!,
    weights: currentWeights(),
    history,
    steps: outcome.steps,
    status: outcome.status,
    divergedAt: outcome.divergedAt,
    stalledAt: outcome.stalledAt,
    init,
  };
}
