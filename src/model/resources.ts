/**
 * Resource amounts are held as integer counts of 10⁻⁶ of their unit (micro-cores, micro-GiB,
 * micro-GPUs), so that starting and freeing never drift: 0.1 + 0.2 + 0.7 cores fill a 1-core
 * node exactly. Integers up to 2⁵³ are exact in a float64, i.e. 9·10⁹ of a unit.
 */
export const MICRO = 1_000_000;

/** Resource indices in a packed vector: cpu, mem, gpu (this is also the order of every sum). */
export const CPU = 0;
export const MEM = 1;
export const GPU = 2;
export const RESOURCES = ["cpu", "mem", "gpu"] as const;
export type ResourceName = (typeof RESOURCES)[number];
export const RESOURCE_COUNT = 3;

/** A decimal amount in its unit → the nearest integer count of micro-units. */
export function toMicro(amount: number): number {
  return Math.round(amount * MICRO);
}

/** Micro-units → the amount in its unit, as float64. */
export function fromMicro(micro: number): number {
  return micro / MICRO;
}
