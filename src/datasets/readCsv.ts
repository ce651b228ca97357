import { InvalidInputError } from '../errors/index.js';
import { isArrayOrTypedArray, show } from '../util/validate.js';
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

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** The label column: its name in the header, or its 0-based index (default: the last column). */
  label?: string | number;
  /**
   * The label value that maps to +1 (compared as written, or as a number: '1' and '1.0' match); every other
   * value maps to −1. Without `positive` or `classes` the labels must already be −1 and 1.
   */
  positive?: string | number;
  /** For a multi-class set instead: the label values in class order (class j is `classes[j]`); others are errors. */
  classes?: readonly (string | number)[];
  /** Whether the first line that is not blank or a comment is a header of column names (default true). */
  header?: boolean;
  /** The field separator, one character (default ','); e.g. ';' or '\t'. */
  delimiter?: string;
  /** Columns to leave out (names or 0-based indices), e.g. an id column. */
  ignore?: readonly (string | number)[];
}

const FN = 'readCsv';
const KEYS = ['label', 'positive', 'classes', 'header', 'delimiter', 'ignore'];

/**
 * The fields of one line (quoted fields as in RFC 4180: "a, b" is one field, "" inside quotes is a quote),
 * each trimmed; a '#' outside quotes starts a comment that runs to the end of the line. Returns null for a line
 * that is blank or only a comment.
 */
function fields(src: Source, line: string, lineNo: number, delimiter: string): string[] | null {
  const out: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let k = 0;
  for (; k < line.length; k++) {
    const ch = line[k]!;
    if (inQuotes) {
      if (ch === '"') {
        if (line[k + 1] === '"') {
          field += '"';
          k++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      inQuotes = true;
      quotedField = true;
      field = '';
    } else if (ch === delimiter) {
      out.push(quotedField ? field : field.trim());
      field = '';
      quotedField = false;
    } else if (ch === '#') {
      break;
    } else field += ch;
  }
  if (inQuotes) failAt(src, lineNo, out.length + 1, 'a quoted field is not closed on its line');
  const last = quotedField ? field : field.trim();
  if (out.length === 0 && last === '' && !quotedField) return null;
  out.push(last);
  return out;
}

/** The 0-based index of column `ref` (a name in `names` or an index below `count`), or an error naming `option`. */
function columnIndex(ref: unknown, names: readonly string[] | null, count: number, option: string): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= count) {
      throw new InvalidInputError(FN, option, `must be a column index in [0, ${count}), got ${show(ref)}`);
    }
    return ref;
  }
  if (typeof ref === 'string') {
    if (names === null) {
      throw new InvalidInputError(
        FN,
        option,
        `is a column name (${show(ref)}) but header is false: give a 0-based index`,
      );
    }
    const k = names.indexOf(ref);
    if (k < 0)
      throw new InvalidInputError(
        FN,
        option,
        `${show(ref)} is not a column of the header ${JSON.stringify(names)}`,
      );
    return k;
  }
  throw new InvalidInputError(FN, option, `must be a column name or a 0-based index, got ${show(ref)}`);
}

