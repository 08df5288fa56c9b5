/**
 * Output built as bytes: rows are written into one reused-size byte chunk and handed out whole, so
 * a million rows make a few dozen allocations instead of millions of short strings. Works the same
 * in Node, a worker and a browser (Uint8Array and TextEncoder only).
 */

import { integerDigits, shortestDigits } from "./shortest.ts";

const CHUNK_BYTES = 1 << 20;
const encoder = new TextEncoder();


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

  /**
   * `reuse`: take() hands out a view of the one buffer, which the next write overwrites (for a
   * caller that has written each chunk away before going on, as a thread writing synchronously
   * does); no chunk is left for the garbage collector, which in a thread that makes few objects
   * could let hundreds of them pile up.
   */
  constructor(private readonly chunkBytes = CHUNK_BYTES, private readonly reuse = false) {
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
    if (!this.reuse || this.buf.length !== this.chunkBytes) this.buf = new Uint8Array(this.chunkBytes);
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
   * empty cell). Integers below 2^31 are written digit by digit, other numbers in [10^-6, 10^15)
   * from the digits of src/report/shortest.ts (which says why they are String's), the rest
   * through `String` itself.
   */
  number(x: number): void {
    if (x !== x) return;
    const ax = x < 0 ? -x : x;
    if (ax < 2147483648 && (ax | 0) === ax) {
      if (x < 0) this.byte(45);
      return this.int(ax); // "0" also for -0, as String(-0)
    }
    if (ax >= 1e-6 && ax < 1e15) {
      // Times and amounts in traces mostly have at most 3 decimals: a quick try (the ≤ 15-digit
      // case of shortest.ts with d = 3).
      const k3 = Math.round(ax * 1000);
      const found = k3 < 1e15 && k3 / 1000 === ax ? (3 << 8) | integerDigits(k3, this.digits) : shortestDigits(ax, this.digits);
      if (found >= 0) {
        if (x < 0) this.byte(45);
        return this.digitsOut(found & 255, found >> 8);
      }
    }
    this.text(String(x));
  }

  /** Bytes src[from, to), as they are (already UTF-8). */
  bytes(src: Uint8Array, from: number, to: number): void {
    if (this.pos + (to - from) > this.buf.length) this.grow(to - from);
    const buf = this.buf;
    let p = this.pos;
    // Cells are short: a loop beats set(subarray()), which allocates a view.
    for (let i = from; i < to; i++) buf[p++] = src[i]!;
    this.pos = p;
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

  /** The `count` digits in `this.digits` (least significant first) with `d` decimals, trailing zeros dropped. */
  private digitsOut(count: number, d: number): void {
    if (this.pos + count + d + 2 > this.buf.length) this.grow(count + d + 2);
    const digits = this.digits;
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
      const point = last + d; // digits[point …] are the integer part
      for (let i = count - 1; i >= point; i--) buf[p++] = digits[i]!;
      if (d > 0) {
        buf[p++] = 46;
        for (let i = point - 1; i >= last; i--) buf[p++] = digits[i]!;
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
