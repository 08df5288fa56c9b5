import { meanFreeAfter, type ScorePolicy } from "../src/policy/index.ts";

/** Resource family: the node that would stay least allocated (spreading; Kubernetes LeastAllocated). */
const worstFit: ScorePolicy = {
  name: "worst-fit",
  family: "resource",
  description: "mean (1 - f_k) after placement, highest wins",
  score: meanFreeAfter,
};
export default worstFit;