/** {@link readCsv} with the function and source its messages name (used by `readCsvFile` too). @internal */
export function parseCsv(
  src: Source,
  text: unknown,
  options: ReadCsvOptions | undefined,
): Dataset | MulticlassDataset {
  const fn = src.fn;
  const o = loaderOptions(fn, options, KEYS);
  const map = checkLabelMap(fn, o.positive, o.classes);
  if (o.header !== undefined && typeof o.header !== 'boolean') {
    throw new InvalidInputError(fn, 'header', `must be a boolean, got ${show(o.header)}`);
  }
  const header = o.header !== false;
  const delimiter = o.delimiter === undefined ? ',' : o.delimiter;
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '#') {
    throw new InvalidInputError(
      fn,
      'delimiter',
      `must be one character other than '"' and '#', got ${show(delimiter)}`,
    );
  }
  if (o.ignore !== undefined && !isArrayOrTypedArray(o.ignore)) {
    throw new InvalidInputError(
      fn,
      'ignore',
      `must be an array of column names or indices, got ${show(o.ignore)}`,
    );
  }
  const lines = textLines(src, text);
  let names: string[] | null = null;
  let width = -1;
  let labelCol = -1;
  let keep: number[] = [];
  const X: number[] = [];
  const targets: number[] = [];
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const row = fields(src, lines[li]!, lineNo, delimiter);
    if (row === null) continue;
    if (width < 0) {
      // The first row fixes the width, the names and the columns read.
      width = row.length;
      if (header) {
        names = row;
        const seen = new Map<string, number>();
        row.forEach((name, k) => {
          const prev = seen.get(name);
          if (prev !== undefined) {
            failAt(
              src,
              lineNo,
              k + 1,
              `the header names column ${show(name)} twice (columns ${prev + 1} and ${k + 1})`,
            );
          }
          seen.set(name, k);
        });
      }
      labelCol = o.label === undefined ? width - 1 : columnIndex(o.label, names, width, 'label');
      const ignored = new Set(
        Array.from((o.ignore ?? []) as ArrayLike<unknown>, (ref, k) =>
          columnIndex(ref, names, width, `ignore[${k}]`),
        ),
      );
      if (ignored.has(labelCol)) throw new InvalidInputError(fn, 'ignore', 'must not name the label column');
      keep = [];
      for (let k = 0; k < width; k++) if (k !== labelCol && !ignored.has(k)) keep.push(k);
      if (keep.length === 0)
        failWhole(src, 'has no feature columns besides the label (and the ignored ones)');
      if (header) continue;
    }
    if (row.length !== width) {
      failAt(
        src,
        lineNo,
        Math.min(row.length, width) + 1,
        `has ${row.length} fields, expected ${width} (as in line ${names === null ? 'one' : 'the header'})`,
      );
    }
    for (const k of keep) {
      const v = strictNumber(row[k]!);
      if (v === null) {
        const where = names === null ? '' : ` (${show(names[k])})`;
        const what = row[k] === '' ? 'is empty' : `${show(row[k])} is not a finite number`;
        failAt(src, lineNo, k + 1, `the value${where} ${what}`);
      }
      X.push(v as number);
    }
    targets.push(labelTarget(src, map, row[labelCol]!, lineNo, labelCol + 1));
  }
  if (width < 0) failWhole(src, 'is empty: no header and no data rows');
  if (targets.length === 0) failWhole(src, 'has a header but no data rows');
  return labelledDataset(map, Float64Array.from(X), Float64Array.from(targets), keep.length);
}

/**
 * Reads a data set from CSV text (browser-safe: a string in, no file access; in Node, `readCsvFile` from
 * `implicit-bias/node` reads a file). One row per line, fields separated by `delimiter` (','), quoted fields as in
 * RFC 4180; a leading byte-order mark, CRLF / LF / CR line ends, blank lines and `#` comments (whole lines or
 * the rest of a line) are accepted. The first such line is the header (unless `header: false`). The label is the
 * column `label` (default the last); every other column not in `ignore` is a feature, in file order, and must
 * hold a finite decimal number on every row.
 *
 * Labels are mapped explicitly: with `positive` the rows whose label is that value get +1 and all others −1;
 * with `classes` the result is a `MulticlassDataset` with labels 0 … k − 1 in the order given; with neither the
 * labels must already be −1 and 1.
 *
 * @returns a `Dataset` (frozen; X row-major n × d), or a `MulticlassDataset` with `classes`.
 * @throws InvalidInputError (`INVALID_INPUT`) naming `readCsv`, `text` and the line and column (the 1-based field
 * number) of the first problem: an empty file, a header without rows, a row with another number of fields
 * (ragged), a value that is empty or not a finite number ('abc', 'NaN', '1e400'), an unclosed quote, a label
 * outside `classes` or other than ±1 without a mapping; and bad options by name.
 * @example
 * ```ts
 * const text = 'x1,x2,y\n1.5,2,yes\n-1,0.5,no\n';
 * const data = readCsv(text, { label: 'y', positive: 'yes' }); // n = 2, d = 2, y = [1, -1]
 * ```
 */
export function readCsv(
  text: string,
  options: ReadCsvOptions & { classes: readonly (string | number)[] },
): MulticlassDataset;
export function readCsv(text: string, options?: ReadCsvOptions): Dataset;
export function readCsv(text: string, options?: ReadCsvOptions): Dataset | MulticlassDataset {
  return parseCsv({ fn: FN, option: 'text' }, text, options);
}
