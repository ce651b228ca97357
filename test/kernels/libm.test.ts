/**
 * The library's own exp and log1p (fdlibm ports): the TypeScript functions (src/kernels/libm.ts), their
 * WebAssembly twins (assembly/libm.ts) and Node's Math.exp / Math.log1p (V8's fdlibm) give the same bits on
 * every input tried — random doubles over the whole range, random bit patterns, and the edges of every branch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { libExp, libLog1p } from '../../src/kernels/libm.js';
import { LOSS_ID, scaledLossTerms } from '../../src/kernels/marginLoss.js';
import { wasmKernels } from '../../src/kernels/wasm/index.js';
import { exponential, logistic } from '../../src/losses/index.js';
import { minstd } from '../helpers/index.js';

interface LibmExports {
  exp(x: number): number;
  exp2(out: number, x0: number, x1: number): void;
  log1p(x: number): number;
}

function wasmLibm(): LibmExports {
  const w = wasmKernels();
  if (w === null) throw new Error('the WebAssembly kernels did not load');
  return w.exports as unknown as LibmExports;
}

/** The two lanes of the WebAssembly exp2 (f64x2) at (x0, x1), through 16 bytes at the end of its memory. */
function wasmExp2(x0: number, x1: number): [number, number] {
  const w = wasmKernels()!;
  const at = w.memory.buffer.byteLength - 16;
  (w.exports as unknown as LibmExports).exp2(at, x0, x1);
  const lanes = new Float64Array(w.memory.buffer, at, 2);
  return [lanes[0]!, lanes[1]!];
}

function expectExp2(x0: number, x1: number): void {
  const [e0, e1] = wasmExp2(x0, x1);
  if (!Object.is(e0, Math.exp(x0)) || !Object.is(e1, Math.exp(x1))) {
    throw new Error(`exp2(${x0}, ${x1}) = (${e0}, ${e1}), Math.exp: (${Math.exp(x0)}, ${Math.exp(x1)})`);
  }
}

/** Doubles on both sides of every threshold of the two functions, and the special values. */
function edges(): number[] {
  const bits = new Float64Array(1);
  const words = new BigUint64Array(bits.buffer);
  const around = (x: number): number[] => {
    bits[0] = x;
    const w = words[0]!;
    const out: number[] = [];
    for (let k = -3n; k <= 3n; k++) {
      words[0] = w + k;
      out.push(bits[0]!);
    }
    return out;
  };
  const points = [
    0,
    1,
    2,
    0.5,
    Math.LN2,
    Math.LN2 / 2,
    1.5 * Math.LN2,
    709.782712893384,
    709.7822265625,
    -745.1332191019411,
    -708.3964185322641,
    2 ** -28,
    2 ** -29,
    2 ** -54,
    0.4142135623730951,
    0.41421365737915039,
    -0.2928932188134524,
    -0.292893648147583,
    2 ** 53,
    2 ** 1023,
    1e-300,
    5e-324,
    1.0397205352783203,
    0.3465735912322998,
    -1,
    700,
    746,
    1075 * Math.LN2,
  ];
  const out = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
  for (const p of points) out.push(...around(p), ...around(-p));
  return out;
}

function expectAllAgree(x: number, w: LibmExports): void {
  const e = Math.exp(x);
  if (!Object.is(libExp(x), e) || !Object.is(w.exp(x), e)) {
    throw new Error(`exp(${x}): Math.exp ${e}, libExp ${libExp(x)}, WebAssembly ${w.exp(x)}`);
  }
  const l = Math.log1p(x);
  if (!Object.is(libLog1p(x), l) || !Object.is(w.log1p(x), l)) {
    throw new Error(`log1p(${x}): Math.log1p ${l}, libLog1p ${libLog1p(x)}, WebAssembly ${w.log1p(x)}`);
  }
}

describe('libExp, libLog1p', () => {
  it('libExp(x), libLog1p(x) and their WebAssembly twins equal Node 20 Math.exp, Math.log1p at every branch edge', () => {
    const w = wasmLibm();
    for (const x of edges()) expectAllAgree(x, w);
  });

  it('libExp(x), libLog1p(x) and their WebAssembly twins equal Math.exp, Math.log1p on any double (property)', () => {
    const w = wasmLibm();
    fc.assert(
      fc.property(fc.double(), (x) => {
        expectAllAgree(x, w);
      }),
      { numRuns: 20_000 },
    );
  });

  it('libExp(x), libLog1p(x) equal Math.exp, Math.log1p on 400 000 inputs where the losses evaluate them', () => {
    const w = wasmLibm();
    const r = minstd(20261204);
    for (let i = 0; i < 100_000; i++) {
      expectAllAgree((r() - 0.5) * 1500, w); // exp over its whole finite range
      expectAllAgree((r() - 0.5) * 8, w); // margins of order 1
      expectAllAgree(r() * 2 - 1, w); // log1p's reduced range
      expectAllAgree((r() - 0.5) * 1e-7, w); // tiny arguments
    }
  });

  it('the two-lane WebAssembly exp equals Math.exp in each lane, both lanes in its vector branch or not (property)', () => {
    const lane = fc.oneof(
      fc.double({ min: -720, max: 720, noNaN: true }),
      fc.double({ min: -1.2, max: 1.2, noNaN: true }),
      fc.constantFrom(...edges()),
    );
    fc.assert(
      fc.property(lane, lane, (x0, x1) => {
        expectExp2(x0, x1);
      }),
      { numRuns: 20_000 },
    );
    const r = minstd(99);
    for (let i = 0; i < 100_000; i++) expectExp2((r() - 0.5) * 1414, (r() - 0.5) * 60);
  });

  it('scaledLossTerms(out, id, u, shift) equals the loss objects of src/losses at shift 0', () => {
    const out = new Float64Array(2);
    const r = minstd(7);
    for (let i = 0; i < 2000; i++) {
      const u = (r() - 0.5) * 80;
      scaledLossTerms(out, LOSS_ID.exponential, u, 0);
      expect(out[0]).toBe(exponential.value(u));
      expect(out[1]).toBe(exponential.derivative(u));
      scaledLossTerms(out, LOSS_ID.logistic, u, 0);
      expect(out[0]).toBe(logistic.value(u));
      expect(out[1]).toBe(logistic.derivative(u));
    }
  });
});
