import { alignment, type ScorePolicy } from "../src/policy/index.ts";

/** Resource family: align the request with the node's free capacity (Tetris). */
const dotProduct: ScorePolicy = {
  name: "dot-product",
  family: "resource",
  description: "sum_k (request_k / capacity_k) * (free_k / capacity_k), free before placement",
  pure: true,
  score: alignment,
};
export default dotProduct;
