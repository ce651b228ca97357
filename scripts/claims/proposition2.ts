/**
 * Proposition 2 (Xu, Ye & Ruan, ICLR 2021): ‖Π_non-sep θ(t) − θ̃(w)‖ against both forms of `proposition2Rate`,
 * the proved log t/(γ_sep √t) and the stated (log² t/γ_sep)/t, on the sets of docs/nonseparable.md:
 * (a) the Figure 3 set (features (x₁, x₂, 1), core (1, 0.4), (0.6, 1) labelled +1 and (−0.8, −0.5), (−0.3, −1)
 *     labelled −1, two points at the feature origin with opposite labels; class weights (w₊, 1)), GD lr 0.1
 *     from θ = 0, t = 10², 10⁴, 10⁶ (the partition from `separablePartition`);
 * (b) the `trainWeighted({ proposition2 })` example: `datasets.partitioned({ nSep: 12, nNonSep: 6, d: 4,
 *     seed: 3 })`, weights 0.5 + 0.75·(i mod 3), GD lr 0.05, 10⁵ steps;
 * (c) the transient example of finding 1: core (−0.2, 0, −0.53), (−0.2, 0, 0) labelled −1, pair ±0.3·e₃
 *     labelled −1, unit weights, GD lr 0.1 from 0.
 *
 *   npx tsx scripts/claims/proposition2.ts
 */
import {
  type Dataset,
  dataset,
  datasets,
  gd,
  nonSeparableOptimum,
  proposition2Rate,
  separablePartition,
  trainWeighted,
} from '../../src/index.js';

const f = (v: number) => (Math.abs(v) >= 0.01 ? v.toFixed(3) : v.toExponential(1));

async function report(
  label: string,
  data: Dataset,
  weights: number[],
  lr: number,
  at: number[],
): Promise<void> {
  const partition = await separablePartition(data);
  const optimum = nonSeparableOptimum(data, partition, { weights });
  const { history } = trainWeighted({
    data,
    weights,
    steps: at.at(-1)!,
    init: new Float64Array(data.d),
    optimizer: gd({ lr }),
    proposition2: { partition, optimum },
    record: { at },
  });
  const g = optimum.gammaSep!;
  const rows = at.map((t) => history.find((r) => r.step === t)!);
  console.log(
    `${label}: γ_sep ${g.toFixed(4)}, θ̃ = (${Array.from(optimum.theta, (v) => v.toFixed(4)).join(', ')})\n` +
      `  t:                   ${at.join(' / ')}\n` +
      `  distance:            ${rows.map((r) => f(r.nonSepDistance!)).join(' / ')}\n` +
      `  proved rate:         ${rows.map((r) => f(r.proposition2Rate!)).join(' / ')}\n` +
      `  distance / proved:   ${rows.map((r) => f(r.nonSepDistance! / r.proposition2Rate!)).join(' / ')}\n` +
      `  stated rate:         ${at.map((t) => f(proposition2Rate(t, g, { form: 'stated' }))).join(' / ')}\n` +
      `  distance / stated:   ${rows.map((r) => f(r.nonSepDistance! / proposition2Rate(r.step, g, { form: 'stated' }))).join(' / ')}`,
  );
}

const core = [
  [1, 0.4, 1],
  [0.6, 1, 1],
  [-0.8, -0.5, 1],
  [-0.3, -1, 1],
];
const fig3 = dataset([...core, [0, 0, 1], [0, 0, 1]], [1, 1, -1, -1, 1, -1]);
for (const wPlus of [0.25, 1, 4]) {
  await report(
    `(a) Figure 3 set, w₊ = ${wPlus}`,
    fig3,
    Array.from(fig3.y, (y) => (y > 0 ? wPlus : 1)),
    0.1,
    [100, 10_000, 1_000_000],
  );
}
const part = datasets.partitioned({ nSep: 12, nNonSep: 6, d: 4, seed: 3 });
await report(
  '(b) partitioned({ nSep: 12, nNonSep: 6, d: 4, seed: 3 })',
  part,
  Array.from({ length: part.n }, (_, i) => 0.5 + (i % 3) * 0.75),
  0.05,
  [100, 1000, 10_000, 100_000],
);
const transient = dataset(
  [
    [-0.2, 0, -0.53],
    [-0.2, 0, 0],
    [0, 0, 0.3],
    [0, 0, -0.3],
  ],
  [-1, -1, -1, -1],
);
await report(
  '(c) transient set of finding 1',
  transient,
  [1, 1, 1, 1],
  0.1,
  [100, 1000, 10_000, 100_000, 1_000_000],
);
