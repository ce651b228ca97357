import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImplicitBiasError } from '../src/errors/index.js';
import {
  adam,
  constant,
  cosineDecay,
  exponentialDecay,
  type GradientInfo,
  gd,
  inverseTime,
  mirrorDescent,
  momentum,
  normalizedGd,
  type Optimizer,
  steepestDescent,
  stepDecay,
} from '../src/gd/index.js';
import { expectClose, invalidInput } from './helpers/index.js';

// Fixed seeds: fast-check then never draws its own seed, and every failure is reproducible.
const FC = { seed: 1_234_567, numRuns: 200 };

const info = (step: number, lossScaled = 1, logScale = 0): GradientInfo => ({ step, logScale, lossScaled });

// ---------------------------------------------------------------------------------------------------
// Test problems. L and ∇L are computed here, independently of the library.
// ---------------------------------------------------------------------------------------------------

interface Problem {
  dim: number;
  /** L(θ). */
  loss(theta: ArrayLike<number>): number;
  /** Writes ∇L(θ) into `out`. */
  grad(out: Float64Array, theta: ArrayLike<number>): Float64Array;
}

/**
 * L(θ) = ½ θᵀAθ − bᵀθ + c with A SPD and b = Aθ*, so the closed-form minimizer is A⁻¹b = θ*. The
 * constant c = ½ θ*ᵀAθ* + 1 makes min L = 1 > 0 (it changes neither ∇L nor the minimizer; it lets
 * normalizedGd, which divides by L, run on the same problem).
 */
function quadratic(A: number[][], thetaStar: number[]): Problem & { thetaStar: number[] } {
  const d = thetaStar.length;
  const b = A.map((row) => row.reduce((s, a, k) => s + a * thetaStar[k], 0));
  const quad = (x: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) s += x[i] * A[i][k] * x[k];
    return 0.5 * s;
  };
  const c = quad(thetaStar) + 1;
  return {
    dim: d,
    thetaStar,
    loss: (x) => quad(x) - b.reduce((s, bi, i) => s + bi * x[i], 0) + c,
    grad: (out, x) => {
      for (let i = 0; i < d; i++) {
        let s = -b[i];
        for (let k = 0; k < d; k++) s += A[i][k] * x[k];
        out[i] = s;
      }
      return out;
    },
  };
}

/** A well-conditioned SPD quadratic in 3-D (eigenvalues in about [1.6, 4.6]). */
const QUAD = quadratic(
  [
    [4, 1, 0],
    [1, 3, 0.5],
    [0, 0.5, 2],
  ],
  [1, -2, 0.5],
);

/** A badly scaled quadratic: condition number 1e3. */
const STIFF = quadratic(
  [
    [1000, 0],
    [0, 1],
  ],
  [0.3, -0.7],
);

/**
 * The same problems with minimizers in the open positive orthant, for optimizers whose domain is w > 0
 * (mirror descent with the entropy potential).
 */
const QUAD_POS = quadratic(
  [
    [4, 1, 0],
    [1, 3, 0.5],
    [0, 0.5, 2],
  ],
  [1, 2, 0.5],
);
const STIFF_POS = quadratic(
  [
    [1000, 0],
    [0, 1],
  ],
  [0.3, 0.7],
);

/** Logistic regression on a small separable 2-D set: L(θ) = (1/n) Σ log(1 + e^{−yᵢθᵀxᵢ}). */
const LOGISTIC: Problem = (() => {
  const X = [
    [2, 1],
    [1, 2],
    [3, 0.5],
    [0.5, 1.5],
    [-1, -2],
    [-2, -1],
    [-0.5, -3],
    [-1.5, 0.2],
  ];
  const y = [1, 1, 1, 1, -1, -1, -1, -1];
  const n = X.length;
  const margin = (x: ArrayLike<number>, i: number): number => y[i] * (x[0] * X[i][0] + x[1] * X[i][1]);
  // softplus(−u) = log(1 + e^{−u}), stable for both signs of u
  const softplusNeg = (u: number): number =>
    u > 0 ? Math.log1p(Math.exp(-u)) : -u + Math.log1p(Math.exp(u));
  const sigmoidNeg = (u: number): number =>
    u > 0 ? Math.exp(-u) / (1 + Math.exp(-u)) : 1 / (1 + Math.exp(u));
  return {
    dim: 2,
    loss: (x) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += softplusNeg(margin(x, i));
      return s / n;
    },
    grad: (out, x) => {
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const c = -sigmoidNeg(margin(x, i)) * y[i];
        out[0] += (c * X[i][0]) / n;
        out[1] += (c * X[i][1]) / n;
      }
      return out;
    },
  };
})();

/** Runs `steps` updates from `theta0` with the true loss as `lossScaled`; returns θ after each step. */
function run(opt: Optimizer, problem: Problem, theta0: number[], steps: number): Float64Array[] {
  const theta = Float64Array.from(theta0);
  const grad = new Float64Array(theta.length);
  const state = opt.init(theta);
  const path: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    problem.grad(grad, theta);
    opt.update(theta, grad, state, info(t, problem.loss(theta)));
    path.push(theta.slice());
  }
  return path;
}

const last = (path: Float64Array[]): Float64Array => path[path.length - 1];

// ---------------------------------------------------------------------------------------------------
// One conformance suite over every optimizer (optax alias_test style).
// ---------------------------------------------------------------------------------------------------

interface Case {
  /** The call signature that starts each test name. */
  label: string;
  /** Builds the optimizer for a problem; `lr` may be a schedule. */
  make(problem: 'quadratic' | 'stiff' | 'logistic'): Optimizer;
  /** Steps and distance to θ* reached on QUAD. */
  quadratic: { steps: number; tol: number };
  /** The optimizer's domain is w > 0: run the positive-orthant variants of the problems and starts. */
  positive?: boolean;
}

/** The problems and starting points a case runs on (its domain decides which). */
function setup(c: Pick<Case, 'positive'>) {
  return c.positive
    ? {
        quad: QUAD_POS,
        theta0: [0.5, 1.5, 1],
        stiff: STIFF_POS,
        logistic0: [0.5, 0.25],
        determinism0: [0.3, 0.2],
      }
    : { quad: QUAD, theta0: THETA0, stiff: STIFF, logistic0: [-0.5, 0.25], determinism0: [0.3, -0.2] };
}

