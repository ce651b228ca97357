/**
 * The slides' "Dynamics of GD: Edge of Stability" (Cohen et al. 2021).
 *
 * (a) Quadratic stability: near a minimizer, GD with step η converges iff η < 2/λ₁ (λ₁ the sharpness).
 *     Linear model with intercept, logistic loss, non-separable `moons({ n: 60, noise: 0.3, seed })`, seed 0…9:
 *     θ̂ from 2·10⁴ GD steps, then GD from θ̂ + 10⁻⁴·v₁ at η = 1.9/λ₁ and 2.1/λ₁ for 3000 steps.
 * (b) Edge of stability on a ReLU net: widths [2, 20, 1], logistic loss, GD η = 1 (2/η = 2),
 *     `moons({ n: 100, seed: s + 1 })`, init N(0, 1) from seed s, s = 0…9, 10⁴ steps, sharpness at steps 100k and 100k + 1
 *     (GD oscillates with period 2 at the edge, so one reading per step pair is their mean):
 *     does the sharpness rise to 2/η (progressive sharpening), where does it stay afterwards (median and range
 *     of the later readings, share within [0.75, 1.25]·2/η), and is the loss non-monotone step to step but
 *     decreasing overall.
 *
 *   npx tsx scripts/claims/edgeOfStability.ts
 */
import { datasets, gd, linear, logistic, mlp, sharpness, trainWeighted } from '../../src/index.js';

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

console.log('\n(b) edge of stability: [2, 20, 1] ReLU, logistic, η = 1');
let eos = 0;
for (const seed of SEEDS) {
  const data = datasets.moons({ n: 100, seed: seed + 1 });
  const model = mlp({ widths: [2, 20, 1] });
  const common = {
    data,
    model,
    loss: logistic,
    optimizer: gd({ lr: 1 }),
    seed,
    steps: 10_000,
    onDiverge: 'stop',
  } as const;
  const res = trainWeighted({
    ...common,
    record: {
      metrics: ['loss', 'sharpness'],
      at: Array.from({ length: 100 }, (_, k) => [100 * k, 100 * k + 1]).flat(),
    },
  });
  const losses = trainWeighted({
    ...common,
    record: { scale: 'linear', points: 10_001, metrics: ['loss'] },
  }).history.map((r) => r.loss);
  if (res.status !== 'completed') {
    console.log(`  seed ${seed}: ${res.status}`);
    continue;
  }
  const raw = new Map(res.history.map((r) => [r.step, r.sharpness!]));
  const S = Array.from({ length: 100 }, (_, k) => (raw.get(100 * k)! + raw.get(100 * k + 1)!) / 2);
  const rawAll = [...raw.values()];
  const early = S[0]!;
  const first = S.findIndex((x) => x >= 1.9); // within 5% of 2/η
  const after = first >= 0 ? S.slice(first) : [];
  let ups = 0;
  for (let k = 1; k < losses.length; k++) if (losses[k]! > losses[k - 1]!) ups++;
  const sorted = [...after].sort((a, b) => a - b);
  const med = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : Number.NaN;
  const near = after.filter((x) => x >= 1.5 && x <= 2.5).length;
  if (first >= 0) eos++;
  console.log(
    `  seed ${seed}: sharpness (pair mean) at step 0 ${early.toFixed(2)}, first ≥ 0.95·2/η at step ${first >= 0 ? 100 * first : '—'}, ` +
      `afterwards median ${med.toFixed(2)}, range ${after.length ? `${Math.min(...after).toFixed(2)}–${Math.max(...after).toFixed(2)}` : '—'}, ` +
      `within [0.75, 1.25]·2/η ${near}/${after.length} (single readings ${Math.min(...rawAll).toFixed(2)}–${Math.max(...rawAll).toFixed(2)}); ` +
      `loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toExponential(2)}, rose on ${ups} of 10⁴ steps; final pair mean ${S.at(-1)!.toFixed(2)}`,
  );
}
console.log(`  sharpness (pair mean) reached 0.95·2/η within 10⁴ steps: ${eos}/10`);
