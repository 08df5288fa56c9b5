import { describe, expect, it } from "vitest";
import { mean, variance } from "d3-array";
import { durationSampler, lognormalParameters } from "../../../src/workload/generator/durations.ts";
import { amountSampler, gridPoints, requestSampler } from "../../../src/workload/generator/requests.ts";
import { Rng } from "../../../src/workload/generator/rng.ts";
import { loadSamples } from "../../../src/workload/generator/sample-source.ts";
import { resolveSpec } from "../../../src/workload/generator/spec.ts";
import { draw, expectFrequencies, expectMoments, expectNear, tally } from "./stats.ts";

// Tolerances: ±5 standard errors of each estimate under the theoretical law (see stats.ts).
const N = 200_000;
const SOURCE = new URL("../../fixtures/generator/source.csv", import.meta.url).pathname;

describe("durations", () => {
  it("fixed draws nothing and returns the value", () => {
    const d = durationSampler({ kind: "fixed", value: 42 }, new Rng("1", "d"));
    expect([d(), d(), d()]).toEqual([42, 42, 42]);
  });

  it("exponential(mean 60): mean 60, variance 3600", () => {
    const d = durationSampler({ kind: "exponential", mean: 60 }, new Rng("1", "d"));
    expectMoments(draw(N, d), 60, 3600, 9 * 60 ** 4, "exponential");
  });

  it("lognormal(mean 30, cv 1.5): sample mean 30 and log-variance ln(1 + cv²)", () => {
    const { mu, sigma } = lognormalParameters(30, 1.5);
    expect(sigma * sigma).toBeCloseTo(Math.log(1 + 2.25), 12);
    expect(Math.exp(mu + sigma * sigma / 2)).toBeCloseTo(30, 10);
    const xs = draw(N, durationSampler({ kind: "lognormal", mean: 30, cv: 1.5 }, new Rng("1", "d")));
    expectNear(mean(xs)!, 30, 30 * 1.5 / Math.sqrt(N), "lognormal mean");
    expectMoments(xs.map(Math.log), mu, sigma * sigma, 3 * sigma ** 4, "log duration");
  });

  it("pareto(shape 3, scale 10): mean 15", () => {
    const xs = draw(N, durationSampler({ kind: "pareto", shape: 3, scale: 10 }, new Rng("1", "d")));
    expectNear(mean(xs)!, 15, Math.sqrt(100 * 3 / (4 * 1) / N), "pareto mean");
  });
});

describe("requests", () => {
  it("choice: each triple with probability weight / Σ, the three together", () => {
    const r = requestSampler({
      kind: "choice",
      choices: [{ cpu: 1, mem: 2, gpu: 0, weight: 6 }, { cpu: 8, mem: 64, gpu: 1, weight: 1 }, { cpu: 0.5, mem: 1, gpu: 0, weight: 3 }],
    }, new Rng("1", "r"));
    const counts = tally(Array.from({ length: N }, r), (t) => t.join("/"));
    expectFrequencies(counts, new Map([["1/2/0", 0.6], ["8/64/1", 0.1], ["0.5/1/0", 0.3]]), N, "choice");
  });

  it("uniform with a step: equally likely grid points min, min+step, … ≤ max, printed as decimals", () => {
    expect(gridPoints(0.1, 0.5, 0.1)).toBe(5);
    expect(gridPoints(0.25, 4, 0.25)).toBe(16);
    expect(gridPoints(1, 2.9, 0.5)).toBe(4); // 1, 1.5, 2, 2.5
    const a = amountSampler({ kind: "uniform", min: 0.1, max: 0.5, step: 0.1 }, new Rng("1", "a"));
    const counts = tally(draw(N, a));
    expectFrequencies(counts, new Map(["0.1", "0.2", "0.3", "0.4", "0.5"].map((k) => [k, 0.2])), N, "grid");
  });

  it("uniform without a step: continuous on [min, max), at micro-unit resolution", () => {
    const xs = draw(N, amountSampler({ kind: "uniform", min: 1, max: 3 }, new Rng("1", "a")));
    expectMoments(xs, 2, 4 / 12, 16 / 80, "uniform amount");
    expect(xs.every((x) => Number.isInteger(Math.round(x * 1e6)) && Math.abs(x * 1e6 - Math.round(x * 1e6)) < 1e-6)).toBe(true);
  });

  it("independent: cpu, mem and gpu are drawn each on its own", () => {
    const r = requestSampler({ kind: "independent", cpu: { kind: "choice", values: [1, 2], weights: [1, 1] }, mem: { kind: "choice", values: [4, 8], weights: [3, 1] }, gpu: 0 }, new Rng("1", "r"));
    const counts = tally(Array.from({ length: N }, r), (t) => t.join("/"));
    expectFrequencies(counts, new Map([["1/4/0", 3 / 8], ["1/8/0", 1 / 8], ["2/4/0", 3 / 8], ["2/8/0", 1 / 8]]), N, "independent");
  });
});

describe("resampling a native workload (test/fixtures/generator/source.csv)", () => {
  const spec = resolveSpec({
    count: 1,
    arrivals: { kind: "poisson", rate: 1 },
    durations: { kind: "resample", from: SOURCE },
    requests: { kind: "resample", from: SOURCE },
  }, { label: "test" });

  it("reproduces the source's duration frequencies", async () => {
    const { samples } = await loadSamples(spec);
    const d = durationSampler(spec.durations, new Rng("1", "durations"), samples.durations);
    const counts = tally(draw(N, d));
    expectFrequencies(counts, new Map([["10", 0.5], ["30", 0.2], ["60", 0.2], ["600", 0.1]]), N, "durations");
    const xs = draw(N, d);
    // The source's mean is 830/10 = 83 s and its (population) variance 36,950 − 83² = 30,061 s².
    const source = [10, 10, 10, 10, 10, 30, 30, 60, 60, 600];
    expect(variance(source)! * 9 / 10).toBeCloseTo(30_061, 6);
    expectNear(mean(xs)!, 83, Math.sqrt(30_061 / N), "resampled duration mean");
  });

  it("reproduces the source's joint (cpu, mem, gpu) frequencies, never a mix of two rows", async () => {
    const { samples, spec: resolved } = await loadSamples(spec);
    const r = requestSampler(spec.requests, new Rng("1", "requests"), samples.requests);
    const counts = tally(Array.from({ length: N }, r), (t) => t.join("/"));
    expectFrequencies(counts, new Map([["1/2/0", 0.5], ["4/16/1", 0.2], ["0.5/1/0", 0.2], ["4/16/0.5", 0.1]]), N, "requests");
    expect(resolved.requests).toMatchObject({ kind: "resample", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("refuses a source whose sha256 differs from the spec's", async () => {
    const changed = { ...spec, durations: { kind: "resample" as const, from: SOURCE, sha256: "0".repeat(64) } };
    await expect(loadSamples(changed)).rejects.toThrow(/durations\.sha256: the file has changed since the spec was written/);
  });

  it("names the file of a source that is not a native workload", async () => {
    const bad = { ...spec, requests: { kind: "resample" as const, from: new URL("./missing.csv", import.meta.url).pathname } };
    await expect(loadSamples(bad)).rejects.toThrow(/missing\.csv: no such file/);
  });
});
