import { meanFreeAfter, type ScorePolicy } from "../src/policy/index.ts";

/** Performance family: the fastest node; ties → the least allocated (worst-fit score), then index. */
const fastest: ScorePolicy = {
  name: "fastest",
  family: "performance",
  description: "highest speed; ties to the worst-fit score, then index",
  score: (_c, node, cluster) => cluster.speed[node]!,
  tieBreak: meanFreeAfter,
};
export default fastest;
