import { createReadStream } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { parse, CsvError } from "csv-parse";
import type { Readable } from "node:stream";
import { InputError } from "./errors.ts";
import { CsvScanner, MAX_LINE_BYTES, type RowHandler } from "./csv-scanner.ts";

export { MAX_LINE_BYTES };

/** One CSV record with the 1-based line it ends on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Receives each record; fields are raw (untrimmed) strings. */
export type RecordHandler = (fields: string[], line: number) => void;

export interface CsvSourceOptions {
  delimiter?: string;
}

/**
 * Reads every record of a CSV file (gzip when the name ends in `.gz`), header included, with its
 * line number, as strings. Accepts a UTF-8 BOM, CRLF or CR line ends, quoted fields and blank lines. Every
 * failure — missing file, bad gzip, malformed CSV, a wrong number of fields, an overlong line — is
 * an InputError naming the file and line.
 */
export async function readCsv(path: string, onRecord: RecordHandler, options: CsvSourceOptions = {}): Promise<void> {
  await scanCsv(path, (fields, line) => onRecord(fields.strings(), line), options);
}

export interface ScanOptions extends CsvSourceOptions {
  /**
   * Called once with an estimate of the file's line count (a little over), when its size is
   * known: room can be made at once. For a plain file, before the first row, from lines counted
   * in samples spread over it; for a .gz file, after its first MiB (the rows so far are few).
   */
  onEstimate?: (lines: number) => void;
  /**
   * Called after each chunk with the bytes read so far and the file's size (uncompressed; for a
   * .gz, its trailer's, which wraps at 4 GiB), when that size is known: for a progress bar.
   */
  onProgress?: (bytes: number, size: number) => void;
}

/**
 * Reads every row of a CSV file like readCsv, but hands plain rows over as bytes (CsvScanner):
 * a million rows in a fraction of a second, where csv-parse takes about two. From the first line
 * holding a `"` on, the rest of the input goes through csv-parse, which handles quoting in full.
 */
export async function scanCsv(path: string, onRow: RowHandler, options: ScanOptions = {}): Promise<void> {
  // Made before the file is opened: a bad delimiter then leaves nothing open.
  const scanner = new CsvScanner(path, onRow, options.delimiter);
  const input = await openChunks(path);
  const { onEstimate } = options, size = input.size;
  const onProgress = size === undefined ? undefined : options.onProgress;
  // A plain file's line density is sampled at once; a .gz file's is counted in its first MiB.
  let estimated = !onEstimate || size === undefined, lines = 0, read = 0;
  try {
    if (!estimated && input.lineDensity !== undefined) {
      onEstimate!(Math.ceil(size! * input.lineDensity * 1.02));
      estimated = true;
    }
    for await (const chunk of input.chunks) {
      read += chunk.length;
      if (!estimated) {
        lines += lineDensity(chunk) * chunk.length;
        if (read >= ESTIMATE_SAMPLE_BYTES || read >= size!) {
          onEstimate!(Math.ceil((size! * lines * 1.02) / read));
          estimated = true;
        }
      }
      await scanner.push(chunk);
      onProgress?.(read, size!);
    }
    await scanner.end();
  } catch (err) {
    throw toInputError(err, path);
  } finally {
    await input.close();
  }
}

/** Lines per byte in `bytes` (a line end counted as a line). */
function lineDensity(bytes: Buffer): number {
  let lines = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
  return bytes.length === 0 ? 0 : lines / bytes.length;
}

/** Lines per byte of a plain file, from 8 windows of 64 KiB spread over it (lines often grow along a trace). */
async function sampleLineDensity(file: FileHandle, size: number): Promise<number> {
  const window = Buffer.allocUnsafe(1 << 16), windows = 8;
  let lines = 0, bytes = 0;
  for (let k = 0; k < windows; k++) {
    const at = Math.floor(((size - window.length) * k) / (windows - 1));
    const { bytesRead } = await file.read(window, 0, window.length, Math.max(0, at));
    lines += lineDensity(window.subarray(0, bytesRead)) * bytesRead;
    bytes += bytesRead;
    if (size <= window.length) break;
  }
  return bytes === 0 ? 0 : lines / bytes;
}

const CHUNK_BYTES = 1 << 20;
const ESTIMATE_SAMPLE_BYTES = 1 << 20;

/**
 * A file's bytes in chunks, gunzipped when its name ends in `.gz`, with its size (uncompressed:
 * the gzip trailer's, when the file is one gzip member under 4 GiB) when known. A plain file's
 * chunks are read into one buffer over and over: each is valid until the next is asked for.
 */
async function openChunks(path: string): Promise<{ chunks: AsyncIterable<Buffer>; size: number | undefined; lineDensity?: number; close: () => Promise<void> }> {
  if (path.endsWith(".gz")) {
    const { raw, stream, size } = await openInput(path);
    return { chunks: stream, size, close: async () => void raw.destroy() };
  }
  const size = await fileSize(path);
  // The file can go between the size check and here (deleted, permissions changed).
  const file = await open(path, "r").catch((err: unknown) => {
    throw toInputError(err, path);
  });
  const density = await sampleLineDensity(file, size).catch(async (err: unknown) => {
    await file.close().catch(() => {});
    throw toInputError(err, path);
  });
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  }
  return { chunks: chunks(), size, lineDensity: density, close: () => file.close() };
}

