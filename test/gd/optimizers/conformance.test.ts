import { describe, expect, it } from 'vitest';
import type { ImplicitBiasError } from '../../../src/errors/index.js';
import {
  adam,
  cosineDecay,
  exponentialDecay,
  gd,
  inverseTime,
  mirrorDescent,
  momentum,
  normalizedGd,
  type Optimizer,
  steepestDescent,
} from '../../../src/gd/index.js';
import { invalidInput } from '../../helpers/index.js';
import { info, LOGISTIC, last, QUAD, QUAD_POS, run, STIFF, STIFF_POS, THETA0 } from './problems.js';

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
