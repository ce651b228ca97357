import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { type Dataset, dataset, InvalidInputError, subset } from '../../src/index.js';
import { invalid } from '../helpers/index.js';

const rowsArb = fc
  .record({ n: fc.integer({ min: 1, max: 7 }), d: fc.integer({ min: 1, max: 5 }) })
  .chain(({ n, d }) =>
    fc.record({
      rows: fc.array(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: d, maxLength: d }),
        {
          minLength: n,
          maxLength: n,
        },
      ),
      y: fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n }),
    }),
  );

/** Every accepted form of the same n×d matrix, built from its rows. */
function allForms(rows: number[][]): [string, (y: number[]) => Dataset][] {
  const n = rows.length;
  const d = rows[0]!.length;
  const flat = rows.flat();
  const colMajor = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) colMajor[j * n + i] = rows[i]![j]!;
  return [
    ['number[][]', (y) => dataset(rows, y)],
    [
      'Float64Array[]',
      (y) =>
        dataset(
          rows.map((r) => Float64Array.from(r)),
          y,
        ),
    ],
    ['flat number[] + d', (y) => dataset(flat, y, d)],
    ['flat Float64Array + d', (y) => dataset(Float64Array.from(flat), y, d)],
    ['ml-matrix Matrix', (y) => dataset(new Matrix(rows), y)],
    ['ndarray', (y) => dataset(ndarray(Float64Array.from(flat), [n, d]), y)],
    ['transposed ndarray view', (y) => dataset(ndarray(colMajor, [d, n]).transpose(1, 0), y)],
    [
      'get-only ndarray-like',
      (y) => dataset({ shape: [n, d], get: (i: number, j: number) => rows[i]![j]! }, y),
    ],
  ];
}

