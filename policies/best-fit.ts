import { meanAllocatedAfter, type ScoreFunction, type SelectPolicy } from "../src/policy/index.ts";

/**
 * The best-fit score: mean f_k after placement, f_k = (allocated_k + request_k) / capacity_k over
 * cpu, mem and (on gpu nodes) gpu. Highest wins; ties go to the lowest node index.
 */
export const score: ScoreFunction = meanAllocatedAfter;

/**
 * Resource family: the node that would be most allocated (bin packing; Kubernetes MostAllocated).
 * `cluster.bestFitNode` returns exactly the node that a scan of `score` over the feasible nodes
 * would (same float64 scores, ties to the lowest index), from an index in about O(log n) instead
 * of O(n); `{ name: "best-fit", score }` is the same policy in score form.
 */
const bestFit: SelectPolicy = {
  name: "best-fit",
  family: "resource",
  description: "mean f_k after placement, highest wins",
  pure: true,
  select: (c, cluster) => cluster.bestFitNode(c),
};
export default bestFit;
