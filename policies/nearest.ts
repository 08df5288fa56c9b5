import { meanFreeAfter, type ScoreFunction, type SelectPolicy } from "../src/policy/index.ts";

/** The nearest score: minus the node's net (zone latency from the container + node startup). */
export const score: ScoreFunction = (c, node, cluster) => -cluster.net(c, node);
/** Ties on net go to the worst-fit score (mean (1 − f_k) after placement), then the lowest index. */
export const tieBreak: ScoreFunction = meanFreeAfter;

/**
 * Latency family: the least network latency plus startup; ties → the least allocated (worst-fit
 * score), then index. `cluster.nearestNode` returns exactly the node that a scan of `score` with
 * `tieBreak` over the feasible nodes would, from an index per zone, startup and capacity class
 * instead of a scan of every node; `{ name: "nearest", score, tieBreak }` is the same policy in
 * score form.
 */
const nearest: SelectPolicy = {
  name: "nearest",
  family: "latency",
  description: "lowest zone latency + node startup; ties to the worst-fit score, then index",
  pure: true,
  select: (c, cluster) => cluster.nearestNode(c),
};
export default nearest;
