/**
 * readCsv / readLibsvm (browser-safe, on strings), their Node file helpers, standardize and the shipped wine
 * data: round trips of random data sets bit for bit, the real file against the UCI description's numbers, and
 * hostile files (empty, ragged, non-numeric, huge indices, CRLF, BOM, comments) giving INVALID_INPUT with the
 * line and column.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WINE_CSV } from '../../src/datasets/wineCsv.js';
import { datasets, hardMarginSVM, readCsv, readLibsvm, standardize } from '../../src/index.js';
import { readCsvFile, readLibsvmFile } from '../../src/node/index.js';
import { expectSameBits, invalid, repoRoot, tempDirs } from '../helpers/index.js';

const WINE_FILE = join(repoRoot, 'src/datasets/data/wine.csv');

/** Writes X, y as CSV text with a header (numbers by String(x), which round-trips doubles exactly; −0 as '-0'). */
function toCsv(X: Float64Array, y: ArrayLike<number>, n: number, d: number, eol = '\n'): string {
  const head = [...Array.from({ length: d }, (_, j) => `x${j + 1}`), 'label'].join(',');
  // −0 as '-0' (String(−0) is '0'), so it too reads back bit for bit.
  const str = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
  const rows = Array.from({ length: n }, (_, i) =>
    [...X.subarray(i * d, (i + 1) * d), y[i]!].map(str).join(','),
  );
  return [head, ...rows].join(eol) + eol;
}

/** Writes X, y in svmlight format, leaving zeros out. */
function toLibsvm(X: Float64Array, y: ArrayLike<number>, n: number, d: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts = [String(y[i])];
    for (let j = 0; j < d; j++) if (X[i * d + j] !== 0) parts.push(`${j + 1}:${X[i * d + j]}`);
    lines.push(parts.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

const finite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -5, max: 5 }),
  fc.constant(0),
);

