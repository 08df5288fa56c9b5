import { meanFreeAfter, type ScorePolicy } from "../src/policy/index.ts";

/** Latency family: the least network latency plus startup; ties → the worst-fit score, then index. */
const nearest: ScorePolicy = {
  name: "nearest",
  family: "latency",
  description: "lowest zone latency + node startup; ties to the worst-fit score, then index",
  score: (c, node, cluster) => -cluster.net(c, node),
  tieBreak: meanFreeAfter,
};
export default nearest;
