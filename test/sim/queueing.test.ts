/**
 * Queueing theory: an M/M/c system built from the simulator's own parts must show the textbook
 * waits and losses.
 *
 * c = 4 single-slot nodes (1 core each), every container 1 core: a node is one server. Arrivals
 * are Poisson with rate λ = ρ·c·μ, durations exponential with mean 1/μ (μ = 1, ρ = 0.7, offered
 * load a = λ/μ = 2.8), N = 500 000 containers drawn with seedrandom.
 *  - fifo is then M/M/c/∞ FCFS: mean wait W_q = C(c, a) / (cμ − λ) (Erlang C) = 0.35721...
 *  - reject is M/M/c/c: the rejected (no-fit) fraction is B(c, a) (Erlang B) = 0.18372...
 *
 * Tolerances, derived from the run length. Waits of successive containers are correlated, so the
 * standard error of their mean is estimated by batch means (50 batches of 10 000 containers, far
 * longer than the correlation time of a few hundred containers at ρ = 0.7). At N = 500 000 it is
 * about 1.5% of W_q (measured over ten seeds: 1.4–2.0%), so ±5% is more than 3 standard errors;
 * the test checks that its own estimate stays below 2% so that this statement holds. For the
 * rejected fraction the standard error is about 0.4% of B, and ±2% is 5 of them.
 *
 * Nothing is discarded as warm-up. The system starts empty, which biases the first containers'
 * waits low, but the transient lasts about 1/(cμ(1 − √ρ)²) ≈ 9 s, i.e. a few dozen arrivals out of
 * 500 000: a bias of the order of 10⁻⁴ relative, negligible next to the 1.5% standard error.
 */
import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { MICRO, NO_FIT, REJECTED, Workload, ZoneTable, makeCluster, simulate, type SimInputs } from "../../src/index.ts";
import { builtin } from "../helpers.ts";

/** Erlang B by the standard recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). */
function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C from Erlang B: C = c·B / (c − a·(1 − B)). */
function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** Mean and batch-means standard error of a series. */
function batchMeans(values: Float64Array, batches: number): { mean: number; se: number } {
  const size = Math.floor(values.length / batches);
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    let s = 0;
    for (let i = b * size; i < (b + 1) * size; i++) s += values[i]!;
    means.push(s / size);
  }
  const mean = means.reduce((x, y) => x + y, 0) / batches;
  const variance = means.reduce((s, m) => s + (m - mean) ** 2, 0) / (batches - 1);
  return { mean, se: Math.sqrt(variance / batches) };
}

const c = 4, mu = 1, rho = 0.7, lambda = rho * c * mu, a = lambda / mu, N = 500_000, BATCHES = 50;

/** The M/M/c workload: Poisson arrivals (exponential gaps), exponential durations, 1 core each. */
function mmcInputs(seed: string): SimInputs {
  const rng = seedrandom(seed);
  const exponential = (rate: number) => -Math.log(1 - rng()) / rate;
  const workload = new Workload(N);
  let t = 0;
  for (let i = 0; i < N; i++) {
    t += exponential(lambda);
    workload.push(`c${i}`, t, exponential(mu), 1 * MICRO, 0, 0);
  }
  const cluster = makeCluster(Array.from({ length: c }, (_, i) => ({ id: `n${i}`, cpu: 1 * MICRO, mem: 1 * MICRO })));
  return { workload, cluster, zones: new ZoneTable(false) };
}

describe(`M/M/${c} with ρ = ${rho}, ${N.toLocaleString("en-US")} containers`, () => {
  const inputs = mmcInputs("mmc-queueing");

  it("the textbook values are what this test believes they are", () => {
    // Erlang B(1, a) = a/(1+a); C(1, a) = ρ for M/M/1; and the values for c = 4, a = 2.8.
    expect(erlangB(1, 0.5)).toBeCloseTo(1 / 3, 15);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 15);
    expect(erlangB(c, a)).toBeCloseTo(0.18372422, 8);
    expect(erlangC(c, a) / (c * mu - lambda)).toBeCloseTo(0.35721193, 8);
  });

  it("fifo: the mean wait is Erlang C's W_q = C(c, a) / (cμ − λ) within 5%", () => {
    const wq = erlangC(c, a) / (c * mu - lambda);
    const result = simulate(inputs, { policy: builtin("first-fit"), queue: "fifo", timeline: false });
    expect(result.summary.finished).toBe(N);
    const waits = new Float64Array(N);
    for (let i = 0; i < N; i++) waits[i] = result.containers.start[i]! - inputs.workload.arrival[i]!;
    const { mean, se } = batchMeans(waits, BATCHES);
    expect(result.summary.wait_mean).toBeCloseTo(mean, 9);
    expect(se / wq).toBeLessThan(0.02);
    expect(Math.abs(mean - wq) / wq).toBeLessThan(0.05);
  });

  it("reject: the rejected (no-fit) fraction is Erlang B(c, a) within 2%", () => {
    const b = erlangB(c, a);
    const result = simulate(inputs, { policy: builtin("first-fit"), queue: "reject", timeline: false });
    const rejected = new Float64Array(N);
    for (let i = 0; i < N; i++) rejected[i] = result.containers.state[i] === REJECTED && result.containers.reason[i] === NO_FIT ? 1 : 0;
    const { mean, se } = batchMeans(rejected, BATCHES);
    expect(result.summary.rejected_no_fit / N).toBeCloseTo(mean, 12);
    expect(result.summary.rejected_unschedulable).toBe(0);
    expect(result.summary.wait_mean).toBe(0);
    expect(se / b).toBeLessThan(0.008);
    expect(Math.abs(mean - b) / b).toBeLessThan(0.02);
  });
});
