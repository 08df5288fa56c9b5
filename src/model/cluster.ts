import { CPU, GPU, MEM, RESOURCE_COUNT } from "./resources.ts";

/** The static description of the cluster's nodes, in cluster-file order (the node index). */
export interface ClusterSpec {
  /** Node ids. */
  readonly ids: readonly string[];
  /** Capacity in micro-units, packed per node: [cpu, mem, gpu] at 3·n. */
  readonly capacity: Float64Array;
  /** Speed factor: a container runs for duration / speed. */
  readonly speed: Float64Array;
  /** Seconds to start a container there (counted in net). */
  readonly startup: Float64Array;
  /** Zone index of each node in the zone table; -1 for none. */
  readonly zone: Int32Array;
}

/** Builds a ClusterSpec from plain node descriptions (amounts already in micro-units). */
export function makeCluster(
  nodes: readonly { id: string; cpu: number; mem: number; gpu?: number; speed?: number; startup?: number; zone?: number }[],
): ClusterSpec {
  const n = nodes.length;
  const capacity = new Float64Array(n * RESOURCE_COUNT);
  const speed = new Float64Array(n), startup = new Float64Array(n), zone = new Int32Array(n);
  nodes.forEach((node, i) => {
    capacity[i * 3 + CPU] = node.cpu;
    capacity[i * 3 + MEM] = node.mem;
    capacity[i * 3 + GPU] = node.gpu ?? 0;
    speed[i] = node.speed ?? 1;
    startup[i] = node.startup ?? 0;
    zone[i] = node.zone ?? -1;
  });
  return { ids: nodes.map((x) => x.id), capacity, speed, startup, zone };
}

/** Total capacity per resource, micro-units. */
export function totalCapacity(spec: ClusterSpec): [number, number, number] {
  const t: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < spec.ids.length; i++) {
    t[0] += spec.capacity[i * 3]!;
    t[1] += spec.capacity[i * 3 + 1]!;
    t[2] += spec.capacity[i * 3 + 2]!;
  }
  return t;
}
