import { weightedTable, type Rng } from "./rng.ts";
import type { AmountSpec, RequestSpec } from "./spec.ts";

/** A request: cpu cores, mem GiB, gpus. */
export type Request = [cpu: number, mem: number, gpu: number];

/**
 * Rounds to the simulator's resolution, 10⁻⁶ of the unit (DESIGN.md), so that what is written is
 * exactly what the simulator holds, and a grid such as 0.1, 0.2, 0.3 prints as such.
 */
export function toMicro(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * A function drawing one request a call from `rng` (the requests stream).
 * - choice: one of the (cpu, mem, gpu) triples, with probability weight / Σ weights;
 * - independent: each resource drawn on its own (cpu, then mem, then gpu), see `amountSampler`;
 * - resample: the (cpu, mem, gpu) of one row of the source, picked uniformly with replacement, so
 *   the three stay together (their joint law is the source's). `sample` packs them as 3·i + k.
 */
export function requestSampler(spec: RequestSpec, rng: Rng, sample?: Float64Array): () => Request {
  switch (spec.kind) {
    case "choice": {
      const table = weightedTable(spec.choices.map((c) => c.weight));
      const triples = spec.choices.map((c): Request => [c.cpu, c.mem, c.gpu]);
      return () => {
        const [cpu, mem, gpu] = triples[rng.weighted(table)]!;
        return [cpu, mem, gpu];
      };
    }
    case "independent": {
      const cpu = amountSampler(spec.cpu, rng);
      const mem = amountSampler(spec.mem, rng);
      const gpu = amountSampler(spec.gpu, rng);
      return () => [cpu(), mem(), gpu()];
    }
    case "resample": {
      if (!sample || sample.length === 0) throw new Error(`requests: no sample loaded from ${spec.from}`);
      const s = sample;
      const rows = s.length / 3;
      return () => {
        const i = 3 * rng.index(rows);
        return [s[i]!, s[i + 1]!, s[i + 2]!];
      };
    }
  }
}

/**
 * One resource's amount:
 * - a number: always that amount (no draw);
 * - uniform without step: continuous on [min, max), rounded to 10⁻⁶;
 * - uniform with step: equally likely among min, min + step, min + 2·step, … up to max (the grid
 *   points that do not pass max, with a 10⁻⁹ step slack for decimal steps), rounded to 10⁻⁶;
 * - choice: one of the values with probability weight / Σ weights.
 */
export function amountSampler(spec: AmountSpec, rng: Rng): () => number {
  if (typeof spec === "number") return () => spec;
  if (spec.kind === "choice") {
    const table = weightedTable(spec.weights);
    const values = spec.values;
    return () => values[rng.weighted(table)]!;
  }
  const { min, max, step } = spec;
  if (step === undefined) return () => toMicro(rng.between(min, max));
  const points = gridPoints(min, max, step);
  return () => toMicro(min + rng.index(points) * step);
}

/** How many grid points min + k·step lie in [min, max]. */
export function gridPoints(min: number, max: number, step: number): number {
  return Math.floor((max - min) / step + 1e-9) + 1;
}
