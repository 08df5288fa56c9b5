/**
 * The shapes shared by the trace importers: a native row, a skip, an input record that names its
 * file/line/column in errors, a format's metadata, and its options. No I/O here.
 */
import { InputError } from "../errors.ts";
import { parseNumber } from "../fields.ts";
import { OptionError } from "../../policy/loader.ts";

/** One container of the native workload CSV, amounts in DESIGN.md units (s, cores, GiB, GPUs). */
export interface NativeRow {
  id: string;
  arrival: number;
  duration: number;
  cpu: number;
  mem: number;
  gpu: number;
  zone?: string;
  priority?: number;
}

/** One node of the native cluster CSV. */
export interface NodeRow {
  id: string;
  cpu: number;
  mem: number;
  gpu: number;
}

/**
 * What a mapper makes of an input record: a row (with the sequence number that orders equal
 * arrivals, by default the record's own index) or a named reason for leaving it out. A skip may
 * name the line it concerns when that is not the record being read (a task closed at the end).
 */
export type Outcome<R = NativeRow> = { row: R; seq?: number } | { skip: string; line?: number };

export const skip = (reason: string, line?: number): Outcome<never> => (line === undefined ? { skip: reason } : { skip: reason, line });

/** Where a column sits in the input and what to call it in an error. */
export interface ColumnSite {
  index: number;
  label: string;
}

/**
 * One parsed input record: its fields by canonical column name, and where it came from, so that a
 * bad field becomes an InputError naming file, line and column (as the file spells the column).
 */
export class TraceRecord {
  constructor(
    readonly fields: readonly string[],
    readonly line: number,
    readonly file: string | undefined,
    private readonly columns: ReadonlyMap<string, ColumnSite>,
  ) {}

  /** The trimmed text of a column; "" when the field is empty or the column absent. */
  text(name: string): string {
    const c = this.columns.get(name);
    return c === undefined ? "" : (this.fields[c.index] ?? "").trim();
  }

  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** The column's name as the input spells it, for messages. */
  label(name: string): string {
    return this.columns.get(name)?.label ?? name;
  }

  /** A finite number; an empty or non-numeric field is an InputError naming the site. */
  number(name: string): number {
    return parseNumber(this.text(name), { file: this.file, line: this.line, column: this.label(name) });
  }

  /** A finite number, or undefined when the field is empty (the trace's "missing"). */
  optionalNumber(name: string): number | undefined {
    return this.text(name) === "" ? undefined : this.number(name);
  }

  /** An InputError about one of this record's columns. */
  error(reason: string, name: string): InputError {
    return new InputError(reason, this.file, this.line, this.label(name), this.text(name));
  }
}

/** A CSV input: its columns in schema order (for a headerless file), which are required, how its header reads. */
export interface CsvLayout {
  kind: "csv";
  /** Canonical column names, in the order of the published schema (used when the file has no header). */
  columns: readonly string[];
  /** Columns that must be present (by canonical name). */
  required: readonly string[];
  /** `present`: line 1 is a header; `absent`: no header, columns by position; `auto`: a header unless line 1 starts with a number. */
  header: "present" | "absent" | "auto";
  /** Other spellings of column names found in published copies → canonical name. */
  aliases?: Readonly<Record<string, string>>;
}

/** The Standard Workload Format: whitespace-separated fields, `;` header comments. */
export interface SwfLayout {
  kind: "swf";
  columns: readonly string[];
}

/** A format option, declared once: the CLI builds its flags and the importer its defaults from this. */
export type OptionSpec =
  | { type: "number"; describe: string; default?: number; min?: number; max?: number; positive?: boolean; integer?: boolean }
  | { type: "string"; describe: string; default?: string; choices?: readonly string[] };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type RawOptions = Readonly<Record<string, unknown>>;
export type OptionValues = Record<string, number | string | undefined>;

/**
 * Checks a format's options (given ones against their spec, others from the defaults) and returns
 * them by name. A bad value is an OptionError naming the flag.
 */
