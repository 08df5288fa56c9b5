import { balanceAfter, type ScorePolicy } from "../src/policy/index.ts";

/** Resource family: keep each node's resources equally used (Kubernetes BalancedAllocation). */
const balanced: ScorePolicy = {
  name: "balanced",
  family: "resource",
  description: "1 - population std of the f_k after placement",
  pure: true,
  score: balanceAfter,
};
export default balanced;
