/**
 * A labelled binary classification set: `X` is row-major n×d (row i is xᵢ, at offset i·d), `y[i]` ∈ {−1, +1}.
 * Built and validated by {@link dataset}; every function that takes a `Dataset` trusts these invariants.
 */
export interface Dataset {
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly d: number;
}
