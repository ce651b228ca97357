/**
 * The geometry of the non-Euclidean methods, in one place: the mirror potentials ψ ('euclidean', 'entropy',
 * ½‖·‖_p², user links) and their link maps ∇ψ, (∇ψ)⁻¹ = ∇ψ*, ψ* and second derivatives, the ℓ_r norms and
 * the dual exponent. Used by `mirrorDescent` (potential resolution, the p-norm link), `steepestDescent`
 * (the ℓ_p step, which is the link map of the dual norm) and `minBregmanInterpolant` (potential resolution
 * and the Newton links). The per-entry loops of the optimizers' steps (`normP`, `pNormLink`) live in
 * `src/kernels/optimizers.ts` and are re-exported here. Not part of the public API (not re-exported from
 * the package root).
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, show } from '../util/validate.js';

export { normP, pNormLink } from '../kernels/optimizers.js';

/** A map `(out, x) => out` that writes its value at x into `out` and returns `out`. */
export type LinkFunction = (out: Float64Array, x: Float64Array) => Float64Array;

/**
 * The mirror potential ψ of {@link mirrorDescent}:
 *
 * - `'euclidean'`: ψ(w) = ½‖w‖₂², ∇ψ = id — plain gradient descent (bit-identical to {@link gd}).
 * - `'entropy'`: ψ(w) = Σᵢ wᵢ log wᵢ − wᵢ on w > 0, ∇ψ = log — the update is w₊ = w ⊙ exp(−η∇L)
 *   (exponentiated gradient without normalization).
 * - `{ p }` with 1 < p < ∞: ψ(w) = ½‖w‖_p², ∇ψ(w)ᵢ = sign(wᵢ)|wᵢ|^{p−1}/‖w‖_p^{p−2}; its inverse is
 *   the same map with the dual exponent q = p/(p−1).
 * - `{ grad, gradInverse }`: your own ∇ψ and (∇ψ)⁻¹ = ∇ψ*, each `(out, x) => out` writing into `out`
 *   (which never aliases x) and returning it. They must be mutually inverse on the domain of ψ; this is
 *   not checked. Report a point outside the domain by returning a non-finite value (e.g. `Math.log` of a
 *   negative number gives NaN).
 */
export type MirrorPotential =
  | 'euclidean'
  | 'entropy'
  | { readonly p: number }
  | { readonly grad: LinkFunction; readonly gradInverse: LinkFunction };

/** The dual exponent r* = r/(r − 1) of 1 < r < ∞ (1/r + 1/r* = 1). @internal */
export function dualExponent(r: number): number {
  return r / (r - 1);
}

/** An exponent 1 < p < ∞ with its dual q = p/(p − 1) and q − 1 = 1/(p − 1) (exact for p = 3: 0.5). @internal */
export interface PNorm {
  readonly p: number;
  readonly q: number;
  readonly qe: number;
}

/**
 * Reads `{ p }` (no other key) with p a finite number > 1, the ℓ_p norm of `steepestDescent` or the
 * potential ½‖·‖_p²; `option` names it in errors (`'norm.p'`, `'potential.p'`). @internal
 */
export function readPNorm(fn: string, option: string, record: Record<string, unknown>): PNorm {
  checkKnownKeys(fn, record, ['p']);
  const p = record.p;
  if (typeof p !== 'number' || !(p > 1) || !Number.isFinite(p)) {
    throw new InvalidInputError(fn, option, `must be a finite number > 1, got ${show(p)}`);
  }
  return { p, q: dualExponent(p), qe: 1 / (p - 1) };
}

/** True for a plain object: not null, an array or a typed array / DataView. @internal */
export function isOptionRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** A validated {@link MirrorPotential}. @internal */
export type ResolvedPotential =
  | { readonly kind: 'euclidean' }
  | { readonly kind: 'entropy' }
  | ({ readonly kind: 'p' } & PNorm)
  | { readonly kind: 'user'; readonly grad: LinkFunction; readonly gradInverse: LinkFunction };

/** A validated built-in potential (not a user link). @internal */
export type BuiltinPotential = Exclude<ResolvedPotential, { kind: 'user' }>;

/**
 * Validates a potential option named `potential` of `fn`: `'euclidean'`, `'entropy'`, `{ p }` with
 * 1 < p < ∞ and, when `user` is true, `{ grad, gradInverse }` (two functions). Returns the option as
 * stored (objects frozen copies) and its resolved form. Throws `INVALID_INPUT` naming `potential`,
 * `potential.p`, `potential.grad` or `potential.gradInverse`. @internal
 */
