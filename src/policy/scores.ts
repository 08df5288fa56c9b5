import { CPU, GPU, MEM } from "../model/resources.ts";
import type { ClusterView, Container } from "./types.ts";

/**
 * The building blocks of the built-in scores, exactly as DESIGN.md defines them. The scored
 * resources of a node are cpu and mem, plus gpu on nodes with gpu capacity; sums run in the order
 * cpu, mem, gpu. Every fraction is computed from the integer micro-unit amounts, so a score
 * depends only on the exact state.
 */

/** Number of scored resources on a node: 2, or 3 when it has gpu capacity. */
export function scoredCount(cluster: ClusterView, node: number): number {
  return scoredCountOn(cluster.capacity, node * 3);
}

/** scoredCount of the capacity vector at capacity[capAt..]. */
export function scoredCountOn(capacity: ArrayLike<number>, capAt: number): number {
  return capacity[capAt + GPU]! > 0 ? 3 : 2;
}

function request(c: Container, k: number): number {
  return k === CPU ? c.cpu : k === MEM ? c.mem : c.gpu;
}

/** f_k = (allocated_k + request_k) / capacity_k after placing c on node (0 when capacity is 0). */
export function fractionAfter(c: Container, node: number, cluster: ClusterView, k: number): number {
  return fractionOn(c, cluster.capacity, node * 3, cluster.free, node * 3, k);
}

/**
 * f_k from a capacity vector at capacity[capAt..] and a free vector at free[freeAt..]: the one
 * formula behind fractionAfter and the means below. The score index passes its class's copy of
 * the capacity vector (identical for every member, and in cache where the node's often is not).
 */
function fractionOn(c: Container, capacity: ArrayLike<number>, capAt: number, free: ArrayLike<number>, freeAt: number, k: number): number {
  const cap = capacity[capAt + k]!;
  if (cap === 0) return 0;
  return (cap - free[freeAt + k]! + request(c, k)) / cap;
}

/** Mean of f_k: how full the node would be (best-fit, Kubernetes MostAllocated). */
export function meanAllocatedAfter(c: Container, node: number, cluster: ClusterView): number {
  return meanAllocatedOn(c, cluster.capacity, node * 3, cluster.free, node * 3);
}

/** meanAllocatedAfter of a node whose capacity vector is at capacity[capAt..] and free vector at free[freeAt..]. */
export function meanAllocatedOn(c: Container, capacity: ArrayLike<number>, capAt: number, free: ArrayLike<number>, freeAt: number): number {
  const count = scoredCountOn(capacity, capAt);
  let sum = 0;
  for (let k = 0; k < count; k++) sum += fractionOn(c, capacity, capAt, free, freeAt, k);
  return sum / count;
}

/** Mean of (1 − f_k): how empty the node would stay (worst-fit, Kubernetes LeastAllocated). */
export function meanFreeAfter(c: Container, node: number, cluster: ClusterView): number {
  return meanFreeOn(c, cluster.capacity, node * 3, cluster.free, node * 3);
}

/** meanFreeAfter of a node whose capacity vector is at capacity[capAt..] and free vector at free[freeAt..]. */
export function meanFreeOn(c: Container, capacity: ArrayLike<number>, capAt: number, free: ArrayLike<number>, freeAt: number): number {
  const count = scoredCountOn(capacity, capAt);
  let sum = 0;
  for (let k = 0; k < count; k++) sum += 1 - fractionOn(c, capacity, capAt, free, freeAt, k);
  return sum / count;
}

/** 1 − population standard deviation of the f_k (Kubernetes BalancedAllocation). */
export function balanceAfter(c: Container, node: number, cluster: ClusterView): number {
  const count = scoredCount(cluster, node);
  const f = [0, 0, 0];
  let sum = 0;
  for (let k = 0; k < count; k++) sum += f[k] = fractionAfter(c, node, cluster, k);
  const mean = sum / count;
  let squares = 0;
  for (let k = 0; k < count; k++) { const d = f[k]! - mean; squares += d * d; }
  return 1 - Math.sqrt(squares / count);
}

/** Σ_k (request_k / capacity_k) · (free_k / capacity_k), free before placement (Tetris alignment). */
export function alignment(c: Container, node: number, cluster: ClusterView): number {
  const count = scoredCount(cluster, node);
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const cap = cluster.capacity[node * 3 + k]!;
    if (cap === 0) continue;
    sum += (request(c, k) / cap) * (cluster.free[node * 3 + k]! / cap);
  }
  return sum;
}
