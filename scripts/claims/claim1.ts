/**
 * Claim 1 (Xu, Ye & Ruan, ICLR 2021): with a constant learning rate, for any weights w ∈ [1/M, M]ⁿ, GD on
 * the (weakly regularized) weighted exponential risk has ‖θ(t)‖ → ∞ (conditions C1–C3).
 *
 * (a) λ = 0: ‖θ(t)‖ at t = 10², 10³, 10⁴ under three weightings, for the linear model on Figure 1a and the
 *     paper's 2-5-1 ReLU MLP on Figure 1c, 10 initializations each (paper defaults: GD lr 0.1, N(0, 1) init).
 * (b) weak regularization λ‖θ‖² (r = 2): the norm GD settles at grows as λ → 0 (linear model, 10 seeds).
 *
 *   npx tsx scripts/claims/claim1.ts
 */
import {
  createRng,
  type Dataset,
  datasets,
  hardMarginSVM,
  linear,
  type Model,
  mlp,
  trainWeighted,
} from '../../src/index.js';

const SEEDS = Array.from({ length: 10 }, (_, s) => s);
const AT = [100, 1000, 10_000];
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

function weightings(y: ArrayLike<number>): [string, Float64Array][] {
  const n = y.length;
  const rng = createRng(12345, 7);
  const random = Float64Array.from({ length: n }, () => 10 ** (2 * rng.uniform() - 1)); // log-uniform [1/10, 10]
  const cls = Float64Array.from(y, (v) => (v > 0 ? 10 : 1));
  const mean = (w: Float64Array) => w.map((v) => (v * n) / w.reduce((a, b) => a + b, 0));
  return [
    ['uniform', new Float64Array(n).fill(1)],
    ['class +1 ×10', mean(cls)],
    ['log-uniform [1/10, 10]', mean(random)],
  ];
}

function part(name: string, data: Dataset, model: Model) {
  console.log(`\n(a) ${name}: ‖θ(t)‖ at t = ${AT.join(', ')} (median over the seeds that did not diverge)`);
  for (const [label, weights] of weightings(data.y)) {
    const norms: number[][] = [[], [], []];
    let grows = 0;
    let separated = 0;
    let diverged = 0;
    let stalled = 0;
    for (const seed of SEEDS) {
      const res = trainWeighted({
        data,
        model,
        weights,
        steps: AT.at(-1)!,
        seed,
        onDiverge: 'stop',
        record: { at: AT, metrics: ['norm', 'trainError'] },
      });
      if (res.status !== 'completed') {
        diverged++;
        continue;
      }
      if (res.stalledAt !== null) stalled++;
      const rows = AT.map((t) => res.history.find((r) => r.step === t)!);
      rows.forEach((r, k) => {
        norms[k]!.push(r.norm!);
      });
      if (rows[0]!.norm! < rows[1]!.norm! && rows[1]!.norm! < rows[2]!.norm!) grows++;
      if (rows[2]!.trainError === 0) separated++;
    }
    const ok = SEEDS.length - diverged;
    const m = norms.map((a) => median(a).toFixed(2));
    console.log(
      `  ${label.padEnd(24)} ${m.join(' → ')}; increasing at every decade ${grows}/${ok}, separated at 10⁴ ${separated}/${ok}, diverged ${diverged}, stalled (update below float64 resolution) ${stalled}`,
    );
  }
}

part('linear, Figure 1a (n = 100)', datasets.figure1a({ seed: 0 }), linear(2));
// The networks experiments' setting: Figure 1c with a constant 1 appended (x₃ = 1), widths [3, 5, 1].
part(
  'MLP [3, 5, 1] ReLU, Figure 1c with x₃ = 1 (n = 200)',
  datasets.figure1c({ seed: 0, appendOne: true }),
  mlp({ widths: [3, 5, 1] }),
);

// (b) weak regularization: θ_λ is the unique minimizer (r = 2, strongly convex), so the seed varies the
// dataset (datasets.separable({ n: 40, seed })); GD lr 0.1 from N(0, 1), 10⁵ steps.
console.log(
  '\n(b) linear, separable({ n: 40, seed }), λ‖θ‖², 10⁵ GD steps: ‖θ‖·γ⋆ at 5·10⁴ → 10⁵ (median over 10 sets)',
);
for (const k of [0, 1]) {
  const line: string[] = [];
  for (const lambda of [1e-2, 1e-3, 1e-4]) {
    const mid: number[] = [];
    const end: number[] = [];
    for (const seed of SEEDS) {
      const data = datasets.separable({ n: 40, seed });
      const [, weights] = weightings(data.y)[k]!;
      const g = hardMarginSVM(data).gamma;
      const h = trainWeighted({
        data,
        weights,
        steps: 100_000,
        seed,
        regularization: { lambda, r: 2 },
        record: { at: [50_000], metrics: ['norm'] },
      }).history;
      mid.push(h.find((r) => r.step === 50_000)!.norm! * g);
      end.push(h.at(-1)!.norm! * g);
    }
    line.push(`λ ${lambda}: ${median(mid).toFixed(2)} → ${median(end).toFixed(2)}`);
  }
  console.log(`  ${weightings(new Float64Array(1))[k]![0].padEnd(24)} ${line.join('; ')}`);
}