describe('readCsv and readLibsvm: round trips', () => {
  it('readCsv(toCsv(X, y)) and readLibsvm(toLibsvm(X, y)) give X and y back bit for bit (property, any finite doubles, −0 read as written)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.infiniteStream(finite),
        fc.infiniteStream(fc.constantFrom(-1, 1)),
        (n, d, values, labels) => {
          const X = Float64Array.from(values.take(n * d));
          const y = Array.from(labels.take(n));
          const a = readCsv(toCsv(X, y, n, d));
          expect(a.n).toBe(n);
          expect(a.d).toBe(d);
          expectSameBits(a.X, X);
          expect(Array.from(a.y)).toEqual(y);
          // zeros (and −0) are left out of the svmlight text, so they read as +0; give d so trailing zero
          // columns stay
          const b = readLibsvm(toLibsvm(X, y, n, d), { d });
          expectSameBits(
            b.X,
            X.map((v) => (v === 0 ? 0 : v)),
          );
          expect(Array.from(b.y)).toEqual(y);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('CRLF, a lone CR, a byte-order mark, blank lines and # comments (whole lines, end of line, at the end of the file) read like the plain file', () => {
    const plain = 'a,b,y\n1,2,1\n3,4,-1\n';
    const expected = readCsv(plain);
    for (const text of [
      'a,b,y\r\n1,2,1\r\n3,4,-1\r\n',
      'a,b,y\r1,2,1\r3,4,-1',
      '\uFEFFa,b,y\n1,2,1\n3,4,-1\n',
      '# a comment\n\na,b,y\n1,2,1   # first\n\n  \n3,4,-1\n# trailing comment\n# another\n',
      ' a , b , y \n 1 , 2 , 1 \n3,4,-1',
      '"a","b","y"\n"1",2,"1"\n3,"4",-1\n',
    ]) {
      const got = readCsv(text);
      expectSameBits(got.X, expected.X);
      expect(Array.from(got.y)).toEqual(Array.from(expected.y));
    }
    const lib = readLibsvm('\uFEFF# header comment\r\n+1 1:1 2:2\r\n\r\n-1 1:3 2:4 # end\r\n# trailing\r\n');
    expectSameBits(lib.X, expected.X);
    expect(Array.from(lib.y)).toEqual([1, -1]);
  });

  it('readCsv options: label by name or index, positive, classes, ignore, delimiter, header: false, quoted fields with the delimiter inside', () => {
    const text = 'id;"size, cm";colour;kind\n7;1.5;2;cat\n8;-1;0.5;dog\n9;3;1;bird\n';
    const a = readCsv(text, { delimiter: ';', label: 'kind', positive: 'cat', ignore: ['id'] });
    expect(Array.from(a.X)).toEqual([1.5, 2, -1, 0.5, 3, 1]);
    expect(Array.from(a.y)).toEqual([1, -1, -1]);
    const b = readCsv(text, { delimiter: ';', label: 3, classes: ['dog', 'cat', 'bird'], ignore: [0] });
    expect(Array.from(b.labels)).toEqual([1, 0, 2]);
    expect(b.k).toBe(3);
    const c = readCsv('1,0,5\n0,1,6\n', { header: false, label: 0, positive: 1 });
    expect(Array.from(c.y)).toEqual([1, -1]);
    expect(Array.from(c.X)).toEqual([0, 5, 1, 6]);
    // labels compared as numbers too: positive '1' matches '1.0'
    expect(Array.from(readCsv('x,y\n2,1.0\n3,0\n', { positive: '1' }).y)).toEqual([1, -1]);
    const lib = readLibsvm('2 qid:3 1:1\n0 2:1\n1 1:2 2:2\n', { classes: [0, 1, 2] });
    expect(Array.from(lib.labels)).toEqual([2, 0, 1]);
    expect(Array.from(readLibsvm('1 1:1\n0 1:2\n', { positive: 1 }).y)).toEqual([1, -1]);
  });
});

describe('readCsv and readLibsvm: hostile files', () => {
  it('readCsv: INVALID_INPUT naming readCsv, text, the line and the column', () => {
    const cases: [string, string][] = [
      ['', 'readCsv: text is empty'],
      ['\n\n# only comments\n\r\n', 'readCsv: text is empty'],
      ['\uFEFF', 'is empty'],
      ['a,b,y\n', 'has a header but no data rows'],
      ['a,b,y\n1,2,1\n3,4\n', 'at line 3, column 3: has 2 fields, expected 3'],
      ['a,b,y\n1,2,1\n3,4,1,9\n', 'at line 3, column 4: has 4 fields, expected 3'],
      ['a,b,y\n1,abc,1\n', 'at line 2, column 2: the value ("b") "abc" is not a finite number'],
      ['a,b,y\n1,NaN,1\n', 'at line 2, column 2: the value ("b") "NaN" is not a finite number'],
      ['a,b,y\n1,1e400,1\n', '"1e400" is not a finite number'],
      ['a,b,y\n1,Infinity,1\n', '"Infinity" is not a finite number'],
      ['a,b,y\n1,0x10,1\n', '"0x10" is not a finite number'],
      ['a,b,y\n1,,1\n', 'at line 2, column 2: the value ("b") is empty'],
      ['a,b,y\r\n1,2,1\r\n1,2,0\r\n', 'at line 3, column 3: label "0" is not -1 or 1; pass positive'],
      ['a,b,y\n1,"2,1\n', 'at line 2, column 2: a quoted field is not closed'],
      ['a,a,y\n1,2,1\n', 'at line 1, column 2: the header names column "a" twice'],
      ['\uFEFF# c\r\na,b,y\r\n1,2,1\r\nx,2,1 # bad\r\n', 'at line 4, column 1: the value ("a") "x"'],
    ];
    for (const [text, message] of cases)
      expect(() => readCsv(text), JSON.stringify(text)).toThrow(invalid(message));
    expect(() => readCsv('a,y\n1,dog\n', { classes: ['cat', 'bird'] })).toThrow(
      invalid('at line 2, column 2: label "dog" is not one of classes ["cat","bird"]'),
    );
  });

  it('readCsv: bad options by name', () => {
    const text = 'a,b,y\n1,2,1\n';
    expect(() => readCsv(text, { label: 'z' })).toThrow(
      invalid('readCsv: label "z" is not a column of the header ["a","b","y"]'),
    );
    expect(() => readCsv(text, { label: 3 })).toThrow(
      invalid('readCsv: label must be a column index in [0, 3)'),
    );
    expect(() => readCsv(text, { positive: '1', classes: ['1', '2'] })).toThrow(invalid('readCsv: positive'));
    expect(() => readCsv(text, { classes: ['1'] })).toThrow(invalid('readCsv: classes'));
    expect(() => readCsv(text, { classes: ['1', '1.0'] })).toThrow(invalid('must be distinct'));
    expect(() => readCsv(text, { delimiter: ';;' })).toThrow(invalid('readCsv: delimiter'));
    expect(() => readCsv(text, { header: false, label: 'y' })).toThrow(invalid('header is false'));
    expect(() => readCsv(text, { ignore: ['y'] })).toThrow(invalid('must not name the label column'));
    expect(() => readCsv(text, { ignore: ['a', 'b'] })).toThrow(invalid('has no feature columns'));
    expect(() => readCsv(text, { labels: 'y' } as unknown as { label: string })).toThrow(invalid('labels'));
    expect(() => readCsv(42 as unknown as string)).toThrow(invalid('readCsv: text must be a string'));
  });

  it('readLibsvm: INVALID_INPUT naming readLibsvm, text, the line and the column (character position)', () => {
    const cases: [string, string][] = [
      ['', 'readLibsvm: text is empty'],
      ['\r\n# nothing\n\n', 'is empty'],
      ['+1\n-1\n', 'has no features'],
      ['abc 1:2\n', 'at line 1, column 1: label "abc" is not -1 or 1'],
      ['+1 1:2\n0 1:1\n', 'at line 2, column 1: label "0" is not -1 or 1; pass positive'],
      ['+1 1:2 3\n', 'at line 1, column 8: expected index:value, got "3"'],
      ['+1 0:2\n', 'at line 1, column 4: the index 0 is not allowed: indices are 1-based'],
      ['+1 1.5:2\n', 'at line 1, column 4: the index "1.5" is not a positive integer'],
      ['+1 -3:2\n', 'the index "-3" is not a positive integer'],
      [
        '+1 1:2\n-1 2:1 99999999999:1\n',
        'at line 2, column 8: the index 99999999999 is larger than 16777216',
      ],
      ['+1 3:1 2:1\n', 'at line 1, column 8: the index 2 does not increase (after 3)'],
      ['+1 2:1 2:1\n', 'the index 2 does not increase'],
      ['+1 1:x\n', 'at line 1, column 6: the value "x" of index 1 is not a finite number'],
      ['+1 1:\n', 'the value "" of index 1'],
      ['+1 1:1e999\n', 'the value "1e999" of index 1'],
      ['\uFEFF+1 1:1\r\n-1 2:NaN # c\r\n', 'at line 2, column 6: the value "NaN"'],
      [`${'+1 16777216:1\n'.repeat(5)}`, 'would need a dense X of n·d = 5·16777216 entries'],
    ];
    for (const [text, message] of cases) {
      expect(() => readLibsvm(text), JSON.stringify(text)).toThrow(invalid(message));
    }
    expect(() => readLibsvm('+1 3:1\n', { d: 2 })).toThrow(
      invalid('readLibsvm: d must be at least the largest index'),
    );
    expect(() => readLibsvm('+1 1:1\n', { d: 0 })).toThrow(invalid('readLibsvm: d'));
    expect(readLibsvm('+1\n-1 2:1\n', { d: 3 }).d).toBe(3);
  });
});

describe('readCsvFile and readLibsvmFile (implicit-bias/node)', () => {
  const makeDir = tempDirs('implicit-bias-readers-');
  it('read a file as the string functions read its text, and name the file in errors', async () => {
    const dir = await makeDir();
    const csvPath = join(dir, 'data.csv');
    writeFileSync(csvPath, 'a,b,y\r\n1,2,1\r\n3,oops,-1\r\n');
    expect(() => readCsvFile(csvPath)).toThrow(invalid(`readCsvFile: ${csvPath} at line 3, column 2`));
    const libPath = join(dir, 'data.svm');
    writeFileSync(libPath, '+1 1:1 2:2\n-1 2:4\n');
    const lib = readLibsvmFile(libPath);
    expect(Array.from(lib.X)).toEqual([1, 2, 0, 4]);
    expect(() => readLibsvmFile(join(dir, 'missing.svm'))).toThrow(invalid('readLibsvmFile: path'));
    expect(() => readCsvFile('' as string)).toThrow(invalid('readCsvFile: path must be a file path'));
    const wine = readCsvFile(WINE_FILE, { label: 'class', classes: ['0', '1', '2'] });
    const fromText = readCsv(readFileSync(WINE_FILE, 'utf8'), { label: 'class', classes: ['0', '1', '2'] });
    expectSameBits(wine.X, fromText.X);
    expect(Array.from(wine.labels)).toEqual(Array.from(fromText.labels));
  });
});

describe('the shipped wine data', () => {
  it('the embedded text is the file src/datasets/data/wine.csv', () => {
    expect(WINE_CSV).toBe(readFileSync(WINE_FILE, 'utf8'));
  });

  it('has the shape and statistics of the UCI description: 178 × 13, classes 59/71/48, column means, minima and maxima as tabulated there', () => {
    const data = readCsv(WINE_CSV, { label: 'class', classes: ['0', '1', '2'] });
    expect([data.n, data.d, data.k]).toEqual([178, 13, 3]);
    const counts = [0, 0, 0];
    for (const l of data.labels) counts[l]!++;
    expect(counts).toEqual([59, 71, 48]);
    // The summary table of the data set's description (scikit-learn's wine_data.rst, from UCI): min, max, mean, SD.
    // Each row: column, min, max, mean, SD as printed, and half a unit of the printed last digit.
    const table: [number, number, number, number, number, number][] = [
      [0, 11.0, 14.8, 13.0, 0.8, 0.05], // alcohol
      [1, 0.74, 5.8, 2.34, 1.12, 0.005], // malic acid
      [4, 70.0, 162.0, 99.7, 14.3, 0.05], // magnesium
      [6, 0.34, 5.08, 2.03, 1.0, 0.005], // flavanoids
      [12, 278, 1680, 746, 315, 1], // proline (the mean 746.89 is printed as 746: truncated, not rounded)
    ];
    for (const [j, min, max, mean, sd, half] of table) {
      const col = Array.from({ length: 178 }, (_, i) => data.X[i * 13 + j]!);
      const m = col.reduce((a, b) => a + b, 0) / 178;
      const s = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 177);
      expect(Math.abs(Math.min(...col) - min)).toBeLessThanOrEqual(half);
      expect(Math.abs(Math.max(...col) - max)).toBeLessThanOrEqual(half);
      expect(Math.abs(m - mean)).toBeLessThanOrEqual(half);
      expect(Math.abs(s - sd)).toBeLessThanOrEqual(Math.max(half, 0.05));
    }
  });

  it('datasets.wine() is cultivar 0 against the rest, standardized (column means 0, standard deviations 1), and separable through the origin', () => {
    const data = datasets.wine();
    expect([data.n, data.d]).toEqual([178, 13]);
    expect(Array.from(data.y).filter((y) => y > 0).length).toBe(59);
    for (let j = 0; j < 13; j++) {
      const col = Array.from({ length: 178 }, (_, i) => data.X[i * 13 + j]!);
      const m = col.reduce((a, b) => a + b, 0) / 178;
      const s = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 178);
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(s).toBeCloseTo(1, 12);
    }
    expect(hardMarginSVM(data).gamma).toBeGreaterThan(0.1);
    const raw = datasets.wine({ positive: 2, standardize: false });
    expect(raw.X[12]).toBe(1065);
    expect(Array.from(raw.y).filter((y) => y > 0).length).toBe(48);
    expect(() => datasets.wine({ positive: 3 as 0 })).toThrow(invalid('datasets.wine: positive'));
  });

  it('standardize(data) centres and scales each column, leaves constant columns centred, keeps labels and fields', () => {
    const data = standardize(readCsv('a,b,y\n1,5,1\n3,5,-1\n5,5,1\n'));
    expect(Array.from(data.X).map((v) => Number(v.toFixed(12)))).toEqual(
      [-Math.sqrt(1.5), 0, 0, 0, Math.sqrt(1.5), 0].map((v) => Number(v.toFixed(12))),
    );
    expect(Array.from(data.y)).toEqual([1, -1, 1]);
    expect(Object.isFrozen(data)).toBe(true);
    expect(() => standardize({ X: [1] } as unknown as { X: Float64Array; n: number; d: number })).toThrow(
      invalid('standardize: data'),
    );
  });
});
