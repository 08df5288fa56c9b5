/**
 * Statistical checks for the generator's tests. Every tolerance is k standard errors of the
 * estimate under the theoretical law (k = 5 unless a test says otherwise): with a fixed seed a test
 * is deterministic, and a correct sampler lands outside ±5 SE with probability < 10⁻⁶, while a wrong
 * parameter (a rate off by a few percent, a variance off by a factor) lands far outside.
 */
import { expect } from "vitest";
import { mean, variance } from "d3-array";

export const K = 5;

/** |actual − expected| ≤ k · se, with a message that shows all three. */
export function expectNear(actual: number, expected: number, se: number, what: string, k = K): void {
  const z = (actual - expected) / se;
  expect(Math.abs(z), `${what}: got ${actual}, theory ${expected}, SE ${se} (z = ${z.toFixed(2)})`).toBeLessThanOrEqual(k);
}

/** n draws of a sampler into a Float64Array. */
export function draw(n: number, sample: () => number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sample();
  return xs;
}

/**
 * Sample mean within k·σ/√n of μ, and sample variance within k·SE of σ², where
 * SE(s²) ≈ √((μ4 − σ⁴)/n) for a law of fourth central moment μ4.
 */
export function expectMoments(xs: Float64Array, mu: number, sigma2: number, mu4: number, what: string): void {
  const n = xs.length;
  expectNear(mean(xs)!, mu, Math.sqrt(sigma2 / n), `${what} mean`);
  expectNear(variance(xs)!, sigma2, Math.sqrt((mu4 - sigma2 * sigma2) / n), `${what} variance`);
}

/** Each observed frequency within k binomial SEs, √(p(1−p)/n), of its probability. */
export function expectFrequencies(counts: Map<string, number>, probabilities: Map<string, number>, n: number, what: string): void {
  for (const key of counts.keys()) expect(probabilities.has(key), `${what}: drew ${key}, which has no probability`).toBe(true);
  for (const [key, p] of probabilities) {
    const observed = (counts.get(key) ?? 0) / n;
    if (p === 0) expect(observed, `${what}: ${key} has probability 0`).toBe(0);
    else expectNear(observed, p, Math.sqrt((p * (1 - p)) / n), `${what} P(${key})`);
  }
}

/** Counts of keys. */
export function tally<T>(items: Iterable<T>, key: (x: T) => string = String): Map<string, number> {
  const counts = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
