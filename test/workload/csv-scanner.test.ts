/**
 * The byte path of the native workload reader (CsvScanner handing plain rows to WorkloadBuilder as
 * bytes) against the string path it stands for (csv-parse records through WorkloadBuilder.add):
 * the same numbers as Number() to the last bit, the same workload whatever the chunk boundaries,
 * the same error, named by the same file, line and column, whatever is wrong first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { InputError, WorkloadBuilder, ZoneTable, readWorkload, type Workload } from "../../src/index.ts";
import { CsvScanner } from "../../src/workload/csv-scanner.ts";
import { toInputError } from "../../src/workload/csv-source.ts";

const FILE = "w.csv";

/** Feeds `bytes` to a scanner in chunks cut at `cuts`; the row handler gets each row. */
async function scan(bytes: Buffer, cuts: number[], onRow: ConstructorParameters<typeof CsvScanner>[1]): Promise<void> {
  const scanner = new CsvScanner(FILE, onRow);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    await scanner.push(bytes.subarray(at, cut));
    at = cut;
  }
  await scanner.end();
}

type Outcome = { rows: unknown[] } | { error: string };

/** The workload (or the error message) through the byte path, as readWorkload reads it. */
async function viaBytes(text: string | Buffer, cuts: number[] = [], sort = false): Promise<Outcome> {
  const builder = new WorkloadBuilder(new ZoneTable(false), FILE, { sort });
  try {
    try {
      await scan(Buffer.from(text), cuts, (fields, line) => builder.addRow(fields, line));
    } catch (err) {
      builder.fail(toInputError(err, FILE));
    }
    return { rows: rowsOf(builder.finish()) };
  } catch (err) {
    return { error: message(err) };
  }
}

/** The same through csv-parse's string records and WorkloadBuilder.add. */
function viaStrings(text: string, sort = false): Outcome {
  const builder = new WorkloadBuilder(new ZoneTable(false), FILE, { sort });
  try {
    const records = parse(text, { bom: true, skip_empty_lines: true, info: true, relax_column_count: true }) as unknown as { record: string[]; info: { lines: number } }[];
    for (const r of records) builder.add(r.record, r.info.lines);
    return { rows: rowsOf(builder.finish()) };
  } catch (err) {
    return { error: message(err) };
  }
}

function message(err: unknown): string {
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).message;
}

/** -0 told apart from 0 (toEqual would not). */
const exact = (x: number | undefined) => (Object.is(x, -0) ? "-0" : x);

function rowsOf(w: Workload): unknown[] {
  expect(w.arrival.length).toBe(w.length);
  return Array.from({ length: w.length }, (_, i) => [
    w.ids[i], exact(w.arrival[i]), exact(w.duration[i]), exact(w.request[3 * i]), exact(w.request[3 * i + 1]), exact(w.request[3 * i + 2]),
    w.zone[i], w.priority[i], w.line[i],
  ]);
}

/** The value the byte path reads from one field's text (NaN: left to the string path). */
async function byteValue(text: string): Promise<number> {
  let value = NaN;
  await scan(Buffer.from(`v\n${text}\n`), [], (fields, line) => {
    if (line !== 2) return;
    const out = new Float64Array(1);
    fields.decimals(new Int32Array([0]), out);
    value = out[0]!;
  });
  return value;
}

const PLAIN = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const digitCount = (t: string) => t.replace(/[^0-9]/g, "").length;

