/**
 * Splits CSV bytes into rows without making a string per line (pure: chunks of bytes in, rows out,
 * no file I/O, so a worker or a browser can feed it). Plain rows reach the handler as byte ranges
 * of the chunk (`ByteFields`), which a reader turns into numbers without strings; from the first
 * line holding a quote on, the rest of the input goes through csv-parse, which handles quoting in
 * full, and its records reach the handler as strings (`StringFields`).
 */
import { isAscii } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import { parse, CsvError, type Parser } from "csv-parse";
import { InputError } from "./errors.ts";

/** The longest line accepted: a longer one is a broken or binary file, not a workload. */
export const MAX_LINE_BYTES = 1 << 20;

const LF = 10, CR = 13, QUOTE = 34;
/** Numbers have at most 15 significant digits: such an integer and 10^k (k ≤ 22) are exact doubles. */
const MAX_DIGITS = 15;
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * One row's fields, held as bytes of the input or as strings. Field indices past the end (or -1)
 * read as "". Whether the row has as many fields as the header is checked by strings() and
 * checkWidth(), and after the row handler returns at the latest: a reader that wants a wrong
 * field count reported before its own errors of the row calls checkWidth() when it meets one.
 */
export interface RowFields {
  readonly count: number;
  /** Field k as read (untrimmed). */
  text(k: number): string;
  /** Field k with blanks trimmed as String.prototype.trim does. */
  trimmed(k: number): string;
  /** True when field k is empty once trimmed. */
  blank(k: number): boolean;
  /**
   * For each column index columns[j], the field read straight from its bytes when it is a plain
   * decimal `[-]digits[.digits]` (at most 15 digits, no leading zero before another digit) into
   * out[j]: exactly the value of Number(text). NaN for anything else (and for an absent column),
   * which the caller then reads from text(k). Written into an array so that no number is boxed.
   */
  decimals(columns: Int32Array, out: Float64Array): void;
  /** Throws the InputError of a row whose field count differs from the header's. */
  checkWidth(): void;
  /** Every field as a string (after checkWidth). */
  strings(): string[];
}

/** Receives each row (header included) with the 1-based line it ends on. Fields are valid during the call only. */
export type RowHandler = (fields: RowFields, line: number) => void;

/** A record read by csv-parse (its width is checked before the handler sees it). */
export class StringFields implements RowFields {
  constructor(public fields: string[] = []) {}

  get count(): number {
    return this.fields.length;
  }

  text(k: number): string {
    return this.fields[k] ?? "";
  }

  trimmed(k: number): string {
    return this.text(k).trim();
  }

  blank(k: number): boolean {
    return this.trimmed(k) === "";
  }

  decimals(columns: Int32Array, out: Float64Array): void {
    out.fill(NaN, 0, columns.length);
  }

  checkWidth(): void {}

  strings(): string[] {
    return this.fields;
  }
}

/**
 * A plain row as a range of a chunk's bytes, split into fields only as far as they are asked for:
 * a reader that takes the fields in order finds each field's end while reading its number, so
 * that every byte is looked at about once. Field k is bytes[sep[k] + 1, sep[k + 1]).
 */
export class ByteFields implements RowFields {
  bytes: Buffer = Buffer.alloc(0);
  /** The chunk's bytes are all ASCII: a latin1 decode of a field is its UTF-8 decode. */
  private ascii = true;
  private end = 0;
  private line = 0;
  private sep: Int32Array = new Int32Array(64);
  /** sep[0 … known] are found; `complete` once the last field's end is. */
  private known = 0;
  private complete = false;
  private widthChecked = false;

  constructor(private readonly delimiter: number, private readonly widthCheck: (row: ByteFields, line: number) => void) {}

  /** Points at a new chunk of bytes. */
  setChunk(bytes: Buffer): void {
    this.bytes = bytes;
    this.ascii = isAscii(bytes);
  }