/** An SPD preconditioner D for steepestDescent({ norm: { quadratic: D } }), per problem dimension. */
const PRECONDITIONER: Record<'quadratic' | 'stiff' | 'logistic', number[][]> = {
  quadratic: [
    [2, 0.5, 0],
    [0.5, 1.5, 0.25],
    [0, 0.25, 1],
  ],
  stiff: [
    [500, 1],
    [1, 1],
  ],
  logistic: [
    [1, 0.2],
    [0.2, 2],
  ],
};

/** A user potential ψ(w) = ½ Σ aⱼwⱼ² (∇ψ = a ⊙ w), weights cycling through 1, 2, 4. */
const scaledEuclidean = {
  grad: (out: Float64Array, w: Float64Array): Float64Array => {
    for (let j = 0; j < w.length; j++) out[j] = 2 ** (j % 3) * w[j];
    return out;
  },
  gradInverse: (out: Float64Array, z: Float64Array): Float64Array => {
    for (let j = 0; j < z.length; j++) out[j] = z[j] / 2 ** (j % 3);
    return out;
  },
};

const CASES: Case[] = [
  {
    label: 'gd({ lr })',
    make: (p) => gd({ lr: p === 'stiff' ? 1.9e-3 : p === 'logistic' ? 1 : 0.2 }),
    quadratic: { steps: 200, tol: 1e-10 },
  },
  {
    label: 'gd({ lr: inverseTime(...) })',
    make: (p) => gd({ lr: inverseTime({ lr: p === 'stiff' ? 1.9e-3 : 0.3, decay: 1e-3 }) }),
    quadratic: { steps: 300, tol: 1e-10 },
  },
  {
    label: 'momentum({ lr, beta })',
    make: (p) => momentum({ lr: p === 'stiff' ? 1e-3 : 0.05, beta: 0.9 }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'momentum({ lr, beta, nesterov: true })',
    make: (p) => momentum({ lr: p === 'stiff' ? 1e-3 : 0.05, beta: 0.9, nesterov: true }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'adam({ lr })',
    make: (p) => adam({ lr: p === 'quadratic' ? cosineDecay({ lr: 0.05, steps: 3000, alpha: 1e-3 }) : 0.05 }),
    quadratic: { steps: 3000, tol: 1e-4 },
  },
  {
    label: "normalizedGd({ lr, normalize: 'loss' })",
    make: (p) => normalizedGd({ lr: p === 'stiff' ? 1e-3 : 0.2 }),
    quadratic: { steps: 400, tol: 1e-10 },
  },
  {
    label: "normalizedGd({ lr, normalize: 'gradient' })",
    make: (p) =>
      normalizedGd({
        lr: p === 'stiff' ? 0.01 : exponentialDecay({ lr: 0.5, rate: 0.99, min: 1e-12 }),
        normalize: 'gradient',
      }),
    quadratic: { steps: 2000, tol: 1e-3 },
  },
  {
    label: "mirrorDescent({ lr, potential: 'euclidean' })",
    make: (p) =>
      mirrorDescent({ lr: p === 'stiff' ? 1.9e-3 : p === 'logistic' ? 1 : 0.2, potential: 'euclidean' }),
    quadratic: { steps: 200, tol: 1e-10 },
  },
  {
    label: "mirrorDescent({ lr, potential: 'entropy' })",
    make: (p) =>
      mirrorDescent({ lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.1, potential: 'entropy' }),
    quadratic: { steps: 600, tol: 1e-10 },
    positive: true,
  },
  {
    label: 'mirrorDescent({ lr, potential: { p: 3 } })',
    make: (p) =>
      mirrorDescent({ lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.1, potential: { p: 3 } }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'mirrorDescent({ lr, potential: { p: 1.5 } })',
    make: (p) =>
      mirrorDescent({ lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.1, potential: { p: 1.5 } }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'mirrorDescent({ lr, potential: { grad, gradInverse } })',
    make: (p) =>
      mirrorDescent({ lr: p === 'stiff' ? 1.9e-3 : p === 'logistic' ? 1 : 0.2, potential: scaledEuclidean }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: "steepestDescent({ lr, norm: 'l1' })",
    make: (p) => steepestDescent({ lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.2, norm: 'l1' }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: "steepestDescent({ lr, norm: 'l2' })",
    make: (p) => steepestDescent({ lr: p === 'stiff' ? 1.9e-3 : p === 'logistic' ? 1 : 0.2, norm: 'l2' }),
    quadratic: { steps: 200, tol: 1e-10 },
  },
  {
    label: "steepestDescent({ lr, norm: 'linf' })",
    make: (p) => steepestDescent({ lr: p === 'stiff' ? 5e-4 : p === 'logistic' ? 0.5 : 0.05, norm: 'linf' }),
    quadratic: { steps: 2000, tol: 1e-10 },
  },
  {
    label: "steepestDescent({ lr, norm: 'l1', normalize: 'loss' })",
    make: (p) =>
      steepestDescent({
        lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.2,
        norm: 'l1',
        normalize: 'loss',
      }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: "steepestDescent({ lr, norm: 'linf', normalize: 'loss' })",
    make: (p) =>
      steepestDescent({
        lr: p === 'stiff' ? 5e-4 : p === 'logistic' ? 0.5 : 0.05,
        norm: 'linf',
        normalize: 'loss',
      }),
    quadratic: { steps: 2000, tol: 1e-10 },
  },
  {
    label: "steepestDescent({ lr, norm: { p: 3 }, normalize: 'loss' })",
    make: (p) =>
      steepestDescent({
        lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.1,
        norm: { p: 3 },
        normalize: 'loss',
      }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'steepestDescent({ lr, norm: { p: 3 } })',
    make: (p) => steepestDescent({ lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.1, norm: { p: 3 } }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'steepestDescent({ lr, norm: { p: 1.5 } })',
    make: (p) => steepestDescent({ lr: p === 'stiff' ? 1e-3 : p === 'logistic' ? 1 : 0.1, norm: { p: 1.5 } }),
    quadratic: { steps: 600, tol: 1e-10 },
  },
  {
    label: 'steepestDescent({ lr, norm: { quadratic: D } })',
    make: (p) => steepestDescent({ lr: p === 'logistic' ? 1 : 0.3, norm: { quadratic: PRECONDITIONER[p] } }),
    quadratic: { steps: 300, tol: 1e-10 },
  },
];

const THETA0 = [0.5, 1.5, -1];

describe.each(CASES)('conformance: $label', ({ label, make, quadratic: q, positive }) => {
  const { quad: QUAD, theta0: THETA0, stiff: STIFF, logistic0, determinism0 } = setup({ positive });

  it(`${label} has a name and frozen, validated options`, () => {
    const opt = make('quadratic');
    expect(typeof opt.name).toBe('string');
    expect(Object.isFrozen(opt.options)).toBe(true);
    expect(opt.options.lr).toBeDefined();
  });

  it(`${label}.init(theta) returns a state, fresh for each call`, () => {
    const opt = make('quadratic');
    const theta = Float64Array.from(THETA0);
    const s1 = opt.init(theta);
    const s2 = opt.init(theta);
    expect(s1).toBeDefined();
    // the states are independent: running one does not change a run from the other
    const a = Float64Array.from(THETA0);
    const b = Float64Array.from(THETA0);
    const g = QUAD.grad(new Float64Array(3), a);
    opt.update(a, g, s1, info(0, QUAD.loss(a)));
    opt.update(a, g, s1, info(1, QUAD.loss(a)));
    opt.update(b, g, s2, info(0, QUAD.loss(b)));
    const fresh = Float64Array.from(THETA0);
    opt.update(fresh, g, opt.init(fresh), info(0, QUAD.loss(fresh)));
    expect(Array.from(b)).toEqual(Array.from(fresh));
  });

  it(`${label}.update(theta, grad, state, info) returns theta itself, written in place`, () => {
    const opt = make('quadratic');
    const theta = Float64Array.from(THETA0);
    const grad = QUAD.grad(new Float64Array(3), theta);
    const out = opt.update(theta, grad, opt.init(theta), info(0, QUAD.loss(theta)));
    expect(out).toBe(theta);
    expect(Array.from(theta)).not.toEqual(THETA0);
  });

  it(`${label}.update(theta, grad, state, info) does not modify grad or info`, () => {
    const opt = make('quadratic');
    const theta = Float64Array.from(THETA0);
    const grad = QUAD.grad(new Float64Array(3), theta);
    const gradCopy = Array.from(grad);
    const i = info(0, QUAD.loss(theta));
    const infoCopy = { ...i };
    const state = opt.init(theta);
    for (let t = 0; t < 3; t++) opt.update(theta, grad, state, { ...i, step: t });
    opt.update(theta, grad, state, i);
    expect(Array.from(grad)).toEqual(gradCopy);
    expect(i).toEqual(infoCopy);
  });

  it(`${label}.update(...) creates no Float64Array (scratch lives in the state)`, () => {
    const opt = make('quadratic');
    const theta = Float64Array.from(THETA0);
    const grad = new Float64Array(3);
    const state = opt.init(theta);
    const original = globalThis.Float64Array;
    let created = 0;
    // counts `new Float64Array(...)`, `Float64Array.from` and `Float64Array.of` during the updates
    globalThis.Float64Array = new Proxy(original, {
      construct(target, args, newTarget) {
        created++;
        return Reflect.construct(target, args, newTarget);
      },
      get(target, key, receiver) {
        if (key === 'from' || key === 'of') created++;
        return Reflect.get(target, key, receiver);
      },
    });
    try {
      for (let t = 0; t < 5; t++) {
        QUAD.grad(grad, theta);
        opt.update(theta, grad, state, info(t, QUAD.loss(theta)));
      }
    } finally {
      globalThis.Float64Array = original;
    }
    expect(created).toBe(0);
  });

  it(`${label}.update(...) is deterministic: two runs are bit-identical`, () => {
    const a = run(make('logistic'), LOGISTIC, determinism0, 100);
    const b = run(make('logistic'), LOGISTIC, determinism0, 100);
    for (let t = 0; t < a.length; t++) {
      for (let j = 0; j < 2; j++) expect(Object.is(a[t][j], b[t][j])).toBe(true);
    }
  });

  it(`${label}.update(theta, 0, state, info) leaves theta unchanged and finite (no NaN)`, () => {
    const opt = make('quadratic');
    const theta = Float64Array.from(THETA0);
    const state = opt.init(theta);
    const zero = new Float64Array(3);
    for (let t = 0; t < 5; t++) opt.update(theta, zero, state, info(t, 1));
    expect(Array.from(theta)).toEqual(THETA0);
  });

  it(`${label} reaches the closed-form minimizer A⁻¹b of a convex quadratic`, () => {
    const path = run(make('quadratic'), QUAD, THETA0, q.steps);
    const end = last(path);
    const dist = Math.hypot(...Array.from(end, (v, j) => v - QUAD.thetaStar[j]));
    expect(dist).toBeLessThan(q.tol);
    expect(QUAD.loss(end)).toBeLessThan(QUAD.loss(THETA0));
  });

  it(`${label} decreases the loss of separable logistic regression`, () => {
    const theta0 = logistic0;
    const path = run(make('logistic'), LOGISTIC, theta0, 300);
    const l0 = LOGISTIC.loss(theta0);
    expect(LOGISTIC.loss(path[9])).toBeLessThan(l0);
    expect(LOGISTIC.loss(last(path))).toBeLessThan(0.25 * l0);
  });

  it(`${label} does not diverge on a quadratic with condition number 1e3 at a stable lr`, () => {
    const theta0 = [1, 1];
    const path = run(make('stiff'), STIFF, theta0, 2000);
    for (const theta of path) expect(theta.every(Number.isFinite)).toBe(true);
    const losses = path.map((theta) => STIFF.loss(theta));
    expect(Math.max(...losses)).toBeLessThanOrEqual(STIFF.loss(theta0));
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * STIFF.loss(theta0));
  });

  it(`${label}.update(...) throws INVALID_INPUT when grad has the wrong length`, () => {
    const opt = make('quadratic');
    const theta = Float64Array.from(THETA0);
    const err = invalidInput(() => opt.update(theta, new Float64Array(2), opt.init(theta), info(0)));
    expect(err.message).toContain('grad must have the length of theta (3), got length 2');
  });
});

/** `{ [key]: value, ...o }` when o is a plain object, else o itself (to test non-object options). */
function withSetting(o: unknown, key: string, value: unknown): never {
  const plain = typeof o === 'object' && o !== null && !Array.isArray(o);
  return (plain ? { [key]: value, ...o } : o) as never;
}

describe('conformance: every optimizer validates its settings and its schedule', () => {
  const builders: [string, (o: unknown) => Optimizer][] = [
    ['gd', (o) => gd(o as never)],
    ['momentum', (o) => momentum(o as never)],
    ['adam', (o) => adam(o as never)],
    ['normalizedGd', (o) => normalizedGd(o as never)],
    // the geometry is a required setting: added to object options (non-objects are passed as they are)
    ['mirrorDescent', (o) => mirrorDescent(withSetting(o, 'potential', 'entropy'))],
    ['steepestDescent', (o) => steepestDescent(withSetting(o, 'norm', 'linf'))],
  ];

  it.each(builders)('%s(options) rejects a bad lr, unknown keys and non-object options', (name, build) => {
    expect(invalidInput(() => build({ lr: -1 })).message).toBe(
      `${name}: lr must be a finite number > 0, got -1`,
    );
    expect(invalidInput(() => build({ lr: 0 })).message).toContain('got 0');
    expect(invalidInput(() => build({ lr: Number.NaN })).message).toContain('got NaN');
    expect(invalidInput(() => build({ lr: Number.POSITIVE_INFINITY })).message).toContain('got Infinity');
    expect(invalidInput(() => build({ lr: '0.1' })).message).toContain('or a schedule');
    expect(invalidInput(() => build({ lR: 0.1 })).message).toBe(
      `${name}: lR is not a known option (known: ${
        {
          gd: 'lr',
          momentum: 'lr, beta, nesterov',
          adam: 'lr, beta1, beta2, eps',
          normalizedGd: 'lr, normalize',
          mirrorDescent: 'lr, potential',
          steepestDescent: 'lr, norm, normalize',
        }[name]
      })`,
    );
    expect(invalidInput(() => build(5)).message).toBe(`${name}: options must be an object, got 5`);
    expect(invalidInput(() => build(null)).message).toContain('options must be an object');
    expect(invalidInput(() => build([0.1])).message).toContain('options must be an object');
  });

  it.each(builders)(
    '%s({ lr: schedule }) throws INVALID_INPUT naming the step of a bad schedule value',
    (name, build) => {
      for (const bad of [0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, undefined]) {
        const opt = build({ lr: (t: number) => (t < 4 ? 0.01 : bad) });
        const theta = Float64Array.from([1, 2]);
        const grad = Float64Array.from([0.5, -0.25]);
        const state = opt.init(theta);
        for (let t = 0; t < 4; t++) opt.update(theta, grad, state, info(t));
        const err = invalidInput(() => opt.update(theta, grad, state, info(4)));
        expect(err.message).toMatch(new RegExp(`^${name}: lr schedule must return .* at step 4$`));
        expect((err as ImplicitBiasError & { option: string }).option).toBe('lr');
      }
    },
  );

  it('momentum({ lr, beta, nesterov }) rejects beta outside [0, 1) and a non-boolean nesterov', () => {
    for (const beta of [1, 1.5, -0.1, Number.NaN]) invalidInput(() => momentum({ lr: 0.1, beta }));
    expect(invalidInput(() => momentum({ lr: 0.1, beta: 1 })).message).toContain('momentum: beta must be');
    expect(invalidInput(() => momentum({ lr: 0.1, nesterov: 'yes' as never })).message).toBe(
      'momentum: nesterov must be a boolean, got "yes"',
    );
    expect(momentum({ lr: 0.1 }).options).toEqual({ lr: 0.1, beta: 0.9, nesterov: false });
    expect(momentum({ lr: 0.1, beta: 0 }).options.beta).toBe(0);
  });

  it('adam({ lr, beta1, beta2, eps }) rejects betas outside [0, 1) and eps <= 0; defaults match PyTorch', () => {
    for (const beta1 of [1, -0.1, 2]) invalidInput(() => adam({ beta1 }));
    for (const beta2 of [1, -0.1, Number.NaN]) invalidInput(() => adam({ beta2 }));
    for (const eps of [0, -1e-8, Number.POSITIVE_INFINITY]) invalidInput(() => adam({ eps }));
    expect(invalidInput(() => adam({ eps: 0 })).message).toBe('adam: eps must be a finite number > 0, got 0');
    expect(adam().options).toEqual({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(adam({}).name).toBe('adam');
  });

  it("normalizedGd({ lr, normalize }) accepts 'loss' (default) and 'gradient' only", () => {
    expect(normalizedGd({ lr: 1 }).options).toEqual({ lr: 1, normalize: 'loss' });
    expect(invalidInput(() => normalizedGd({ lr: 1, normalize: 'l2' as never })).message).toBe(
      'normalizedGd: normalize must be one of "loss", "gradient", got "l2"',
    );
  });

  it('gd(options) keeps a schedule lr as given in options', () => {
    const schedule = inverseTime({ lr: 1, decay: 1 });
    expect(gd({ lr: schedule }).options.lr).toBe(schedule);
  });
});

// ---------------------------------------------------------------------------------------------------
// gd
// ---------------------------------------------------------------------------------------------------

describe('gd', () => {
  it('gd({ lr }) on L = ½aθ² follows the closed form θₜ = (1 − lr·a)ᵗ θ₀', () => {
    // Each step adds about (1 + 2·lr·a/|1 − lr·a|)·ε relative error, so the cases keep |1 − lr·a| away
    // from 0 and t ≤ 40, where the 1e-14 bound holds even in the worst case.
    for (const [a, lr, theta0] of [
      [3, 0.1, 2.5],
      [0.5, 1, -1],
      [10, 0.03, 1e-3],
      [4, 0.4, 7],
    ]) {
      const opt = gd({ lr });
      const theta = Float64Array.of(theta0);
      const grad = new Float64Array(1);
      const state = opt.init(theta);
      for (let t = 1; t <= 40; t++) {
        grad[0] = a * theta[0];
        opt.update(theta, grad, state, info(t - 1));
        const expected = (1 - lr * a) ** t * theta0;
        expect(Math.abs(theta[0] - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
      }
    }
  });

  it('gd({ lr }) is bit-identical to the loop θ[j] = θ[j] − lr·g[j] (numpy θ − lr·g)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (lr, theta0, g0) => {
          const opt = gd({ lr });
          const theta = Float64Array.from(theta0);
          const grad = Float64Array.from(theta0, (_, j) => g0[j]);
          const expected = theta0.slice();
          const state = opt.init(theta);
          for (let t = 0; t < 3; t++) {
            opt.update(theta, grad, state, info(t));
            for (let j = 0; j < expected.length; j++) expected[j] = expected[j] - lr * grad[j];
          }
          for (let j = 0; j < expected.length; j++) expect(Object.is(theta[j], expected[j])).toBe(true);
        },
      ),
      FC,
    );
  });

  it('gd({ lr: schedule }) evaluates the schedule at info.step', () => {
    const schedule = (t: number): number => 1 / (t + 2);
    const theta = Float64Array.of(1, -1);
    const grad = Float64Array.of(0.3, 0.7);
    const opt = gd({ lr: schedule });
    const state = opt.init(theta);
    const expected = [1, -1];
    for (const step of [0, 5, 17, 3]) {
      opt.update(theta, grad, state, info(step));
      for (let j = 0; j < 2; j++) expected[j] = expected[j] - schedule(step) * grad[j];
    }
    expect(Array.from(theta)).toEqual(expected);
  });

  it('gd({ lr }).update(theta, grad, state, { logScale }) steps by lr·e^{logScale}·grad', () => {
    const gradTrue = Float64Array.of(0.4, -1.2);
    for (const s of [-50, -3, 7]) {
      const plain = Float64Array.of(1, 2);
      const scaled = Float64Array.of(1, 2);
      gd({ lr: 0.1 }).update(plain, gradTrue, {}, info(0));
      const g = gradTrue.map((v) => v * Math.exp(-s));
      gd({ lr: 0.1 }).update(scaled, g, {}, info(0, 1, s));
      expectClose(scaled, plain, 1e-15);
    }
    // e^{logScale} alone underflows, lr·e^{logScale} does not
    const theta = Float64Array.of(0);
    gd({ lr: 1e300 }).update(theta, Float64Array.of(1), {}, info(0, 1, -800));
    expectClose([theta[0] / -Math.exp(Math.log(1e300) - 800)], [1], 1e-12);
    expect(theta[0]).not.toBe(0);
  });

  it('gd({ lr }) equals momentum({ lr, beta: 0 }) bit for bit', () => {
    const a = run(gd({ lr: 0.2 }), QUAD, THETA0, 50);
    const b = run(momentum({ lr: 0.2, beta: 0 }), QUAD, THETA0, 50);
    expect(a.map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
  });
});

// ---------------------------------------------------------------------------------------------------
// Reference implementations of PyTorch's algorithms, written independently of src/gd: plain number[]
// arithmetic transcribed op by op from torch/optim/sgd.py `_single_tensor_sgd` and
// torch/optim/adam.py `_single_tensor_adam` (PyTorch 2.x, CPU float64, weight_decay = 0,
// maximize = False, amsgrad = False), with ATen's scalar kernels: `add(a, b, alpha)` = a + alpha·b,
// `lerp(a, b, w)` = |w| < 0.5 ? a + w·(b − a) : b − (b − a)·(1 − w), `addcmul(a, t1, t2, value)` =
// a + value·t1·t2, `addcdiv(a, t1, t2, value)` = a + value·t1/t2.
// ---------------------------------------------------------------------------------------------------

function torchSgd(
  theta0: number[],
  gradOf: (p: number[]) => number[],
  opts: { lr: number; momentum: number; nesterov: boolean },
  steps: number,
): number[][] {
  const add = (a: number[], b: number[], alpha: number): number[] => a.map((ai, i) => ai + alpha * b[i]);
  let param = theta0.slice();
  let buf: number[] | null = null;
  const path: number[][] = [];
  for (let t = 0; t < steps; t++) {
    let grad = gradOf(param);
    if (opts.momentum !== 0) {
      if (buf === null) {
        buf = grad.slice(); // torch.clone(grad).detach()
      } else {
        // buf.mul_(momentum).add_(grad, alpha=1 - dampening), dampening = 0
        buf = add(
          buf.map((b) => b * opts.momentum),
          grad,
          1 - 0,
        );
      }
      grad = opts.nesterov ? add(grad, buf, opts.momentum) : buf; // grad.add(buf, alpha=momentum)
    }
    param = add(param, grad, -opts.lr); // param.add_(grad, alpha=-lr)
    path.push(param.slice());
  }
  return path;
}

function torchAdam(
  theta0: number[],
  gradOf: (p: number[]) => number[],
  opts: { lr: number; beta1: number; beta2: number; eps: number },
  steps: number,
): number[][] {
  const { lr, beta1, beta2, eps } = opts;
  const lerp = (a: number, b: number, w: number): number =>
    Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
  const param = theta0.slice();
  const expAvg = theta0.map(() => 0);
  const expAvgSq = theta0.map(() => 0);
  let stepT = 0;
  const path: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const grad = gradOf(param);
    stepT += 1;
    for (let i = 0; i < param.length; i++) {
      expAvg[i] = lerp(expAvg[i], grad[i], 1 - beta1); // exp_avg.lerp_(grad, 1 - beta1)
      expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * grad[i] * grad[i]; // .mul_(beta2).addcmul_(...)
    }
    const biasCorrection1 = 1 - beta1 ** stepT;
    const biasCorrection2 = 1 - beta2 ** stepT;
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
    for (let i = 0; i < param.length; i++) {
      const denom = Math.sqrt(expAvgSq[i]) / biasCorrection2Sqrt + eps;
      param[i] = param[i] + (-stepSize * expAvg[i]) / denom; // param.addcdiv_(exp_avg, denom, value=-step_size)
    }
    path.push(param.slice());
  }
  return path;
}

/** Adam in the textbook form of Kingma & Ba (m̂/(√v̂ + ε)), a second, looser reference. */
function textbookAdam(
  theta0: number[],
  gradOf: (p: number[]) => number[],
  opts: { lr: number; beta1: number; beta2: number; eps: number },
  steps: number,
): number[][] {
  const { lr, beta1, beta2, eps } = opts;
  const p = theta0.slice();
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const path: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const g = gradOf(p);
    for (let i = 0; i < p.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2;
      const mHat = m[i] / (1 - beta1 ** t);
      const vHat = v[i] / (1 - beta2 ** t);
      p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    path.push(p.slice());
  }
  return path;
}

const quadGrad = (p: number[]): number[] => Array.from(QUAD.grad(new Float64Array(3), p));
const stiffGrad = (p: number[]): number[] => Array.from(STIFF.grad(new Float64Array(2), p));

function expectPathsClose(actual: Float64Array[], expected: number[][], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let t = 0; t < expected.length; t++) expectClose(actual[t], expected[t], tol);
}

describe('momentum', () => {
  it.each([
    [0.05, 0.9],
    [0.1, 0.5],
    [0.02, 0.99],
  ])('momentum({ lr: %f, beta: %f }) follows torch.optim.SGD(momentum=beta) for 50 steps', (lr, beta) => {
    const ours = run(momentum({ lr, beta }), QUAD, THETA0, 50);
    const ref = torchSgd(THETA0, quadGrad, { lr, momentum: beta, nesterov: false }, 50);
    expectPathsClose(ours, ref, 1e-13);
  });

  it.each([
    [0.05, 0.9],
    [0.1, 0.5],
    [0.02, 0.99],
  ])(
    'momentum({ lr: %f, beta: %f, nesterov: true }) follows torch.optim.SGD(nesterov=True) for 50 steps',
    (lr, beta) => {
      const ours = run(momentum({ lr, beta, nesterov: true }), QUAD, THETA0, 50);
      const ref = torchSgd(THETA0, quadGrad, { lr, momentum: beta, nesterov: true }, 50);
      expectPathsClose(ours, ref, 1e-13);
    },
  );

  it('momentum({ lr, beta }) first two steps: θ₁ = θ₀ − lr·g₀, θ₂ = θ₁ − lr·(β·g₀ + g₁)', () => {
    const [lr, beta] = [0.05, 0.9];
    const path = run(momentum({ lr, beta }), QUAD, THETA0, 2);
    const g0 = quadGrad(THETA0);
    const theta1 = THETA0.map((x, i) => x - lr * g0[i]);
    const g1 = quadGrad(theta1);
    const theta2 = theta1.map((x, i) => x - lr * (beta * g0[i] + g1[i]));
    expectClose(path[0], theta1, 1e-15);
    expectClose(path[1], theta2, 1e-15);
  });

  it('momentum({ lr, beta, nesterov: true }) first two steps use g + β·v', () => {
    const [lr, beta] = [0.05, 0.9];
    const path = run(momentum({ lr, beta, nesterov: true }), QUAD, THETA0, 2);
    const g0 = quadGrad(THETA0);
    const theta1 = THETA0.map((x, i) => x - lr * (1 + beta) * g0[i]);
    const g1 = quadGrad(theta1);
    const theta2 = theta1.map((x, i) => x - lr * (g1[i] + beta * (beta * g0[i] + g1[i])));
    expectClose(path[0], theta1, 1e-15);
    expectClose(path[1], theta2, 1e-15);
  });

  it('momentum({ lr: schedule, beta }) evaluates the schedule at info.step', () => {
    const schedule = stepDecay({ lr: 0.05, every: 10, factor: 0.5 });
    const ours = run(momentum({ lr: schedule, beta: 0.9 }), QUAD, THETA0, 30);
    // reference: torch SGD with the lr changed before each step (a StepLR scheduler)
    let p = THETA0.slice();
    let buf: number[] | null = null;
    for (let t = 0; t < 30; t++) {
      const g = quadGrad(p);
      buf = buf === null ? g.slice() : buf.map((b, i) => b * 0.9 + g[i]);
      const lr = 0.05 * 0.5 ** Math.floor(t / 10);
      const b = buf;
      p = p.map((x, i) => x + -lr * b[i]);
      expectClose(ours[t], p, 1e-13);
    }
  });

  it('momentum({ lr, beta }).update(...) accumulates the true gradient e^{logScale}·grad', () => {
    const opt = momentum({ lr: 0.1, beta: 0.9 });
    const plain = Float64Array.of(1, -1);
    const scaled = Float64Array.of(1, -1);
    const sp = opt.init(plain);
    const ss = opt.init(scaled);
    for (let t = 0; t < 5; t++) {
      const g = Float64Array.of(0.3 + t, -0.2);
      opt.update(plain, g, sp, info(t));
      opt.update(
        scaled,
        g.map((v) => v * Math.exp(30)),
        ss,
        info(t, 1, -30),
      );
    }
    expectClose(scaled, plain, 1e-14);
    expectClose(ss.velocity, sp.velocity, 1e-14);
  });
});

describe('adam', () => {
  const settings = [
    { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    { lr: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-6 },
    { lr: 0.05, beta1: 0.3, beta2: 0.99, eps: 1e-8 }, // 1 − β₁ ≥ 0.5: the other branch of lerp
    { lr: 0.01, beta1: 0, beta2: 0, eps: 1e-8 }, // RMSprop-free sign descent: |g|/(|g| + ε)
  ];

  it.each(settings)('adam($lr, $beta1, $beta2, $eps) follows torch.optim.Adam for 50 steps', (opts) => {
    const ours = run(adam(opts), QUAD, THETA0, 50);
    expectPathsClose(ours, torchAdam(THETA0, quadGrad, opts, 50), 1e-13);
    expectPathsClose(ours, textbookAdam(THETA0, quadGrad, opts, 50), 1e-12);
  });

  it('adam() with default settings follows torch.optim.Adam on the badly scaled quadratic', () => {
    const opts = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const ours = run(adam(), STIFF, [1, 1], 200);
    expectPathsClose(ours, torchAdam([1, 1], stiffGrad, opts, 200), 1e-13);
  });

  it('adam({ lr }) first step is θ₁ = θ₀ − lr·g/(|g| + eps), i.e. lr·sign(g) up to eps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 1e-10, max: 1e-4, noNaN: true }),
        fc.array(
          fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((g) => g !== 0),
          { minLength: 1, maxLength: 6 },
        ),
        (lr, eps, g) => {
          const opt = adam({ lr, eps });
          const theta = new Float64Array(g.length);
          opt.update(theta, Float64Array.from(g), opt.init(theta), info(0));
          expectClose(
            theta,
            g.map((gi) => -(lr * gi) / (Math.abs(gi) + eps)),
            4e-16 / lr,
          );
        },
      ),
      FC,
    );
  });

  it('adam({ lr }) second step uses m̂ = (β₁g₁ + g₂)/(1 + β₁), v̂ = (β₂g₁² + g₂²)/(1 + β₂)', () => {
    const [lr, beta1, beta2, eps] = [0.01, 0.9, 0.999, 1e-8];
    const path = run(adam({ lr }), QUAD, THETA0, 2);
    const g1 = quadGrad(THETA0);
    const theta1 = THETA0.map((x, i) => x - (lr * g1[i]) / (Math.abs(g1[i]) + eps));
    const g2 = quadGrad(theta1);
    const theta2 = theta1.map((x, i) => {
      const mHat = (beta1 * g1[i] + g2[i]) / (1 + beta1);
      const vHat = (beta2 * g1[i] ** 2 + g2[i] ** 2) / (1 + beta2);
      return x - (lr * mHat) / (Math.sqrt(vHat) + eps);
    });
    expectClose(path[0], theta1, 1e-15);
    expectClose(path[1], theta2, 1e-14);
  });

  it('adam({ lr }) counts its own updates: a fresh init restarts the bias correction', () => {
    const opt = adam({ lr: 0.01 });
    const theta = Float64Array.of(0);
    const state = opt.init(theta);
    opt.update(theta, Float64Array.of(2), state, info(1000));
    expect(state.count).toBe(1);
    expectClose(theta, [-(0.01 * 2) / (2 + 1e-8)], 1e-15);
  });

  it('adam({ lr }).update(...) uses the true gradient e^{logScale}·grad', () => {
    const opt = adam({ lr: 0.01 });
    const plain = Float64Array.of(1, -1);
    const scaled = Float64Array.of(1, -1);
    const sp = opt.init(plain);
    const ss = opt.init(scaled);
    for (let t = 0; t < 5; t++) {
      const g = Float64Array.of(0.3 + t, -0.2);
      opt.update(plain, g, sp, info(t));
      opt.update(
        scaled,
        g.map((v) => v * Math.exp(20)),
        ss,
        info(t, 1, -20),
      );
    }
    expectClose(scaled, plain, 1e-14);
  });
});

describe('normalizedGd', () => {
  /** Exponential-loss problem on the same separable points as LOGISTIC, margins given directly. */
  const X = [
    [2, 1],
    [1, 2],
    [-1.5, 0.2],
  ];
  const y = [1, 1, -1];

  it("normalizedGd({ lr }) steps by lr·∇L/L (normalize: 'loss')", () => {
    const theta = Float64Array.of(-0.5, 0.25);
    const L = LOGISTIC.loss(theta);
    const g = LOGISTIC.grad(new Float64Array(2), theta);
    const expected = Array.from(theta, (x, j) => x - (0.7 * g[j]) / L);
    normalizedGd({ lr: 0.7 }).update(theta, g, {}, info(0, L));
    expectClose(theta, expected, 1e-15);
  });

  it("normalizedGd({ lr, normalize: 'gradient' }) steps by lr·∇L/‖∇L‖₂", () => {
    const theta = Float64Array.of(-0.5, 0.25);
    const g = LOGISTIC.grad(new Float64Array(2), theta);
    const norm = Math.hypot(g[0], g[1]);
    const expected = Array.from(theta, (x, j) => x - (0.7 * g[j]) / norm);
    normalizedGd({ lr: 0.7, normalize: 'gradient' }).update(theta, g, {}, info(0, 123));
    expectClose(theta, expected, 1e-15);
    // a step of length exactly lr (up to rounding), whatever the scale of the gradient
    for (const scale of [1e-300, 1e-200, 1, 1e200, 1e300]) {
      const th = Float64Array.of(0, 0);
      normalizedGd({ lr: 0.7, normalize: 'gradient' }).update(
        th,
        Float64Array.of(3 * scale, -4 * scale),
        {},
        info(0),
      );
      expectClose(th, [-0.42, 0.56], 1e-15);
    }
  });

  it.each(['loss', 'gradient'] as const)(
    "normalizedGd({ lr, normalize: '%s' }) is invariant to the loop's scaling: logScale = 100",
    (normalize) => {
      const opt = normalizedGd({ lr: 0.3, normalize });
      const plain = Float64Array.of(-0.5, 0.25);
      const scaled = plain.slice();
      const L = LOGISTIC.loss(plain);
      const g = LOGISTIC.grad(new Float64Array(2), plain);
      const s = 100;
      opt.update(plain, g, {}, info(0, L));
      opt.update(
        scaled,
        g.map((v) => v * Math.exp(-s)),
        {},
        info(0, L * Math.exp(-s), s),
      );
      expectClose(scaled, plain, 1e-15);
    },
  );

  it('normalizedGd({ lr }) takes the full step where L underflows (logScale = −1120, exponential loss)', () => {
    // θ with margins ≥ 1120: every e^{−uᵢ} underflows, so L = 0 and ∇L = 0 in float64. The loop passes
    // the terms shifted by the smallest margin: lossScaled = Σ e^{−(uᵢ−u₀)}, grad = −Σ e^{−(uᵢ−u₀)} yᵢxᵢ.
    const theta = Float64Array.of(800, 400);
    const u = X.map((x, i) => y[i] * (x[0] * theta[0] + x[1] * theta[1]));
    const u0 = Math.min(...u);
    expect(u.every((ui) => Math.exp(-ui) === 0)).toBe(true);
    const w = u.map((ui) => Math.exp(-(ui - u0)));
    const lossScaled = w.reduce((a, b) => a + b, 0);
    const grad = Float64Array.of(
      -w.reduce((acc, wi, i) => acc + wi * y[i] * X[i][0], 0),
      -w.reduce((acc, wi, i) => acc + wi * y[i] * X[i][1], 0),
    );
    // reference: the softmax-weighted average of yᵢxᵢ (∇L/L for the exponential loss)
    const p = w.map((wi) => wi / lossScaled);
    const expected = [
      800 + 0.5 * p.reduce((acc, pi, i) => acc + pi * y[i] * X[i][0], 0),
      400 + 0.5 * p.reduce((acc, pi, i) => acc + pi * y[i] * X[i][1], 0),
    ];
    normalizedGd({ lr: 0.5 }).update(theta, grad, {}, info(0, lossScaled, -u0));
    expectClose(theta, expected, 1e-15);
  });
});

// ---------------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------------

describe('schedules', () => {
  it('constant(lr)(step) returns lr at every step', () => {
    const s = constant(0.25);
    expect([0, 1, 10, 1e7].map(s)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(invalidInput(() => constant(-1)).message).toBe('constant: lr must be a finite number > 0, got -1');
    invalidInput(() => constant(0));
    invalidInput(() => constant(Number.NaN));
  });

  it('inverseTime({ lr, decay })(t) = lr/(1 + decay·t)', () => {
    const s = inverseTime({ lr: 2, decay: 0.5 });
    expect([0, 1, 2, 6].map(s)).toEqual([2, 2 / 1.5, 1, 0.5]);
    expect(inverseTime({ lr: 2, decay: 0 })(1e6)).toBe(2);
    invalidInput(() => inverseTime({ lr: 2, decay: -1 }));
    invalidInput(() => inverseTime({ lr: 0, decay: 1 }));
    invalidInput(() => inverseTime({ lr: 1 } as never));
    expect(invalidInput(() => inverseTime({ lr: 1, decay: 1, rate: 2 } as never)).message).toContain(
      'inverseTime: rate is not a known option',
    );
  });

  it('exponentialDecay({ lr, rate, min })(t) = max(min, lr·rateᵗ)', () => {
    const s = exponentialDecay({ lr: 1, rate: 0.5 });
    expect([0, 1, 2, 10].map(s)).toEqual([1, 0.5, 0.25, 1 / 1024]);
    expect(exponentialDecay({ lr: 1, rate: 0.5, min: 0.1 })(10)).toBe(0.1);
    expect(exponentialDecay({ lr: 3, rate: 1 })(1e6)).toBe(3);
    for (const rate of [0, -0.5, 1.5]) invalidInput(() => exponentialDecay({ lr: 1, rate }));
    invalidInput(() => exponentialDecay({ lr: 1, rate: 0.5, min: 2 }));
    invalidInput(() => exponentialDecay({ lr: 1, rate: 0.5, min: -1 }));
  });

  it('exponentialDecay({ lr, rate }) with min = 0 underflows to 0, which gd rejects naming the step', () => {
    const s = exponentialDecay({ lr: 1, rate: 0.5 });
    const opt = gd({ lr: s });
    const theta = Float64Array.of(1);
    const grad = Float64Array.of(0);
    let k = 0;
    while (s(k) > 0) opt.update(theta, grad, {}, info(k++));
    expect(k).toBe(1075); // 2^−1074 is the smallest subnormal
    expect(invalidInput(() => opt.update(theta, grad, {}, info(k))).message).toBe(
      'gd: lr schedule must return a finite number > 0, got 0 at step 1075',
    );
  });

  it('cosineDecay({ lr, steps, alpha })(t) = lr·((1 − α)·½(1 + cos(πt/T)) + α), then α·lr', () => {
    const s = cosineDecay({ lr: 2, steps: 100, alpha: 0.1 });
    expect(s(0)).toBe(2);
    expectClose([s(50)], [2 * (0.9 * 0.5 + 0.1)], 1e-15);
    expectClose([s(25)], [2 * (0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1)], 1e-15);
    expectClose([s(100), s(101), s(1e6)], [0.2, 0.2, 0.2], 1e-15);
    const s0 = cosineDecay({ lr: 1, steps: 10 });
    expect(s0(9)).toBeGreaterThan(0);
    expect(s0(10)).toBe(0);
    invalidInput(() => cosineDecay({ lr: 1, steps: 0 }));
    invalidInput(() => cosineDecay({ lr: 1, steps: 2.5 }));
    invalidInput(() => cosineDecay({ lr: 1, steps: 10, alpha: 1.5 }));
  });

  it('cosineDecay({ lr, steps }) gives T positive steps; step T throws INVALID_INPUT naming it', () => {
    const opt = momentum({ lr: cosineDecay({ lr: 0.1, steps: 10 }) });
    const theta = Float64Array.of(1);
    const state = opt.init(theta);
    for (let t = 0; t < 10; t++) opt.update(theta, Float64Array.of(theta[0]), state, info(t));
    const err = invalidInput(() => opt.update(theta, Float64Array.of(theta[0]), state, info(10)));
    expect(err.message).toBe('momentum: lr schedule must return a finite number > 0, got 0 at step 10');
  });

  it('stepDecay({ lr, every, factor })(t) = lr·factor^⌊t/every⌋', () => {
    const s = stepDecay({ lr: 1, every: 3, factor: 0.5 });
    expect([0, 1, 2, 3, 5, 6, 9].map(s)).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.125]);
    invalidInput(() => stepDecay({ lr: 1, every: 0, factor: 0.5 }));
    invalidInput(() => stepDecay({ lr: 1, every: 1.5, factor: 0.5 }));
    invalidInput(() => stepDecay({ lr: 1, every: 2, factor: 0 }));
    invalidInput(() => stepDecay({ lr: 1, every: 2, factor: 1.1 }));
  });

  it('every decay schedule is positive at step 0, equals lr there, and never increases', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        (lr, r, n) => {
          const schedules = [
            inverseTime({ lr, decay: 1 - r }),
            exponentialDecay({ lr, rate: r, min: lr * 1e-3 }),
            cosineDecay({ lr, steps: n, alpha: 1e-3 }),
            stepDecay({ lr, every: Math.max(1, n % 17), factor: r }),
          ];
          for (const s of schedules) {
            expect(s(0)).toBe(lr);
            let prev = s(0);
            for (let t = 1; t <= 600; t += 7) {
              const v = s(t);
              expect(v).toBeGreaterThan(0);
              expect(v).toBeLessThanOrEqual(prev);
              prev = v;
            }
          }
        },
      ),
      { ...FC, numRuns: 100 },
    );
  });

  it('schedule builders reject non-object options', () => {
    for (const build of [inverseTime, exponentialDecay, cosineDecay, stepDecay] as ((
      o: unknown,
    ) => unknown)[]) {
      expect(invalidInput(() => build(3)).message).toContain('options must be an object, got 3');
      invalidInput(() => build(undefined));
    }
  });
});
