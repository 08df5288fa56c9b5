/**
 * The digits of a number in shortest round-trip form — the ones `String(x)` writes — computed with
 * float64 arithmetic only, without making a string: writing millions of cells through `String`
 * costs more than everything else the writers do.
 *
 * `String(x)` picks the fewest significant digits whose decimal reads back as x, and among those
 * the decimal closest to x (ECMAScript Number::toString). For x in [10^-6, 10^15):
 * - 15 digits or fewer: with d decimals putting x·10^d in [10^14, 10^15], k = round(x·10^d)
 *   reads back as x iff k / 10^d === x (an exact integer over an exact power of ten: one correctly
 *   rounded division, like the parse). 15 digits always survive a round trip through float64, so
 *   at most one decimal of ≤ 15 digits reads back as x, and if one does, `round` finds it (it is
 *   within a quarter of x·10^d).
 * - 16 digits: the decimal nearest x, k = x·10^(d+1) rounded exactly (the product's rounding
 *   error is recovered exactly with Dekker's two-product), and, when x is a power of two, its
 *   neighbours k ± 1 are tested the same way (k < 2^53, so still exact); the nearest one that
 *   reads back wins.
 * - 17 digits: the nearest 17-digit decimal always reads back as x (its spacing is below half an
 *   ulp), so it is the answer; it is x·10^(d+2) rounded exactly, assembled from two halves.
 * Whenever a rounding falls within 10^-6 of a tie, or a value leaves the ranges above, the caller
 * is told to use `String` itself.
 */

const SPLITTER = 134217729; // 2^27 + 1, for Veltkamp's split
const TWO53 = 2 ** 53;
/** 10^d for d = 0..22 (all exact in float64), and their Veltkamp halves. */
const POW10 = Array.from({ length: 23 }, (_, d) => 10 ** d);
const POW10_HI = POW10.map((p) => { const c = SPLITTER * p; return c - (c - p); });
const POW10_LO = POW10.map((p, d) => p - POW10_HI[d]!);
/** How close to a tie a rounding may come before the caller is sent to `String`. */
const TIE_BAND = 1e-6;

/** 10^e for e = -6 … 15, the range shortestDigits serves. */
const POW10_RANGE = Array.from({ length: 22 }, (_, k) => Number(`1e${k - 6}`));

const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
/** Which of WORDS holds the sign, exponent and top of the mantissa (1 on a little-endian machine). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** "00" "01" … "99" as character codes, two per number. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/**
 * Writes the shortest round-trip digits of x (1e-6 ≤ x < 1e15, not an int32) into `digits`,
 * least significant first, and returns `decimals · 256 + count`: the number is those `count` digits
 * with a decimal point `decimals` places from the right (trailing zeros may follow the point).
 * Returns -1 when `String(x)` must decide.
 */