  /** Points at the line bytes[start, end) (without its line end), read on `line`. */
  setLine(start: number, end: number, line: number): void {
    this.end = end;
    this.line = line;
    this.sep[0] = start - 1;
    this.known = 0;
    this.complete = false;
    this.widthChecked = false;
  }

  get count(): number {
    while (!this.complete) this.findNext();
    return this.known;
  }

  text(k: number): string {
    if (!this.has(k)) return "";
    const s = this.sep[k]! + 1, e = this.sep[k + 1]!;
    if (!this.ascii && !isAscii(this.bytes.subarray(s, e))) return this.bytes.toString("utf8", s, e);
    return asciiString(this.bytes, s, e);
  }

  trimmed(k: number): string {
    return this.hasEdgeBlank(k) ? this.text(k).trim() : this.text(k);
  }

  blank(k: number): boolean {
    if (!this.has(k) || this.sep[k]! + 1 === this.sep[k + 1]) return true;
    return this.hasEdgeBlank(k) && this.text(k).trim() === "";
  }

  decimals(columns: Int32Array, out: Float64Array): void {
    for (let j = 0; j < columns.length; j++) {
      const k = columns[j]!;
      if (k === this.known && !this.complete) {
        // The next field: its end is where the number stops, or found past it.
        const b = this.bytes, e = this.end, d = this.delimiter;
        let i = readDecimal(b, this.sep[k]! + 1, e, d, out, j);
        while (i < e && b[i] !== d) i++;
        this.found(i);
      } else if (this.has(k)) {
        readDecimal(this.bytes, this.sep[k]! + 1, this.sep[k + 1]!, -1, out, j);
      } else {
        out[j] = NaN;
      }
    }
  }

  checkWidth(): void {
    if (this.widthChecked) return;
    while (!this.complete) this.findNext();
    this.widthCheck(this, this.line);
    this.widthChecked = true;
  }

  strings(): string[] {
    this.checkWidth();
    return texts(this);
  }

  /** Finds field k's end if the row has a field k. */
  private has(k: number): boolean {
    if (k < 0) return false;
    while (this.known <= k && !this.complete) this.findNext();
    return k < this.known;
  }

  private findNext(): void {
    const b = this.bytes, e = this.end, d = this.delimiter;
    let i = this.sep[this.known]! + 1;
    while (i < e && b[i] !== d) i++;
    this.found(i);
  }

  /** The next field ends at i (a delimiter, or the line's end). */
  private found(i: number): void {
    if (this.known + 2 >= this.sep.length) {
      const bigger = new Int32Array(this.sep.length * 2);
      bigger.set(this.sep);
      this.sep = bigger;
    }
    this.sep[++this.known] = i;
    if (i === this.end) this.complete = true;
  }

  /** True unless field k starts and ends with a printable ASCII byte (which trim() leaves alone). */
  private hasEdgeBlank(k: number): boolean {
    if (!this.has(k)) return false;
    const s = this.sep[k]! + 1, e = this.sep[k + 1]!;
    if (s === e) return false;
    const a = this.bytes[s]!, b = this.bytes[e - 1]!;
    return a <= 32 || a >= 127 || b <= 32 || b >= 127;
  }
}

/** Every field's text (a function of its own: a closure over `fields` in a hot caller would cost it a context per call). */
function texts(fields: RowFields): string[] {
  return Array.from({ length: fields.count }, (_, k) => fields.text(k));
}

const fromCharCode = String.fromCharCode;

/**
 * The ASCII bytes[s, e) as a string. Short ones (ids, zone names) are made from their character
 * codes at once: no native call, no intermediate string.
 */
function asciiString(b: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0: return "";
    case 1: return fromCharCode(b[s]!);
    case 2: return fromCharCode(b[s]!, b[s + 1]!);
    case 3: return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    default: return b.toString("latin1", s, e);
  }
}

