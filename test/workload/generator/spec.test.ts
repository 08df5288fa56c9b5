import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/workload/errors.ts";
import { resolveSpec } from "../../../src/workload/generator/spec.ts";
import { optionOfPath, parseAmount, specFromOptions } from "../../../src/cli/commands/generate.ts";

const base = {
  count: 10,
  arrivals: { kind: "poisson", rate: 2 },
  durations: { kind: "exponential", mean: 60 },
  requests: { kind: "independent", cpu: 1, mem: 2 },
};

/** The message of the InputError that resolving `raw` throws (file "spec.json"). */
function errorOf(raw: unknown): string {
  try {
    resolveSpec(raw, { label: "spec.json" });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error("expected an InputError");
}

/** `base` with one part replaced. */
const withPart = (patch: Record<string, unknown>) => ({ ...base, ...patch });

describe("resolveSpec: defaults", () => {
  it("fills every default, in a fixed key order", () => {
    const spec = resolveSpec({
      requests: { kind: "choice", choices: [{ mem: 2, cpu: 1 }] },
      durations: { kind: "lognormal", cv: 2, mean: 30 },
      arrivals: { kind: "diurnal", amplitude: 0.5, rate: 1 },
      count: 5,
      priorities: { values: [0, 1] },
      cluster: { classes: [{ count: 2, cpu: 8, mem: 32 }] },
    }, { label: "spec.json" });
    expect(JSON.stringify(spec)).toBe(JSON.stringify({
      version: 1, seed: "1", count: 5, start: 0, idPrefix: "c",
      arrivals: { kind: "diurnal", rate: 1, amplitude: 0.5, peakHour: 12 },
      durations: { kind: "lognormal", mean: 30, cv: 2 },
      requests: { kind: "choice", choices: [{ cpu: 1, mem: 2, gpu: 0, weight: 1 }] },
      priorities: { values: [0, 1], weights: [1, 1] },
      cluster: { classes: [{ count: 2, cpu: 8, mem: 32, gpu: 0, speed: 1, startup: 0, prefix: "n" }] },
    }));
  });

  it("takes an integer seed as its decimal string, and resolves resample paths", () => {
    const spec = resolveSpec(withPart({ seed: 42, durations: { kind: "resample", from: "w.csv" } }), {
      label: "spec.json", resolvePath: (p) => `/data/${p}`,
    });
    expect(spec.seed).toBe("42");
    expect(spec.durations).toEqual({ kind: "resample", from: "/data/w.csv" });
  });
});

describe("resolveSpec: errors name the JSON path of the bad field", () => {
  const cases: [string, unknown, string][] = [
    ["a negative rate", withPart({ arrivals: { kind: "poisson", rate: -1 } }), "spec.json: arrivals.rate: must be > 0 (got -1)"],
    ["a missing rate", withPart({ arrivals: { kind: "constant" } }), "spec.json: arrivals.rate: is required"],
    ["a rate as a string", withPart({ arrivals: { kind: "poisson", rate: "2" } }), 'spec.json: arrivals.rate: must be a finite number (got "2")'],
    ["an unknown kind", withPart({ arrivals: { kind: "poison", rate: 2 } }), 'spec.json: arrivals.kind: must be one of poisson, constant, bursty, diurnal (got "poison")'],
    ["a field of another kind", withPart({ arrivals: { kind: "poisson", rate: 2, amplitude: 1 } }), "spec.json: arrivals.amplitude: unknown field (known here: kind, rate)"],
    ["a typo at the top", { ...base, cout: 3 }, "spec.json: cout: unknown field (known here: version, seed, count, until, start, idPrefix, arrivals, durations, requests, zones, priorities, cluster, network)"],
    ["neither count nor until", { ...base, count: undefined }, "spec.json: count: is required unless until is given (generation stops at whichever comes first)"],
    ["a fractional count", { ...base, count: 2.5 }, "spec.json: count: must be an integer (got 2.5)"],
    ["an amplitude over 1", withPart({ arrivals: { kind: "diurnal", rate: 1, amplitude: 1.5 } }), "spec.json: arrivals.amplitude: must be ≤ 1 (got 1.5)"],
    ["peak hour 24", withPart({ arrivals: { kind: "diurnal", rate: 1, amplitude: 0.5, peakHour: 24 } }), "spec.json: arrivals.peakHour: must be < 24 (got 24)"],
    ["bursty without offMean", withPart({ arrivals: { kind: "bursty", rate: 1, onMean: 5 } }), "spec.json: arrivals.offMean: is required"],
    ["lognormal with both forms", withPart({ durations: { kind: "lognormal", mu: 1, sigma: 1, cv: 2 } }), "spec.json: durations: give either mu and sigma, or mean and cv, not both"],
    ["lognormal sigma 0", withPart({ durations: { kind: "lognormal", mu: 1, sigma: 0 } }), "spec.json: durations.sigma: must be > 0 (got 0)"],
    ["pareto without scale", withPart({ durations: { kind: "pareto", shape: 2 } }), "spec.json: durations.scale: is required"],
    ["a negative choice cpu", withPart({ requests: { kind: "choice", choices: [{ cpu: 1, mem: 1 }, { cpu: -2, mem: 1 }] } }), "spec.json: requests.choices[1].cpu: must be ≥ 0 (got -2)"],
    ["all weights zero", withPart({ requests: { kind: "choice", choices: [{ cpu: 1, mem: 1, weight: 0 }] } }), "spec.json: requests.choices: the weights must not all be 0"],
    ["choice weights whose sum overflows (the last would always be drawn)", withPart({ requests: { kind: "choice", choices: [{ cpu: 1, mem: 1, weight: 1e308 }, { cpu: 2, mem: 1, weight: 1e308 }] } }), "spec.json: requests.choices: the weights add up to Infinity: use smaller ones (only their ratios count)"],
    ["value weights whose sum overflows", withPart({ zones: { values: ["a", "b"], weights: [1e308, 1e308] } }), "spec.json: zones.weights: add up to Infinity: use smaller ones (only their ratios count)"],
    ["a range upside down", withPart({ requests: { kind: "independent", cpu: { kind: "uniform", min: 4, max: 1 }, mem: 1 } }), "spec.json: requests.cpu.max: must be ≥ 4 (got 1)"],
    ["weights of the wrong length", withPart({ zones: { values: ["a", "b"], weights: [1] } }), "spec.json: zones.weights: must have one weight per value (2) (got 1)"],
    ["a repeated zone", withPart({ zones: { values: ["a", "b", "a"] } }), 'spec.json: zones.values[2]: repeats an earlier value (got "a")'],
    ["a fractional priority", withPart({ priorities: { values: [0, 0.5] } }), "spec.json: priorities.values[1]: must be an integer (got 0.5)"],
    ["a resample without from", withPart({ durations: { kind: "resample" } }), "spec.json: durations.from: is required"],
    ["a bad sha256", withPart({ requests: { kind: "resample", from: "x.csv", sha256: "abc" } }), 'spec.json: requests.sha256: must be 64 lowercase hex digits (got "abc")'],
    ["a class of 0 nodes", withPart({ cluster: { classes: [{ count: 0, cpu: 1, mem: 1 }] } }), "spec.json: cluster.classes[0].count: must be ≥ 1 (got 0)"],
    ["prefixes that collide", withPart({ cluster: { classes: [{ count: 11, cpu: 1, mem: 1 }, { count: 1, cpu: 1, mem: 1, prefix: "n1" }] } }), 'spec.json: cluster.classes[1].prefix: gives the node id "n10" again (choose prefixes that cannot collide)'],
    ["a zone with outer spaces", withPart({ zones: { values: ["eu", " us"] } }), 'spec.json: zones.values[1]: must not begin or end with white space (got " us")'],
    ["too many nodes", withPart({ cluster: { classes: [{ count: 9_000_000, cpu: 1, mem: 1 }, { count: 1_000_001, cpu: 1, mem: 1 }] } }), "spec.json: cluster.classes: at most 10000000 nodes in all (got 10000001)"],
    ["a network without zones", withPart({ network: { otherMs: 5 } }), "spec.json: network: there are no zones to connect: give zones, or a zone to cluster classes"],
    ["a pair with an unknown zone", withPart({ zones: { values: ["a", "b"] }, network: { otherMs: 5, pairs: [{ from: "a", to: "c", ms: 1 }] } }), 'spec.json: network.pairs[0].to: is not a zone of the spec (a, b) (got "c")'],
    ["not an object", [1, 2], "spec.json: spec: must be an object (got [1,2])"],
    ["until before start", { ...base, start: 10, until: 5 }, "spec.json: until: must be ≥ start (10) (got 5)"],
  ];
  it.each(cases)("%s", (_what, raw, message) => {
    expect(errorOf(raw)).toBe(message);
  });
});

describe("command-line options", () => {
  it("build the spec a JSON file would give", () => {
    const raw = specFromOptions({
      count: 100, rate: 2, mean: 60, cpu: "1,2,4", mem: "1..8/0.5", gpu: "0:3,1:1", zone: "eu:3,us:1", seed: "x",
      nodes: 4, "node-cpu": 8, "node-mem": 32, "latency-ms": 20,
    });
    expect(raw).toEqual({
      seed: "x", count: 100,
      arrivals: { kind: "poisson", rate: 2 },
      durations: { kind: "exponential", mean: 60 },
      requests: {
        kind: "independent",
        cpu: { kind: "choice", values: [1, 2, 4] },
        mem: { kind: "uniform", min: 1, max: 8, step: 0.5 },
        gpu: { kind: "choice", values: [0, 1], weights: [3, 1] },
      },
      zones: { values: ["eu", "us"], weights: [3, 1] },
      cluster: { classes: [{ count: 4, cpu: 8, mem: 32 }] },
      network: { otherMs: 20 },
    });
  });

  it("read amounts as a number, choices or a range", () => {
    expect(parseAmount("2", "--cpu")).toBe(2);
    expect(parseAmount("0.25..4", "--cpu")).toEqual({ kind: "uniform", min: 0.25, max: 4 });
    expect(parseAmount("0.1 .. 0.5 / 0.1", "--cpu")).toEqual({ kind: "uniform", min: 0.1, max: 0.5, step: 0.1 });
    expect(() => parseAmount("a,b", "--cpu")).toThrow('--cpu: "a" is not a number');
  });

  it("name the option in errors about a spec they built", () => {
    const spec = specFromOptions({ count: 5, rate: -1, mean: 60, cpu: "1", mem: "1" });
    expect(() => resolveSpec(spec, { describePath: optionOfPath })).toThrow(/^--rate \(arrivals\.rate\): must be > 0 \(got -1\)$/);
    const noMean = specFromOptions({ count: 5, rate: 1, cpu: "1", mem: "1" });
    expect(() => resolveSpec(noMean, { describePath: optionOfPath })).toThrow(/^--mean \(durations\.mean\): is required$/);
    const noCpu = specFromOptions({ count: 5, rate: 1, mean: 1, mem: "1" });
    expect(() => resolveSpec(noCpu, { describePath: optionOfPath })).toThrow(/^--cpu \(requests\.cpu\): is required$/);
  });
});
