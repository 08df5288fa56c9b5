import { meanFreeAfter, type ScoreFunction, type SelectPolicy } from "../src/policy/index.ts";

/** The fastest score: the node's speed, highest wins. */
export const score: ScoreFunction = (_c, node, cluster) => cluster.speed[node]!;
/** Ties on speed go to the worst-fit score (mean (1 − f_k) after placement), then the lowest index. */
export const tieBreak: ScoreFunction = meanFreeAfter;

/**
 * Performance family: the fastest node; ties → the least allocated (worst-fit score), then index.
 * `cluster.fastestNode` returns exactly the node that a scan of `score` with `tieBreak` over the
 * feasible nodes would, from an index per speed and capacity class instead of a scan of every
 * node; `{ name: "fastest", score, tieBreak }` is the same policy in score form.
 */
const fastest: SelectPolicy = {
  name: "fastest",
  family: "performance",
  description: "highest speed; ties to the worst-fit score, then index",
  pure: true,
  select: (c, cluster) => cluster.fastestNode(c),
};
export default fastest;
