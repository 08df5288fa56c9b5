/**
 * The thin I/O layer of the importers: input records as TraceRecords (CSV through csv-parse, SWF
 * through a line splitter), and CSV outputs through csv-stringify that appear only when complete.
 * gzip in and out is chosen by the `.gz` file name. Everything streams.
 */
import { createWriteStream, existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { once } from "node:events";
import { finished, pipeline } from "node:stream/promises";
import type { Writable } from "node:stream";
import { createGzip } from "node:zlib";
import { csvRecords, openInput, toInputError } from "../csv-source.ts";
import { textCell } from "../../report/csv.ts";
import { Header } from "../header.ts";
import { InputError } from "../errors.ts";
import { OptionError } from "../../policy/loader.ts";
import { cannotWrite, makeFolder, partialPath, systemReason } from "../output-files.ts";
import { TraceRecord, type ColumnSite, type CsvLayout, type SwfLayout } from "./types.ts";

/** What a reader learnt besides the records: header comments (SWF) and warnings (unknown columns). */
export interface SourceInfo {
  header: Map<string, string>;
  warnings: string[];
}

/** Streams a CSV trace as TraceRecords, reading (or, headerless, assuming) its columns per the layout. */
export async function* csvTraceRecords(path: string, layout: CsvLayout, info: SourceInfo): AsyncGenerator<TraceRecord> {
  let columns: Map<string, ColumnSite> | undefined;
  let width = 0;
  for await (const { fields, line } of csvFields(path)) {
    if (columns && fields.length !== width) {
      throw new InputError(`wrong number of fields: ${fields.length} where the first line has ${width}`, path, line);
    }
    if (!columns) {
      width = fields.length;
      const first = (fields[0] ?? "").trim();
      const hasHeader = layout.header === "present" || (layout.header === "auto" && (first === "" || !Number.isFinite(Number(first))));
      if (hasHeader) {
        columns = headerColumns(fields, layout, path, line, info);
        continue;
      }
      columns = positionalColumns(fields.length, layout, path, line);
    }
    yield new TraceRecord(fields, line, path, columns);
  }
  if (!columns && layout.header === "present") throw new InputError("the file is empty (expected a header line)", path, 1);
}

/** Columns named by a header line: trimmed, aliases mapped to canonical names, required ones checked. */
export function headerColumns(fields: readonly string[], layout: CsvLayout, file: string | undefined, line: number, info?: SourceInfo): Map<string, ColumnSite> {
  const names = fields.map((f) => layout.aliases?.[f.trim()] ?? f.trim());
  const header = new Header(names, layout.columns, file, line);
  for (const name of layout.required) header.require(name);
  const w = header.warning();
  if (w) info?.warnings.push(w);
  const columns = new Map<string, ColumnSite>();
  names.forEach((name, index) => columns.set(name, { index, label: fields[index]!.trim() }));
  return columns;
}

/** Columns of a headerless file, by their position in the schema; labelled `name (field k)`. */
export function positionalColumns(count: number, layout: CsvLayout | SwfLayout, file: string | undefined, line: number): Map<string, ColumnSite> {
  const columns = new Map<string, ColumnSite>();
  layout.columns.forEach((name, index) => columns.set(name, { index, label: `${name} (field ${index + 1})` }));
  const required = layout.kind === "csv" ? layout.required : layout.columns;
  const missing = required.find((name) => columns.get(name)!.index >= count);
  if (missing !== undefined) {
    throw new InputError(`the line has ${count} fields but the format has ${layout.columns.length}: a column is missing`, file, line, columns.get(missing)!.label);
  }
  return columns;
}

/**
 * Streams an SWF file as TraceRecords: `;` lines are header comments (their `Key: value` pairs go
 * to `info.header`), blank lines are passed over, every other line must have the layout's fields.
 */
export async function* swfTraceRecords(path: string, layout: SwfLayout, info: SourceInfo, parseComment: (line: string) => [string, string] | undefined): AsyncGenerator<TraceRecord> {
  let columns: Map<string, ColumnSite> | undefined;
  let n = 0;
  for await (const text of textLines(path)) {
    n++;
    const line = text.trim();
    if (line === "") continue;
    if (line.startsWith(";")) {
      const entry = parseComment(line);
      if (entry && !info.header.has(entry[0])) info.header.set(entry[0], entry[1]);
      continue;
    }
    const fields = line.split(/\s+/);
    columns ??= positionalColumns(layout.columns.length, layout, path, n);
    if (fields.length !== layout.columns.length) {
      throw new InputError(`an SWF record has ${layout.columns.length} fields, this line has ${fields.length}`, path, n);
    }
    yield new TraceRecord(fields, n, path, columns);
  }
}

/** The records of a CSV file (field counts are checked by the caller, with its own message). */
function csvFields(path: string): AsyncGenerator<{ fields: string[]; line: number }> {
  return csvRecords(path, { relaxColumnCount: true });
}

/** The lines of a text file, without their line ends. */
async function* textLines(path: string): AsyncGenerator<string> {
  const { raw, stream } = await openInput(path);
  stream.setEncoding("utf8");
  let rest = "";
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const p of parts) yield p.endsWith("\r") ? p.slice(0, -1) : p;
    }
  } catch (err) {
    throw toInputError(err, path);
  } finally {
    raw.destroy();
  }
  if (rest !== "") yield rest;
}

