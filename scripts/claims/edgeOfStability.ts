/**
 * The slides' "Dynamics of GD: Edge of Stability" (Cohen et al. 2021).
 *
 * (a) Quadratic stability: near a minimizer, GD with step η converges iff η < 2/λ₁ (λ₁ the sharpness).
 *     Linear model with intercept, logistic loss, non-separable `moons({ n: 60, noise: 0.3, seed })`, seed 0…9:
 *     θ̂ from 2·10⁴ GD steps, then GD from θ̂ + 10⁻⁴·v₁ at η = 1.9/λ₁ and 2.1/λ₁ for 3000 steps.
 * (b) Edge of stability on a ReLU net, the registry's `edge-of-stability` experiment run one seed at a time:
 *     widths [2, 20, 1], logistic loss, GD η = 1 (2/η = 2), `moons({ n: 100, seed: s + 1 })`, init N(0, 1)
 *     from seed s, s = 0…9, 10⁴ steps, sharpness at steps 100k and 100k + 1 (GD oscillates with period 2 at the
 *     edge, so one reading per step pair is their mean): does the sharpness rise to 2/η (progressive
 *     sharpening), where does it stay afterwards (median of the later readings, share within
 *     [0.75, 1.25]·2/η), and is the loss non-monotone step to step but decreasing overall.
 *
 *   npx tsx scripts/claims/edgeOfStability.ts
 */
import {
  datasets,
  edgeOfStability,
  gd,
  linear,
  logistic,
  sharpness,
  trainWeighted,
} from '../../src/index.js';

const SEEDS = Array.from({ length: 10 }, (_, s) => s);

console.log('(a) quadratic stability at the minimizer (linear + intercept, logistic, noisy moons)');
let stableOk = 0;
let unstableOk = 0;
for (const seed of SEEDS) {
  const data = datasets.moons({ n: 60, seed, noise: 0.3 });
  const model = linear(2, { bias: true });
  const fit = trainWeighted({
    data,
    model,
    loss: logistic,
    steps: 20_000,
    init: new Float64Array(3),
    optimizer: gd({ lr: 1 }),
  });
  const theta = fit.theta;
  const g = new Float64Array(3);
  model.objective(
    g,
    theta,
    data,
    new Float64Array(data.n).fill(1 / data.n),
    logistic,
    0,
    new Float64Array(data.n),
  );
  const s = sharpness(model, theta, data, { loss: logistic });
  const start = theta.map((t, j) => t + 1e-4 * s.vector[j]!);
  const dist = (lr: number) => {
    const t = trainWeighted({
      data,
      model,
      loss: logistic,
      steps: 3000,
      init: start,
      optimizer: gd({ lr }),
      onDiverge: 'stop',
    }).theta;
    return Math.hypot(...t.map((x, j) => x - theta[j]!));
  };
  const below = dist(1.9 / s.value);
  const above = dist(2.1 / s.value);
  if (below < 1e-8) stableOk++;
  if (above > 1e-3) unstableOk++;
  console.log(
    `  seed ${seed}: ‖∇L(θ̂)‖∞ ${Math.max(...g.map(Math.abs)).toExponential(1)}, λ₁ ${s.value.toFixed(4)}; distance after 3000 steps at 1.9/λ₁ ${below.toExponential(1)}, at 2.1/λ₁ ${above.toExponential(1)}`,
  );
}
console.log(`  converges below 2/λ₁ (< 1e-8): ${stableOk}/10; leaves above 2/λ₁ (> 1e-3): ${unstableOk}/10`);

console.log(
  '\n(b) edge of stability: [2, 20, 1] ReLU, logistic, η = 1 (the edge-of-stability experiment, one seed at a time)',
);
let eos = 0;
for (const seed of SEEDS) {
  const s = (await edgeOfStability({ seeds: [seed] })).summary;
  if (s['runs completed'] !== 1) {
    console.log(`  seed ${seed}: diverged`);
    continue;
  }
  const reached = s['runs whose sharpness reached 0.95·2/η'] === 1;
  if (reached) eos++;
  const f = (k: string, digits = 2) => (s[k] === undefined ? '—' : s[k]!.toFixed(digits));
  console.log(
    `  seed ${seed}: sharpness (pair mean) at step 0 ${f('sharpness at step 0, pair mean (min)')}, ` +
      `first ≥ 0.95·2/η at step ${reached ? s['first step at 0.95·2/η (min)'] : '—'}, ` +
      `afterwards median ${f('median sharpness after the crossing / (2/η) (min)')}·2/η, ` +
      `share within [0.75, 1.25]·2/η ${f('share of later readings within [0.75, 1.25]·2/η (min)')} ` +
      `(single readings ${f('single sharpness readings (min)')}–${f('single sharpness readings (max)')}); ` +
      `loss ${f('loss at step 0 (min)', 3)} → ${f('loss at the last reading (min)', 3)}, rose on ${f('share of steps on which the loss rose (min)', 3)} of the steps`,
  );
}
console.log(`  sharpness (pair mean) reached 0.95·2/η within 10⁴ steps: ${eos}/10`);
