/**
 * Output built as bytes: rows are written into one reused-size byte chunk and handed out whole, so
 * a million rows make a few dozen allocations instead of millions of short strings. Works the same
 * in Node, a worker and a browser (Uint8Array and TextEncoder only).
 */

const CHUNK_BYTES = 1 << 20;
const encoder = new TextEncoder();

/** The largest integer the fast number path writes: below it every integer and 15-digit decimal is exact. */
const FAST_LIMIT = 1e15;
/** Beyond this many decimals a number is rare in practice and goes to `String` at once. */
const MAX_DECIMALS = 9;
/** 10^d for d = 0..MAX_DECIMALS, each exact in float64. */
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

/** Decimal digits of a non-negative integer below 2^31. */
function digitCount(n: number): number {
  if (n < 100000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5;
  return n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}

export class ByteChunks {
  private buf: Uint8Array;
  private pos = 0;
  /** Digits of a number, written backwards. */
  private readonly digits = new Uint8Array(24);

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.buf = new Uint8Array(chunkBytes);
  }

  /** True when the chunk is nearly full: the caller should `take()` it at the end of the row. */
  get ready(): boolean {
    return this.pos >= this.chunkBytes - 4096;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written since the last take, as a chunk of its own; writing goes on in a new one. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(this.chunkBytes);
    this.pos = 0;
    return out;
  }

  byte(c: number): void {
    if (this.pos === this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** A string, UTF-8 encoded (a plain ASCII one byte by byte, which is faster for short cells). */
  text(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return this.utf8(s);
      buf[p++] = c;
    }
    this.pos = p;
  }

  /**
   * A number in shortest round-trip form, exactly as `String(x)` writes it; NaN writes nothing (an
   * empty cell). Integers below 2^31 are written digit by digit. Otherwise, with the most decimals d
   * (at most MAX_DECIMALS) that keep |x|·10^d below 10^15, k = round(|x|·10^d) is tested once:
   * when k / 10^d === |x| (an exact integer over an exact power of ten, one correctly rounded
   * division), the decimal k·10^-d reads back as x. It has at most 15 significant digits, and 15
   * digits always survive a round trip through float64, so no other decimal of 15 digits or fewer
   * reads back as x: this one, without its trailing zeros, is the shortest, the one `String` picks,
   * and for 10^-6 ≤ |x| < 10^15 `String` writes it in positional notation. (d = 3 is tried first,
   * by the same argument.) Conversely, if some
   * decimal with at most d decimals reads back as x, it is within a quarter of |x|·10^d when scaled, so
   * `round` finds it: the one test decides. Every other number goes through `String` itself.
   */
  number(x: number): void {
    if (x !== x) return;
    const ax = x < 0 ? -x : x;
    if (ax < 2147483648 && (ax | 0) === ax) {
      if (x < 0) this.byte(45);
      return this.int(ax); // "0" also for -0, as String(-0)
    }
    if (ax >= 1e-6 && ax < FAST_LIMIT) {
      // Times and amounts of traces mostly have at most 3 decimals: try that first, it writes
      // fewer digits; then the most decimals that fit.
      const k3 = Math.round(ax * 1000);
      if (k3 < FAST_LIMIT && k3 / 1000 === ax) {
        if (x < 0) this.byte(45);
        return this.fixed(k3, 3);
      }
      let d = MAX_DECIMALS;
      while (d > 0 && ax * POW10[d]! >= FAST_LIMIT) d--;
      const p = POW10[d]!;
      const k = Math.round(ax * p);
      if (k < FAST_LIMIT && k / p === ax) {
        if (x < 0) this.byte(45);
        return this.fixed(k, d);
      }
    }
    this.text(String(x));
  }

  /** Appends again the bytes written at [from, to) of this chunk (a cell equal to an earlier one). */
  again(from: number, to: number): void {
    if (this.pos + (to - from) > this.buf.length) this.grow(to - from);
    this.buf.copyWithin(this.pos, from, to);
    this.pos += to - from;
  }

  /** A non-negative integer below 2^31 (counts, indices). */
  int(value: number): void {
    let n = value | 0; // an int32 for the compiler: the divisions below become integer ones
    if (this.pos + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    const end = this.pos + digitCount(n);
    let p = end;
    do {
      const q = (n / 10) | 0;
      buf[--p] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
    this.pos = end;
  }

  /** k · 10^-d in positional notation without trailing zeros, k a positive integer below 10^15. */
  private fixed(k: number, d: number): void {
    if (this.pos + 18 + d > this.buf.length) this.grow(18 + d);
    // Two exact halves below 2^31 let the digit loop use integer arithmetic.
    const hi = Math.floor(k / 1e8);
    let lo = (k - hi * 1e8) | 0;
    const digits = this.digits;
    let count = 0;
    do {
      const q = (lo / 10) | 0;
      digits[count++] = 48 + lo - q * 10;
      lo = q;
    } while (lo > 0 || (hi > 0 && count < 8));
    let h = hi | 0;
    while (h > 0) {
      const q = (h / 10) | 0;
      digits[count++] = 48 + h - q * 10;
      h = q;
    }
    let last = 0; // the lowest digit written: trailing zeros of the decimals are dropped
    while (last < d && digits[last] === 48) last++;
    d -= last;
    const buf = this.buf;
    let p = this.pos;
    if (count - last <= d) {
      buf[p++] = 48; // "0."
      buf[p++] = 46;
      for (let z = d - (count - last); z > 0; z--) buf[p++] = 48;
      for (let i = count - 1; i >= last; i--) buf[p++] = digits[i]!;
    } else {
      for (let i = count - 1; i >= last; i--) {
        if (i === last + d - 1) buf[p++] = 46;
        buf[p++] = digits[i]!;
      }
    }
    this.pos = p;
  }

  private utf8(s: string): void {
    const worst = s.length * 3;
    if (this.pos + worst > this.buf.length) this.grow(worst);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Room for `n` more bytes in this chunk (a row longer than a chunk makes the chunk bigger). */
  private grow(n: number): void {
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }
}
