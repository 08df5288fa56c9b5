/** The cluster CSV, the --nodes shorthand and the zones CSV (pure parsers over records). */
import { describe, expect, it } from "vitest";
import { InputError, ZoneTable, checkZonePairs, parseCluster, parseZones, uniformCluster } from "../../src/index.ts";
import { records } from "../helpers.ts";

describe("cluster file", () => {
  it("defaults gpu to 0, speed to 1, startup to 0 and zone to none", () => {
    const { cluster } = parseCluster(records("id,cpu,mem\na,2,4.5"), new ZoneTable(false), "c.csv");
    expect(cluster.ids).toEqual(["a"]);
    expect(Array.from(cluster.capacity)).toEqual([2e6, 4.5e6, 0]);
    expect([cluster.speed[0], cluster.startup[0], cluster.zone[0]]).toEqual([1, 0, -1]);
  });

  it("reads every column, in file order (the node index)", () => {
    const zones = new ZoneTable(false);
    const { cluster } = parseCluster(records(`
      zone,startup,speed,gpu,mem,cpu,id
      eu,0.5,2,1.5,8,4,b
      ,0,0.25,0,1,1,a`), zones, "c.csv");
    expect(cluster.ids).toEqual(["b", "a"]);
    expect(Array.from(cluster.capacity)).toEqual([4e6, 8e6, 1.5e6, 1e6, 1e6, 0]);
    expect(Array.from(cluster.speed)).toEqual([2, 0.25]);
    expect(Array.from(cluster.startup)).toEqual([0.5, 0]);
    expect(Array.from(cluster.zone)).toEqual([zones.find("eu"), -1]);
  });

  it("refuses a speed of 0, naming file, line and column", () => {
    expect(() => parseCluster(records("id,cpu,mem,speed\na,1,1,1\nb,1,1,0"), new ZoneTable(false), "c.csv"))
      .toThrow(/^c\.csv:3, column "speed": /);
  });

  it("the --nodes shorthand gives N identical nodes n0 … n{N-1}", () => {
    const c = uniformCluster(3, 2, 4.25, 0.5);
    expect(c.ids).toEqual(["n0", "n1", "n2"]);
    expect(Array.from(c.capacity)).toEqual([2e6, 4.25e6, 0.5e6, 2e6, 4.25e6, 0.5e6, 2e6, 4.25e6, 0.5e6]);
    expect(Array.from(c.speed)).toEqual([1, 1, 1]);
  });
});

describe("zones file", () => {
  const { zones } = parseZones(records(`
    from,to,latency_ms
    a,b,10
    a,c,20
    c,a,30
    b,b,5`), "z.csv");
  const z = (name: string) => zones.find(name)!;

  it("a pair listed in one direction serves both", () => {
    expect([zones.resolve(z("a"), z("b")), zones.resolve(z("b"), z("a"))]).toEqual([0.01, 0.01]);
  });

  it("listed in both directions, each direction has its own latency", () => {
    expect([zones.resolve(z("a"), z("c")), zones.resolve(z("c"), z("a"))]).toEqual([0.02, 0.03]);
  });

  it("the same zone is 0 unless listed; no zone is 0 to everything", () => {
    expect([zones.resolve(z("a"), z("a")), zones.resolve(z("b"), z("b")), zones.resolve(-1, z("c")), zones.resolve(z("c"), -1)]).toEqual([0, 0.005, 0, 0]);
  });

  it("a pair listed nowhere does not resolve, and a run using it is refused at load", () => {
    expect(zones.resolve(z("b"), z("c"))).toBeUndefined();
    const { cluster } = parseCluster(records("id,cpu,mem,zone\nn0,1,1,a\nn1,1,1,c"), zones, "c.csv");
    expect(() => checkZonePairs(zones, cluster, [z("a")], "z.csv")).not.toThrow();
    expect(() => checkZonePairs(zones, cluster, [z("a"), z("b")], "z.csv")).toThrow(InputError);
    expect(() => checkZonePairs(zones, cluster, [z("b")], "z.csv")).toThrow(/no latency from zone "b" to zone "c"/);
  });

  it("without a zones file every latency is 0", () => {
    const open = new ZoneTable(false);
    expect(open.resolve(open.intern("p"), open.intern("q"))).toBe(0);
  });

  it("refuses a pair listed twice, naming the line", () => {
    expect(() => parseZones(records("from,to,latency_ms\na,b,1\na,b,2"), "z.csv")).toThrow(/^z\.csv:3, column "to": /);
  });
});
