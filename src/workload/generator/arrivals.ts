import type { Rng } from "./rng.ts";
import type { ArrivalSpec } from "./spec.ts";

export const DAY = 86_400;

/**
 * The arrival times of a process started at `start`, non-decreasing, without end (the caller stops
 * at its count or horizon). Every draw comes from `rng` (the arrivals stream).
 * - poisson: exponential gaps of mean 1/rate; the first arrival one gap after start.
 * - constant: start + i/rate for i = 0, 1, 2, … (computed, not accumulated, so it never drifts).
 * - bursty: see `bursty`.
 * - diurnal: see `diurnal`.
 */
export function arrivalTimes(spec: ArrivalSpec, start: number, rng: Rng): Iterator<number> {
  switch (spec.kind) {
    case "poisson":
      return poisson(spec.rate, start, rng);
    case "constant":
      return constant(spec.rate, start);
    case "bursty":
      return bursty(spec, start, rng);
    case "diurnal":
      return diurnal(spec, start, rng);
  }
}

function* poisson(rate: number, start: number, rng: Rng): Generator<number> {
  const mean = 1 / rate;
  let t = start;
  for (;;) yield (t += rng.exponential(mean));
}

function* constant(rate: number, start: number): Generator<number> {
  for (let i = 0; ; i++) yield start + i / rate;
}

/**
 * A 2-state Markov-modulated Poisson process. The process stays on for an exponential time of mean
 * onMean, off for one of mean offMean, alternately; arrivals are Poisson at `rate` while on and at
 * `offRate` while off (0: a pure on/off source). The state at `start` is drawn from the stationary
 * law (on with probability onMean / (onMean + offMean)), so the process is stationary from the first
 * second, and its long-run rate is (rate·onMean + offRate·offMean) / (onMean + offMean). Exact: by
 * the memoryless property, a candidate gap that crosses a state change is discarded and redrawn in
 * the new state.
 */
function* bursty(spec: Extract<ArrivalSpec, { kind: "bursty" }>, start: number, rng: Rng): Generator<number> {
  let on = rng.uniform() * (spec.onMean + spec.offMean) < spec.onMean;
  let t = start;
  let stateEnd = start + rng.exponential(on ? spec.onMean : spec.offMean);
  for (;;) {
    const rate = on ? spec.rate : spec.offRate;
    const next = rate > 0 ? t + rng.exponential(1 / rate) : Infinity;
    if (next < stateEnd) {
      yield (t = next);
    } else {
      t = stateEnd;
      on = !on;
      stateEnd = t + rng.exponential(on ? spec.onMean : spec.offMean);
    }
  }
}

/** The diurnal rate at absolute time t (s); hour of day = (t mod 86400) / 3600, time 0 is midnight. */
export function diurnalRate(spec: Extract<ArrivalSpec, { kind: "diurnal" }>, t: number): number {
  const phase = (2 * Math.PI * (t / DAY - spec.peakHour / 24));
  return spec.rate * (1 + spec.amplitude * Math.cos(phase));
}

/**
 * A non-homogeneous Poisson process with rate diurnalRate(t), by Lewis–Shedler thinning: candidates
 * come from a Poisson process at the peak rate rate·(1 + amplitude), and each is kept with
 * probability diurnalRate(t) / peak. The result is exact (no discretisation of the rate curve).
 */
function* diurnal(spec: Extract<ArrivalSpec, { kind: "diurnal" }>, start: number, rng: Rng): Generator<number> {
  const peak = spec.rate * (1 + spec.amplitude);
  const mean = 1 / peak;
  let t = start;
  for (;;) {
    t += rng.exponential(mean);
    if (rng.uniform() * peak < diurnalRate(spec, t)) yield t;
  }
}
