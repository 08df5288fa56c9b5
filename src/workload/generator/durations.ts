import type { Rng } from "./rng.ts";
import type { DurationSpec } from "./spec.ts";

/** The (mu, sigma) of a lognormal of the given mean and coefficient of variation. */
export function lognormalParameters(mean: number, cv: number): { mu: number; sigma: number } {
  const s2 = Math.log1p(cv * cv);
  return { mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
}

/**
 * A function drawing one duration (s) a call from `rng` (the durations stream).
 * `sample` holds the durations of the source file for `resample`: each draw is one of them, picked
 * uniformly (with replacement), so the output's durations follow the source's empirical law.
 */
export function durationSampler(spec: DurationSpec, rng: Rng, sample?: Float64Array): () => number {
  switch (spec.kind) {
    case "fixed": {
      const value = spec.value;
      return () => value;
    }
    case "exponential": {
      const mean = spec.mean;
      return () => rng.exponential(mean);
    }
    case "lognormal": {
      const { mu, sigma } = "mu" in spec ? spec : lognormalParameters(spec.mean, spec.cv);
      return () => rng.lognormal(mu, sigma);
    }
    case "pareto": {
      const { shape, scale } = spec;
      return () => rng.pareto(shape, scale);
    }
    case "resample": {
      if (!sample || sample.length === 0) throw new Error(`durations: no sample loaded from ${spec.from}`);
      const s = sample;
      return () => s[rng.index(s.length)]!;
    }
  }
}