export function shortestDigits(x: number, digits: Uint8Array): number {
  let d = 14 - decimalExponent(x);
  if (d < 0) d = 0;
  else if (d > 20) d = 20;
  if (x * POW10[d]! >= 1e15) d--;
  if (d < 0 || x * POW10[d]! >= 1e15) return -1;

  // 15 digits or fewer.
  const p15 = POW10[d]!;
  const k15 = Math.round(x * p15);
  if (k15 / p15 === x) return (d << 8) | integerDigits(k15, digits);

  // 16 digits: the nearest decimal first, then its neighbours.
  const c = SPLITTER * x;
  const xHi = c - (c - x), xLo = x - xHi;
  const d16 = d + 1, p16 = POW10[d16]!;
  const prod16 = x * p16;
  if (prod16 >= TWO53 - 2) return -1;
  const err16 = xHi * POW10_HI[d16]! - prod16 + xHi * POW10_LO[d16]! + xLo * POW10_HI[d16]! + xLo * POW10_LO[d16]!;
  let k = Math.round(prod16);
  let f = prod16 - k + err16; // x·10^d16 = k + f, up to 2^-54
  if (Math.abs(Math.abs(f) - 0.5) < TIE_BAND) return -1;
  if (f > 0.5) { k++; f -= 1; }
  else if (f < -0.5) { k--; f += 1; }
  if (k / p16 === x) return (d16 << 8) | integerDigits(k, digits);
  // The doubles that read back as x lie within half an ulp of it on either side, except at a
  // power of two, where the ulp below is half the ulp above. Elsewhere a decimal farther from x
  // than k cannot read back when k does not; at a power of two its neighbours are tried too
  // (no power of two in [10^-6, 10^15) turns out to need them, but that is a fact about this
  // range, checked once, not a property the code relies on).
  if (isPowerOfTwo(x)) {
    const other = f > 0 ? k + 1 : k - 1; // the neighbour on x's side is the nearer one
    if (other / p16 === x) return (d16 << 8) | integerDigits(other, digits);
    const far = f > 0 ? k - 1 : k + 1;
    if (far / p16 === x) return (d16 << 8) | integerDigits(far, digits);
  }

  // 17 digits: x·10^d17 = prod17 + err17 exactly, prod17 an integer (it is above 2^53).
  const d17 = d + 2, p17 = POW10[d17]!;
  const prod17 = x * p17;
  if (prod17 < 1e16 || prod17 >= 1e17) return -1;
  const err17 = xHi * POW10_HI[d17]! - prod17 + xHi * POW10_LO[d17]! + xLo * POW10_HI[d17]! + xLo * POW10_LO[d17]!;
  const delta = Math.round(err17);
  if (Math.abs(Math.abs(err17 - delta) - 0.5) < TIE_BAND) return -1;
  let hi = Math.floor(prod17 / 1e9);
  let lo = prod17 - hi * 1e9 + delta; // exact: integers below 2^53
  while (lo < 0) { lo += 1e9; hi--; }
  while (lo >= 1e9) { lo -= 1e9; hi++; }
  if (hi < 1e7 || hi >= 1e8) return -1;
  // lo: 9 digits, leading zeros included; hi: 8 digits. Two digits a step.
  let n = 0, l = lo | 0, h = hi | 0;
  for (let i = 0; i < 4; i++) {
    const q = (l / 100) | 0, r = (l - q * 100) << 1;
    digits[n++] = PAIRS[r + 1]!;
    digits[n++] = PAIRS[r]!;
    l = q;
  }
  digits[n++] = 48 + l;
  for (let i = 0; i < 4; i++) {
    const q = (h / 100) | 0, r = (h - q * 100) << 1;
    digits[n++] = PAIRS[r + 1]!;
    digits[n++] = PAIRS[r]!;
    h = q;
  }
  return (d17 << 8) | n;
}

/**
 * floor(log10(x)) for 10^-6 ≤ x < 10^15, by binary search over the powers of ten (Math.log10 is
 * a call into C that cost more than all the rest). It can only be one too high, for an x at or
 * above a power of ten that float64 rounds down (fl(10^e) ≤ x < 10^e); the caller's check catches
 * a digit count one too high, and one too low only leaves fewer digits for the 15-digit try, which
 * for such an x (= fl(10^-6), the one case in range) still finds its one digit.
 */
function decimalExponent(x: number): number {
  let lo = 0, hi = POW10_RANGE.length; // POW10_RANGE[lo] ≤ x < POW10_RANGE[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= POW10_RANGE[mid]!) lo = mid;
    else hi = mid;
  }
  return lo - 6;
}

/** True when the positive normal number x is a power of two: its mantissa bits are all zero. */
function isPowerOfTwo(x: number): boolean {
  BITS[0] = x;
  return WORDS[1 - HIGH] === 0 && (WORDS[HIGH]! & 0xfffff) === 0;
}

/** Writes the digits of the integer 0 < k < 2^53 into `digits`, least significant first; returns their count. */
export function integerDigits(k: number, digits: Uint8Array): number {
  // Two halves below 2^31 let the digit loops use integer arithmetic; two digits a step.
  const hi = Math.floor(k / 1e8);
  let lo = (k - hi * 1e8) | 0;
  let n = 0;
  if (hi > 0) {
    for (let i = 0; i < 4; i++) {
      const q = (lo / 100) | 0, r = (lo - q * 100) << 1;
      digits[n++] = PAIRS[r + 1]!;
      digits[n++] = PAIRS[r]!;
      lo = q;
    }
    lo = hi | 0;
  }
  while (lo >= 100) {
    const q = (lo / 100) | 0, r = (lo - q * 100) << 1;
    digits[n++] = PAIRS[r + 1]!;
    digits[n++] = PAIRS[r]!;
    lo = q;
  }
  if (lo >= 10) {
    digits[n++] = PAIRS[(lo << 1) + 1]!;
    digits[n++] = PAIRS[lo << 1]!;
  } else {
    digits[n++] = 48 + lo;
  }
  return n;
}
