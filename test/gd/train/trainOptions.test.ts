import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftedObjective } from '../../../src/gd/train/marginTask.js';
import { exponential, logistic } from '../../../src/index.js';

describe('shiftedObjective (internal: the training loops’ tail shift)', () => {
  it('shiftedObjective({ expBound: true }) picks the same shift after every update as the margin scan does (property)', () => {
    fc.assert(
      fc.property(
        // Margins spanning the switch at 600 and far beyond it, often all close to it (where the bound and
        // the scan could disagree), weights including zeros.
        fc.oneof(
          fc.double({ min: 595, max: 700, noNaN: true }),
          fc.double({ min: -5, max: 2000, noNaN: true }),
        ),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.double({ min: 0, max: 80, noNaN: true }),
              fc.double({ min: -5, max: 2000, noNaN: true }),
            ),
            fc.constantFrom(0, 0.01, 1, 7),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        fc.array(
          fc.oneof(
            fc.double({ min: -50, max: 1500, noNaN: true }),
            fc.double({ min: -40, max: 40, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.constantFrom(exponential, logistic),
        (base, offsets, drifts, loss) => {
          const rows = offsets.map(([u, ci]) => [u <= 30 ? base + u : u, ci] as const);
          fc.pre(rows.some(([, ci]) => ci !== 0));
          const n = rows.length;
          const c = Float64Array.from(rows, ([, ci]) => ci);
          const build = (expBound: boolean) => {
            const margins = Float64Array.from(rows, ([u]) => u);
            const theta = new Float64Array(1);
            const grad = new Float64Array(1);
            // The objective of the Model contract: Σ cᵢ e^{shift} ℓ(uᵢ), from the scalar loss definitions.
            const objective = (shift: number): number => {
              let s = 0;
              for (let i = 0; i < n; i++) {
                if (c[i] === 0) continue;
                s += c[i]! * Math.exp(shift + loss.logValue(margins[i]!));
              }
              return s;
            };
            return {
              margins,
              obj: shiftedObjective({ objective, theta, grad, c, margins, lambda: 0, r: 2, expBound }),
            };
          };
          const a = build(true);
          const b = build(false);
          for (const drift of drifts) {
            const va = a.obj.evaluate();
            const vb = b.obj.evaluate();
            expect(Object.is(va, vb)).toBe(true);
            a.obj.afterUpdate?.();
            b.obj.afterUpdate?.();
            expect(a.obj.shift()).toBe(b.obj.shift());
            // The next "step" moves every margin by the same drift.
            for (const m of [a.margins, b.margins]) for (let i = 0; i < n; i++) m[i]! += drift;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