/**
 * A CSV output (gzip for `.gz`) written into a hidden sibling file that is renamed into place by
 * `commit()`: an interrupted import leaves nothing that looks finished. Lines are added
 * synchronously and written in batches, so that the file and gzip streams see a few large writes
 * and the caller awaits only when a batch is full. Cells are made by `csvLine` (text through
 * csv-stringify when it needs quoting, numbers as `String(x)`).
 */
export class CsvOutput {
  static readonly BATCH = 8192;
  private batch: string[] = [];
  private readonly sink: Writable;
  private readonly done: Promise<void>;
  rows = 0;

  private constructor(readonly path: string, private readonly work: string, columns: readonly string[]) {
    const file = createWriteStream(work);
    const gzip = path.endsWith(".gz") ? createGzip() : undefined;
    this.sink = gzip ?? file;
    this.done = (gzip ? pipeline(gzip, file) : finished(file)).catch((err: unknown) => {
      throw cannotWrite(path, err);
    });
    this.done.catch(() => undefined);
    this.batch.push(columns.join(","));
  }

  /** Opens the output (creating its folder if needed). */
  static async open(path: string, columns: readonly string[]): Promise<CsvOutput> {
    const folder = dirname(path);
    if (!existsSync(folder)) {
      await makeFolder(folder).catch((err: Error) => {
        throw new OptionError(`cannot create the folder of ${path}: ${systemReason(err)}`);
      });
    }
    return new CsvOutput(path, partialPath(path), columns);
  }

  /** Adds one CSV line (without its line end), written at the next flush. */
  add(line: string): void {
    this.batch.push(line);
    this.rows++;
  }

  /** True when a batch is ready: the caller should `await flush()`. */
  get full(): boolean {
    return this.batch.length >= CsvOutput.BATCH;
  }

  /** Writes the pending lines, waiting while the stream asks to. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const text = this.batch.join("\n") + "\n";
    this.batch = [];
    if (!this.sink.write(text)) await Promise.race([once(this.sink, "drain"), this.done]);
  }

  /** Finishes the file and moves it into place. */
  async commit(): Promise<void> {
    await this.flush();
    this.sink.end();
    await this.done;
    await rename(this.work, this.path).catch((err: unknown) => {
      throw cannotWrite(this.path, err);
    });
  }

  /** Drops the unfinished file. */
  async abandon(): Promise<void> {
    this.sink.destroy();
    await this.done.catch(() => undefined);
    await rm(this.work, { force: true });
  }
}

/** One CSV line: the text cell quoted (and formula-escaped) by csv-stringify when it must be, numbers as String(x). */
export function csvLine(text: string, numbers: readonly (number | string | undefined)[]): string {
  let line = textCell(text);
  for (const x of numbers) line += x === undefined ? "," : `,${x}`;
  return line;
}
