/**
 * Theorem 8 of the slides (Lyu & Li 2020): GD on a homogeneous net with the exponential loss approaches a KKT
 * point of min ½‖θ‖² s.t. yᵢf(θ; xᵢ) ≥ 1. `kktResidual` along GD for the paper's 2-5-1 ReLU net (lr 0.1,
 * N(0, 1) init from seed s):
 * (a) on `separable({ n: 40, d: 2, seed: s + 1, margin: 0.1 })`, s = 0…5, at t = 10, 10², …, 10⁶;
 * (b) on Figure 1c (`moons({ seed: 0, appendOne: true })`, widths [3, 5, 1]), s = 0…9, at t = 10 … 10⁵.
 * "–" while θ does not separate the data (the residual is then undefined).
 *
 *   npx tsx scripts/claims/kktResidual.ts
 */
import { type Dataset, datasets, kktResidual, mlp, trainWeighted } from '../../src/index.js';

function run(label: string, data: Dataset, widths: number[], seeds: number[], at: number[]): void {
  const model = mlp({ widths });
  for (const seed of seeds) {
    const res = trainWeighted({
      data,
      model,
      steps: at.at(-1)!,
      seed,
      record: { at, metrics: ['theta', 'margin'] },
      onDiverge: 'stop',
    });
    if (res.status !== 'completed') {
      console.log(`${label}, seed ${seed}: ${res.status}`);
      continue;
    }
    const cells = res.history
      .filter((r) => r.step > 0)
      .map((r) => {
        if (!(r.margin! > 0)) return `${r.step}: –`;
        const k = kktResidual(model, r.theta!, data);
        return `${r.step}: ${k.residual.toFixed(3)}`;
      });
    console.log(`${label}, seed ${seed}: ${cells.join(', ')}`);
  }
}

const decades = (k: number) => Array.from({ length: k }, (_, j) => 10 ** (j + 1));
for (const seed of [0, 1, 2, 3, 4, 5]) {
  run(
    `(a) separable data seed ${seed + 1}`,
    datasets.separable({ n: 40, d: 2, seed: seed + 1, margin: 0.1 }),
    [2, 5, 1],
    [seed],
    decades(6),
  );
}
run(
  '(b) Figure 1c',
  datasets.moons({ seed: 0, appendOne: true }),
  [3, 5, 1],
  Array.from({ length: 10 }, (_, s) => s),
  [10, 100, 1000, 3000, 10_000, 30_000, 100_000],
);