export function resolvePotential(
  fn: string,
  value: unknown,
  user: true,
): { potential: MirrorPotential; resolved: ResolvedPotential };
export function resolvePotential(
  fn: string,
  value: unknown,
  user: false,
): { potential: MirrorPotential; resolved: BuiltinPotential };
export function resolvePotential(
  fn: string,
  value: unknown,
  user: boolean,
): { potential: MirrorPotential; resolved: ResolvedPotential } {
  if (value === 'euclidean' || value === 'entropy') return { potential: value, resolved: { kind: value } };
  if (isOptionRecord(value)) {
    if ('p' in value) {
      const norm = readPNorm(fn, 'potential.p', value);
      return { potential: Object.freeze({ p: norm.p }), resolved: { kind: 'p', ...norm } };
    }
    if (user && ('grad' in value || 'gradInverse' in value)) {
      checkKnownKeys(fn, value, ['grad', 'gradInverse']);
      for (const key of ['grad', 'gradInverse'] as const) {
        if (typeof value[key] !== 'function') {
          throw new InvalidInputError(
            fn,
            `potential.${key}`,
            `must be a function (out, x) => out, got ${show(value[key])}`,
          );
        }
      }
      const grad = value.grad as LinkFunction;
      const gradInverse = value.gradInverse as LinkFunction;
      return {
        potential: Object.freeze({ grad, gradInverse }),
        resolved: { kind: 'user', grad, gradInverse },
      };
    }
  }
  const kinds = user
    ? "'euclidean', 'entropy', { p } with 1 < p < ∞, or { grad, gradInverse }"
    : "'euclidean', 'entropy' or { p } with 1 < p < ∞";
  throw new InvalidInputError(fn, 'potential', `must be ${kinds}, got ${show(value)}`);
}

// ---------------------------------------------------------------------------------------------------
// The links of a built-in potential with their derivatives, for Newton's method on the Bregman
// projection (minBregmanInterpolant). Not hot loops: one evaluation per Newton trial.

/**
 * The link maps of a built-in potential ψ with what Newton's method on argmin { D_ψ(w, w₀) : Xw = y }
 * needs: θ = ∇ψ(w), w = (∇ψ)⁻¹(θ), ψ*(θ) and the Jacobian of the inverse. @internal
 */
export interface PotentialLink {
  /** 'euclidean' (also for p = 2), 'entropy' or 'p'. */
  readonly name: 'euclidean' | 'entropy' | 'p';
  /** out = ∇ψ(w). */
  grad(out: Float64Array, w: Float64Array): void;
  /** out = (∇ψ)⁻¹(theta). */
  inverse(out: Float64Array, theta: Float64Array): void;
  /** ψ*(theta), the convex conjugate. */
  conj(theta: Float64Array): number;
  /** The Jacobian of the inverse link at theta as diag(diag) + c·s·sᵀ: writes diag and s, returns c. */
  jacobian(diag: Float64Array, s: Float64Array, theta: Float64Array, w: Float64Array): number;
  /**
   * When given, the Hessian of ψ at w as diag + c·s·sᵀ, bounded where the inverse link's Jacobian is not
   * (ψ = ½‖w‖_p², p > 2): Newton then runs on the equivalent KKT system.
   */
  readonly primalHessian?: ((diag: Float64Array, s: Float64Array, w: Float64Array) => number) | undefined;
}

const euclideanLink: PotentialLink = {
  name: 'euclidean',
  grad: (out, w) => out.set(w),
  inverse: (out, theta) => out.set(theta),
  conj: (theta) => {
    let v = 0;
    for (let j = 0; j < theta.length; j++) v += theta[j]! * theta[j]!;
    return v / 2;
  },
  jacobian: (diag) => {
    diag.fill(1);
    return 0;
  },
};

const entropyLink: PotentialLink = {
  name: 'entropy',
  grad: (out, w) => {
    for (let j = 0; j < w.length; j++) out[j] = Math.log(w[j]!);
  },
  inverse: (out, theta) => {
    for (let j = 0; j < theta.length; j++) out[j] = Math.exp(theta[j]!);
  },
  conj: (theta) => {
    let v = 0;
    for (let j = 0; j < theta.length; j++) v += Math.exp(theta[j]!);
    return v;
  },
  jacobian: (diag, _s, _theta, w) => {
    diag.set(w);
    return 0;
  },
};

