/**
 * What the text loaders (`readCsv`, `readLibsvm`) share: lines with their numbers, strict numbers, the label
 * mapping (to ±1 or to classes 0 … k − 1) and the errors that name a line and a column. Internal.
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, checkObject, isArrayOrTypedArray, show } from '../util/validate.js';
import { dataset } from './dataset.js';
import { type MulticlassDataset, multiclassDataset } from './multiclassDataset.js';
import type { Dataset } from './types.js';

/** Where a loader's messages point: its function and what it read ('text', or a file's path). */
export interface Source {
  readonly fn: string;
  readonly option: string;
}

/** An INVALID_INPUT error at line `line` (1-based) and column `column` (1-based) of the source. */
export function failAt(src: Source, line: number, column: number, what: string): never {
  throw new InvalidInputError(src.fn, src.option, `at line ${line}, column ${column}: ${what}`);
}

/** An INVALID_INPUT error about the source as a whole. */
export function failWhole(src: Source, what: string): never {
  throw new InvalidInputError(src.fn, src.option, what);
}

/**
 * The lines of `text` with their 1-based numbers: a leading byte-order mark removed, split at CRLF, LF or a
 * lone CR.
 */
export function textLines(src: Source, text: unknown): string[] {
  if (typeof text !== 'string') failWhole(src, `must be a string, got ${show(text)}`);
  const t = (text as string).charCodeAt(0) === 0xfeff ? (text as string).slice(1) : (text as string);
  return t.split(/\r\n|\n|\r/);
}

/** Decimal numbers as data files write them: sign, digits, optional fraction and exponent (no hex, no 'NaN'). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `s` as a finite number, or null when it is not one (empty, 'abc', 'NaN', 'Infinity', '1e400'). */
export function strictNumber(s: string): number | null {
  if (!NUMBER.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** Two label values are the same class when they are the same string or the same number ('1' and '1.0'). */
function sameLabel(a: string, b: string): boolean {
  if (a === b) return true;
  const x = strictNumber(a);
  const y = strictNumber(b);
  return x !== null && y !== null && x === y;
}

/** How labels become targets: ±1 (`positive`, or labels already ±1) or classes 0 … k − 1 (`classes`). */
export type LabelMap =
  | { readonly kind: 'pm1' }
  | { readonly kind: 'positive'; readonly positive: string }
  | { readonly kind: 'classes'; readonly classes: readonly string[] };

/** The `positive` and `classes` options of a loader (at most one). */
export function checkLabelMap(fn: string, positive: unknown, classes: unknown): LabelMap {
  if (positive !== undefined && classes !== undefined) {
    throw new InvalidInputError(
      fn,
      'positive',
      'and classes cannot both be given: positive maps labels to ±1, classes to 0 … k − 1',
    );
  }
  if (positive !== undefined) {
    if (typeof positive !== 'string' && !(typeof positive === 'number' && Number.isFinite(positive))) {
      throw new InvalidInputError(
        fn,
        'positive',
        `must be a label value (a string or number), got ${show(positive)}`,
      );
    }
    return { kind: 'positive', positive: String(positive).trim() };
  }
  if (classes !== undefined) {
    if (!isArrayOrTypedArray(classes) || (classes as ArrayLike<unknown>).length < 2) {
      throw new InvalidInputError(
        fn,
        'classes',
        `must be an array of at least 2 label values, got ${show(classes)}`,
      );
    }
    const list = Array.from(classes as ArrayLike<unknown>, (c, k) => {
      if (typeof c !== 'string' && !(typeof c === 'number' && Number.isFinite(c))) {
        throw new InvalidInputError(
          fn,
          `classes[${k}]`,
          `must be a label value (a string or number), got ${show(c)}`,
        );
      }
      return String(c).trim();
    });
    for (let a = 0; a < list.length; a++) {
      for (let b = 0; b < a; b++) {
        if (sameLabel(list[a]!, list[b]!)) {
          throw new InvalidInputError(fn, 'classes', `must be distinct, got ${show(list[b])} twice`);
        }
      }
    }
    return { kind: 'classes', classes: list };
  }
  return { kind: 'pm1' };
}

/**
 * The target of label value `value` under `map` (±1, or a class index), or an error at (line, column)
 * saying how to map it.
 */
export function labelTarget(src: Source, map: LabelMap, value: string, line: number, column: number): number {
  if (map.kind === 'positive') return sameLabel(value, map.positive) ? 1 : -1;
  if (map.kind === 'classes') {
    const k = map.classes.findIndex((c) => sameLabel(value, c));
    if (k < 0) {
      failAt(src, line, column, `label ${show(value)} is not one of classes ${JSON.stringify(map.classes)}`);
    }
    return k;
  }
  const v = strictNumber(value);
  if (v !== 1 && v !== -1) {
    failAt(
      src,
      line,
      column,
      `label ${show(value)} is not -1 or 1; pass positive (e.g. positive: ${show(value)}: that value → +1, every other → −1) or classes (labels → 0 … k − 1)`,
    );
  }
  return v as number;
}

/** The options object of a loader with its known keys. */
export function loaderOptions(
  fn: string,
  options: unknown,
  keys: readonly string[],
): Record<string, unknown> {
  const o = checkObject(fn, 'options', options);
  checkKnownKeys(fn, o, keys);
  return o;
}

/** The dataset of rows X (n × d, row-major) and targets: a `Dataset` (±1) or, with classes, a `MulticlassDataset`. */
export function labelledDataset(
  map: LabelMap,
  X: Float64Array,
  targets: Float64Array,
  d: number,
): Dataset | MulticlassDataset {
  if (map.kind === 'classes') return multiclassDataset(X, targets, map.classes.length, d);
  return dataset(X, targets, d);
}