describe('dataset', () => {
  it('dataset(X, y) returns a frozen row-major copy { X, y, n, d }', () => {
    const rows = [
      [1, 2, 3],
      [-4, 5, -6],
    ];
    const y = [1, -1];
    const data = dataset(rows, y);
    expect(data.n).toBe(2);
    expect(data.d).toBe(3);
    expect(data.X).toBeInstanceOf(Float64Array);
    expect(Array.from(data.X)).toEqual([1, 2, 3, -4, 5, -6]);
    expect(data.y).toBeInstanceOf(Float64Array);
    expect(Array.from(data.y)).toEqual([1, -1]);
    expect(Object.isFrozen(data)).toBe(true);
  });

  it('dataset(X, y, d) never aliases its inputs', () => {
    const flat = new Float64Array([1, 2, 3, 4]);
    const y = new Float64Array([1, -1]);
    const data = dataset(flat, y, 2);
    expect(data.X).not.toBe(flat);
    expect(data.y).not.toBe(y);
    flat[0] = 99;
    y[0] = -1;
    const rows = [[5, 6]];
    const data2 = dataset(rows, [1]);
    rows[0]![0] = 7;
    expect(data.X[0]).toBe(1);
    expect(data.y[0]).toBe(1);
    expect(data2.X[0]).toBe(5);
  });

  it('dataset(X, y) reads a transposed ndarray view through its strides and offset', () => {
    // data = [[1, 2, 3], [4, 5, 6]] column-major, viewed from row 1 on.
    const a = ndarray(new Float64Array([0, 1, 4, 2, 5, 3, 6]), [3, 2], [2, 1], 1);
    expect(Array.from(dataset(a, [1, -1, 1]).X)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('dataset(X, y) for random valid inputs gives identical X from every input form (property)', () => {
    fc.assert(
      fc.property(rowsArb, ({ rows, y }) => {
        const expected = Float64Array.from(rows.flat());
        for (const [, build] of allForms(rows)) {
          const data = build(y);
          expect(data.X).toEqual(expected);
          expect(data.y).toEqual(Float64Array.from(y));
          expect([data.n, data.d]).toEqual([rows.length, rows[0]!.length]);
        }
      }),
    );
  });

  it('dataset(X, y) rejects NaN/±Infinity anywhere with INVALID_INPUT naming the row and column, in every input form (property)', () => {
    fc.assert(
      fc.property(
        rowsArb.chain(({ rows, y }) =>
          fc.record({
            rows: fc.constant(rows),
            y: fc.constant(y),
            i: fc.nat(rows.length - 1),
            j: fc.nat(rows[0]!.length - 1),
            bad: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          }),
        ),
        ({ rows, y, i, j, bad }) => {
          const poisoned = rows.map((r) => [...r]);
          poisoned[i]![j] = bad;
          for (const [form, build] of allForms(poisoned)) {
            let err: unknown;
            try {
              build(y);
            } catch (e) {
              err = e;
            }
            expect(err, form).toBeInstanceOf(InvalidInputError);
            expect((err as InvalidInputError).code).toBe('INVALID_INPUT');
            expect((err as Error).message, form).toContain(`row ${i}, column ${j}`);
            expect((err as Error).message, form).toMatch(
              /^dataset: .* must be finite .*got (NaN|Infinity|-Infinity)$/,
            );
          }
        },
      ),
    );
  });

  it('dataset(X, y) rejects NaN with INVALID_INPUT and names X[i][j]', () => {
    expect(() =>
      dataset(
        [
          [1, 2],
          [3, Number.NaN],
        ],
        [1, -1],
      ),
    ).toThrow('dataset: X[1][1] must be finite (row 1, column 1), got NaN');
    expect(() => dataset([1, 2, Number.POSITIVE_INFINITY, 4], [1, -1], 2)).toThrow(
      'dataset: X[2] must be finite (row 1, column 0), got Infinity',
    );
  });

  it('dataset(X, y) rejects non-numbers with INVALID_INPUT naming the row and column', () => {
    expect(() => dataset([[1, 'a' as unknown as number]], [1])).toThrow(
      'dataset: X[0][1] must be a number (row 0, column 1), got "a"',
    );
    expect(() =>
      dataset(
        [
          [1, 2],
          [3, null as unknown as number],
        ],
        [1, 1],
      ),
    ).toThrow('X[1][1] must be a number');
    expect(() => dataset([[1, 2], 3 as unknown as number[]], [1, 1])).toThrow(
      'dataset: X[1] must be an array of numbers (row 1), got 3',
    );
    expect(() => dataset([1, [2]] as unknown as number[], [1], 2)).toThrow(
      'X[1] must be a number (row 0, column 1)',
    );
  });

  it('dataset(X, y) rejects ragged rows naming the row and both lengths', () => {
    expect(() =>
      dataset(
        [
          [1, 2],
          [3, 4],
          [5, 6, 7],
        ],
        [1, 1, 1],
      ),
    ).toThrow(
      'dataset: X[2] must have length 2 (the length of row 0; rows must not be ragged), got length 3',
    );
  });

  it('dataset(X, y) rejects n = 0 and d = 0', () => {
    expect(() => dataset([], [])).toThrow(
      'dataset: X must have at least one row (n >= 1), got an empty array',
    );
    expect(() => dataset(new Float64Array(0), [], 2)).toThrow('X must have at least one row (n >= 1)');
    expect(() => dataset([[]], [1])).toThrow(
      'dataset: X[0] must have at least one column (d >= 1), got length 0',
    );
    expect(() => dataset(new Matrix(0, 2), [])).toThrow(
      'X must have at least one row (n >= 1), got a matrix of size 0×2',
    );
    expect(() => dataset(ndarray(new Float64Array(0), [2, 0]), [1, 1])).toThrow(
      'X must have at least one column (d >= 1), got an ndarray of size 2×0',
    );
  });

  it('dataset(X, y, d) checks d: required for flat X, divides its length, matches shaped X', () => {
    expect(() => dataset([1, 2, 3, 4], [1, 1])).toThrow('dataset: d is required when X is a flat array');
    expect(() => dataset([1, 2, 3], [1], 2)).toThrow(
      'dataset: X must have a length divisible by d = 2, got length 3',
    );
    expect(() => dataset([[1, 2]], [1], 3)).toThrow(
      'dataset: d must equal the number of columns of X (2, the length of row 0), got 3',
    );
    expect(() => dataset(new Matrix([[1, 2]]), [1], 3)).toThrow('d must equal the number of columns of X (2');
    expect(() => dataset([1, 2], [1], 0)).toThrow('dataset: d must be an integer >= 1, got 0');
    expect(() => dataset([1, 2], [1], 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(dataset([[1, 2]], [1], 2).d).toBe(2);
  });

  it('dataset(X, y) rejects a y whose length is not n', () => {
    expect(() => dataset([[1], [2], [3]], [1, -1])).toThrow(
      'dataset: y must have length n = 3 (one label per row of X), got length 2',
    );
  });

  it('dataset(X, y) rejects {0,1} labels with a message that says how to map them', () => {
    expect(() => dataset([[1], [2], [3], [4]], [1, 1, 1, 0])).toThrow(
      'dataset: y[3] must be -1 or +1, got 0; for {0,1} labels use y.map(v => 2 * v - 1)',
    );
    expect(() => dataset([[1], [2]], [0, 1])).toThrow(invalid('y[0] must be -1 or +1, got 0'));
  });

  it('dataset(X, y) rejects other labels, NaN labels and non-array y with INVALID_INPUT', () => {
    expect(() => dataset([[1], [2]], [1, 2])).toThrow(
      'dataset: y[1] must be -1 or +1, got 2; map your labels',
    );
    expect(() => dataset([[1], [2]], [1, Number.NaN])).toThrow('dataset: y[1] must be finite, got NaN');
    expect(() => dataset([[1]], 1 as unknown as number[])).toThrow(invalid('y must be an array'));
  });

  it('dataset(X, y) rejects unsupported X types and non-2-D ndarrays', () => {
    expect(() => dataset('abc' as unknown as number[], [1])).toThrow(
      'dataset: X must be number[][], a flat array with d, an ml-matrix Matrix or a 2-D ndarray, got "abc"',
    );
    expect(() => dataset({ a: 1 } as unknown as number[], [1])).toThrow(invalid('X must be number[][]'));
    expect(() => dataset(ndarray(new Float64Array(8), [2, 2, 2]), [1, 1])).toThrow(
      'dataset: X must be a 2-D ndarray, got shape [2, 2, 2]',
    );
  });
});

describe('subset', () => {
  const data = dataset(
    [
      [1, 0],
      [0, 1],
      [-1, 0],
    ],
    [1, 1, -1],
  );

  it('subset(data, indices) returns the rows in the given order, repeats included', () => {
    const s = subset(data, [2, 0, 2]);
    expect(s.n).toBe(3);
    expect(s.d).toBe(2);
    expect(Array.from(s.X)).toEqual([-1, 0, 1, 0, -1, 0]);
    expect(Array.from(s.y)).toEqual([-1, 1, -1]);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Array.from(subset(data, new Int32Array([1])).X)).toEqual([0, 1]);
  });

  it('subset(data, indices) does not alias data', () => {
    const s = subset(data, [0]);
    s.X[0] = 42;
    expect(data.X[0]).toBe(1);
  });

  it('subset(data, indices) rejects out-of-range, non-integer and empty indices with INVALID_INPUT', () => {
    expect(() => subset(data, [0, 3])).toThrow(
      'subset: indices[1] must be an integer row index in [0, 2], got 3',
    );
    expect(() => subset(data, [-1])).toThrow(invalid('indices[0] must be an integer row index'));
    expect(() => subset(data, [0.5])).toThrow(invalid('indices[0]'));
    expect(() => subset(data, [])).toThrow('subset: indices must be non-empty');
    expect(() => subset(data, 'x' as unknown as number[])).toThrow(invalid('indices must be an array'));
  });

  it('subset(data, indices) rejects something that is not a Dataset', () => {
    expect(() => subset({ X: [1], y: [1], n: 1, d: 1 } as unknown as Dataset, [0])).toThrow(
      'subset: data must be a Dataset (build one with dataset(X, y))',
    );
  });
});