/**
 * Reads a plain decimal `[-]digits[.digits]` (at most 15 digits, no leading zero before another
 * digit) from bytes[s …], up to `end` or the first `delimiter` byte, into out[j]; NaN when the
 * field is not one. Returns where it stopped: the field's end when it is plain.
 *
 * The value is the exact integer of the digits divided by a power of ten, both exact doubles: one
 * correctly rounded division, which is what Number(text) gives.
 */
export function readDecimal(bytes: Uint8Array, s: number, end: number, delimiter: number, out: Float64Array, j: number): number {
  out[j] = NaN;
  let i = s;
  const negative = i < end && bytes[i] === 45;
  if (negative) i++;
  const first = i;
  let m = 0, c = 0;
  for (; i < end; i++) {
    c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
  }
  let digits = i - first;
  if (digits === 0 || (digits > 1 && bytes[first] === 48)) return i;
  let decimals = 0;
  if (i < end && bytes[i] === 46) {
    const point = ++i;
    for (; i < end; i++) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
    }
    decimals = i - point;
    if (decimals === 0) return i;
    digits += decimals;
  }
  if ((i < end && bytes[i] !== delimiter) || digits > MAX_DIGITS) return i;
  const x = decimals === 0 ? m : m / POW10[decimals]!;
  out[j] = negative ? -x : x;
  return i;
}

/**
 * Splits chunks of CSV bytes into rows. Accepts a UTF-8 BOM, CRLF (CR alone through csv-parse) and blank lines; refuses gzip
 * data, NUL bytes, overlong lines and rows whose field count differs from the header's, each as an
 * InputError naming the file and line. The delimiter is one ASCII character.
 */
export class CsvScanner {
  private readonly delimiter: number;
  private readonly row: ByteFields;
  /** Bytes of an unfinished line, from earlier chunks. */
  private carry: Buffer[] = [];
  private carryLength = 0;
  private line = 0;
  private width = -1;
  private header: string[] = [];
  private first = true;
  private slow: { parser: Parser; decoder: StringDecoder; done: Promise<void> } | undefined;

