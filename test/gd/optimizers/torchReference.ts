/**
 * Reference implementations of PyTorch's algorithms, written independently of src/gd: plain number[]
 * arithmetic transcribed op by op from torch/optim/sgd.py `_single_tensor_sgd` and
 * torch/optim/adam.py `_single_tensor_adam` (PyTorch 2.x, CPU float64, weight_decay = 0,
 * maximize = False, amsgrad = False), with ATen's scalar kernels: `add(a, b, alpha)` = a + alpha·b,
 * `lerp(a, b, w)` = |w| < 0.5 ? a + w·(b − a) : b − (b − a)·(1 − w), `addcmul(a, t1, t2, value)` =
 * a + value·t1·t2, `addcdiv(a, t1, t2, value)` = a + value·t1/t2.
 */

import { expect } from 'vitest';
import { expectClose } from '../../helpers/index.js';
import { QUAD, STIFF } from './problems.js';

export function torchSgd(
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

export function torchAdam(
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
export function textbookAdam(
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

export const quadGrad = (p: number[]): number[] => Array.from(QUAD.grad(new Float64Array(3), p));
export const stiffGrad = (p: number[]): number[] => Array.from(STIFF.grad(new Float64Array(2), p));

export function expectPathsClose(actual: Float64Array[], expected: number[][], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let t = 0; t < expected.length; t++) expectClose(actual[t], expected[t], tol);
}
