/**
 * The native workload format (WorkloadBuilder, pure; readWorkload, streaming plain or gzip). The
 * CLI-level bad-input corpus is in test/robustness; here: what a good file means, and the errors
 * of the builder itself with their exact file, line and column.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError, WorkloadBuilder, ZoneTable, parseZones, readWorkload, type Workload } from "../../src/index.ts";
import { dedent, records } from "../helpers.ts";

/** Builds a workload from CSV text (file name "w.csv"), with a lenient zone table unless given one. */
function build(text: string, options: { sort?: boolean; zones?: ZoneTable } = {}): Workload {
  const b = new WorkloadBuilder(options.zones ?? new ZoneTable(false), "w.csv", { sort: options.sort });
  for (const r of records(text)) b.add(r.fields, r.line);
  return b.finish();
}

/** The error a build throws. */
function buildError(text: string, options: { sort?: boolean; zones?: ZoneTable } = {}): InputError {
  try {
    build(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("the workload was accepted");
}

/** Rows of a workload as plain values (requests in micro-units). */
function rows(w: Workload) {
  return Array.from({ length: w.length }, (_, i) => ({
    id: w.ids[i], arrival: w.arrival[i], duration: w.duration[i],
    cpu: w.request[i * 3], mem: w.request[i * 3 + 1], gpu: w.request[i * 3 + 2],
    zone: w.zone[i], priority: w.priority[i], line: w.line[i],
  }));
}

describe("reading a native workload", () => {
  it("holds requests as integer micro-units, rounded to the nearest", () => {
    const w = build(`
      id,arrival,duration,cpu,mem,gpu
      a,0,1,0.1,2.5,0.5
      b,0,1,0.1234567,1e-7,0.0000006`);
    expect(rows(w).map((r) => [r.cpu, r.mem, r.gpu])).toEqual([[100_000, 2_500_000, 500_000], [123_457, 0, 1]]);
  });

  it("defaults gpu to 0, zone to none and priority to 0; keeps the source line", () => {
    const w = build(`
      id,arrival,duration,cpu,mem,gpu,zone,priority
      a,0,1,1,1,,,
      b,2,3,1,1,1,eu,-2`);
    expect(rows(w)).toEqual([
      { id: "a", arrival: 0, duration: 1, cpu: 1e6, mem: 1e6, gpu: 0, zone: -1, priority: 0, line: 2 },
      { id: "b", arrival: 2, duration: 3, cpu: 1e6, mem: 1e6, gpu: 1e6, zone: 0, priority: -2, line: 3 },
    ]);
  });

  it("takes duration = departure − arrival, and duration when a row has both", () => {
    const w = build(`
      id,arrival,duration,departure,cpu,mem
      a,1,,4.5,1,1
      b,2,7,4,1,1
      c,3,,3,1,1`);
    expect(Array.from(w.duration.subarray(0, w.length))).toEqual([3.5, 7, 0]);
    // A file with only a departure column.
    expect(build("id,arrival,departure,cpu,mem\na,10,12,1,1").duration[0]).toBe(2);
  });

  it("accepts columns in any order and reads past unknown ones with a warning", () => {
    const b = new WorkloadBuilder(new ZoneTable(false), "w.csv");
    for (const r of records("mem,extra,cpu,duration,arrival,id\n2,x,1,5,0,a")) b.add(r.fields, r.line);
    expect(rows(b.finish())[0]).toMatchObject({ id: "a", arrival: 0, duration: 5, cpu: 1e6, mem: 2e6 });
    expect(b.warnings).toEqual(['w.csv: ignoring unknown column "extra"']);
  });

  it("refuses an out-of-order arrival, naming its line, unless asked to sort (stably)", () => {
    const text = `
      id,arrival,duration,cpu,mem
      a,5,1,1,1
      b,2,1,1,1
      c,5,1,1,1
      d,2,1,1,1`;
    expect(buildError(text).message).toBe('w.csv:3, column "arrival": arrival out of order: 2 comes after 5 (sort the file by arrival, or pass --sort) (got "2")');
    const w = build(text, { sort: true });
    expect(w.ids).toEqual(["b", "d", "a", "c"]);
    expect(Array.from(w.line.subarray(0, 4))).toEqual([3, 5, 2, 4]);
  });

  it("with a zones file, refuses a container zone that is not in it, naming the line", () => {
    const { zones } = parseZones(records("from,to,latency_ms\neu,us,80"), "z.csv");
    const e = buildError("id,arrival,duration,cpu,mem,zone\na,0,1,1,1,eu\nb,1,1,1,1,asia", { zones });
    expect(e.message).toBe('w.csv:3, column "zone": unknown zone "asia": it is not in the zones file (got "asia")');
    expect([e.file, e.line, e.column, e.value]).toEqual(["w.csv", 3, "zone", "asia"]);
  });

  it.each([
    ["a negative request", "id,arrival,duration,cpu,mem\na,0,1,-1,1", 'w.csv:2, column "cpu": must not be negative (got "-1")'],
    ["a departure before the arrival", "id,arrival,departure,cpu,mem\na,5,4,1,1", 'w.csv:2, column "departure": departure 4 is before arrival 5 (got "4")'],
    ["a hexadecimal amount with a leading space", "id,arrival,duration,cpu,mem\na,0,1, 0x10,1", 'w.csv:2, column "cpu": not a finite decimal number (got "0x10")'],
    ["a fractional priority", "id,arrival,duration,cpu,mem,priority\na,0,1,1,1,1.5", 'w.csv:2, column "priority": must be an integer (got "1.5")'],
  ])("refuses %s, naming file, line, column and value", (_what, text, message) => {
    expect(buildError(text).message).toBe(message);
  });
});

describe("readWorkload from files", () => {
  let dir: string;
  const text = dedent(`
    id,arrival,duration,cpu,mem,zone
    a,0,1.5,0.25,1,x
    b,0.5,2,1,0.5,
    c,0.5,0,0,0,y`);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "schedsim-native-"));
    await writeFile(join(dir, "w.csv"), text);
    await writeFile(join(dir, "w.csv.gz"), gzipSync(text));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a .csv.gz exactly like the plain file", async () => {
    const plain = await readWorkload(join(dir, "w.csv"), new ZoneTable(false));
    const gz = await readWorkload(join(dir, "w.csv.gz"), new ZoneTable(false));
    expect(rows(gz.workload)).toEqual(rows(plain.workload));
    expect(rows(plain.workload)).toEqual(rows(build(text)));
  });

  it("reports its progress in bytes, up to the (uncompressed) size, for plain and .gz files", async () => {
    // Several MiB, so that both the plain reader's 1 MiB chunks and gunzip's come several times.
    const big = ["id,arrival,duration,cpu,mem", ...Array.from({ length: 200_000 }, (_, i) => `c${i},${i},10,1,2`)].join("\n") + "\n";
    await writeFile(join(dir, "big.csv"), big);
    await writeFile(join(dir, "big.csv.gz"), gzipSync(big));
    for (const name of ["big.csv", "big.csv.gz"]) {
      const seen: [number, number][] = [];
      const { workload } = await readWorkload(join(dir, name), new ZoneTable(false), { onProgress: (bytes, size) => seen.push([bytes, size]) });
      expect(workload.length).toBe(200_000);
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.every(([, size]) => size === big.length)).toBe(true);
      expect(seen.every(([bytes], i) => i === 0 || bytes > seen[i - 1]![0])).toBe(true);
      expect(seen.at(-1)![0]).toBe(big.length);
    }
  });

  it("names the file in its errors", async () => {
    await writeFile(join(dir, "bad.csv"), "id,arrival,duration,cpu,mem\na,0,1,1,1\na,1,1,1,1\n");
    await expect(readWorkload(join(dir, "bad.csv"), new ZoneTable(false))).rejects.toThrow(`${join(dir, "bad.csv")}:3, column "id": duplicate container id: already on line 2 (got "a")`);
  });
});