export function readOptions(format: string, specs: OptionSpecs, raw: RawOptions): OptionValues {
  const out: OptionValues = {};
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw[name];
    if (given === undefined) {
      out[name] = spec.default;
      continue;
    }
    if (spec.type === "number") {
      const x = typeof given === "number" ? given : Number(String(given).trim() === "" ? NaN : given);
      const bad = (why: string) => new OptionError(`--${name} ${why} for format ${format} (got ${typeof given === "string" ? JSON.stringify(given) : String(given)})`);
      if (!Number.isFinite(x)) throw bad("must be a number");
      if (spec.integer && !Number.isInteger(x)) throw bad("must be an integer");
      if (spec.positive && !(x > 0)) throw bad("must be greater than 0");
      if (spec.min !== undefined && x < spec.min) throw bad(`must be at least ${spec.min}`);
      if (spec.max !== undefined && x > spec.max) throw bad(`must be at most ${spec.max}`);
      out[name] = x;
    } else {
      const s = String(given);
      if (spec.choices && !spec.choices.includes(s)) {
        throw new OptionError(`--${name} must be one of ${spec.choices.join(", ")} for format ${format} (got ${JSON.stringify(s)})`);
      }
      out[name] = s;
    }
  }
  return out;
}

/**
 * Checked options with camelCase names (`trace-end` → `traceEnd`): a format's typed options when
 * its flags map one to one onto them.
 */
export function camelOptions<O>(format: string, specs: OptionSpecs, raw: RawOptions): O {
  const values = readOptions(format, specs, raw);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), v])) as O;
}

/** Turns input records into rows. Created per import with the resolved options; may keep state. */
export interface RecordMapper<R extends NativeRow = NativeRow> {
  /** One record → an outcome, several (an event that closes tasks), or none (an event absorbed into state). */
  map(record: TraceRecord, seq: number): Outcome<R> | readonly Outcome<R>[] | undefined;
  /** Outcomes left at the end of the input (tasks still open). */
  end?(): readonly Outcome<R>[];
  /**
   * A bound below every row still to come, as (arrival, seq): rows below it may be written now.
   * Without it, a format whose input is sorted by arrival uses the last row; an unsorted one holds
   * every row until the end and sorts them in memory.
   */
  watermark?(): { arrival: number; seq: number };
  /** Turns a kept row into the containers written (a task into its instances), after sorting. */
  expand?(row: R): Iterable<NativeRow>;
  /** Counts beyond kept/skipped for the summary (instances sampled, events ignored). */
  details?(): Record<string, unknown>;
}

/** A format's node list: read from a second file, or derived from the trace's own header (SWF). */
export type NodeSource<O> =
  | { kind: "file"; layout: CsvLayout; describe: string; createMapper(options: O): NodeMapper }
  | { kind: "header"; describe: string; build(options: O, header: ReadonlyMap<string, string>): NodeRow[] }
  | { kind: "none"; describe: string };

/** Turns node-list records into nodes (a machine-event stream may add, ignore or refuse). */
export interface NodeMapper {
  map(record: TraceRecord): Outcome<NodeRow> | undefined;
  end?(): readonly Outcome<NodeRow>[];
}

/** Everything the importer needs to know about one public trace format. */
export interface TraceFormat<O = any, R extends NativeRow = NativeRow> {
  name: string;
  /** One line: what the trace is. */
  title: string;
  layout: CsvLayout | SwfLayout;
  /** `sorted`: the input comes in arrival order (streamed); `unsorted`: rows are sorted in memory at the end. */
  order: "sorted" | "unsorted";
  /** Optional native columns this format fills. */
  extraColumns: readonly ("zone" | "priority")[];
  options: OptionSpecs;
  resolveOptions(raw: RawOptions): O;
  createMapper(options: O): RecordMapper<R>;
  nodes: NodeSource<O>;
}
