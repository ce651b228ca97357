/**
 * Kernels of deep matrix factorization (a linear network without biases): W_e = W_N ⋯ W₁ and the
 * gradient of L = Σ_{(i,j)∈Ω} ([W_e]_ij − y_ij)² with respect to every factor.
 * @packageDocumentation
 */

/**
 * Preallocated buffers of {@link factorizationObjective}. Factor W_k (k = 1…N) is dims[k]×dims[k−1],
 * row-major, at theta[offsets[k − 1] …]; dims[0] = cols, dims[N] = rows, the others = width.
 */
export interface FactorizationScratch {
  depth: number;
  rows: number;
  cols: number;
  /** dims[0…N]: dims[0] = cols, dims[1…N−1] = width, dims[N] = rows. */
  dims: Int32Array;
  /** offsets[k − 1] = start of W_k in θ; offsets[N] = θ's length. */
  offsets: Int32Array;
  /** prefix[k − 1] = W_k ⋯ W₁ (dims[k]×cols); prefix[N − 1] is the end matrix W_e. */
  prefix: Float64Array[];
  /** Two back-propagation buffers of max(dims)·cols entries. */
  back: [Float64Array, Float64Array];
}

/**
 * Allocates the buffers for a depth-N factorization of a rows×cols matrix with hidden width `width`
 * (ignored at depth 1, where W₁ = W_e is rows×cols).
 *
 * @example
 * ```ts
 * const s = createFactorizationScratch(4, 3, 2, 5);
 * s.offsets[2]; // 5·3 + 4·5 = 35 parameters
 * ```
 */
export function createFactorizationScratch(
  rows: number,
  cols: number,
  depth: number,
  width: number,
): FactorizationScratch {
  const dims = new Int32Array(depth + 1);
  dims[0] = cols;
  for (let k = 1; k < depth; k++) dims[k] = width;
  dims[depth] = rows;
  const offsets = new Int32Array(depth + 1);
  let maxDim = 0;
  for (let k = 1; k <= depth; k++) {
    offsets[k] = offsets[k - 1]! + dims[k]! * dims[k - 1]!;
    maxDim = Math.max(maxDim, dims[k]!);
  }
  const prefix: Float64Array[] = [];
  for (let k = 1; k <= depth; k++) prefix.push(new Float64Array(dims[k]! * cols));
  return {
    depth,
    rows,
    cols,
    dims,
    offsets,
    prefix,
    back: [new Float64Array(maxDim * cols), new Float64Array(maxDim * cols)],
  };
}

/**
 * out = A·B with A = a[ao …] m×k, B k×n, out m×n (row-major). Loop order i–p–j: the inner loop walks
 * rows of B and out sequentially. `out` must not alias A or B. No allocation.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * matmulOffset(out, Float64Array.of(1, 2, 3, 4), 0, Float64Array.of(5, 6), 2, 2, 1); // [17, 39]
 * ```
 */
export function matmulOffset(
  out: Float64Array,
  a: Float64Array,
  ao: number,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  for (let i = 0; i < m; i++) {
    const oi = i * n;
    for (let j = 0; j < n; j++) out[oi + j] = 0;
    const ai = ao + i * k;
    for (let p = 0; p < k; p++) {
      const s = a[ai + p]!;
      if (s === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) out[oi + j] += s * B[bp + j]!;
    }
  }
  return out;
}

/**
 * out = Aᵀ·B with A = a[ao …] k×m, B k×n, out m×n (row-major). Loop order p–i–j: rows of A, B and out
 * are walked sequentially (accumulating rank-one updates). `out` must not alias A or B. No allocation.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * matmulTransAOffset(out, Float64Array.of(1, 2, 3, 4), 0, Float64Array.of(5, 6), 2, 2, 1); // [23, 34]
 * ```
 */
export function matmulTransAOffset(
  out: Float64Array,
  a: Float64Array,
  ao: number,
  B: Float64Array,
  k: number,
  m: number,
  n: number,
): Float64Array {
  for (let q = 0; q < m * n; q++) out[q] = 0;
  for (let p = 0; p < k; p++) {
    const ap = ao + p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const s = a[ap + i]!;
      if (s === 0) continue;
      const oi = i * n;
      for (let j = 0; j < n; j++) out[oi + j] += s * B[bp + j]!;
    }
  }
  return out;
}

