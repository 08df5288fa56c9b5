import type { ClusterState } from "../model/cluster-state.ts";
import { PolicyError, type Container, type Policy, type PolicyContext } from "../policy/types.ts";

/**
 * Asks a policy for a node and checks the answer. Returns a feasible node index or -1 for none.
 * A score policy is offered only feasible nodes; the best score wins, ties go to `tieBreak` (when
 * given) and then to the lowest index. A select policy's answer must be a feasible node index.
 */
export function chooseNode(policy: Policy, c: Container, cluster: ClusterState, ctx: PolicyContext): number {
  // When the request exceeds the largest free amount of some resource, no node is feasible and
  // no policy could answer anything but "none": it is not asked.
  if (!cluster.mightFit(c)) return -1;
  try {
    return policy.score ? bestScoring(policy.score, policy.tieBreak, c, cluster, ctx) : checkedSelect(policy, c, cluster, ctx);
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    throw new PolicyError(policy.name, c.id, ctx.now, `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }

  function checkedSelect(p: Policy & { select: NonNullable<Policy["select"]> }, c: Container, cluster: ClusterState, ctx: PolicyContext): number {
    const node = p.select(c, cluster, ctx);
    if (node === null || node === undefined || node === -1) return -1;
    if (typeof node !== "number" || !Number.isInteger(node)) throw new PolicyError(p.name, c.id, ctx.now, `returned ${JSON.stringify(node)}, not a node index`);
    if (node < 0 || node >= cluster.size) throw new PolicyError(p.name, c.id, ctx.now, `returned node index ${node}, out of range 0..${cluster.size - 1}`);
    if (!cluster.fits(c, node)) throw new PolicyError(p.name, c.id, ctx.now, `returned node ${node} ("${cluster.ids[node]}"), which cannot hold the container now`);
    return node;
  }

  function bestScoring(score: NonNullable<Policy["score"]>, tieBreak: Policy["tieBreak"], c: Container, cluster: ClusterState, ctx: PolicyContext): number {
    let best = -1, bestScore = 0, bestTie = 0, bestTieKnown = false;
    for (let node = 0; node < cluster.size; node++) {
      if (!cluster.fits(c, node)) continue;
      const s = score(c, node, cluster, ctx);
      if (typeof s !== "number" || Number.isNaN(s)) throw new PolicyError(policy.name, c.id, ctx.now, `score of node ${node} is ${String(s)}, not a number`);
      if (best < 0 || s > bestScore) {
        best = node;
        bestScore = s;
        bestTieKnown = false;
      } else if (s === bestScore && tieBreak) {
        if (!bestTieKnown) {
          bestTie = tieBreak(c, best, cluster, ctx);
          bestTieKnown = true;
        }
        const t = tieBreak(c, node, cluster, ctx);
        if (t > bestTie) {
          best = node;
          bestTie = t;
        }
      }
    }
    return best;
  }
}
