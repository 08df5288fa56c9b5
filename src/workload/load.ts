import { ZoneTable } from "../model/zones.ts";
import type { ClusterSpec } from "../model/cluster.ts";
import type { SimInputs } from "../sim/types.ts";
import { checkZonePairs, readCluster, readZones, uniformCluster } from "./cluster-file.ts";
import { readWorkload } from "./native.ts";
import type { ColumnMemorySink } from "./row-blocks.ts";
import { InputError } from "./errors.ts";

export interface InputFiles {
  workload: string;
  /** A cluster CSV, or the shorthand of N identical nodes. */
  cluster: string | { nodes: number; cpu: number; mem: number; gpu?: number };
  zones?: string;
  /** Sort the workload by arrival instead of refusing out-of-order rows. */
  sort?: boolean;
  /** Told the workload's bytes read so far and its size, as it is read. */
  onProgress?: (bytes: number, size: number) => void;
  /** Told of the workload's shared column memory ahead of the reader (see WorkloadReadOptions). */
  onColumnMemory?: ColumnMemorySink;
}

/** Reads and cross-checks every input of a run. Warnings (unknown columns) are returned, not printed. */
export async function loadInputs(files: InputFiles): Promise<{ inputs: SimInputs; warnings: string[] }> {
  const warnings: string[] = [];
  let zones = new ZoneTable(false);
  if (files.zones) {
    const z = await readZones(files.zones);
    zones = z.zones;
    warnings.push(...z.warnings);
  }
  let cluster: ClusterSpec;
  if (typeof files.cluster === "string") {
    const c = await readCluster(files.cluster, zones);
    cluster = c.cluster;
    warnings.push(...c.warnings);
  } else {
    const s = files.cluster;
    cluster = uniformCluster(s.nodes, s.cpu, s.mem, s.gpu ?? 0);
  }
  const w = await readWorkload(files.workload, zones, { sort: files.sort, onProgress: files.onProgress, onColumnMemory: files.onColumnMemory });
  warnings.push(...w.warnings);
  const n = w.workload.length;
  checkZonePairs(zones, cluster, w.workload.zone.subarray(0, n), files.zones, { file: files.workload, lines: w.workload.line.subarray(0, n) });
  return { inputs: { workload: w.workload, cluster, zones }, warnings };
}

export { InputError };
