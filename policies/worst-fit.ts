import { meanFreeAfter, type ScoreFunction, type SelectPolicy } from "../src/policy/index.ts";

/**
 * The worst-fit score: mean (1 − f_k) after placement, f_k = (allocated_k + request_k) /
 * capacity_k over cpu, mem and (on gpu nodes) gpu. Highest wins; ties go to the lowest node index.
 */
export const score: ScoreFunction = meanFreeAfter;

/**
 * Resource family: the node that would stay least allocated (spreading; Kubernetes LeastAllocated).
 * `cluster.worstFitNode` returns exactly the node that a scan of `score` over the feasible nodes
 * would (same float64 scores, ties to the lowest index), from an index in about O(log n) instead
 * of O(n); `{ name: "worst-fit", score }` is the same policy in score form.
 */
const worstFit: SelectPolicy = {
  name: "worst-fit",
  family: "resource",
  description: "mean (1 - f_k) after placement, highest wins",
  pure: true,
  select: (c, cluster) => cluster.worstFitNode(c),
};
export default worstFit;