/** max |vⱼ| and (Σ (|vⱼ|/m)^r)^{1/r}: the r-norm as m·N′ without overflow or underflow. */
function scaledNorm(v: Float64Array, r: number): { m: number; rel: number } {
  let m = 0;
  for (let j = 0; j < v.length; j++) m = Math.max(m, Math.abs(v[j]!));
  if (m === 0) return { m: 0, rel: 0 };
  let s = 0;
  for (let j = 0; j < v.length; j++) s += (Math.abs(v[j]!) / m) ** r;
  return { m, rel: s ** (1 / r) };
}

/**
 * ∇(½‖v‖_r²)ⱼ = sign(vⱼ)|vⱼ|^{r−1}‖v‖_r^{2−r} (0 at v = 0), computed as sign·m·aⱼ^{r−1}·N′^{2−r} with
 * aⱼ = |vⱼ|/m and N′ = ‖v‖_r/m ∈ [1, dim^{1/r}], so no power of a large or tiny number is formed. The same
 * map as the kernel `pNormLink`, evaluated in the scaled quantities that {@link normHessian} shares (the
 * interpolant's Newton iterates are pinned to this rounding; the optimizers' steps use the kernel).
 */
function normLink(out: Float64Array, v: Float64Array, r: number): void {
  const { m, rel } = scaledNorm(v, r);
  if (m === 0) {
    out.fill(0);
    return;
  }
  const f = m * rel ** (2 - r);
  for (let j = 0; j < v.length; j++) {
    const x = v[j]!;
    out[j] = x === 0 ? 0 : Math.sign(x) * f * (Math.abs(x) / m) ** (r - 1);
  }
}

/**
 * ∇²(½‖v‖_r²) as diag(diag) + c·s·sᵀ (writes diag and s, returns c), for r ≥ 2 (bounded there). At v = 0
 * the map is not twice differentiable and the identity is used.
 */
function normHessian(diag: Float64Array, s: Float64Array, v: Float64Array, r: number): number {
  const { m, rel } = scaledNorm(v, r);
  if (m === 0) {
    diag.fill(1);
    s.fill(0);
    return 0;
  }
  const a0 = rel ** (2 - r) * (r - 1);
  for (let j = 0; j < v.length; j++) {
    const a = Math.abs(v[j]!) / m;
    diag[j] = a0 * a ** (r - 2);
    s[j] = Math.sign(v[j]!) * a ** (r - 1);
  }
  return (2 - r) * rel ** (2 - 2 * r);
}

/** The links of ψ = ½‖·‖_p² (p ≠ 2): ∇ψ with exponent p, (∇ψ)⁻¹ = ∇ψ* with the dual exponent q. */
function pNormPotentialLink({ p, q }: PNorm): PotentialLink {
  return {
    name: 'p',
    grad: (out, w) => normLink(out, w, p),
    // ψ* = ½‖·‖_q², so (∇ψ)⁻¹ = ∇ψ*.
    inverse: (out, theta) => normLink(out, theta, q),
    conj: (theta) => {
      const { m, rel } = scaledNorm(theta, q);
      return 0.5 * (m * rel) ** 2;
    },
    // ∇²(½‖θ‖_q²) = N′^{2−q}(q−1)·diag(a^{q−2}) + (2−q)·N′^{2−2q}·σσᵀ, σⱼ = sign(θⱼ)aⱼ^{q−1}, in the
    // scaled quantities of normLink (the Hessian is homogeneous of degree 0). Only used for p < 2
    // (q > 2), where a^{q−2} is bounded; for p > 2 the solver uses primalHessian instead.
    jacobian: (diag, s, theta) => normHessian(diag, s, theta, q),
    primalHessian: p > 2 ? (diag, s, w) => normHessian(diag, s, w, p) : undefined,
  };
}

/**
 * The {@link PotentialLink} of a resolved built-in potential; `{ p: 2 }` is the Euclidean one. @internal
 */
export function potentialLink(resolved: BuiltinPotential): PotentialLink {
  if (resolved.kind === 'euclidean') return euclideanLink;
  if (resolved.kind === 'entropy') return entropyLink;
  return resolved.p === 2 ? euclideanLink : pNormPotentialLink(resolved);
}
