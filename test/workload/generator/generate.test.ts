import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { clusterRows, generateRows, zonesRows } from "../../../src/workload/generator/generate.ts";
import { resolveSpec, type GeneratorSpec } from "../../../src/workload/generator/spec.ts";
import { generateFiles } from "../../../src/cli/commands/generate.ts";

const SOURCE = new URL("../../fixtures/generator/source.csv", import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "schedsim-generate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = (raw: Record<string, unknown>): GeneratorSpec => resolveSpec(raw, { label: "test" });

/** A spec that uses every part: bursty arrivals, lognormal durations, choice requests, zones, priorities, cluster, network. */
const FULL = {
  seed: "abc",
  count: 2000,
  arrivals: { kind: "bursty", rate: 5, offRate: 0.5, onMean: 30, offMean: 60 },
  durations: { kind: "lognormal", mean: 120, cv: 2 },
  requests: { kind: "choice", choices: [{ cpu: 1, mem: 2, weight: 5 }, { cpu: 4, mem: 16, gpu: 1, weight: 1 }] },
  zones: { values: ["eu", "us"], weights: [2, 1] },
  priorities: { values: [0, 5], weights: [9, 1] },
  cluster: { classes: [{ count: 3, cpu: 16, mem: 64, zone: "eu" }, { count: 2, cpu: 32, mem: 128, gpu: 4, speed: 2, zone: "us", startup: 5, prefix: "g" }] },
  network: { otherMs: 40 },
};

describe("generateRows (pure)", () => {
  it("writes hand-computable rows for constant arrivals, fixed durations and fixed requests", () => {
    const rows = [...generateRows(spec({
      count: 4, start: 100, idPrefix: "job-",
      arrivals: { kind: "constant", rate: 0.5 },
      durations: { kind: "fixed", value: 7.5 },
      requests: { kind: "independent", cpu: 0.25, mem: 1.5, gpu: 0.5 },
    }))];
    expect(rows).toEqual([
      ["job-0", "100", "7.5", "0.25", "1.5", "0.5"],
      ["job-1", "102", "7.5", "0.25", "1.5", "0.5"],
      ["job-2", "104", "7.5", "0.25", "1.5", "0.5"],
      ["job-3", "106", "7.5", "0.25", "1.5", "0.5"],
    ]);
  });

  it("stops at until (arrivals at until included) or at count, whichever comes first", () => {
    const base = { arrivals: { kind: "constant", rate: 1 }, durations: { kind: "fixed", value: 1 }, requests: { kind: "independent", cpu: 1, mem: 1 } };
    expect([...generateRows(spec({ ...base, until: 3 }))].map((r) => r[1])).toEqual(["0", "1", "2", "3"]);
    expect([...generateRows(spec({ ...base, until: 3, count: 2 }))].map((r) => r[1])).toEqual(["0", "1"]);
    expect([...generateRows(spec({ ...base, count: 0 }))]).toEqual([]);
  });

  it("keeps each part on its own stream: a new duration law leaves arrivals, requests, zones, priorities as they were", () => {
    const a = [...generateRows(spec(FULL))];
    const b = [...generateRows(spec({ ...FULL, durations: { kind: "pareto", shape: 1.5, scale: 10 } }))];
    const without = (rows: string[][]) => rows.map((r) => [r[0], r[1], ...r.slice(3)]);
    expect(without(b)).toEqual(without(a));
    expect(b.map((r) => r[2])).not.toEqual(a.map((r) => r[2]));
    // And new requests leave the arrivals and durations alone.
    const c = [...generateRows(spec({ ...FULL, requests: { kind: "independent", cpu: { kind: "uniform", min: 1, max: 2 }, mem: 4 } }))];
    expect(c.map((r) => r.slice(0, 3))).toEqual(a.map((r) => r.slice(0, 3)));
  });

  it("writes arrivals non-decreasing and ids c0, c1, …", () => {
    const rows = [...generateRows(spec({ ...FULL, idPrefix: undefined }))];
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => `c${i}`));
    const t = rows.map((r) => Number(r[1]));
    expect(t.every((x, i) => i === 0 || x >= t[i - 1]!)).toBe(true);
  });

  it("builds the cluster rows and the zones matrix", () => {
    const s = spec(FULL);
    expect([...clusterRows(s.cluster!)]).toEqual([
      ["n0", "16", "64", "0", "1", "eu", "0"],
      ["n1", "16", "64", "0", "1", "eu", "0"],
      ["n2", "16", "64", "0", "1", "eu", "0"],
      ["g0", "32", "128", "4", "2", "us", "5"],
      ["g1", "32", "128", "4", "2", "us", "5"],
    ]);
    expect([...zonesRows({ ...s, network: s.network! })]).toEqual([["eu", "us", "40"]]);
    // Three zones, a same-zone latency, one pair given in one direction and one in both.
    const net = spec({
      ...FULL,
      zones: { values: ["eu", "us", "ap"] },
      network: { sameMs: 1, otherMs: 50, pairs: [{ from: "us", to: "eu", ms: 80 }, { from: "us", to: "ap", ms: 120 }, { from: "ap", to: "us", ms: 130 }, { from: "ap", to: "ap", ms: 0.5 }] },
    });
    expect([...zonesRows({ ...net, network: net.network! })]).toEqual([
      ["eu", "eu", "1"], ["eu", "us", "80"], ["eu", "ap", "50"],
      ["us", "us", "1"], ["us", "ap", "120"], ["ap", "us", "130"],
      ["ap", "ap", "0.5"],
    ]);
  });
});

