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
/** V8 copies a substring shorter than this; a longer one would keep the whole chunk's text alive. */
const COPIED_SUBSTRING = 13;

/** One row's fields, held as bytes of the input or as strings. Field indices past the end read as "". */
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
  /** Every field as a string. */
  strings(): string[];
}

/** Receives each row (header included) with the 1-based line it ends on. Fields are valid during the call only. */
export type RowHandler = (fields: RowFields, line: number) => void;

/** A record read by csv-parse. */
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

  strings(): string[] {
    return this.fields;
  }
}

/**
 * A plain row as ranges of a chunk's bytes: field k is bytes[sep[k] + 1, sep[k + 1]) (sep holds
 * the position before the line, each delimiter's, then the line's end).
 */
export class ByteFields implements RowFields {
  bytes: Buffer = Buffer.alloc(0);
  sep: Int32Array = new Int32Array(64);
  count = 0;
  /** The chunk's bytes are all ASCII: a latin1 decode of a field is its UTF-8 decode. */
  private ascii = true;
  /** The chunk decoded as latin1 (made when first needed), to cut short ASCII fields from. */
  private latin1: string | undefined;

  /** Points at a new chunk of bytes. */
  setBytes(bytes: Buffer): void {
    this.bytes = bytes;
    this.ascii = isAscii(bytes);
    this.latin1 = undefined;
  }

  text(k: number): string {
    if (k < 0 || k >= this.count) return "";
    const s = this.sep[k]! + 1, e = this.sep[k + 1]!;
    if (!this.ascii && !isAscii(this.bytes.subarray(s, e))) return this.bytes.toString("utf8", s, e);
    if (e - s >= COPIED_SUBSTRING) return this.bytes.toString("latin1", s, e);
    // One copy out of the chunk's text: cheaper than a native call per field.
    return (this.latin1 ??= this.bytes.toString("latin1")).substring(s, e);
  }

  trimmed(k: number): string {
    return this.hasEdgeBlank(k) ? this.text(k).trim() : this.text(k);
  }

  blank(k: number): boolean {
    if (k < 0 || k >= this.count) return true;
    const s = this.sep[k]! + 1, e = this.sep[k + 1]!;
    if (s === e) return true;
    return this.hasEdgeBlank(k) && this.text(k).trim() === "";
  }

  /** True unless field k starts and ends with a printable ASCII byte (which trim() leaves alone). */
  private hasEdgeBlank(k: number): boolean {
    if (k < 0 || k >= this.count) return false;
    const s = this.sep[k]! + 1, e = this.sep[k + 1]!;
    if (s === e) return false;
    const a = this.bytes[s]!, b = this.bytes[e - 1]!;
    return a <= 32 || a >= 127 || b <= 32 || b >= 127;
  }

  decimals(columns: Int32Array, out: Float64Array): void {
    const sep = this.sep;
    for (let j = 0; j < columns.length; j++) {
      const k = columns[j]!;
      if (k < 0 || k >= this.count) out[j] = NaN;
      else parseDecimal(this.bytes, sep[k]! + 1, sep[k + 1]!, out, j);
    }
  }

  strings(): string[] {
    return Array.from({ length: this.count }, (_, k) => this.text(k));
  }
}

/**
 * bytes[s, e) as a plain decimal `[-]digits[.digits]` with at most 15 digits and no leading zero
 * before another digit, into out[j]; NaN for anything else. The value is the exact integer of its
 * digits divided by a power of ten, both exact doubles: one correctly rounded division, which is
 * what Number(text) gives.
 */
export function parseDecimal(bytes: Uint8Array, s: number, e: number, out: Float64Array, j: number): void {
  out[j] = NaN;
  let i = s;
  const negative = i < e && bytes[i] === 45;
  if (negative) i++;
  if (i === e || (bytes[i] === 48 && i + 1 < e && bytes[i + 1] !== 46)) return;
  let m = 0, digits = 0, d = 0;
  for (; i < e; i++) {
    d = bytes[i]! - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
    digits++;
  }
  if (digits === 0) return;
  let decimals = 0;
  if (i < e) {
    if (bytes[i] !== 46) return;
    const point = ++i;
    for (; i < e; i++) {
      d = bytes[i]! - 48;
      if (d < 0 || d > 9) return;
      m = m * 10 + d;
    }
    decimals = i - point;
    if (decimals === 0) return;
    digits += decimals;
  }
  if (digits > MAX_DIGITS) return;
  const x = decimals === 0 ? m : m / POW10[decimals]!;
  out[j] = negative ? -x : x;
}

/**
 * Splits chunks of CSV bytes into rows. Accepts a UTF-8 BOM, CRLF and blank lines; refuses gzip
 * data, NUL bytes, overlong lines and rows whose field count differs from the header's, each as an
 * InputError naming the file and line. The delimiter is one ASCII character.
 */
export class CsvScanner {
  private readonly delimiter: number;
  private readonly row = new ByteFields();
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
      this.scan(joined, 0);
      start = nl + 1;
    }
    const rest = this.scan(chunk, start);
    if (rest < 0) return this.switchToSlow(chunk.subarray(~rest));
    if (rest < chunk.length) this.keep(chunk.subarray(rest));
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

  /** Holds an unfinished line until its end arrives (a copy: the chunk is not kept alive). */
  private keep(bytes: Buffer): void {
    this.carry.push(Buffer.from(bytes));
    this.carryLength += bytes.length;
    if (this.carryLength > MAX_LINE_BYTES) throw overlong(this.file, this.line + 1);
  }

  /**
   * Reads the complete lines of bytes[from, …); returns where the unfinished last line starts, or,
   * as ~start, where the first line holding a quote starts: csv-parse reads from there on.
   */
  private scan(bytes: Buffer, from: number): number {
    const n = bytes.length, delimiter = this.delimiter;
    const quote = bytes.indexOf(QUOTE, from);
    const row = this.row;
    row.setBytes(bytes);
    let sep = row.sep, count = 0, lineStart = from;
    sep[0] = from - 1;
    for (let i = from; i < n; i++) {
      const b = bytes[i]!;
      if (b === LF) {
        if (quote >= 0 && quote < i) return ~lineStart;
        this.line++;
        const end = i > lineStart && bytes[i - 1] === CR ? i - 1 : i;
        if (end - lineStart > MAX_LINE_BYTES) throw overlong(this.file, this.line);
        if (end > lineStart) {
          sep[++count] = end;
          row.count = count;
          this.emit(row);
        }
        count = 0;
        lineStart = i + 1;
        sep[0] = i;
      } else if (b === delimiter) {
        if (count + 2 >= sep.length) sep = row.sep = grow(sep);
        sep[++count] = i;
      }
    }
    return lineStart;
  }

  private emit(row: ByteFields): void {
    if (this.width === row.count) return this.onRow(row, this.line);
    this.checkWidth(row, this.line);
    this.onRow(row, this.line);
  }

  private checkWidth(fields: RowFields, line: number): void {
    if (this.width < 0) {
      this.width = fields.count;
      this.header = fields.strings().map((f) => f.trim());
    } else if (fields.count !== this.width) {
      throw widthError(fields.strings(), line, this.header, this.file);
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
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      info: true,
      delimiter: String.fromCharCode(this.delimiter),
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
      if (err instanceof CsvError) (err as CsvError & { lines?: number }).lines = offset + ((err as CsvError & { lines?: number }).lines ?? 0);
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

function grow(sep: Int32Array): Int32Array {
  const bigger = new Int32Array(sep.length * 2);
  bigger.set(sep);
  return bigger;
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