const digits = (max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: max });
/** Decimal-looking texts: signs, leading zeros, "1.", ".5", many digits, exponents, blanks, junk. */
const decimalText = fc.oneof(
  fc.tuple(fc.constantFrom("", "-", "+"), digits(18), fc.constantFrom("", "."), digits(18), fc.constantFrom("", "", "e3", "e-7", "E+2"))
    .map(([sign, int, point, frac, exp]) => sign + int + point + frac + exp),
  fc.tuple(fc.constantFrom("", " ", "\t"), fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom("", " "))
    .map(([a, i, f, b]) => `${a}${i}.${f}${b}`),
  fc.double({ noNaN: true }).map(String),
  fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 17 })).map(([d, k]) => d.toFixed(k)),
  fc.constantFrom("0", "-0", "0.0", "-0.0", "1.", ".5", "-.5", "00", "01", "0x10", "0b1", "0o7", "1e400", "Infinity", "NaN", "", " ", "-", ".",
    "0.1", "0.2", "0.3", "1.1", "2.675", "1.005", "9007199254740993", "999999999999999", "9999999999999999", "123456789012345.6",
    "0.000000000000001", "0.0000000000000001", "17.000000000000001", "5e-324", "1٣", "１"),
  fc.string({ maxLength: 8 }).filter((t) => !/[\n\r,"\0]/.test(t)),
);

describe("numbers read from bytes", () => {
  it("are exactly Number(text) for a plain decimal of at most 15 digits, and left to the string path otherwise", async () => {
    await fc.assert(
      fc.asyncProperty(decimalText, async (text) => {
        const x = await byteValue(text);
        const plain = PLAIN.test(text) && digitCount(text) <= 15;
        if (plain) expect(exact(x)).toBe(exact(Number(text)));
        else expect(x).toBeNaN();
      }),
      { numRuns: 3000 },
    );
  });

  it("at the edges of 15 digits and of exact doubles", async () => {
    expect(await byteValue("999999999999999")).toBe(999_999_999_999_999);
    expect(await byteValue("0.12345678901234")).toBe(0.12345678901234);
    expect(await byteValue("0.123456789012345")).toBeNaN(); // 16 digits, the leading 0 counted
    expect(await byteValue("12345678.1234567")).toBe(12345678.1234567);
    expect(await byteValue("1234567890123456")).toBeNaN(); // 16 digits: Number() reads it
    expect(exact(await byteValue("-0"))).toBe("-0");
    expect(await byteValue("0.1")).toBe(0.1);
    expect(await byteValue("1.")).toBeNaN();
    expect(await byteValue(".5")).toBeNaN();
  });
});

/** A field text for the builder property: mostly plain, sometimes anything a file may hold. */
const fieldText = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 9999 }).map((k) => (k / 100).toString()) }, { weight: 2, arbitrary: decimalText });
const HEADERS = [
  ["id", "arrival", "duration", "cpu", "mem"],
  ["mem", "cpu", "id", "duration", "arrival", "gpu", "priority"],
  ["id", "arrival", "departure", "duration", "cpu", "mem", "gpu", "zone", "priority"],
  ["arrival", "id", "departure", "cpu", "mem", "extra"],
];
const workloadText = fc.integer({ min: 0, max: HEADERS.length - 1 }).chain((h) => {
  const header = HEADERS[h]!;
  const field = (name: string) =>
    name === "id" ? fc.oneof(fc.constantFrom("a", "b", "c", " d ", "é", "日本", ""), fc.integer({ min: 0, max: 1e6 }).map((k) => `c${k}`))
    : name === "zone" ? fc.constantFrom("", "eu", " us ", "zoné")
    : name === "priority" ? fc.oneof(fc.constantFrom("", "3", "-2", "1.5", " 4"), fieldText)
    : name === "extra" ? fc.constantFrom("x", "")
    : fieldText;
  const row = fc.tuple(...header.map(field)).map((fields) => fields.join(","));
  return fc.tuple(fc.array(row, { minLength: 0, maxLength: 12 }), fc.constantFrom("\n", "\r\n"), fc.boolean()).map(([rows, eol, bom]) =>
    (bom ? "\uFEFF" : "") + [header.join(","), ...rows].join(eol) + eol);
});