describe("generateFiles (streamed to disk)", () => {
  const read = (name: string) => readFile(join(dir, name));

  it("same seed → the same bytes; another seed → other bytes", async () => {
    await generateFiles(spec(FULL), { out: join(dir, "a.csv") });
    await generateFiles(spec(FULL), { out: join(dir, "b.csv") });
    await generateFiles(spec({ ...FULL, seed: "abd" }), { out: join(dir, "c.csv") });
    expect((await read("a.csv")).equals(await read("b.csv"))).toBe(true);
    expect((await read("a.cluster.csv")).equals(await read("b.cluster.csv"))).toBe(true);
    expect((await read("a.zones.csv")).equals(await read("b.zones.csv"))).toBe(true);
    expect((await read("a.csv")).equals(await read("c.csv"))).toBe(false);
  });

  it("writes a native workload CSV that reads back as the rows generated", async () => {
    const report = await generateFiles(spec(FULL), { out: join(dir, "rows.csv") });
    const records = parse(await read("rows.csv"), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(["id", "arrival", "duration", "cpu", "mem", "gpu", "zone", "priority"]);
    expect(records.map((r) => Object.values(r))).toEqual([...generateRows(spec(FULL))]);
    expect(report.containers).toBe(2000);
    expect(report.nodes).toBe(5);
    expect(report.lastArrival).toBe(Number(records[1999]!.arrival));
  });

  it("gzips when the name ends in .gz (the same CSV inside)", async () => {
    await generateFiles(spec(FULL), { out: join(dir, "z.csv.gz"), specOut: join(dir, "z.json") });
    const inside = gunzipSync(await read("z.csv.gz"));
    expect(inside.equals(await read("a.csv"))).toBe(true);
    expect((await read("z.cluster.csv")).equals(await read("a.cluster.csv"))).toBe(true);
  });

  it("saves the resolved spec, which reproduces the same bytes, and resaves itself unchanged", async () => {
    await generateFiles(spec({ ...FULL, seed: undefined }), { out: join(dir, "s1.csv") });
    const saved = JSON.parse((await read("s1.csv.spec.json")).toString());
    expect(saved.seed).toBe("1");
    expect(saved.arrivals).toEqual({ kind: "bursty", rate: 5, offRate: 0.5, onMean: 30, offMean: 60 });
    await generateFiles(resolveSpec(saved, { label: "s1.csv.spec.json" }), { out: join(dir, "s2.csv") });
    for (const f of [".csv", ".cluster.csv", ".zones.csv", ".csv.spec.json"]) {
      expect((await read(`s2${f}`)).equals(await read(`s1${f}`)), f).toBe(true);
    }
  });

  it("records a resample source relative to the saved spec, with its sha256, and reproduces from it", async () => {
    await copyFile(SOURCE, join(dir, "source.csv"));
    const raw = { ...FULL, durations: { kind: "resample", from: "source.csv" }, requests: { kind: "resample", from: "source.csv" } };
    const first = resolveSpec(raw, { label: "x.json", resolvePath: (p) => join(dir, p) });
    await generateFiles(first, { out: join(dir, "r1.csv") });
    const saved = JSON.parse((await read("r1.csv.spec.json")).toString());
    expect(saved.durations).toEqual({ kind: "resample", from: "source.csv", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = resolveSpec(saved, { label: "r1.csv.spec.json", resolvePath: (p) => join(dir, p) });
    await generateFiles(again, { out: join(dir, "r2.csv") });
    expect((await read("r2.csv")).equals(await read("r1.csv"))).toBe(true);
    // Durations and requests come only from the source's values.
    const rows = parse(await read("r1.csv"), { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.duration))).toEqual(new Set(["10", "30", "60", "600"]));
    // Once the source changes, the saved spec refuses it.
    await writeFile(join(dir, "source.csv"), (await readFile(SOURCE, "utf8")) + "k,13,5,,1,1,0,eu\n");
    await expect(generateFiles(again, { out: join(dir, "r3.csv") })).rejects.toThrow(/durations\.sha256: the file has changed/);
  });

  it("leaves no partial file behind when it fails", async () => {
    const before = await readdir(dir);
    const bad = { ...spec(FULL), durations: { kind: "resample" as const, from: join(dir, "nope.csv") } };
    await expect(generateFiles(bad, { out: join(dir, "fail.csv") })).rejects.toThrow(/nope\.csv: no such file/);
    expect(await readdir(dir)).toEqual(before);
  });
});
