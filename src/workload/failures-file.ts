import type { ClusterSpec } from "../model/cluster.ts";
import type { FailureTrace } from "../sim/types.ts";
import { InputError } from "./errors.ts";
import { boundedTime, parseNonNegative, parseNumber } from "./fields.ts";
import { Header } from "./header.ts";
import { readCsvRecords } from "./csv-source.ts";

export const FAILURE_COLUMNS = ["node", "down", "up"] as const;

/**
 * Parses a failures CSV (`node,down,up`, seconds on the workload's clock): node `node` is down
 * from `down` until `up`; an empty `up` means it never comes back. An empty file, or a header
 * alone, means no failures. Checks node ids, times and that one node's intervals do not overlap.
 * Pure.
 */
export function parseFailures(records: Iterable<{ fields: string[]; line: number }>, cluster: ClusterSpec, file?: string): { trace: FailureTrace; warnings: string[] } {
  const nodeIndex = new Map(cluster.ids.map((id, i) => [id, i]));
  let header: Header | undefined;
  const warnings: string[] = [];
  const rows: { node: number; down: number; up: number; line: number }[] = [];
  for (const { fields: f, line } of records) {
    if (!header) {
      header = Header.open(f, FAILURE_COLUMNS, FAILURE_COLUMNS, file, line, warnings);
      continue;
    }
    const get = (name: string) => header!.field(f, name);
    const id = get("node");
    const node = nodeIndex.get(id);
    if (id === "") throw new InputError("the node id is empty", file, line, "node");
    if (node === undefined) throw new InputError("no node of the cluster has this id", file, line, "node", id);
    const downSite = { file, line, column: "down" }, upSite = { file, line, column: "up" };
    const down = boundedTime(parseNonNegative(get("down"), downSite), downSite, get("down"));
    const upText = get("up");
    const up = upText === "" ? Infinity : boundedTime(parseNumber(upText, upSite), upSite, upText);
    if (!(up > down)) throw new InputError(`up must be after down (${down}); leave it empty for a node that never comes back`, file, line, "up", upText);
    rows.push({ node, down, up, line });
  }
  const byNode = [...rows].sort((a, b) => a.node - b.node || a.down - b.down);
  for (let k = 1; k < byNode.length; k++) {
    const a = byNode[k - 1]!, b = byNode[k]!;
    if (a.node === b.node && b.down < a.up) {
      const [first, second] = a.line < b.line ? [a, b] : [b, a];
      throw new InputError(`node "${cluster.ids[a.node]}" is already down then (line ${first.line}: ${first.down} to ${first.up})`, file, second.line, "down", String(second.down));
    }
  }
  return {
    trace: {
      node: Int32Array.from(rows, (r) => r.node),
      down: Float64Array.from(rows, (r) => r.down),
      up: Float64Array.from(rows, (r) => r.up),
    },
    warnings,
  };
}

/** Reads a failures CSV (plain or .gz). */
export async function readFailures(path: string, cluster: ClusterSpec) {
  return parseFailures(await readCsvRecords(path), cluster, path);
}