  constructor(private readonly file: string | undefined, private readonly onRow: RowHandler, delimiter = ",") {
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
      throw new Error(`a CSV delimiter must be one ASCII character other than a quote or a line end, not ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.row = new ByteFields(this.delimiter, (row, line) => this.checkWidth(row, line));
  }

  /** Reads one chunk; a promise only while csv-parse reads (it may ask to wait for a drain). */
  push(chunk: Buffer): Promise<void> | void {
    if (chunk.length === 0) return;
    if (this.first && chunk[0] === 0x1f && chunk[1] === 0x8b) throw new InputError("this is gzip data: give the file a name ending in .gz", this.file, 1);
    if (chunk.indexOf(0) >= 0) this.refuseBinary(chunk);
    if (this.slow) return this.feedSlow(this.slow.decoder.write(chunk));
    let start = 0;
    if (this.first) {
      this.first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    if (this.carryLength > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return this.keep(chunk);
      // The unfinished line ends in this chunk: read it on its own, then the rest of the chunk in place.
      const joined = Buffer.concat([...this.carry, chunk.subarray(0, nl + 1)]);
      this.carry = [];
      this.carryLength = 0;
      if (joined.indexOf(QUOTE) >= 0) return this.switchToSlow(Buffer.concat([joined, chunk.subarray(nl + 1)]));
      const left = this.scan(joined, 0);
      if (left < 0) return this.switchToSlow(Buffer.concat([joined.subarray(~left), chunk.subarray(nl + 1)]));
      start = nl + 1;
    }
    const rest = this.scan(chunk, start);
    if (rest < 0) return this.switchToSlow(chunk.subarray(~rest));
    if (rest < chunk.length) return this.keep(chunk.subarray(rest));
  }

  /** Ends the input (the last line may lack its line end). */
  async end(): Promise<void> {
    if (this.slow) {
      await this.feedSlow(this.slow.decoder.end());
      this.slow.parser.end();
      return this.slow.done;
    }
    if (this.carryLength === 0) return;
    const last = Buffer.concat([...this.carry, Buffer.of(LF)]);
    this.carry = [];
    this.carryLength = 0;
    const rest = this.scan(last, 0);
    if (rest >= 0) return;
    await this.switchToSlow(last.subarray(~rest, last.length - 1)); // as it was, without the added line end
    return this.end();
  }

  /**
   * Holds an unfinished line until its end arrives (a copy: the chunk is not kept alive). A header
   * line that grows past the limit holding lines that end with a CR alone (see `scan`) goes to
   * csv-parse.
   */
  private keep(bytes: Buffer): Promise<void> | undefined {
    this.carry.push(Buffer.from(bytes));
    this.carryLength += bytes.length;
    if (this.carryLength <= MAX_LINE_BYTES) return undefined;
    const all = this.width < 0 && this.carry.some((part) => part.includes(CR)) ? Buffer.concat(this.carry) : undefined;
    if (all && linesEndWithLoneCr(all, 0, all.length, this.delimiter)) {
      this.carry = [];
      this.carryLength = 0;
      return this.switchToSlow(all);
    }
    throw overlong(this.file, this.line + 1);
  }

  /**
   * Reads the complete lines of bytes[from, …); returns where the unfinished last line starts, or,
   * as ~start, where the first line holding a quote starts: csv-parse reads from there on.
   */
  private scan(bytes: Buffer, from: number): number {
    const quote = bytes.indexOf(QUOTE, from);
    const row = this.row;
    row.setChunk(bytes);
    let start = from;
    for (let nl = bytes.indexOf(LF, start); nl >= 0; start = nl + 1, nl = bytes.indexOf(LF, start)) {
      if (quote >= 0 && quote < nl) return ~start;
      const end = lineEnd(bytes, start, nl);
      // Lines that end with a CR alone (classic Mac OS) look like one long header line here: only
      // csv-parse (it detects the line end) reads them as lines.
      if (this.width < 0 && linesEndWithLoneCr(bytes, start, end, this.delimiter)) return ~start;
      const line = ++this.line;
      if (end - start > MAX_LINE_BYTES) throw overlong(this.file, line);
      if (end === start) continue; // a blank line
      row.setLine(start, end, line);
      if (this.width < 0) row.checkWidth(); // the header: its width is the file's
      this.onRow(row, line);
      row.checkWidth();
    }
    return start;
  }

  /** The header sets the width; any other row must have it. */
  private checkWidth(fields: RowFields, line: number): void {
    const count = fields.count;
    if (this.width < 0) {
      this.width = count;
      this.header = texts(fields).map((f) => f.trim());
    } else if (count !== this.width) {
      throw widthError(texts(fields), line, this.header, this.file);
    }
  }

  /** A NUL byte never occurs in CSV text: the file is binary (or compressed without a .gz name). */
  private refuseBinary(chunk: Buffer): never {
    let line: number | undefined;
    if (!this.slow) {
      line = this.line + 1;
      const before = [...this.carry, chunk.subarray(0, chunk.indexOf(0))];
      for (const part of before) for (let i = part.indexOf(LF); i >= 0; i = part.indexOf(LF, i + 1)) line++;
    }
    throw new InputError("a NUL byte: this is a binary file, not CSV text", this.file, line);
  }

  /** From the line starting `rest` on, csv-parse reads everything (quoting in full). */
  private switchToSlow(rest: Buffer): Promise<void> {
    const offset = this.line;
    // Lines that end with a CR alone: csv-parse is told every line end, since its own discovery
    // keeps the first it meets (a last line ended by CR LF would then be read as a stray field).
    let crLines = false;
    if (this.width < 0) {
      const nl = rest.indexOf(LF);
      crLines = linesEndWithLoneCr(rest, 0, nl < 0 ? rest.length : lineEnd(rest, 0, nl), this.delimiter);
    }
    // The last line of the last complete record, as csv-parse finishes it (its records reach the
    // loop below later, and an error at the end of the input comes before them): an unclosed
    // quote opens after it.
    let last = offset;
    const parser = parse({
      on_record: (record: string[], context: { lines: number }) => {
        last = offset + context.lines;
        return record;
      },
      bom: true,
      skip_empty_lines: true,
      info: true,
      delimiter: String.fromCharCode(this.delimiter),
      ...(crLines ? { record_delimiter: ["\r\n", "\r", "\n"] } : {}),
      max_record_size: MAX_LINE_BYTES,
      relax_column_count: true,
    });
    const fields = new StringFields();
    const done = (async () => {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = offset + item.info.lines;
        fields.fields = item.record;
        this.checkWidth(fields, line);
        this.onRow(fields, line);
      }
    })().catch((err) => {
      if (err instanceof CsvError) {
        const e = err as CsvError & { lines?: number; after?: number };
        e.lines = offset + (e.lines ?? 0);
        e.after = last;
      }
      throw err;
    });
    done.catch(() => {}); // observed by end()/push(); avoid an unhandled rejection meanwhile
    const decoder = new StringDecoder("utf8");
    this.slow = { parser, decoder, done };
    this.carry = [];
    this.carryLength = 0;
    return this.feedSlow(decoder.write(rest));
  }

  private async feedSlow(text: string): Promise<void> {
    const slow = this.slow!;
    if (text.length > 0 && !slow.parser.write(text)) {
      await Promise.race([new Promise((r) => slow.parser.once("drain", r)), slow.done]);
    }
  }
}

/** Where the text of the line from `start` to its LF at `nl` ends: before a CR that ends it (CR LF). */
function lineEnd(bytes: Uint8Array, start: number, nl: number): number {
  return nl > start && bytes[nl - 1] === CR ? nl - 1 : nl;
}

/**
 * True when bytes[start, end), a header line up to its LF, holds lines that end with a carriage
 * return alone (classic Mac OS): a CR followed by neither CR nor LF, with as many delimiters
 * before it as after it up to the next such CR. A stray CR inside a header, or the CR CR LF of a
 * CRLF file converted twice, is no such line end (both were always read as they are).
 */
function linesEndWithLoneCr(bytes: Uint8Array, start: number, end: number, delimiter: number): boolean {
  const first = loneCr(bytes, start, end);
  if (first < 0) return false;
  const second = loneCr(bytes, first + 1, end);
  return count(bytes, start, first, delimiter) === count(bytes, first + 1, second < 0 ? end : second, delimiter);
}

/** The first CR in bytes[from, end) followed by a byte other than CR and LF, or -1. */
function loneCr(bytes: Uint8Array, from: number, end: number): number {
  for (let i = bytes.indexOf(CR, from); i >= 0 && i < end; i = bytes.indexOf(CR, i + 1)) {
    if (i + 1 < bytes.length && bytes[i + 1] !== CR && bytes[i + 1] !== LF) return i;
  }
  return -1;
}

/** How many times `byte` occurs in bytes[from, to). */
function count(bytes: Uint8Array, from: number, to: number, byte: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (bytes[i] === byte) k++;
  return k;
}

function overlong(file: string | undefined, line: number): InputError {
  return new InputError(`a line longer than ${MAX_LINE_BYTES} bytes (is this a CSV file?)`, file, line);
}

/**
 * A row whose field count differs from the header's, named by the first column it leaves empty,
 * or by the first field that has no column (often an unquoted comma inside a field).
 */
function widthError(fields: readonly string[], line: number, header: readonly string[], file: string | undefined): InputError {
  const count = fields.length, width = header.length;
  if (count < width) {
    const missing = header[count] ?? "";
    return new InputError(`wrong number of fields: ${count} where the header has ${width} (the line ends before this column)`, file, line, missing);
  }
  return new InputError(`wrong number of fields: ${count} where the header has ${width} (field ${width + 1} has no column: a field holding an unquoted comma? quote it)`, file, line, undefined, fields[width]);
}