/**
 * out[oo …] = A·Bᵀ with A m×k, B n×k, out m×n (row-major): every entry is a dot product of two rows,
 * both contiguous. `out` must not alias A or B. No allocation.
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * matmulTransBOffset(out, 0, Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 2, 1); // [11]
 * ```
 */
export function matmulTransBOffset(
  out: Float64Array,
  oo: number,
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    const oi = oo + i * n;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p]! * B[bj + p]!;
      out[oi + j] = s;
    }
  }
  return out;
}

/**
 * The forward pass only: fills `scratch.prefix` with W_k ⋯ W₁ for k = 1…N; returns the end matrix
 * W_e = `scratch.prefix[N − 1]` (rows×cols, row-major, a view into the scratch). No allocation.
 *
 * @example
 * ```ts
 * const s = createFactorizationScratch(1, 1, 2, 1);
 * factorizationForward(s, Float64Array.of(2, 3)); // W_e = [6]
 * ```
 */
export function factorizationForward(scratch: FactorizationScratch, theta: Float64Array): Float64Array {
  const { depth, cols, dims, offsets, prefix } = scratch;
  const p1 = prefix[0]!;
  const n1 = dims[1]! * cols;
  const o1 = offsets[0]!;
  for (let q = 0; q < n1; q++) p1[q] = theta[o1 + q]!;
  for (let k = 2; k <= depth; k++) {
    matmulOffset(prefix[k - 1]!, theta, offsets[k - 1]!, prefix[k - 2]!, dims[k]!, dims[k - 1]!, cols);
  }
  return prefix[depth - 1]!;
}

/**
 * Loss and gradient of deep matrix factorization (the slides' section "Matrix factorization"):
 *
 *   L(W₁, …, W_N) = Σ_{(i,j)∈Ω} ([W_e]_ij − y_ij)²,   W_e = W_N ⋯ W₁,
 *   ∇_{W_k} L = (W_N ⋯ W_{k+1})ᵀ G (W_{k−1} ⋯ W₁)ᵀ,   G = 2·(W_e − Y) on Ω, 0 elsewhere,
 *
 * computed by back-propagation: Q_N = G, ∇_{W_k} = Q_k (W_{k−1}⋯W₁)ᵀ, Q_{k−1} = W_kᵀ Q_k (∇_{W₁} = Q₁).
 * `observed` holds flat row-major indices i·cols + j (an index listed k times counts k times), `values` the
 * y_ij; `scratch` (last, as in the other
 * kernels) holds the layout and the buffers. `grad` has θ's length and is overwritten; it must not alias θ.
 * No validation, no allocation.
 *
 * @returns L, summed over `observed` in order.
 * @example
 * ```ts
 * const s = createFactorizationScratch(1, 1, 2, 1);
 * const grad = new Float64Array(2);
 * factorizationObjective(grad, Float64Array.of(2, 3), Int32Array.of(0), Float64Array.of(5), s); // 1
 * // grad = [2·(6−5)·3, 2·(6−5)·2] = [6, 4]
 * ```
 */
export function factorizationObjective(
  grad: Float64Array,
  theta: Float64Array,
  observed: Int32Array,
  values: Float64Array,
  scratch: FactorizationScratch,
): number {
  const { depth, rows, cols, dims, offsets, prefix } = scratch;
  const we = factorizationForward(scratch, theta);
  let q = scratch.back[0];
  let next = scratch.back[1];
  for (let t = 0; t < rows * cols; t++) q[t] = 0;
  let loss = 0;
  for (let s = 0; s < observed.length; s++) {
    const idx = observed[s]!;
    const r = we[idx]! - values[s]!;
    loss += r * r;
    // Added, not assigned: an entry listed twice (a mini-batch drawn with replacement) counts twice.
    q[idx]! += 2 * r;
  }
  for (let k = depth; k >= 2; k--) {
    // q holds Q_k (dims[k]×cols): ∇W_k = Q_k·P_{k−1}ᵀ, then Q_{k−1} = W_kᵀ·Q_k.
    matmulTransBOffset(grad, offsets[k - 1]!, q, prefix[k - 2]!, dims[k]!, cols, dims[k - 1]!);
    matmulTransAOffset(next, theta, offsets[k - 1]!, q, dims[k]!, dims[k - 1]!, cols);
    const tmp = q;
    q = next;
    next = tmp;
  }
  const n1 = dims[1]! * cols;
  const o1 = offsets[0]!;
  for (let t = 0; t < n1; t++) grad[o1 + t] = q[t]!;
  return loss;
}
