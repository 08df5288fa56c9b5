import seedrandom from "seedrandom";
import { bisectRight } from "d3-array";

/**
 * The random streams of the generator. Each named stream has its own seedrandom generator (the
 * default ARC4 one, 53 bits a draw), seeded with the string `"<seed>:<stream>"`. Arrivals,
 * durations, requests, zones and priorities therefore never share draws: changing how durations are
 * drawn (or how many draws one takes) leaves the arrival times, requests, zones and priorities of
 * every container exactly as they were.
 */
export const STREAMS = ["arrivals", "durations", "requests", "zones", "priorities"] as const;
export type StreamName = (typeof STREAMS)[number];

/** A weighted discrete distribution prepared for drawing: cumulative weights, searched by bisection. */
export interface WeightedTable {
  cumulative: Float64Array;
  total: number;
  /** The last index with a positive weight. */
  last: number;
}

/** Prepares weights (finite, ≥ 0, positive sum; checked by the spec validation) for `Rng.weighted`. */
export function weightedTable(weights: readonly number[]): WeightedTable {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  let last = 0;
  weights.forEach((w, i) => {
    total += w;
    cumulative[i] = total;
    if (w > 0) last = i;
  });
  return { cumulative, total, last };
}

/** One seeded stream of random numbers and the distributions drawn from it. */
export class Rng {
  private readonly next: () => number;
  private spare = NaN;

  constructor(seed: string, stream: string) {
    this.next = seedrandom(`${seed}:${stream}`);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform on (0, 1]: safe under a logarithm or a negative power. */
  private positive(): number {
    return 1 - this.next();
  }

  /** Uniform on [a, b). */
  between(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** A uniform integer in 0 … n−1. */
  index(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponential with the given mean (inverse transform). */
  exponential(mean: number): number {
    return -mean * Math.log(this.positive());
  }

  /**
   * Standard normal by the Box–Muller transform: each pair of uniforms gives two independent
   * normals; the second is kept for the next call.
   */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.positive()));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Lognormal: exp(mu + sigma·Z). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Pareto (type I): P(X > x) = (scale / x)^shape for x ≥ scale (inverse transform). */
  pareto(shape: number, scale: number): number {
    return scale * Math.pow(this.positive(), -1 / shape);
  }

  /** An index drawn with probability weight_i / total. */
  weighted(table: WeightedTable): number {
    // The first index whose cumulative weight exceeds u·total: zero weights are never drawn.
    const i = bisectRight(table.cumulative, this.next() * table.total);
    // u·total may round up to total itself: that draw belongs to the last positive weight.
    return Math.min(i, table.last);
  }
}
