import { describe, expect, it } from "vitest";
import { mean, variance } from "d3-array";
import { arrivalTimes, DAY } from "../../../src/workload/generator/arrivals.ts";
import { Rng } from "../../../src/workload/generator/rng.ts";
import type { ArrivalSpec } from "../../../src/workload/generator/spec.ts";
import { expectNear } from "./stats.ts";

// Tolerances: ±5 standard errors of each estimate under the theoretical process (see stats.ts).

/** The first n arrival times, or all those up to `until`. */
function times(spec: ArrivalSpec, opts: { n?: number; until?: number; start?: number; seed?: string }): Float64Array {
  const it = arrivalTimes(spec, opts.start ?? 0, new Rng(opts.seed ?? "1", "arrivals"));
  const out: number[] = [];
  for (;;) {
    if (opts.n !== undefined && out.length >= opts.n) break;
    const t = it.next().value as number;
    if (opts.until !== undefined && t > opts.until) break;
    out.push(t);
  }
  return Float64Array.from(out);
}

function gaps(ts: Float64Array): Float64Array {
  return ts.subarray(1).map((t, i) => t - ts[i]!);
}

function expectNonDecreasing(ts: Float64Array): void {
  const bad = ts.findIndex((t, i) => i > 0 && t < ts[i - 1]!);
  expect(bad, `arrival ${bad} goes back in time`).toBe(-1);
}

describe("constant arrivals", () => {
  it("are start + i/rate exactly, from start", () => {
    expect([...times({ kind: "constant", rate: 4 }, { n: 5, start: 10 })]).toEqual([10, 10.25, 10.5, 10.75, 11]);
    // Computed, not accumulated: arrival 99,999 at rate 10 is exactly 9999.9 (i / 10 rounded once;
    // adding 0.1 that many times would be off in the last digits).
    const ts = times({ kind: "constant", rate: 10 }, { n: 100_000 });
    expect(ts[99_999]).toBe(9999.9);
    expectNonDecreasing(ts);
  });
});

describe("poisson arrivals (200,000)", () => {
  it("have exponential gaps: mean 1/rate, CV 1, first arrival after start", () => {
    const rate = 2, n = 200_000;
    const ts = times({ kind: "poisson", rate }, { n, start: 100 });
    expect(ts[0]).toBeGreaterThan(100);
    expectNonDecreasing(ts);
    const g = gaps(ts), m = g.length;
    expectNear(mean(g)!, 1 / rate, 1 / rate / Math.sqrt(m), "gap mean");
    // CV = s / x̄: by the delta method its SE under the exponential law is 1/√n.
    expectNear(Math.sqrt(variance(g)!) / mean(g)!, 1, 1 / Math.sqrt(m), "gap CV");
    // Counts in unit windows are Poisson(rate): variance = mean = rate (index of dispersion 1).
    const counts = windowCounts(ts, 100, 1, Math.floor(ts[n - 1]!) - 100);
    expectNear(variance(counts)! / mean(counts)!, 1, Math.sqrt(2 / counts.length), "index of dispersion");
  });
});

/** Arrivals per window [from + k·w, from + (k+1)·w) for k < windows. */
function windowCounts(ts: Float64Array, from: number, w: number, windows: number): Float64Array {
  const counts = new Float64Array(windows);
  for (const t of ts) {
    const k = Math.floor((t - from) / w);
    if (k >= 0 && k < windows) counts[k]!++;
  }
  return counts;
}