describe("the byte path against the string path", () => {
  it("gives the same workload or the same error (file, line, column, value) for any rows", async () => {
    await fc.assert(
      fc.asyncProperty(workloadText, fc.nat(), async (text, cut) => {
        const bytes = Buffer.from(text);
        expect(await viaBytes(bytes, [cut % (bytes.length + 1)])).toEqual(viaStrings(text));
      }),
      { numRuns: 1500 },
    );
  });

  it("gives the same workload for valid rows written in every way a number can be", async () => {
    // Any non-negative amount, written as JavaScript would, rounded, padded, with an exponent, a
    // sign, a bare point or leading zeros: all valid, most not plain, so both paths meet.
    const amount = fc.tuple(fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 0, max: 1000 }).map((k) => k / 10)), fc.integer({ min: 0, max: 7 }))
      .map(([x, how]) => [String(x), x.toFixed(3), ` ${x} `, x.toExponential(), `+${x}`, `${Math.trunc(x)}.`, `0${x}`, x.toPrecision(17)][how]!);
    const row = fc.tuple(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String), amount), amount, amount, amount,
      fc.oneof(amount, fc.constant("")), fc.constantFrom("", "eu", "us", " asia "), fc.constantFrom("", "0", "7", "-3", " 2", "1e1"));
    const text = fc.array(row, { minLength: 1, maxLength: 30 }).map((rows) =>
      "id,arrival,duration,cpu,mem,gpu,zone,priority\n" + rows.map((r, i) => [i % 3 ? `c${i}` : ` é${i}`, ...r].join(",")).join("\n") + "\n");
    await fc.assert(
      fc.asyncProperty(text, fc.nat(), async (t, cut) => {
        const strings = viaStrings(t, true);
        expect("rows" in strings).toBe(true);
        expect(await viaBytes(t, [cut % (t.length + 1)], true)).toEqual(strings);
      }),
      { numRuns: 500 },
    );
  });

  it("reads the same workload whatever the chunk boundaries (BOM, CRLF, blank lines, UTF-8, then quotes)", async () => {
    const text = "\uFEFFid,arrival,duration,cpu,mem,zone\r\n" +
      "a,0,1.5,0.25,1,eu\r\n\r\n" +
      "日本,0.5, 2,1,0.5,zoné\r\n" +
      "c,0.5,0,0,0,\r\n" +
      "\r\n" +
      "d,1,1e2,.5,1.,eu\r\n" +
      '"e,1",2,3,1,1,"z ""q"""\r\n' +
      "f,3,1,1,1,eu";
    const bytes = Buffer.from(text);
    const whole = await viaBytes(bytes);
    expect(whole).toEqual(viaStrings(text));
    expect("rows" in whole && whole.rows.length).toBe(6);
    for (let cut = 0; cut <= bytes.length; cut++) expect(await viaBytes(bytes, [cut])).toEqual(whole);
    for (let cut = 1; cut < bytes.length; cut += 7) expect(await viaBytes(bytes, [cut, cut + 1, cut + 3])).toEqual(whole);
    expect(await viaBytes(bytes, Array.from({ length: bytes.length - 1 }, (_, k) => k + 1))).toEqual(whole);
  });
});

