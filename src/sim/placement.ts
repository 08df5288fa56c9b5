import type { ClusterState } from "../model/cluster-state.ts";
import { PolicyError, type Container, type Policy, type PolicyContext } from "../policy/types.ts";

/**
 * Asks a policy for a node and checks the answer. Returns a feasible node index or -1 for none.
 * A score policy is offered only feasible nodes; the best score wins, ties go to `tieBreak` (when
 * given) and then to the lowest index. A select policy's answer must be a feasible node index.
 */
export function chooseNode(policy: Policy, c: Container, cluster: ClusterState, ctx: PolicyContext, limit?: DecisionLimit): number {
  // When the request exceeds the largest free amount of some resource, no node is feasible and
  // no policy could answer anything but "none": it is not asked.
  if (!cluster.mightFit(c)) return -1;
  const started = limit ? limit.clock() : 0;
  const watch = limit?.watch;
  if (watch) {
    watch[1] = c.index;
    watch[2] = ctx.now;
    watch[0] = started;
  }
  let node: number;
  try {
    // Helpers at module level: functions declared in here would be made anew on every decision.
    node = policy.score ? bestScoring(policy, policy.score, policy.tieBreak, c, cluster, ctx) : checkedSelect(policy, c, cluster, ctx);
  } catch (err) {
    throw asPolicyError(err, policy.name, c, ctx.now);
  } finally {
    if (watch) watch[0] = NaN;
  }
  if (limit) {
    const took = limit.clock() - started;
    if (took > limit.ms) throw new PolicyError(policy.name, c.id, ctx.now, decisionTooLong(limit.ms));
  }
  return node;
}

/** A select policy's answer, checked: a feasible node index, or -1 for none. */
function checkedSelect(p: Policy & { select: NonNullable<Policy["select"]> }, c: Container, cluster: ClusterState, ctx: PolicyContext): number {
  const node = p.select(c, cluster, ctx);
  if (node === null || node === undefined || node === -1) return -1;
  if (typeof node !== "number" || !Number.isInteger(node)) throw new PolicyError(p.name, c.id, ctx.now, `returned ${describe(node)}, not a node index (an integer, or null for none)`);
  if (node < 0 || node >= cluster.size) throw new PolicyError(p.name, c.id, ctx.now, `returned node index ${node}, out of range 0..${cluster.size - 1}`);
  if (!cluster.fits(c, node)) throw new PolicyError(p.name, c.id, ctx.now, `returned node ${node} ("${cluster.ids[node]}"), which cannot hold the container now`);
  return node;
}

/** The best-scoring feasible node (ties: tieBreak, then the lowest index), or -1 for none. */
function bestScoring(policy: Policy, score: NonNullable<Policy["score"]>, tieBreak: Policy["tieBreak"], c: Container, cluster: ClusterState, ctx: PolicyContext): number {
  let best = -1, bestScore = 0, bestTie = 0, bestTieKnown = false;
  for (let node = 0; node < cluster.size; node++) {
    if (!cluster.fits(c, node)) continue;
    const s = score(c, node, cluster, ctx);
    if (typeof s !== "number" || Number.isNaN(s)) throw new PolicyError(policy.name, c.id, ctx.now, `score of node ${node} is ${describe(s)}, not a number`);
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
      if (typeof t !== "number" || Number.isNaN(t)) throw new PolicyError(policy.name, c.id, ctx.now, `tieBreak of node ${node} is ${describe(t)}, not a number`);
      if (t > bestTie) {
        best = node;
        bestTie = t;
      }
    }
  }
  return best;
}

/**
 * A wall-clock budget for one decision. The clock (milliseconds, e.g. `performance.now`) is passed
 * in, so that the simulator itself reads no clock; the check costs two clock reads per decision.
 * A decision is measured when it returns: a policy that never returns cannot be stopped here, only
 * by the thread that watches `watch` (see SimOptions.decisionWatch).
 */
export interface DecisionLimit {
  readonly ms: number;
  readonly clock: () => number;
  /** Where each decision's start is written for another thread to watch (SimOptions.decisionWatch). */
  readonly watch?: Float64Array;
}

/**
 * The problem of a decision over the limit. It names the limit, not the time taken: that is the
 * machine's, and the results keep the same bytes from run to run.
 */
export function decisionTooLong(ms: number): string {
  return `took more than the ${ms} ms allowed per decision`;
}

/** A decision limit from the options, or undefined when none was asked for. */
export function decisionLimit(options: { decisionTimeoutMs?: number; clock?: () => number; decisionWatch?: Float64Array }): DecisionLimit | undefined {
  const ms = options.decisionTimeoutMs;
  if (ms === undefined || !(ms > 0) || ms === Infinity) return undefined;
  return { ms, clock: options.clock ?? (() => performance.now()), watch: options.decisionWatch };
}

/**
 * The policy with its onStart / onEnd hooks guarded: an exception there also becomes a
 * PolicyError naming the policy, the container and the time. Policies without hooks are returned
 * as they are.
 */
export function guardHooks(policy: Policy): Policy {
  const { onStart, onEnd } = policy;
  if (!onStart && !onEnd) return policy;
  const guard = (hook: NonNullable<Policy["onStart"]>, what: string): NonNullable<Policy["onStart"]> => (c, node, cluster, context) => {
    try {
      hook.call(policy, c, node, cluster, context);
    } catch (err) {
      throw asPolicyError(err, policy.name, c, context.now, what);
    }
  };
  return Object.assign(Object.create(policy) as Policy, {
    onStart: onStart && guard(onStart, "onStart"),
    onEnd: onEnd && guard(onEnd, "onEnd"),
  });
}

function asPolicyError(err: unknown, policy: string, c: Container, now: number, where = ""): PolicyError {
  if (err instanceof PolicyError) return err;
  const what = err instanceof Error ? `${err.name}: ${err.message}` : describe(err);
  return new PolicyError(policy, c.id, now, `${where ? `${where} ` : ""}threw ${what}`);
}

/**
 * What a thread's uncaught error was, for a worker that dies of it: "RangeError: later" for an
 * Error, "throw of null" for any other value thrown.
 */
export function describeUncaught(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : `throw of ${describe(err)}`;
}

/** A value as a person would write it in code: 1.5, NaN, "3", undefined, an object's JSON. */
export function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "object" && x !== null) {
    try {
      return JSON.stringify(x) ?? String(x);
    } catch {
      return Object.prototype.toString.call(x);
    }
  }
  return typeof x === "bigint" ? `${x}n` : String(x);
}