describe("bursty arrivals (2-state MMPP)", () => {
  // On at 10/s for 20 s on average, off at 1/s for 80 s: long-run rate (10·20 + 1·80) / 100 = 2.8/s.
  const spec: ArrivalSpec = { kind: "bursty", rate: 10, offRate: 1, onMean: 20, offMean: 80 };
  const a = 1 / spec.onMean, b = 1 / spec.offMean, l1 = spec.rate, l2 = spec.offRate;
  const rate = (l1 * spec.onMean + l2 * spec.offMean) / (spec.onMean + spec.offMean);
  // Var N(w) of a stationary MMPP2 = rate·w + 2(λ1−λ2)²αβ/(α+β)³ · (w − (1 − e^{−(α+β)w})/(α+β)).
  const extra = 2 * (l1 - l2) ** 2 * a * b / (a + b) ** 3;
  const varCount = (w: number) => rate * w + extra * (w - (1 - Math.exp(-(a + b) * w)) / (a + b));
  const T = 500_000;
  const ts = times(spec, { until: T });

  it("have the long-run rate (rate·onMean + offRate·offMean) / (onMean + offMean)", () => {
    expectNonDecreasing(ts);
    expectNear(ts.length / T, rate, Math.sqrt(varCount(T)) / T, "arrivals per second");
  });

  it("are over-dispersed exactly as the MMPP formula says (windows of 400 s)", () => {
    const w = 400, counts = windowCounts(ts, 0, w, T / w);
    // SE of a sample variance of k near-independent, near-normal counts: σ²·√(2/(k−1)).
    expectNear(variance(counts)!, varCount(w), varCount(w) * Math.sqrt(2 / (counts.length - 1)), "Var N(400 s)");
    expect(variance(counts)! / mean(counts)!).toBeGreaterThan(50); // a Poisson process would give 1
  });

  it("is stationary from the start: E[N(0, 5 s)] = 2.8 · 5 over 4,000 seeds", () => {
    const w = 5, seeds = 4000;
    let total = 0;
    for (let k = 0; k < seeds; k++) total += times(spec, { until: w, seed: `s${k}` }).length;
    // Starting always on would give about 10 · 5 · 0.9 ≈ 45 arrivals, not 14.
    expectNear(total / seeds, rate * w, Math.sqrt(varCount(w) / seeds), "mean arrivals in the first 5 s");
  });

  it("on/off (offRate 0) has rate·onMean/(onMean+offMean) and no arrival while off", () => {
    const onoff: ArrivalSpec = { kind: "bursty", rate: 5, offRate: 0, onMean: 10, offMean: 30 };
    const r = 5 * 10 / 40, ex = 2 * 25 * (1 / 10) * (1 / 30) / (1 / 10 + 1 / 30) ** 3;
    const t = times(onoff, { until: T });
    expectNear(t.length / T, r, Math.sqrt((r + ex) * T) / T, "on/off arrivals per second");
    // Off periods show as gaps far longer than the on-state gaps (mean 0.2 s): about T/40 of them.
    const long = gaps(t).filter((g) => g > 5).length;
    expect(long).toBeGreaterThan(T / 40 / 2);
  });
});

describe("diurnal arrivals (thinning)", () => {
  it("follow the rate curve hour by hour over 4 days (about 207,000 arrivals)", () => {
    const spec = { kind: "diurnal", rate: 0.6, amplitude: 0.8, peakHour: 15 } as const;
    const days = 4;
    const ts = times(spec, { until: days * DAY });
    expectNonDecreasing(ts);
    const perHour = new Float64Array(24);
    for (const t of ts) perHour[Math.floor((t % DAY) / 3600)]!++;
    // ∫ over hour h of rate·(1 + A cos(2π(t/DAY − peak/24))) dt, exactly, times the number of days.
    const phase = (t: number) => 2 * Math.PI * (t / DAY - spec.peakHour / 24);
    for (let h = 0; h < 24; h++) {
      const t0 = h * 3600, t1 = t0 + 3600;
      const integral = spec.rate * (3600 + spec.amplitude * DAY / (2 * Math.PI) * (Math.sin(phase(t1)) - Math.sin(phase(t0))));
      const expected = days * integral;
      // Counts in disjoint intervals are independent Poisson: SE = √expected.
      expectNear(perHour[h]!, expected, Math.sqrt(expected), `arrivals in hour ${h}`);
    }
    // Peak hours 14–15 see about (1 + 0.8)/(1 − 0.8) = 9 times the trough hours 2–3.
    expect(perHour[14]! / perHour[2]!).toBeGreaterThan(7);
  });
});