describe("lines that end with a carriage return alone (classic Mac OS)", () => {
  const lines = ["id,arrival,duration,cpu,mem,zone", "a,0,1.5,0.25,1,eu", "b,0.5,2,1,0.5,", "", "c,1,1e2,.5,1.,eu"];

  it("read as the same workload, with the same line numbers, as LF line ends, whatever the chunk boundaries", async () => {
    const lf = await viaBytes(lines.join("\n") + "\n");
    expect("rows" in lf && lf.rows.length).toBe(3);
    const bytes = Buffer.from(lines.join("\r") + "\r");
    expect(await viaBytes(bytes)).toEqual(lf);
    expect(await viaBytes(Buffer.from(lines.join("\r")))).toEqual(lf);
    for (let cut = 0; cut <= bytes.length; cut++) expect(await viaBytes(bytes, [cut])).toEqual(lf);
  });

  it("a bad field is named by its line", async () => {
    const bad = [...lines.slice(0, 3), "d,2,x,1,1,eu"].join("\r");
    expect(await viaBytes(bad)).toEqual({ error: 'w.csv:4, column "duration": not a finite decimal number (got "x")' });
  });

  it("a last line ended by CR LF, an LF arriving after a carried header, and a first line with a quote read the same", async () => {
    const lf = await viaBytes(lines.join("\n") + "\n");
    const bytes = Buffer.from(lines.join("\r") + "\r\n");
    expect(await viaBytes(bytes)).toEqual(lf);
    for (let cut = 0; cut <= bytes.length; cut++) expect(await viaBytes(bytes, [cut])).toEqual(lf);
    const quoted = ['"id",arrival,duration,cpu,mem,zone', ...lines.slice(1)];
    expect(await viaBytes(quoted.join("\r") + "\r\n")).toEqual(lf);
  });

  it("CR CR LF line ends (a CRLF file converted twice) and a stray CR in an LF header are read as before, not as CR line ends", async () => {
    const lf = await viaBytes(lines.join("\n") + "\n");
    const full = lines.filter((l) => l !== ""); // a blank line there reads as a lone CR, a row of one field (as it always did)
    const twice = Buffer.from(full.join("\r\r\n") + "\r\r\n"), once = await viaBytes(full.join("\n") + "\n");
    expect(await viaBytes(twice)).toEqual(once);
    for (let cut = 0; cut <= twice.length; cut += 3) expect(await viaBytes(twice, [cut])).toEqual(once);
    expect(await viaBytes(["id,arrival,duration,cpu,mem\r,zone", ...lines.slice(1)].join("\n") + "\n")).toEqual(lf);
  });

  it("a file longer than the line limit is read whole, not refused as one overlong line", async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `c${i},${i},1,1,1,eu`);
    const text = [lines[0], ...rows].join("\r") + "\r";
    expect(text.length).toBeGreaterThan(1 << 20);
    const read = await viaBytes(text, [70_000, 600_000]);
    expect(read).toEqual(await viaBytes(text.replace(/\r/g, "\n")));
    expect("rows" in read && read.rows.length).toBe(60_000);
    // Ended by CR LF, and in many chunks (as a .gz arrives).
    const cuts = Array.from({ length: 30 }, (_, k) => (k + 1) * 50_000);
    expect(await viaBytes(text + "\n", cuts)).toEqual(read);
  });
});

