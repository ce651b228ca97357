import { InvalidInputError } from '../errors/index.js';
import { checkNumber, show } from '../util/validate.js';
import type { MulticlassDataset } from './multiclassDataset.js';
import {
  checkLabelMap,
  failAt,
  failWhole,
  labelledDataset,
  labelTarget,
  loaderOptions,
  type Source,
  strictNumber,
  textLines,
} from './textData.js';
import type { Dataset } from './types.js';

/** Options of {@link readLibsvm}. */
export interface ReadLibsvmOptions {
  /** The label value that maps to +1 (e.g. 1 for 0/1 labels); every other maps to −1. Default: labels are ±1. */
  positive?: string | number;
  /** For a multi-class set: the label values in class order (class j is `classes[j]`). */
  classes?: readonly (string | number)[];
  /** The number of features d (default: the largest index in the file); must be at least that index. */
  d?: number;
}

const FN = 'readLibsvm';
const KEYS = ['positive', 'classes', 'd'];

/** The largest feature index accepted: X is dense, so an index is a column. */
export const LIBSVM_MAX_INDEX = 2 ** 24;
/** The largest n·d accepted (2²⁶ doubles, 512 MiB). */
export const LIBSVM_MAX_ENTRIES = 2 ** 26;

/** The whitespace-separated tokens of `line` (up to a '#') with their 1-based columns. */
function tokens(line: string): { text: string; column: number }[] {
  const out: { text: string; column: number }[] = [];
  const re = /[^\s#]+|#/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    if (m[0] === '#') break;
    out.push({ text: m[0], column: m.index + 1 });
  }
  return out;
}

/** {@link readLibsvm} with the function and source its messages name (used by `readLibsvmFile` too). @internal */
export function parseLibsvm(
  src: Source,
  text: unknown,
  options: ReadLibsvmOptions | undefined,
): Dataset | MulticlassDataset {
  const fn = src.fn;
  const o = loaderOptions(fn, options, KEYS);
  const map = checkLabelMap(fn, o.positive, o.classes);
  const dOption =
    o.d === undefined
      ? undefined
      : checkNumber(fn, 'd', o.d, { integer: true, min: 1, max: LIBSVM_MAX_INDEX });
  const lines = textLines(src, text);
  const rows: { line: number; idx: number[]; val: number[] }[] = [];
  const targets: number[] = [];
  let maxIndex = 0;
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const toks = tokens(lines[li]!);
    if (toks.length === 0) continue;
    const [label, ...rest] = toks;
    targets.push(labelTarget(src, map, label!.text, lineNo, label!.column));
    const idx: number[] = [];
    const val: number[] = [];
    let prev = 0;
    for (const [k, tok] of rest.entries()) {
      const colon = tok.text.indexOf(':');
      if (colon < 0) failAt(src, lineNo, tok.column, `expected index:value, got ${show(tok.text)}`);
      const key = tok.text.slice(0, colon);
      const value = tok.text.slice(colon + 1);
      if (k === 0 && key === 'qid') continue; // svmlight's query id: not a feature
      if (!/^\d+$/.test(key)) {
        failAt(
          src,
          lineNo,
          tok.column,
          `the index ${show(key)} is not a positive integer (indices are 1-based)`,
        );
      }
      const j = Number(key);
      if (j === 0) failAt(src, lineNo, tok.column, 'the index 0 is not allowed: indices are 1-based');
      if (j > LIBSVM_MAX_INDEX) {
        failAt(
          src,
          lineNo,
          tok.column,
          `the index ${key} is larger than ${LIBSVM_MAX_INDEX}, the largest readLibsvm accepts (it builds a dense X)`,
        );
      }
      if (j <= prev) {
        failAt(
          src,
          lineNo,
          tok.column,
          `the index ${j} does not increase (after ${prev}): indices must be in increasing order`,
        );
      }
      const v = strictNumber(value);
      if (v === null) {
        failAt(
          src,
          lineNo,
          tok.column + colon + 1,
          `the value ${show(value)} of index ${j} is not a finite number`,
        );
      }
      prev = j;
      idx.push(j - 1);
      val.push(v as number);
    }
    if (prev > maxIndex) maxIndex = prev;
    rows.push({ line: lineNo, idx, val });
  }
  if (rows.length === 0) failWhole(src, 'is empty: no data rows');
  let d = maxIndex;
  if (dOption !== undefined) {
    if (dOption < maxIndex) {
      throw new InvalidInputError(
        fn,
        'd',
        `must be at least the largest index in the data, ${maxIndex}, got ${dOption}`,
      );
    }
    d = dOption;
  }
  if (d === 0) failWhole(src, 'has no features (every row is a label only); give d to read it anyway');
  const n = rows.length;
  if (n * d > LIBSVM_MAX_ENTRIES) {
    failWhole(
      src,
      `would need a dense X of n·d = ${n}·${d} entries, more than ${LIBSVM_MAX_ENTRIES} (readLibsvm builds a dense X)`,
    );
  }
  const X = new Float64Array(n * d);
  rows.forEach((row, i) => {
    for (let k = 0; k < row.idx.length; k++) X[i * d + row.idx[k]!] = row.val[k]!;
  });
  return labelledDataset(map, X, Float64Array.from(targets), d);
}

/**
 * Reads a data set in the svmlight / LIBSVM format (browser-safe: a string in; in Node, `readLibsvmFile` from
 * `implicit-bias/node` reads a file): one row per line, `<label> <index>:<value> …` with 1-based, strictly
 * increasing indices; features not listed are 0. A leading byte-order mark, CRLF / LF / CR line ends, blank
 * lines, `#` comments (whole lines or the rest of a line) and a `qid:<id>` token after the label (ignored) are
 * accepted. X is dense: d = the largest index (or `d`), at most 2²⁴, and n·d at most 2²⁶.
 *
 * Labels are mapped explicitly, as in `readCsv`: with `positive` (e.g. 1 for 0/1 labels) that value gives +1 and
 * every other −1; with `classes` a `MulticlassDataset` with labels 0 … k − 1; with neither the labels must be −1
 * and 1 (as '+1', '1', '-1', '1.0', …).
 *
 * @returns a `Dataset` (frozen; X row-major n × d), or a `MulticlassDataset` with `classes`.
 * @throws InvalidInputError (`INVALID_INPUT`) naming `readLibsvm`, `text` and the line and column (the 1-based
 * character position) of the first problem: an empty file, a token that is not index:value, an index that is 0,
 * not an integer, too large or not increasing, a value that is not a finite number, a label without a mapping;
 * and bad options by name.
 * @example
 * ```ts
 * const data = readLibsvm('+1 1:0.5 3:2\n-1 2:1.5 # a comment\n'); // n = 2, d = 3
 * // X = [0.5, 0, 2,  0, 1.5, 0], y = [1, -1]
 * ```
 */
export function readLibsvm(
  text: string,
  options: ReadLibsvmOptions & { classes: readonly (string | number)[] },
): MulticlassDataset;
export function readLibsvm(text: string, options?: ReadLibsvmOptions): Dataset;
export function readLibsvm(text: string, options?: ReadLibsvmOptions): Dataset | MulticlassDataset {
  return parseLibsvm({ fn: FN, option: 'text' }, text, options);
}
