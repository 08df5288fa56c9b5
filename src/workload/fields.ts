import { InputError } from "./errors.ts";

/** Where a field was read from, to name it in an error. */
export interface FieldSite {
  file?: string;
  line: number;
  column: string;
}

/**
 * The largest resource amount, in its unit, that a file may give (a request, a node's capacity, the
 * cluster's total of a resource). Amounts are held as integer micro-units (model/resources.ts),
 * exact up to 2⁵³ ≈ 9.007·10¹⁵, i.e. 9.007·10⁹ of a unit: beyond it adding and freeing would drift.
 */
export const MAX_AMOUNT = 9e9;
/**
 * The largest time, in seconds, that a file may give (an arrival, a duration, a startup, a failure
 * time; 317 years). A float64 time keeps microsecond steps up to about 10¹⁰ s: beyond it a short
 * duration would vanish into its arrival, and a larger one still would overflow to Infinity.
 */
export const MAX_TIME = 1e10;

/** The slowest node speed accepted: a duration (≤ MAX_TIME) over it stays finite. */
export const MIN_SPEED = 1e-6;

/** x when it is at most MAX_AMOUNT, or an InputError naming the site. */
export function boundedAmount(x: number, site: FieldSite, text?: string): number {
  if (x > MAX_AMOUNT) throw new InputError(`above ${MAX_AMOUNT}, the largest amount held exactly (amounts are kept as integer millionths of their unit)`, site.file, site.line, site.column, text ?? String(x));
  return x;
}

/** x when it is within ±MAX_TIME, or an InputError naming the site. */
export function boundedTime(x: number, site: FieldSite, text?: string): number {
  if (x > MAX_TIME || x < -MAX_TIME) throw new InputError(`${x < 0 ? "below -" : "above "}${MAX_TIME} s (317 years), beyond which times lose their microseconds (are these milliseconds or microseconds?)`, site.file, site.line, site.column, text ?? String(x));
  return x;
}

/** A finite number, or an InputError naming the site. Empty, NaN, Infinity and junk are refused. */
export function parseNumber(text: string | undefined, site: FieldSite): number {
  const s = (text ?? "").trim();
  if (s === "") throw new InputError("a number is required here, the field is empty", site.file, site.line, site.column);
  const x = Number(s);
  if (!Number.isFinite(x) || isRadixLiteral(s)) throw new InputError("not a finite decimal number", site.file, site.line, site.column, s);
  return x;
}

/** A finite number ≥ 0. */
export function parseNonNegative(text: string | undefined, site: FieldSite): number {
  const x = parseNumber(text, site);
  if (x < 0) throw new InputError("must not be negative", site.file, site.line, site.column, String(text).trim());
  return x;
}

/** An integer (for priorities and counts). */
export function parseInteger(text: string | undefined, site: FieldSite): number {
  const x = parseNumber(text, site);
  if (!Number.isInteger(x)) throw new InputError("must be an integer", site.file, site.line, site.column, String(text).trim());
  return x;
}

/** `0x10`, `0o7`, `0b1`: Number() reads them, a CSV of amounts and times never means them. */
function isRadixLiteral(s: string): boolean {
  if (s.length < 3 || s.charCodeAt(0) !== 48) return false;
  const c = s.charCodeAt(1) | 32;
  return c === 120 || c === 111 || c === 98; // x, o, b
}

/**
 * True when the text starts with 1-9, so that it cannot be a radix literal (`0x10`) even after
 * leading blanks, which Number() skips (" 0x10" is 16). Everything else takes the careful path.
 */
function startsWithNonZeroDigit(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 49 && c <= 57;
}

/**
 * parseNonNegative for the hot path of large workloads: a plain positive decimal is accepted at
 * once; anything else (0, empty, junk, negative) takes the careful path, which names the site.
 */
export function readNonNegative(text: string | undefined, file: string | undefined, line: number, column: string): number {
  const x = Number(text);
  if (x > 0 && x < Infinity && startsWithNonZeroDigit(text!)) return x;
  return parseNonNegative(text, { file, line, column });
}

/** parseNumber for the hot path: a plain non-zero finite decimal at once, else the careful path. */
export function readNumber(text: string | undefined, file: string | undefined, line: number, column: string): number {
  const x = Number(text);
  if (x !== 0 && x > -Infinity && x < Infinity && startsWithNonZeroDigit(text!)) return x;
  return parseNumber(text, { file, line, column });
}
