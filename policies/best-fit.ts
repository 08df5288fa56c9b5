import { meanAllocatedAfter, type ScorePolicy } from "../src/policy/index.ts";

/** Resource family: the node that would be most allocated (bin packing; Kubernetes MostAllocated). */
const bestFit: ScorePolicy = {
  name: "best-fit",
  family: "resource",
  description: "mean f_k after placement, highest wins",
  score: meanAllocatedAfter,
};
export default bestFit;
