import { describe, expect, it } from "vitest";
import { max, mean, min, variance } from "d3-array";
import { Rng, weightedTable } from "../../../src/workload/generator/rng.ts";
import { draw, expectFrequencies, expectMoments, expectNear, tally } from "./stats.ts";

// Tolerances: ±5 standard errors of each estimate under the theoretical law (see stats.ts).
const N = 200_000;

describe("Rng streams", () => {
  it("gives the same sequence for the same seed and stream, and different ones otherwise", () => {
    const a = draw(5, () => new Rng("7", "arrivals").uniform());
    const s1 = new Rng("7", "arrivals"), s2 = new Rng("7", "arrivals");
    const seq1 = draw(100, () => s1.uniform()), seq2 = draw(100, () => s2.uniform());
    expect(seq1).toEqual(seq2);
    const other = new Rng("7", "durations"), seed8 = new Rng("8", "arrivals");
    expect(draw(100, () => other.uniform())).not.toEqual(seq1);
    expect(draw(100, () => seed8.uniform())).not.toEqual(seq1);
    expect(a.every((x) => x === a[0])).toBe(true); // a fresh generator starts at the same draw
  });

  it("stays in [0, 1)", () => {
    const r = new Rng("1", "u");
    const xs = draw(N, () => r.uniform());
    expect(min(xs)!).toBeGreaterThanOrEqual(0);
    expect(max(xs)!).toBeLessThan(1);
  });
});

describe("distributions: sample moments against theory on 200,000 draws", () => {
  it("uniform on [a, b): mean (a+b)/2, variance (b−a)²/12, μ4 = (b−a)⁴/80", () => {
    const r = new Rng("1", "between"), a = 2, b = 10, w = b - a;
    expectMoments(draw(N, () => r.between(a, b)), (a + b) / 2, w * w / 12, w ** 4 / 80, "uniform");
  });

  it("exponential(m): mean m, variance m², μ4 = 9m⁴", () => {
    const r = new Rng("1", "exp"), m = 60;
    expectMoments(draw(N, () => r.exponential(m)), m, m * m, 9 * m ** 4, "exponential");
  });

  it("normal: mean 0, variance 1, μ4 = 3 (both Box–Muller outputs used)", () => {
    const r = new Rng("1", "normal");
    const xs = draw(N, () => r.normal());
    expectMoments(xs, 0, 1, 3, "normal");
    // The cached second value is a normal too: the odd draws alone have the same law.
    expectMoments(xs.filter((_, i) => i % 2 === 1), 0, 1, 3, "normal (second of each pair)");
    // …and independent of the first: the correlation of the two values of a pair is 0 (SE 1/√pairs).
    const pairs = N / 2;
    let cross = 0;
    for (let i = 0; i < N; i += 2) cross += xs[i]! * xs[i + 1]!;
    expectNear(cross / pairs, 0, 1 / Math.sqrt(pairs), "correlation within a Box–Muller pair");
    // P(Z ≤ 1) = 0.841345
    const p = 0.8413447460685429;
    expectNear(xs.filter((z) => z <= 1).length / N, p, Math.sqrt(p * (1 - p) / N), "P(Z ≤ 1)");
  });

  it("lognormal(mu, sigma): log is normal(mu, sigma²); mean exp(mu + sigma²/2)", () => {
    const r = new Rng("1", "lognormal"), mu = 1.5, sigma = 0.5;
    const xs = draw(N, () => r.lognormal(mu, sigma));
    expectMoments(xs.map(Math.log), mu, sigma * sigma, 3 * sigma ** 4, "log of lognormal");
    const m = Math.exp(mu + sigma * sigma / 2);
    const v = (Math.exp(sigma * sigma) - 1) * m * m;
    expectNear(mean(xs)!, m, Math.sqrt(v / N), "lognormal mean");
  });

  it("pareto(shape 3, scale 2): mean 3, variance 3, P(X > x) = (2/x)³", () => {
    const r = new Rng("1", "pareto"), a = 3, xm = 2;
    const xs = draw(N, () => r.pareto(a, xm));
    expect(min(xs)!).toBeGreaterThanOrEqual(xm);
    const m = a * xm / (a - 1), v = xm * xm * a / ((a - 1) ** 2 * (a - 2));
    expectNear(mean(xs)!, m, Math.sqrt(v / N), "pareto mean");
    for (const x of [3, 4, 10]) {
      const p = (xm / x) ** a;
      expectNear(xs.filter((y) => y > x).length / N, p, Math.sqrt(p * (1 - p) / N), `pareto P(X > ${x})`);
    }
  });

  it("pareto(shape 2.5, scale 1): mean 5/3 (finite variance 20/9)", () => {
    const r = new Rng("2", "pareto"), a = 2.5;
    const xs = draw(N, () => r.pareto(a, 1));
    expectNear(mean(xs)!, a / (a - 1), Math.sqrt(a / ((a - 1) ** 2 * (a - 2)) / N), "pareto mean");
  });

  it("pareto(shape 1.5): the heavy tail P(X > x) = (scale/x)^1.5 out to x = 1000·scale", () => {
    const r = new Rng("1", "pareto-heavy"), a = 1.5, xm = 10;
    const xs = draw(N, () => r.pareto(a, xm));
    for (const x of [20, 100, 1000, 10_000]) {
      const p = (xm / x) ** a;
      expectNear(xs.filter((y) => y > x).length / N, p, Math.sqrt(p * (1 - p) / N), `pareto P(X > ${x})`);
    }
  });

  it("index(n): each of 0..n−1 with probability 1/n", () => {
    const r = new Rng("1", "index");
    const counts = tally(draw(N, () => r.index(7)));
    expectFrequencies(counts, new Map(Array.from({ length: 7 }, (_, i) => [String(i), 1 / 7])), N, "index");
  });

  it("weighted: index i with probability w_i / Σw; zero weights never, even last", () => {
    const r = new Rng("1", "weighted");
    const weights = [3, 0, 1, 6, 0];
    const table = weightedTable(weights);
    const counts = tally(draw(N, () => r.weighted(table)));
    expectFrequencies(counts, new Map(weights.map((w, i) => [String(i), w / 10])), N, "weighted");
    expect(variance([1, 2])).toBe(0.5); // d3's variance is the unbiased (n − 1) one the tests assume
  });
});
