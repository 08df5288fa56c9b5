import type { SelectPolicy } from "../src/policy/index.ts";

/** Resource family: the lowest-index feasible node. */
const firstFit: SelectPolicy = {
  name: "first-fit",
  family: "resource",
  description: "the lowest-index feasible node",
  select(c, cluster) {
    for (let node = 0; node < cluster.size; node++) if (cluster.fits(c, node)) return node;
    return null;
  },
};
export default firstFit;