/**
 * The records of a CSV file one by one, through csv-parse (for importers of public traces, whose
 * files are small enough that the fast path does not matter).
 */
export async function* csvRecords(path: string, options: CsvSourceOptions & { relaxColumnCount?: boolean } = {}): AsyncGenerator<CsvRecord> {
  const { raw: file, stream: input } = await openInput(path);
  // The last line of the last complete record, as csv-parse finishes it (see CsvScanner's slow path).
  let last = 0;
  const parser = parse({
    on_record: (record: string[], context: { lines: number }) => {
      last = context.lines;
      return record;
    },
    bom: true, skip_empty_lines: true, info: true, delimiter: options.delimiter ?? ",", max_record_size: MAX_LINE_BYTES,
    relax_column_count: options.relaxColumnCount ?? false,
  });
  input.on("error", (err) => parser.destroy(err));
  if (input.errored) parser.destroy(input.errored);
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { fields: item.record, line: item.info.lines };
    }
  } catch (err) {
    if (err instanceof CsvError) (err as CsvError & { after?: number }).after = last;
    throw toInputError(err, path);
  } finally {
    file.destroy();
  }
}

/** The records of a CSV file as an array (for small files such as clusters and zone tables). */
export async function readCsvRecords(path: string, options: CsvSourceOptions = {}): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  await readCsv(path, (fields, line) => records.push({ fields, line }), options);
  return records;
}

/**
 * Opens a file for streaming, gunzipped when its name ends in `.gz`: `raw` is the file stream (to
 * destroy when done), `stream` the bytes to read, `size` their number when known (for a .gz, its
 * trailer's, which is right for one gzip member under 4 GiB). A missing file or a folder is an
 * InputError.
 */
export async function openInput(path: string): Promise<{ raw: Readable; stream: Readable; size: number | undefined }> {
  const size = await fileSize(path);
  if (!path.endsWith(".gz")) {
    const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
    return { raw, stream: raw, size };
  }
  // Every await comes before the streams exist: a file that is not gzip makes gunzip fail as soon
  // as the first bytes arrive, and an 'error' event nobody listens to yet ends the process.
  const unzipped = await gzipSize(path, size);
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gunzip = createGunzip();
  raw.on("error", (err) => gunzip.destroy(err));
  // The error also stays on the stream (stream.errored), and its reader's iteration throws it even
  // when the reader starts after the failure.
  gunzip.on("error", () => {});
  return { raw, stream: raw.pipe(gunzip), size: unzipped };
}

/** The size of a file; an InputError when it is missing or not a file. */
async function fileSize(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError("no such file", path);
  }
  if (!info.isFile()) throw new InputError("not a file", path);
  return info.size;
}

/** The uncompressed size a gzip file's trailer gives (modulo 4 GiB), or undefined. */
async function gzipSize(path: string, size: number): Promise<number | undefined> {
  if (size < 18) return undefined;
  // A file that cannot be opened here fails its read stream too, which reports it.
  const file = await open(path, "r").catch(() => undefined);
  if (!file) return undefined;
  try {
    const trailer = Buffer.alloc(4);
    await file.read(trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/** Any failure while reading a file, as an InputError naming it (and the line, for CSV errors). */
export function toInputError(err: unknown, path: string): Error {
  if (err instanceof InputError) return err;
  if (err instanceof CsvError) {
    // `after`: the last line of the last complete record, where the reader knows it.
    const e = err as CsvError & { lines?: number; after?: number; index?: number };
    // A quote left open swallows the rest of the file: name the line where its record begins.
    const opened = e.after === undefined ? e.lines : e.after + 1;
    if (err.code === "CSV_QUOTE_NOT_CLOSED") return new InputError("a quoted field opens in the record from this line on and is never closed: the file ends inside it", path, opened);
    if (err.code === "CSV_MAX_RECORD_SIZE") return new InputError(`a record longer than ${MAX_LINE_BYTES} bytes from this line on (a quote left open? is this a CSV file?)`, path, opened);
    // csv-parse counts fields from 0 here; every other message of schedsim counts from 1.
    if (err.code === "INVALID_OPENING_QUOTE") return new InputError(`a quote inside an unquoted field (field ${(e.index ?? 0) + 1}): quote the whole field, and double each quote inside it`, path, e.lines);
    const reason = err.message.replace(/^Invalid Record Length: /, "").replace(/,? ?(at|on) line \d+/, "");
    return new InputError(reason, path, e.lines);
  }
  const code = (err as { code?: string }).code ?? "";
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith("Z_") || /incorrect header check|unexpected end of file/i.test(message)) {
    return new InputError(`not a valid gzip file (${message})`, path);
  }
  return new InputError(`cannot be read: ${message}`, path);
}
