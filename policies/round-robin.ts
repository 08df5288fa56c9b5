import type { SelectPolicy } from "../src/policy/index.ts";

/**
 * Baseline: the first feasible node in cyclic order after the last node chosen. "Last chosen"
 * starts at -1 and moves only when a container starts; the cycle may come back to that node.
 * A factory, so that every run starts with a fresh cursor.
 */
export default function roundRobin(): SelectPolicy {
  let last = -1;
  return {
    name: "round-robin",
    family: "baseline",
    description: "first feasible node after the last one chosen, cyclically",
    select(c, cluster) {
      // Cyclic order after `last`: last+1 … size-1, then 0 … last (indexed searches, O(log n)).
      const after = cluster.firstFeasible(c, last + 1);
      return after >= 0 ? after : cluster.firstFeasible(c, 0);
    },
    onStart(_c, node) {
      last = node;
    },
  };
}
