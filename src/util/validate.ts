import { InvalidInputError } from '../errors/index.js';

/** A short, unambiguous rendering of a bad value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Number.POSITIVE_INFINITY) return 'Infinity';
    if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length}`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return String(value);
}

export interface NumberRule {
  /** Smallest allowed value (inclusive unless `exclusiveMin`). */
  min?: number;
  exclusiveMin?: boolean;
  /** Largest allowed value (inclusive unless `exclusiveMax`). */
  max?: number;
  exclusiveMax?: boolean;
  integer?: boolean;
}

function ruleText(rule: NumberRule): string {
  const bounds: string[] = [];
  if (rule.min !== undefined) bounds.push(`${rule.exclusiveMin ? '>' : '>='} ${rule.min}`);
  if (rule.max !== undefined) bounds.push(`${rule.exclusiveMax ? '<' : '<='} ${rule.max}`);
  const what = rule.integer ? 'an integer' : 'a finite number';
  return bounds.length === 0 ? what : `${what} ${bounds.join(' and ')}`;
}

/**
 * Throws `INVALID_INPUT` unless `value` is a finite number satisfying `rule`.
 * Message shape: `"gd: lr must be a finite number > 0, got -1"`.
 */
export function checkNumber(fn: string, option: string, value: unknown, rule: NumberRule = {}): number {
  const bad =
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (rule.integer === true && !Number.isInteger(value)) ||
    (rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min)) ||
    (rule.max !== undefined && (rule.exclusiveMax ? value >= rule.max : value > rule.max));
  if (bad) throw new InvalidInputError(fn, option, `must be ${ruleText(rule)}, got ${show(value)}`);
  return value as number;
}

/** Throws `INVALID_INPUT` unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  fn: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(
      fn,
      option,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`,
    );
  }
  return value as T;
}

/** Throws `INVALID_INPUT` unless `value` is a plain object (or undefined, when `optional`). */
export function checkObject(
  fn: string,
  option: string,
  value: unknown,
  optional = true,
): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(fn, option, `must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Throws `INVALID_INPUT` if `options` has keys outside `known` (catches typos such as `{ lR: 0.1 }`). */
export function checkKnownKeys(fn: string, options: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidInputError(fn, key, `is not a known option (known: ${known.join(', ')})`);
    }
  }
}

/** True for an array or a typed array (`Float64Array`, `Int32Array`, …), not a `DataView`. */
export function isArrayOrTypedArray(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Converts a numeric vector (number[] or any typed array) to a new Float64Array of the given length,
 * rejecting non-numbers, NaN and ±Infinity with an error naming the first bad index.
 */
export function toFiniteVector(fn: string, option: string, value: unknown, length?: number): Float64Array {
  if (!isArrayOrTypedArray(value)) {
    throw new InvalidInputError(fn, option, `must be an array or typed array of numbers, got ${show(value)}`);
  }
  const src = value as ArrayLike<unknown>;
  if (length !== undefined && src.length !== length) {
    throw new InvalidInputError(fn, option, `must have length ${length}, got length ${src.length}`);
  }
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw new InvalidInputError(fn, `${option}[${i}]`, `must be a number, got ${show(v)}`);
    }
    const x = Number(v);
    if (!Number.isFinite(x))
      throw new InvalidInputError(fn, `${option}[${i}]`, `must be finite, got ${show(x)}`);
    out[i] = x;
  }
  return out;
}

/**
 * Checks that `options` is a plain object (or undefined, read as `{}`) with only `known` keys and
 * returns it. Catches typos such as `{ lR: 0.1 }`.
 */
export function readOptions(fn: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  const record = checkObject(fn, 'options', options);
  checkKnownKeys(fn, record, known);
  return record;
}
