import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { parse, CsvError } from "csv-parse";
import type { Readable } from "node:stream";
import { InputError } from "./errors.ts";

/** One CSV record with the 1-based line it ends on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** The longest line accepted: a longer one is a broken or binary file, not a workload. */
export const MAX_LINE_BYTES = 1 << 20;

export interface CsvSourceOptions {
  delimiter?: string;
}

/**
 * Streams the records of a CSV file (gzip when the name ends in `.gz`), header included, with
 * their line numbers. Accepts a UTF-8 BOM, CRLF, quoted fields and blank lines. Every failure —
 * missing file, bad gzip, malformed CSV, an overlong line — becomes an InputError naming the file.
 */
export async function* csvRecords(path: string, options: CsvSourceOptions = {}): AsyncGenerator<CsvRecord> {
  await assertReadableFile(path);
  let input: Readable = createReadStream(path);
  const gunzip = path.endsWith(".gz") ? createGunzip() : undefined;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    info: true,
    delimiter: options.delimiter ?? ",",
    max_record_size: MAX_LINE_BYTES,
    relax_column_count: false,
  });
  // Errors of the file and gzip streams are forwarded into the parser so one loop sees them all.
  input.on("error", (err) => parser.destroy(err));
  if (gunzip) {
    gunzip.on("error", (err) => parser.destroy(new InputError(`not a valid gzip file (${err.message})`, path)));
    input = input.pipe(gunzip);
  }
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { fields: item.record, line: item.info.lines };
    }
  } catch (err) {
    throw toInputError(err, path);
  } finally {
    input.destroy();
  }
}

async function assertReadableFile(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError("no such file", path);
  }
  if (!info.isFile()) throw new InputError("not a file", path);
}

function toInputError(err: unknown, path: string): Error {
  if (err instanceof InputError) return err;
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    let reason = err.message.replace(/^Invalid Record Length: /, "").replace(/,? ?(at|on) line \d+/, "");
    if (err.code === "CSV_MAX_RECORD_SIZE") reason = `a line longer than ${MAX_LINE_BYTES} bytes (is this a CSV file?)`;
    else if (err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") reason = `wrong number of fields: ${reason}`;
    return new InputError(reason, path, line);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new InputError(`cannot be read: ${message}`, path);
}
