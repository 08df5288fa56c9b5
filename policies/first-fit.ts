import type { SelectPolicy } from "../src/policy/index.ts";

/** Resource family: the lowest-index feasible node. */
const firstFit: SelectPolicy = {
  name: "first-fit",
  family: "resource",
  description: "the lowest-index feasible node",
  pure: true,
  // The cluster's free-capacity index finds the lowest feasible index in O(log n); it is the
  // same as `for (node = 0; node < size; node++) if (cluster.fits(c, node)) return node`.
  select: (c, cluster) => cluster.firstFeasible(c),
};
export default firstFit;
