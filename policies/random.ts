import type { SelectPolicy } from "../src/policy/index.ts";

/** Baseline: a uniformly random feasible node (the k-th feasible in index order, k = floor(rng·count)). */
const random: SelectPolicy = {
  name: "random",
  family: "baseline",
  description: "a feasible node chosen with the seeded generator",
  select(c, cluster, ctx) {
    let count = 0;
    for (let node = 0; node < cluster.size; node++) if (cluster.fits(c, node)) count++;
    if (count === 0) return null; // no draw when there is nothing to choose from
    let k = Math.floor(ctx.rng() * count);
    for (let node = 0; node < cluster.size; node++) if (cluster.fits(c, node) && k-- === 0) return node;
    return null;
  },
};
export default random;