describe("errors through the byte path", () => {
  const header = "id,arrival,duration,cpu,mem\n";
  it.each([
    ["a duplicate id comes before a later row's wrong field count", "a,0,1,1,1\na,1,1,1,1\nb,2,1,1\n",
      'w.csv:3, column "id": duplicate container id: already on line 2 (got "a")'],
    ["a wrong field count comes before the same row's duplicate id", "a,0,1,1,1\na,1,1,1,1,9\n",
      'w.csv:3: wrong number of fields: 6 where the header has 5 (field 6 has no column: a field holding an unquoted comma? quote it) (got "9")'],
    ["a short row is named by the column it leaves empty, before its bad number", "a,0,1,x\n",
      'w.csv:2, column "mem": wrong number of fields: 4 where the header has 5 (the line ends before this column)'],
    ["a duplicate id comes before the same row's bad number", "a,0,1,1,1\na,1,1,-1,1\n",
      'w.csv:3, column "id": duplicate container id: already on line 2 (got "a")'],
    ["a bad number comes before a later duplicate", "a,0,1,1,1\nb,1,1,-1,1\na,2,1,1,1\n",
      'w.csv:3, column "cpu": must not be negative (got "-1")'],
    ["an empty id comes after an earlier duplicate", "a,0,1,1,1\na,1,1,1,1\n,2,1,1,1\n",
      'w.csv:3, column "id": duplicate container id: already on line 2 (got "a")'],
    ["a duplicate found after many rows names both lines", Array.from({ length: 3000 }, (_, k) => `c${k},${k},1,1,1\n`).join("") + "c17,3000,1,1,1\n",
      'w.csv:3002, column "id": duplicate container id: already on line 19 (got "c17")'],
    ["a number not plain goes through the string path", "a,0,1, 0x10,1\n", 'w.csv:2, column "cpu": not a finite decimal number (got "0x10")'],
    ["an empty number", "a,0,,1,1\n", 'w.csv:2, column "duration": a number is required here, the field is empty'],
    ["out of order", "a,5,1,1,1\nb,2.50,1,1,1\n", 'w.csv:3, column "arrival": arrival out of order: 2.5 comes after 5 (sort the file by arrival, or pass --sort) (got "2.50")'],
  ])("%s", async (_what, rows, expected) => {
    expect(await viaBytes(header + rows)).toEqual({ error: expected });
    for (const cut of [1, header.length + 3, header.length + 11]) expect(await viaBytes(header + rows, [cut])).toEqual({ error: expected });
  });

  it("a NUL byte in a later chunk comes after a duplicate id before it", async () => {
    const bytes = Buffer.from(`${header}a,0,1,1,1\na,1,1,1,1\nb,2,1,1,1\n\0`);
    expect(await viaBytes(bytes, [bytes.length - 1])).toEqual({ error: 'w.csv:3, column "id": duplicate container id: already on line 2 (got "a")' });
    expect(await viaBytes(bytes.subarray(0, header.length + 10).toString() + "\0")).toEqual({ error: "w.csv:3: a NUL byte: this is a binary file, not CSV text" });
  });

  it("an overlong line, named by its line, whether it ends in the chunk or not", async () => {
    const long = `${header}a,0,1,1,1\nb${"x".repeat(1 << 20)},1,1,1,1\n`;
    const expected = { error: "w.csv:3: a line longer than 1048576 bytes (is this a CSV file?)" };
    expect(await viaBytes(long)).toEqual(expected);
    expect(await viaBytes(long, [header.length + 20, header.length + 500_000])).toEqual(expected);
  });

  it("a quoted field that never closes names the line where its record begins, however far the file goes on", async () => {
    const error = { error: "w.csv:3: a quoted field opens in the record from this line on and is never closed: the file ends inside it" };
    expect(await viaBytes(`${header}a,0,1,1,1\n"b,1,1,1,1\n`)).toEqual(error);
    expect(await viaBytes(`${header}a,0,1,1,1\nb,1,1,"1,1\nc,2,1,1,1\nd,3,1,1,1\n`)).toEqual(error);
    const rest = Array.from({ length: 60_000 }, (_, i) => `c${i},${i},1,1,1\n`).join("");
    expect(await viaBytes(`${header}a,0,1,1,1\nb,1,1,"1,1\n${rest}`)).toEqual({ error: "w.csv:3: a record longer than 1048576 bytes from this line on (a quote left open? is this a CSV file?)" });
    // After a good quoted record too (the reader is then csv-parse from its line on).
    expect(await viaBytes(`${header}"a",0,1,1,1\nb,1,1,1,1\nc,2,1,"1,1\nd,3,1,1,1\n`)).toEqual({ error: "w.csv:4: a quoted field opens in the record from this line on and is never closed: the file ends inside it" });
  });

  it("a quote inside an unquoted field names its field counting from 1", async () => {
    expect(await viaBytes(`${header}a,0,1,1,1\nb,1,1,1,x"1"\n`)).toEqual({ error: 'w.csv:3: a quote inside an unquoted field (field 5): quote the whole field, and double each quote inside it' });
  });
});

describe("readWorkload on files of several MiB (room made from an estimate)", () => {
  let dir: string;
  // Lines grow along the file, as in real traces; now and then a field the string path reads.
  const text = "id,arrival,duration,cpu,mem,gpu\n" + Array.from({ length: 120_000 }, (_, i) =>
    `${i % 1000 === 7 ? "é" : "c"}${i},${(i * 0.25).toFixed(2 + (i % 3))},${i % 997 === 0 ? " 5" : (i % 600) + 0.5},${(i % 8) / 4},${i % 101 === 0 ? "1e1" : i % 64},${i % 9 ? "" : "0.5"}`,
  ).join("\n") + "\n";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "schedsim-scan-"));
    await writeFile(join(dir, "w.csv"), text);
    await writeFile(join(dir, "w.csv.gz"), gzipSync(text));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads plain and .csv.gz files exactly as the string path reads the text", async () => {
    const expected = viaStrings(text);
    expect("rows" in expected && expected.rows.length).toBe(120_000);
    for (const name of ["w.csv", "w.csv.gz"]) {
      const { workload } = await readWorkload(join(dir, name), new ZoneTable(false));
      expect({ rows: rowsOf(workload) }).toEqual(expected);
    }
  });
});
