/**
 * The geometry module src/linalg/potentials.ts: potential resolution for mirrorDescent and
 * minBregmanInterpolant, and the links of the built-in potentials against their definitions (the Fenchel
 * identity, inversion, and finite differences of the inverse link for its Jacobian).
 */
import { describe, expect, it } from 'vitest';
import {
  dualExponent,
  normP,
  type PotentialLink,
  pNormLink,
  potentialLink,
  readPNorm,
  resolvePotential,
} from '../../src/linalg/potentials.js';

/** ψ(w) of a built-in potential, written from its definition. */
function psi(name: 'euclidean' | 'entropy' | number, w: Float64Array): number {
  if (name === 'euclidean') return 0.5 * w.reduce((s, x) => s + x * x, 0);
  if (name === 'entropy') return w.reduce((s, x) => s + x * Math.log(x) - x, 0);
  return 0.5 * w.reduce((s, x) => s + Math.abs(x) ** name, 0) ** (2 / name);
}

function linkOf(name: 'euclidean' | 'entropy' | number): PotentialLink {
  return potentialLink(resolvePotential('t', typeof name === 'number' ? { p: name } : name, false).resolved);
}

const W = Float64Array.of(0.7, 1.3, 0.2, 2.1);
const NAMES = ['euclidean', 'entropy', 1.5, 3, 4, 2] as const;

describe('potentials', () => {
  it('resolvePotential(fn, value, user) accepts the built-in potentials and, with user, { grad, gradInverse }', () => {
    expect(resolvePotential('f', 'entropy', false).resolved).toEqual({ kind: 'entropy' });
    const p3 = resolvePotential('f', { p: 3 }, false);
    expect(p3.resolved).toEqual({ kind: 'p', p: 3, q: 1.5, qe: 0.5 });
    expect(Object.isFrozen(p3.potential)).toBe(true);
    const id = (out: Float64Array) => out;
    expect(resolvePotential('f', { grad: id, gradInverse: id }, true).resolved.kind).toBe('user');
    expect(() => resolvePotential('f', { grad: id, gradInverse: id }, false)).toThrow(
      "f: potential must be 'euclidean', 'entropy' or { p } with 1 < p < ∞, got an object (Object)",
    );
    expect(() => resolvePotential('f', 'kl', true)).toThrow(
      "f: potential must be 'euclidean', 'entropy', { p } with 1 < p < ∞, or { grad, gradInverse }, got \"kl\"",
    );
    expect(() => resolvePotential('f', { p: 1 }, false)).toThrow(
      'f: potential.p must be a finite number > 1, got 1',
    );
    expect(() => readPNorm('g', 'norm.p', { p: 2, q: 2 })).toThrow('g: q is not a known option (known: p)');
  });

  it('dualExponent(p) is p/(p − 1), and the link of ½‖·‖_q² inverts the link of ½‖·‖_p²', () => {
    for (const p of [1.25, 1.5, 3, 7]) {
      const q = dualExponent(p);
      expect(1 / p + 1 / q).toBeCloseTo(1, 15);
      const z = pNormLink(new Float64Array(W.length), W, p);
      const back = pNormLink(new Float64Array(W.length), z, q);
      for (let j = 0; j < W.length; j++) expect(back[j]).toBeCloseTo(W[j]!, 13);
      expect(normP(z, q)).toBeCloseTo(normP(W, p), 13);
    }
  });

  it('potentialLink(ψ).inverse inverts grad, and conj meets the Fenchel identity ψ*(∇ψ(w)) = ⟨w, ∇ψ(w)⟩ − ψ(w)', () => {
    for (const name of NAMES) {
      const link = linkOf(name);
      const theta = new Float64Array(W.length);
      link.grad(theta, W);
      const w = new Float64Array(W.length);
      link.inverse(w, theta);
      for (let j = 0; j < W.length; j++) expect(w[j]).toBeCloseTo(W[j]!, 13);
      const inner = W.reduce((s, x, j) => s + x * theta[j]!, 0);
      expect(link.conj(theta)).toBeCloseTo(inner - psi(name, W), 12);
    }
  });

  it('potentialLink(ψ).jacobian is the derivative of the inverse link (central differences)', () => {
    for (const name of ['euclidean', 'entropy', 1.5] as const) {
      const link = linkOf(name);
      const theta = new Float64Array(W.length);
      link.grad(theta, W);
      const diag = new Float64Array(W.length);
      const s = new Float64Array(W.length);
      const c = link.jacobian(diag, s, theta, W);
      const h = 1e-6;
      for (let k = 0; k < W.length; k++) {
        const plus = Float64Array.from(theta);
        const minus = Float64Array.from(theta);
        plus[k]! += h;
        minus[k]! -= h;
        const wp = new Float64Array(W.length);
        const wm = new Float64Array(W.length);
        link.inverse(wp, plus);
        link.inverse(wm, minus);
        for (let j = 0; j < W.length; j++) {
          const fd = (wp[j]! - wm[j]!) / (2 * h);
          const exact = (j === k ? diag[j]! : 0) + c * s[j]! * s[k]!;
          expect(Math.abs(fd - exact)).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('potentialLink({ p: 2 }) is the Euclidean link, and only p > 2 has a primal Hessian', () => {
    expect(linkOf(2)).toBe(linkOf('euclidean'));
    expect(linkOf(3).primalHessian).toBeTypeOf('function');
    expect(linkOf(1.5).primalHessian).toBeUndefined();
  });
});
